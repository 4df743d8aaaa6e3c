/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * openssl.c - the process's OpenSSL: started once, named in --version.
 */
#include "config.h"

#include <stdio.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "internal.h"

int cos_openssl_init(void)
{
	/* OpenSSL's atexit handler frees its global state, some 5 % of a
	 * check's instructions; the plugin exits right after the check, and
	 * the kernel frees it all at once. */
	uint64_t opts = OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_CONFIG |
			OPENSSL_INIT_LOAD_SSL_STRINGS |
			OPENSSL_INIT_LOAD_CRYPTO_STRINGS;

	return OPENSSL_init_ssl(opts, NULL) == 1 ? 0 : -1;
}

const char *cos_openssl_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

bool cos_sha256_hex(const void *a, size_t alen, const void *b, size_t blen,
		    char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		  EVP_DigestUpdate(ctx, a, alen) &&
		  (blen == 0 || EVP_DigestUpdate(ctx, b, blen)) &&
		  EVP_DigestFinal_ex(ctx, md, &n) && n == 32;

	EVP_MD_CTX_free(ctx);
	for (unsigned int i = 0; ok && i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return ok;
}
