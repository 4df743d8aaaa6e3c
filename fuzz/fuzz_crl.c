/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_crl.c - arbitrary bytes as a CRL for the fixed chain (fuzz/pki):
 * cos_crl_verify() and cos_crl_judge() at a fixed time, then the report
 * with the staple
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
	fuzz_pki_chain(&leaf, &issuer, &now);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_result crl;
	struct cos_crl_index ix;

	cos_result_start(&crl, 3, now);
	crl.crl.reason = -1;
	if (cos_crl_verify(data, size, leaf, issuer, NULL, false, &ix, &crl) ==
	    COS_GOOD)
		cos_crl_judge(&ix, leaf, now, 300, &crl.crl, &crl);
	cos_crl_index_free(&ix);
	fuzz_report_crl(&crl);
	cos_result_free(&crl);
	ERR_clear_error();
	return 0;
}
