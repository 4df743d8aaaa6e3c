/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_certmsg.c - arbitrary bytes as the server's TLS 1.3 Certificate
 * message (certmsg.c), its staples then judged for the fixed chain
 * (fuzz/pki: leaf, int, root) as the handshake judges them
 * (chainstaple.c), and the report of good.der beside them, which must
 * stay well-formed. Seeds: messages of that chain with a staple for each
 * certificate, and broken ones (fuzz/make-seeds.sh).
 */
#include "config.h"

#include <openssl/err.h>

#include "fuzz.h"
#include "internal.h"

static STACK_OF(X509) *chain;
static time_t now;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	X509 *leaf, *issuer;

	(void)argc;
	(void)argv;
	fuzz_pki_chain(&leaf, &issuer, &now);
	chain = sk_X509_new_null();
	if (chain == NULL || !sk_X509_push(chain, leaf) ||
	    !sk_X509_push(chain, issuer) ||
	    !sk_X509_push(chain, fuzz_pki_cert("root")))
		fuzz_fail("no chain");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_cert_entry entries[16];
	struct cos_result res;
	const char *why = NULL;
	int n = cos_cert_msg_read(data, size, entries, 16, &why);

	if (n < 0 && why == NULL)
		fuzz_fail("a message refused without a reason");
	for (int i = 0; i < n; i++)
		if (entries[i].cert < data ||
		    entries[i].cert + entries[i].cert_len > data + size ||
		    (entries[i].ocsp != NULL &&
		     entries[i].ocsp + entries[i].ocsp_len > data + size))
			fuzz_fail("entry %d points outside the message", i);
	fuzz_good_staple(&res);
	if (n > 0)
		cos_chain_staples_judge(entries, (size_t)n, chain, now, 300,
					&res);
	fuzz_report(&res, 3);
	cos_result_free(&res);
	ERR_clear_error();
	return 0;
}
