/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * offline.c - the offline check: a staple file as a server would send it
 * (an HAProxy .ocsp file, an nginx ssl_stapling_file), judged against a
 * certificate file exactly as online, the chain included.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "internal.h"

/* No real OCSP response comes near this; a bigger file is a mistake. */
#define RESPONSE_FILE_MAX (1024 * 1024)

/* Reads at most max + 1 bytes of f into a buffer that grows as needed (a
 * response is a few KiB: no need to allocate the maximum). 0, or an errno
 * value; ENOMEM when the buffer cannot grow. */
static int read_capped(FILE *f, size_t max, unsigned char **data, size_t *len)
{
	unsigned char *buf = NULL, *bigger;
	size_t cap = 0, n = 0;

	for (;;) {
		if (n == cap) {
			cap = cap ? 4 * cap : 16 * 1024;
			if (cap > max + 1)
				cap = max + 1;
			bigger = realloc(buf, cap);
			if (bigger == NULL) {
				free(buf);
				return ENOMEM;
			}
			buf = bigger;
		}
		errno = 0;
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f) || feof(f) || n > max)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return errno ? errno : EIO;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* What a file option is: its name, its size cap, and the statuses of a
 * file that cannot be read and of one that is too large. */
struct file_kind {
	const char *option;
	size_t max;
	enum cos_status unreadable;
	enum cos_status too_large;
};

static const struct file_kind response_file = {
	"--response", RESPONSE_FILE_MAX, COS_E_READ_RESPONSE,
	COS_E_READ_RESPONSE};

static enum cos_status read_whole_file(const struct file_kind *kind,
				       const char *path, unsigned char **data,
				       size_t *len, struct cos_result *res)
{
	FILE *f = fopen(path, "rb");
	char size[32];
	int why;

	if (f == NULL)
		return cos_fail(res, kind->unreadable, "%s %s: %s",
				kind->option, path, strerror(errno));
	why = read_capped(f, kind->max, data, len);
	fclose(f);
	if (why == ENOMEM)
		return cos_fail(res, COS_E_NOMEM, "reading %s", path);
	if (why != 0)
		return cos_fail(res, kind->unreadable, "%s %s: %s",
				kind->option, path, strerror(why));
	if (*len > kind->max) {
		free(*data);
		*data = NULL;
		cos_size_format(kind->max, size, sizeof(size));
		return cos_fail(res, kind->too_large, "%s %s: larger than %s",
				kind->option, path, size);
	}
	return COS_GOOD;
}

/* A PEM file holds the DER between its BEGIN and END lines, whatever the
 * label ("OCSP RESPONSE" is usual). */
static enum cos_status decode_pem(const struct file_kind *kind,
				  unsigned char **data, size_t *len,
				  const char *path, struct cos_result *res)
{
	BIO *bio = BIO_new_mem_buf(*data, (int)*len);
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long der_len = 0;
	int ok;

	if (bio == NULL)
		return cos_fail(res, COS_E_NOMEM, "reading %s", path);
	ok = PEM_read_bio(bio, &name, &header, &der, &der_len);
	BIO_free(bio);
	OPENSSL_free(name);
	OPENSSL_free(header);
	if (!ok) {
		ERR_clear_error();
		return cos_fail(res, kind->unreadable,
				"%s %s: PEM armour without valid base64",
				kind->option, path);
	}
	free(*data);
	*data = malloc((size_t)der_len + 1);
	if (*data != NULL)
		memcpy(*data, der, (size_t)der_len);
	OPENSSL_free(der);
	if (*data == NULL)
		return cos_fail(res, COS_E_NOMEM, "reading %s", path);
	*len = (size_t)der_len;
	return COS_GOOD;
}

static enum cos_status read_der_or_pem(const struct file_kind *kind,
				       const char *path, unsigned char **data,
				       size_t *len, struct cos_result *res)
{
	static const char armour[] = "-----BEGIN ";

	if (read_whole_file(kind, path, data, len, res) != COS_GOOD)
		return res->status;
	if (*len >= sizeof(armour) - 1 &&
	    memcmp(*data, armour, sizeof(armour) - 1) == 0)
		return decode_pem(kind, data, len, path, res);
	return COS_GOOD;
}

enum cos_status cos_read_response_file(const char *path, unsigned char **data,
				       size_t *len, struct cos_result *res)
{
	return read_der_or_pem(&response_file, path, data, len, res);
}

enum cos_status cos_read_crl_file(const char *path, size_t max,
				  unsigned char **data, size_t *len,
				  struct cos_result *res)
{
	const struct file_kind crl_file = {"--crl-file", max, COS_E_READ_CRL,
					   COS_E_TOO_LARGE};

	return read_der_or_pem(&crl_file, path, data, len, res);
}

