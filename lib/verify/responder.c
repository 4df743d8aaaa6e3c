/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * responder.c - the question for the live OCSP responder (SPEC 7): a plain
 * request for the leaf, with the SHA-1 CertID every responder understands
 * and no nonce (RFC 5019: answers are shared and cached), sent by GET when
 * the whole GET URL is at most 255 bytes ("in total (after encoding)
 * including the scheme and delimiters (http://), server name and
 * base64-encoded OCSPRequest", RFC 5019 5) and by POST otherwise. The
 * answer is judged by staple.c, as a staple is.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>

#include "internal.h"

/* RFC 5019 5: GET for URLs of at most 255 bytes. */
#define GET_MAX 255

/* The URL encoding of base64 text: the three characters base64 uses that
 * a URL path may not hold plainly. */
static size_t url_escape(const char *b64, char *out, size_t cap)
{
	size_t n = 0;

	for (; *b64 != '\0'; b64++) {
		const char *esc = *b64 == '+'	? "%2B"
				  : *b64 == '/' ? "%2F"
				  : *b64 == '=' ? "%3D"
						: NULL;
		size_t k = esc ? 3 : 1;

		if (n + k >= cap)
			return cap;
		memcpy(out + n, esc ? esc : b64, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

/* Sets q->get_suffix when the GET URL, base and slash and request, is
 * short enough. */
static enum cos_status encode_for_get(struct cos_ocsp_question *q,
				      const char *base, struct cos_result *res)
{
	unsigned char *der = NULL;
	int len = i2d_OCSP_REQUEST(q->request, &der);
	size_t n = strlen(base), room;
	char b64[4 * GET_MAX], url[GET_MAX + 1];

	if (len <= 0)
		return cos_fail(res, COS_E_NOMEM, "encoding the OCSP request");
	n += n == 0 || base[n - 1] != '/';
	room = n < GET_MAX ? GET_MAX - n : 0;
	/* Base64 grows by 4/3 and escaping only grows it: a request longer
	 * than 3/4 of the room cannot fit. */
	if ((size_t)len <= room * 3 / 4) {
		EVP_EncodeBlock((unsigned char *)b64, der, len);
		if (url_escape(b64, url, room + 1) <= room &&
		    (q->get_suffix = strdup(url)) == NULL) {
			OPENSSL_free(der);
			return cos_fail(res, COS_E_NOMEM,
					"encoding the OCSP request");
		}
	}
	OPENSSL_free(der);
	return COS_GOOD;
}

/* The key of the answer in --cache-dir: SHA-256 of the CertID and the URL,
 * in hex. */
static enum cos_status cache_key(struct cos_ocsp_question *q, OCSP_CERTID *id,
				 const char *url, struct cos_result *res)
{
	unsigned char *der = NULL;
	int len = i2d_OCSP_CERTID(id, &der);
	bool ok = len > 0 && cos_sha256_hex(der, (size_t)len, url,
					    strlen(url) + 1, q->key);

	OPENSSL_free(der);
	return ok ? COS_GOOD : cos_fail(res, COS_E_NOMEM, "hashing the CertID");
}

enum cos_status cos_ocsp_question_make(X509 *leaf, X509 *issuer,
				       const char *url,
				       struct cos_ocsp_question *q,
				       struct cos_result *res)
{
	OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), leaf, issuer);
	OCSP_CERTID *kept = id ? OCSP_CERTID_dup(id) : NULL;

	memset(q, 0, sizeof(*q));
	if (kept == NULL || (q->request = OCSP_REQUEST_new()) == NULL ||
	    OCSP_request_add0_id(q->request, kept) == NULL) {
		OCSP_CERTID_free(kept);
		OCSP_CERTID_free(id);
		return cos_fail(res, COS_E_NOMEM, "building the OCSP request");
	}
	if (cache_key(q, id, url, res) == COS_GOOD)
		encode_for_get(q, url, res);
	OCSP_CERTID_free(id);
	return res->status;
}

void cos_ocsp_question_free(struct cos_ocsp_question *q)
{
	OCSP_REQUEST_free(q->request);
	free(q->get_suffix);
	memset(q, 0, sizeof(*q));
}
