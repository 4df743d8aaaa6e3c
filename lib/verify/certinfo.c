/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * certinfo.c - what a certificate says that the verdict depends on:
 * must-staple and the OCSP responder URLs, plus names for the output.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* RFC 7633: status_request (5) or status_request_v2 (17). */
#define TLS_FEATURE_STATUS_REQUEST    5
#define TLS_FEATURE_STATUS_REQUEST_V2 17

bool cos_cert_must_staple(X509 *cert)
{
	STACK_OF(ASN1_INTEGER) *features;
	bool found = false;

	features = X509_get_ext_d2i(cert, NID_tlsfeature, NULL, NULL);
	if (features == NULL)
		return false;
	for (int i = 0; i < sk_ASN1_INTEGER_num(features); i++) {
		long v = ASN1_INTEGER_get(sk_ASN1_INTEGER_value(features, i));

		if (v == TLS_FEATURE_STATUS_REQUEST ||
		    v == TLS_FEATURE_STATUS_REQUEST_V2)
			found = true;
	}
	sk_ASN1_INTEGER_pop_free(features, ASN1_INTEGER_free);
	return found;
}

void cos_name_format(const X509_NAME *name, char *buf, size_t len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n = -1;

	buf[0] = '\0';
	if (bio == NULL)
		return;
	/* RFC 2253 order and escaping, but UTF-8 left readable. */
	if (X509_NAME_print_ex(bio, name, 0,
			       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		n = BIO_read(bio, buf, (int)len - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(bio);
}

void cos_serial_format(const ASN1_INTEGER *serial, char *buf, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	snprintf(buf, len, "%s", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

void cos_cert_describe(X509 *cert, struct cos_cert_info *info)
{
	STACK_OF(OPENSSL_STRING) *urls;

	memset(info, 0, sizeof(*info));
	if (cert == NULL)
		return;
	info->present = true;
	cos_name_format(X509_get_subject_name(cert), info->subject,
			sizeof(info->subject));
	cos_name_format(X509_get_issuer_name(cert), info->issuer,
			sizeof(info->issuer));
	cos_serial_format(X509_get0_serialNumber(cert), info->serial,
			  sizeof(info->serial));
	cos_asn1_time_to_epoch(X509_get0_notAfter(cert), &info->not_after);
	info->must_staple = cos_cert_must_staple(cert);
	urls = X509_get1_ocsp(cert);
	info->ocsp_url_count = urls ? sk_OPENSSL_STRING_num(urls) : 0;
	if (info->ocsp_url_count > 0)
		snprintf(info->ocsp_url, sizeof(info->ocsp_url), "%s",
			 sk_OPENSSL_STRING_value(urls, 0));
	X509_email_free(urls);
}
