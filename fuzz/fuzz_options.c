/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_options.c - the command line: the input, split at NUL bytes, is
 * argv after the program name. cos_options_parse() never exits and starts
 * afresh on each call. A refusal must be one printable line; an accepted
 * command line must hold what the check relies on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_error(const struct cos_options *o)
{
	size_t len = strlen(o->error);

	if (len == 0)
		fuzz_fail("a refusal without a message");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)o->error[i] < 0x20 || o->error[i] == 0x7f)
			fuzz_fail("control byte in the message: %s", o->error);
}

static void check_range(const struct cos_range *r)
{
	char buf[64];

	cos_range_format(r, buf, sizeof(buf));
	fuzz_check_threshold(buf);
}

static void check_run(const struct cos_options *o)
{
	const struct cos_config *cfg = &o->cfg;
	/* No -p: the default port of the protocol, chosen later. */
	long port = cfg->port ? strtol(cfg->port, NULL, 10) : 443;

	if ((cfg->host == NULL) == (cfg->response_file == NULL))
		fuzz_fail("neither or both modes");
	if (cfg->response_file != NULL && cfg->cert_file == NULL)
		fuzz_fail("offline without --cert");
	if (cfg->host != NULL && cfg->host[0] == '\0')
		fuzz_fail("an empty host");
	if (cfg->port != NULL &&
	    (strspn(cfg->port, "0123456789") != strlen(cfg->port) || port < 1 ||
	     port > 65535))
		fuzz_fail("port '%s'", cfg->port);
	if (cfg->retries < 0 || cfg->retries > 100)
		fuzz_fail("retries %d", cfg->retries);
	if (!(cfg->retry_delay >= 0 && cfg->retry_delay <= 3600))
		fuzz_fail("retry delay %g", cfg->retry_delay);
	if (cfg->tls_min != 0 && cfg->tls_max != 0 &&
	    cfg->tls_min > cfg->tls_max)
		fuzz_fail("TLS versions %#x > %#x", cfg->tls_min, cfg->tls_max);
	if (cfg->response_file != NULL &&
	    (cfg->starttls != COS_STARTTLS_NONE || cfg->all_addresses ||
	     cfg->retries != 0 || cfg->client_cert != NULL))
		fuzz_fail("an online-only option in offline mode");
	if (!(cfg->timeout > 0 && cfg->timeout <= 3600))
		fuzz_fail("timeout %g", cfg->timeout);
	if (cfg->skew < 0 || cfg->skew > 7 * 86400)
		fuzz_fail("skew %ld", cfg->skew);
	if (cfg->has_now && (cfg->now < 0 || cfg->now > 253402300799LL))
		fuzz_fail("now %lld", (long long)cfg->now);
	if ((unsigned)o->policy.no_staple > COS_UNKNOWN ||
	    (unsigned)o->policy.no_ocsp_url > COS_UNKNOWN ||
	    (unsigned)o->policy.no_next_update > COS_UNKNOWN ||
	    (unsigned)o->policy.timeout > COS_UNKNOWN)
		fuzz_fail("a state out of range");
	check_range(&o->policy.next_warn);
	check_range(&o->policy.next_crit);
	check_range(&o->policy.age_warn);
	check_range(&o->policy.age_crit);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
	struct cos_options o;
	int argc = 0;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "check_ocsp_staple";
	for (char *p = buf; p <= buf + size && argc <= MAX_ARGS;
	     p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	switch (cos_options_parse(&o, argc, argv)) {
	case COS_PARSE_ERROR: check_error(&o); break;
	case COS_PARSE_RUN: check_run(&o); break;
	case COS_PARSE_HELP:
	case COS_PARSE_VERSION: break;
	}
	free(buf);
	return 0;
}
