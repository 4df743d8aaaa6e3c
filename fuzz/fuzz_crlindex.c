/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_crlindex.c - arbitrary bytes as a CRL index file kept in
 * --cache-dir (crlindex.c), in a memfd: opened as a later run opens it,
 * then, if it is accepted, judged for the fixed chain's leaf (fuzz/pki) as a
 * full CRL and as the delta of itself, and reported beside the staple good.der.
 * Seeds: indexes of the crl harness's CRLs, written by index-seed.c
 * (fuzz/make-seeds.sh).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>

#include "fuzz.h"
#include "internal.h"

static X509 *leaf, *issuer;
static time_t now;
static char key[65];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_pki_chain(&leaf, &issuer, &now);
	if (!cos_crl_key(issuer, FUZZ_CRL_URL, key))
		fuzz_fail("no key");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_result crl, delta;
	struct cos_crl_index ix;
	const char *why = NULL;
	/* The bytes as a file, read as a run reads a kept index. */
	int fd = memfd_create("crlindex", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		fuzz_fail("no memfd for the input");
	cos_result_start(&crl, 3, now);
	cos_result_start(&delta, 3, now);
	crl.crl.reason = -1;
	if (cos_crl_index_open(fd, size, key, &ix, &why)) {
		cos_crl_judge(&ix, leaf, now, 300, &crl.crl, &crl);
		cos_crl_judge_delta(&ix, &ix, leaf, now, 300, &crl.crl, &delta);
		if (!cos_crl_index_load(&ix) || ix.from_file)
			fuzz_fail("an opened index not loaded");
	} else {
		if (why == NULL || why[0] == '\0')
			fuzz_fail("an index refused without a reason");
		close(fd);
	}
	fuzz_report_crl(&crl);
	cos_crl_index_free(&ix);
	cos_result_free(&crl);
	cos_result_free(&delta);
	ERR_clear_error();
	return 0;
}
