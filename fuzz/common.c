/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common.c - the fixed chain and the output checks the harnesses share.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "fuzz.h"
#include "internal.h"

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FUZZ FINDING: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

const char *fuzz_pki_path(const char *file)
{
	static char path[4][1024];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/pki/%s", COS_FUZZ_DIR, file);
	return p;
}

X509 *fuzz_pki_cert(const char *name)
{
	char file[64];
	FILE *f;
	X509 *cert;

	snprintf(file, sizeof(file), "%s.pem", name);
	f = fopen(fuzz_pki_path(file), "r");
	if (f == NULL)
		fuzz_fail("cannot open %s", fuzz_pki_path(file));
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (cert == NULL)
		fuzz_fail("no certificate in %s", file);
	return cert;
}

time_t fuzz_pki_now(void)
{
	FILE *f = fopen(fuzz_pki_path("now"), "r");
	long long now = 0;

	if (f == NULL || fscanf(f, "%lld", &now) != 1 || now <= 0)
		fuzz_fail("cannot read %s", fuzz_pki_path("now"));
	fclose(f);
	return (time_t)now;
}

void fuzz_pki_chain(X509 **leaf, X509 **issuer, time_t *now)
{
	*leaf = fuzz_pki_cert("leaf");
	*issuer = fuzz_pki_cert("int");
	*now = fuzz_pki_now();
}

void fuzz_good_staple(struct cos_result *res)
{
	static unsigned char *der;
	static size_t len;
	static X509 *leaf, *issuer;
	static time_t now;
	struct cos_result read;

	if (der == NULL) {
		memset(&read, 0, sizeof(read));
		if (cos_read_response_file(fuzz_pki_path("good.der"), &der,
					   &len, &read) != COS_GOOD)
			fuzz_fail("cannot read good.der");
		fuzz_pki_chain(&leaf, &issuer, &now);
	}
	cos_result_start(res, 3, now);
	res->have_staple = true;
	res->steps_passed = COS_STEP_BIT(2) | COS_STEP_BIT(3);
	cos_cert_describe(leaf, &res->cert);
	cos_staple_verify(der, len, leaf, issuer, now, 300, res);
}

void fuzz_report_crl(const struct cos_result *crl)
{
	struct cos_result res;

	if ((unsigned)crl->status >= COS_STATUS_COUNT)
		fuzz_fail("status %d", (int)crl->status);
	if ((crl->status == COS_E_REVOKED || crl->status == COS_E_ON_HOLD) &&
	    !crl->crl.parsed)
		fuzz_fail("listed in a CRL that was not read");
	fuzz_good_staple(&res);
	res.crl = crl->crl;
	res.crl.asked = true;
	res.crl.status = crl->status;
	snprintf(res.crl.source, sizeof(res.crl.source), "fuzz.crl");
	snprintf(res.crl.detail, sizeof(res.crl.detail), "%s", crl->detail);
	fuzz_report(&res, 3);
	cos_result_free(&res);
}

void fuzz_report(const struct cos_result *res, int verbosity)
{
	struct cos_policy policy;
	struct cos_text out = {NULL, 0, 0, false};

	cos_policy_init(&policy);
	cos_report(res, &policy, verbosity, &out);
	fuzz_check_output(&out);
	cos_text_free(&out);
}

void fuzz_check_threshold(const char *text)
{
	if (strspn(text, "@~:-.0123456789") != strlen(text))
		fuzz_fail("threshold '%s' is not perfdata", text);
}

/* label=value[UOM][;warn[;crit]] ... after "| " */
static void check_perfdata(const char *p, const char *end)
{
	while (p < end) {
		const char *space = memchr(p, ' ', (size_t)(end - p));
		const char *item_end = space ? space : end;
		char item[256], *value, *semi;

		if ((size_t)(item_end - p) >= sizeof(item))
			fuzz_fail("perfdata item too long");
		memcpy(item, p, (size_t)(item_end - p));
		item[item_end - p] = '\0';
		value = strchr(item, '=');
		if (value == NULL || value == item)
			fuzz_fail("perfdata item '%s' has no label", item);
		*value++ = '\0';
		if (strspn(item, "abcdefghijklmnopqrstuvwxyz_") != strlen(item))
			fuzz_fail("perfdata label '%s'", item);
		semi = strchr(value, ';');
		if (semi != NULL)
			*semi++ = '\0';
		if (strspn(value, "-.0123456789") + 1 != strlen(value) ||
		    value[strlen(value) - 1] != 's')
			fuzz_fail("perfdata value '%s'", value);
		while (semi != NULL) {
			char *next = strchr(semi, ';');

			if (next != NULL)
				*next++ = '\0';
			fuzz_check_threshold(semi);
			semi = next;
		}
		p = space ? space + 1 : end;
	}
}

void fuzz_check_output(const struct cos_text *out)
{
	static const char *const prefixes[] = {
		"OCSP STAPLE OK - ", "OCSP STAPLE WARNING - ",
		"OCSP STAPLE CRITICAL - ", "OCSP STAPLE UNKNOWN - "};
	const char *first_end, *bar = NULL;
	bool known = false;
	int bars = 0;

	if (out->failed || out->buf == NULL)
		fuzz_fail("no output");
	for (size_t i = 0; i < out->len; i++) {
		unsigned char c = (unsigned char)out->buf[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			fuzz_fail("control byte 0x%02x in the output", c);
		if (c == '|') {
			bars++;
			bar = out->buf + i;
		}
	}
	if (bars != 1)
		fuzz_fail("%d '|' in the output", bars);
	first_end = strchr(out->buf, '\n');
	if (first_end == NULL || bar > first_end)
		fuzz_fail("the status line has no perfdata");
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		known |= strncmp(out->buf, prefixes[i], strlen(prefixes[i])) ==
			 0;
	if (!known || bar[-1] != ' ' || bar[1] != ' ')
		fuzz_fail("status line '%.*s'", (int)(first_end - out->buf),
			  out->buf);
	check_perfdata(bar + 2, first_end);
}