enum cos_status cos_read_cert_file(const char *option, const char *path,
				   STACK_OF(X509) **out, struct cos_result *res)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *bio = BIO_new_file(path, "rb");
	X509 *cert;

	if (certs == NULL || bio == NULL) {
		sk_X509_free(certs);
		BIO_free(bio);
		ERR_clear_error();
		return cos_fail(res, COS_E_READ_CERT, "%s %s: %s", option, path,
				strerror(errno));
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(certs, cert)) {
			X509_free(cert);
			break;
		}
	}
	if (sk_X509_num(certs) == 0 && BIO_reset(bio) == 0 &&
	    (cert = d2i_X509_bio(bio, NULL)) != NULL &&
	    !sk_X509_push(certs, cert))
		X509_free(cert);
	ERR_clear_error();
	BIO_free(bio);
	if (sk_X509_num(certs) == 0) {
		sk_X509_free(certs);
		return cos_fail(res, COS_E_READ_CERT,
				"%s %s: no certificate in it", option, path);
	}
	*out = certs;
	return COS_GOOD;
}

/* 3.2 offline: the certificate chains to the anchors, using the rest of
 * the certificate file (and --issuer) as the path. */
static enum cos_status verify_chain(X509_STORE *store, STACK_OF(X509) *certs,
				    STACK_OF(X509) **verified,
				    struct cos_result *res)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *leaf = sk_X509_value(certs, 0);
	char name[COS_TEXT_MAX - 32];
	int err;

	if (ctx == NULL || !X509_STORE_CTX_init(ctx, store, leaf, certs)) {
		X509_STORE_CTX_free(ctx);
		return cos_fail(res, COS_E_NOMEM, "verifying the chain");
	}
	if (X509_verify_cert(ctx) == 1) {
		*verified = X509_STORE_CTX_get1_chain(ctx);
	} else {
		err = X509_STORE_CTX_get_error(ctx);
		if (err == X509_V_ERR_OUT_OF_MEM) {
			cos_fail(res, COS_E_NOMEM, "verifying the chain");
			X509_STORE_CTX_free(ctx);
			ERR_clear_error();
			return res->status;
		}
		cos_name_format(X509_get_subject_name(
					X509_STORE_CTX_get_current_cert(ctx)),
				name, sizeof(name));
		cos_fail(res, COS_E_CHAIN, "%s (depth %d, %s)",
			 X509_verify_cert_error_string(err),
			 X509_STORE_CTX_get_error_depth(ctx), name);
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return res->status;
}

/* --issuer names the issuer outright: it becomes an anchor of its own. */
static enum cos_status add_issuer_anchor(X509_STORE *store,
					 STACK_OF(X509) *certs,
					 const struct cos_config *cfg,
					 struct cos_result *res)
{
	STACK_OF(X509) *issuer = NULL;

	if (cfg->issuer_file == NULL)
		return COS_GOOD;
	if (cos_read_cert_file("--issuer", cfg->issuer_file, &issuer, res) !=
	    COS_GOOD)
		return res->status;
	for (int i = 0; i < sk_X509_num(issuer); i++) {
		X509 *cert = sk_X509_value(issuer, i);

		if (!X509_STORE_add_cert(store, cert) || !X509_up_ref(cert) ||
		    !sk_X509_push(certs, cert)) {
			sk_X509_pop_free(issuer, X509_free);
			return cos_fail(res, COS_E_NOMEM, "reading --issuer");
		}
	}
	sk_X509_pop_free(issuer, X509_free);
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	return COS_GOOD;
}

enum cos_status cos_check_offline(const struct cos_config *cfg, time_t now,
				  const struct cos_chain_hook *hook,
				  struct cos_result *res)
{
	STACK_OF(X509) *certs = NULL, *chain = NULL;
	X509_STORE *store = X509_STORE_new();
	unsigned char *der = NULL;
	size_t len = 0;

	res->offline = true;
	if (store == NULL) {
		cos_fail(res, COS_E_NOMEM, "creating the trust store");
		goto err;
	}
	if (cos_read_response_file(cfg->response_file, &der, &len, res) !=
		    COS_GOOD ||
	    cos_read_cert_file("--cert", cfg->cert_file, &certs, res) !=
		    COS_GOOD)
		goto err;
	cos_cert_describe(sk_X509_value(certs, 0), &res->cert);
	if (cos_trust_load(store, cfg, now, res) != COS_GOOD ||
	    add_issuer_anchor(store, certs, cfg, res) != COS_GOOD)
		goto err;
	if (verify_chain(store, certs, &chain, res) != COS_GOOD)
		goto err;
	cos_staple_judge(der, (long)len, chain, cfg, now, hook, res);
err:
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(certs, X509_free);
	X509_STORE_free(store);
	free(der);
	return res->status;
}
