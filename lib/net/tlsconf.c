/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tlsconf.c - the operator's TLS settings: protocol versions, cipher and
 * group lists passed through to OpenSSL as they are, and a client
 * certificate for servers that require one.
 *
 * The option parser applies the settings to a scratch context too, so that
 * a list OpenSSL does not understand is a bad command line, not a failed
 * check.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "internal.h"

static int refuse(char *why, size_t len, const char *option, const char *value)
{
	char reason[160];

	cos_openssl_error(COS_E_TLS_SETTINGS, reason, sizeof(reason));
	snprintf(why, len, "%s: OpenSSL does not accept '%s' (%s)", option,
		 value, reason);
	return -1;
}

int cos_tls_settings_apply(SSL_CTX *ctx, const struct cos_config *cfg,
			   char *why, size_t len)
{
	/* A version of 0 leaves OpenSSL's own bound. */
	if (!SSL_CTX_set_min_proto_version(ctx, cfg->tls_min) ||
	    !SSL_CTX_set_max_proto_version(ctx, cfg->tls_max)) {
		snprintf(why, len, "--tls-min/--tls-max: not supported here");
		return -1;
	}
	ERR_clear_error();
	if (cfg->ciphers != NULL && !SSL_CTX_set_cipher_list(ctx, cfg->ciphers))
		return refuse(why, len, "--ciphers", cfg->ciphers);
	if (cfg->ciphersuites != NULL &&
	    !SSL_CTX_set_ciphersuites(ctx, cfg->ciphersuites))
		return refuse(why, len, "--ciphersuites", cfg->ciphersuites);
	if (cfg->groups != NULL && !SSL_CTX_set1_groups_list(ctx, cfg->groups))
		return refuse(why, len, "--groups", cfg->groups);
	return 0;
}

/* Why a PEM file would not load: a file with no PEM block of the kind
 * wanted (no PEM at all, or nothing the key decoders take) says so, rather
 * than OpenSSL's last word, "PEM lib". */
static void load_error(char *why, size_t len, const char *what)
{
	unsigned long first = ERR_peek_error();

	if ((ERR_GET_LIB(first) == ERR_LIB_PEM &&
	     ERR_GET_REASON(first) == PEM_R_NO_START_LINE) ||
	    (ERR_GET_LIB(first) == ERR_LIB_OSSL_DECODER &&
	     ERR_GET_REASON(first) == ERR_R_UNSUPPORTED)) {
		ERR_clear_error();
		snprintf(why, len, "no %s in it", what);
		return;
	}
	cos_openssl_error(COS_E_TLS_SETTINGS, why, len);
}

enum cos_status cos_client_cert_load(SSL_CTX *ctx, const struct cos_config *cfg,
				     struct cos_result *res)
{
	const char *key = cfg->client_key ? cfg->client_key : cfg->client_cert;
	const char *key_option = cfg->client_key
					 ? "--client-key"
					 : "--client-cert (no --client-key)";
	char why[160];

	if (cfg->client_cert == NULL)
		return COS_GOOD;
	ERR_clear_error();
	if (SSL_CTX_use_certificate_chain_file(ctx, cfg->client_cert) != 1) {
		load_error(why, sizeof(why), "certificate");
		return cos_fail(res, COS_E_TLS_SETTINGS, "--client-cert %s: %s",
				cfg->client_cert, why);
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		load_error(why, sizeof(why), "private key");
		return cos_fail(res, COS_E_TLS_SETTINGS, "%s %s: %s",
				key_option, key, why);
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		ERR_clear_error();
		return cos_fail(res, COS_E_TLS_SETTINGS,
				"%s %s: the key does not belong to the "
				"certificate in %s",
				key_option, key, cfg->client_cert);
	}
	cos_trace(res, 2, "client certificate: %s", cfg->client_cert);
	return COS_GOOD;
}
