/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * index-seed.c - the index a run keeps in --cache-dir for a CRL of the
 * fixed chain's intermediate, as fuzz_crlindex reads it: "index-seed CRL
 * OUT [delta]". For fuzz/make-seeds.sh; built on demand (make index-seed).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int main(int argc, char **argv)
{
	struct cos_result res;
	struct cos_crl_index ix;
	unsigned char *der = NULL;
	size_t len = 0;
	FILE *out;

	if (argc < 3)
		fuzz_fail("usage: index-seed CRL OUT [delta]");
	cos_result_start(&res, 0, fuzz_pki_now());
	if (cos_read_crl_file(argv[1], 1 << 26, &der, &len, &res) != COS_GOOD ||
	    cos_crl_verify(der, len, fuzz_pki_cert("leaf"),
			   fuzz_pki_cert("int"), FUZZ_CRL_URL, argc > 3, &ix,
			   &res) != COS_GOOD)
		fuzz_fail("%s: %s %s", argv[1], cos_status_id(res.status),
			  res.detail);
	if (!cos_crl_key(fuzz_pki_cert("int"), FUZZ_CRL_URL, ix.head->key) ||
	    !cos_crl_index_seal(&ix) || (out = fopen(argv[2], "wb")) == NULL ||
	    fwrite(ix.bytes, 1, ix.len, out) != ix.len || fclose(out) != 0)
		fuzz_fail("cannot write %s", argv[2]);
	cos_crl_index_free(&ix);
	free(der);
	cos_result_free(&res);
	return 0;
}
