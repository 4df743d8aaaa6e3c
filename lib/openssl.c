/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * openssl.c - the process's OpenSSL: started once, named in --version.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "cos.h"

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
