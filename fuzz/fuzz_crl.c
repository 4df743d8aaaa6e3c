/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_crl.c - arbitrary bytes as a CRL for the fixed chain (fuzz/pki):
 * cos_crl_verify() at a fixed time, then the report with the staple
 * good.der beside it, whose output must stay well-formed whatever the CRL
 * says. Seeds: CRLs of the test PKI's intermediate, good and broken
 * (fuzz/make-seeds.sh).
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
	leaf = fuzz_pki_cert("leaf");
	issuer = fuzz_pki_cert("int");
	now = fuzz_pki_now();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_result crl, res;
	struct cos_policy policy;
	struct cos_text out = {NULL, 0, 0, false};

	cos_result_start(&crl, 3, now);
	cos_crl_verify(data, size, leaf, issuer, NULL, now, 300, &crl.crl,
		       &crl);
	if ((unsigned)crl.status >= COS_STATUS_COUNT)
		fuzz_fail("status %d", (int)crl.status);
	if ((crl.status == COS_E_REVOKED || crl.status == COS_E_ON_HOLD) &&
	    !crl.crl.parsed)
		fuzz_fail("listed in a CRL that was not read");

	fuzz_good_staple(&res);
	res.crl = crl.crl;
	res.crl.asked = true;
	res.crl.status = crl.status;
	snprintf(res.crl.source, sizeof(res.crl.source), "fuzz.crl");
	snprintf(res.crl.detail, sizeof(res.crl.detail), "%s", crl.detail);
	cos_policy_init(&policy);
	cos_report(&res, &policy, 3, &out);
	fuzz_check_output(&out);

	cos_text_free(&out);
	cos_result_free(&res);
	cos_result_free(&crl);
	ERR_clear_error();
	return 0;
}
