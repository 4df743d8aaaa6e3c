/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ocsp_staple - does a TLS server staple a valid, fresh OCSP response
 * for its certificate? Reads the options, runs the library's check, prints
 * its report and exits with its state.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cos.h"
#include "usage.h"

/* The library bounds every step by the -t deadline; this alarm is only the
 * backstop for what it cannot reach, so that the plugin always ends. */
static enum cos_state backstop_state;
static char backstop_message[160];

static void backstop(int sig)
{
	ssize_t ignored;

	(void)sig;
	ignored = write(STDOUT_FILENO, backstop_message,
			strlen(backstop_message));
	(void)ignored;
	_exit(backstop_state);
}

static void arm_backstop(const struct cos_options *o)
{
	backstop_state = o->policy.timeout;
	snprintf(backstop_message, sizeof(backstop_message),
		 "OCSP STAPLE %s - timeout: the check did not end within "
		 "%g s\n",
		 cos_state_name(o->policy.timeout), o->cfg.timeout);
	signal(SIGALRM, backstop);
	alarm((unsigned)o->cfg.timeout + 2);
}

int main(int argc, char **argv)
{
	struct cos_options o;
	struct cos_result res;
	struct cos_text out = {NULL, 0, 0, false};
	enum cos_state state;

	switch (cos_options_parse(&o, argc, argv)) {
	case COS_PARSE_HELP: print_help(); return COS_OK;
	case COS_PARSE_VERSION: print_version(); return COS_OK;
	case COS_PARSE_ERROR:
		/* One line on stdout, as every plugin output. */
		printf("OCSP STAPLE UNKNOWN - %s (see '%s --help')\n", o.error,
		       PACKAGE_NAME);
		return COS_UNKNOWN;
	case COS_PARSE_RUN: break;
	}
	if (cos_openssl_init() != 0) {
		printf("OCSP STAPLE UNKNOWN - local problem: OpenSSL cannot "
		       "start\n");
		return COS_UNKNOWN;
	}
	/* A server that resets the connection must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);
	arm_backstop(&o);
	cos_check(&o.cfg, &res);
	state = cos_report(&res, &o.policy, o.cfg.verbosity, &out);
	alarm(0);
	if (out.failed) {
		printf("OCSP STAPLE UNKNOWN - out of memory\n");
		state = COS_UNKNOWN;
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
	cos_text_free(&out);
	cos_result_free(&res);
	return state;
}
