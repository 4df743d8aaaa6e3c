/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_staple.c - arbitrary bytes as the staple of the fixed chain
 * (fuzz/pki): cos_staple_verify() at a fixed time, then the report, whose
 * output must stay well-formed whatever the staple says. Seeds: every
 * response of the test PKI (fuzz/make-seeds.sh).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"
#include "internal.h"

static X509 *leaf, *issuer;
static time_t now;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_pki_chain(&leaf, &issuer, &now);
	return 0;
}

/* What must hold of any verdict. */
static void check_result(const struct cos_result *res)
{
	if ((unsigned)res->status >= COS_STATUS_COUNT)
		fuzz_fail("status %d", (int)res->status);
	if (res->status == COS_GOOD && (res->steps_passed & 0x7f0u) != 0x7f0u)
		fuzz_fail("good, but steps passed are %#x", res->steps_passed);
	if (res->status == COS_GOOD && res->staple.cert_status != COS_CERT_GOOD)
		fuzz_fail("good, but the certificate status is not");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_result res;

	memset(&res, 0, sizeof(res));
	res.verbosity = 3; /* the -vvv dump of the response runs too */
	res.now = now;
	res.have_staple = true;
	res.steps_passed = COS_STEP_BIT(2) | COS_STEP_BIT(3);
	cos_cert_describe(leaf, &res.cert);
	cos_staple_verify(data, size, leaf, issuer, now, 300, &res);
	check_result(&res);
	fuzz_report(&res, 3);
	cos_result_free(&res);
	ERR_clear_error();
	return 0;
}
