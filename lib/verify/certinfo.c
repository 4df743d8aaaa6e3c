/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * certinfo.c - what a certificate says that the verdict depends on:
 * must-staple and the OCSP responder URLs, plus names for the output.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
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

	snprintf(buf, len, "(unprintable)");
	if (bio == NULL)
		return;
	/* RFC 2253 order and escaping, but UTF-8 left readable. A string
	 * that cannot be converted (invalid UTF-8, a lone surrogate in a
	 * BMPString, a UniversalString beyond U+10FFFF) fails the print: the
	 * name then reads "(unprintable)", never "". */
	if (X509_NAME_print_ex(bio, name, 0,
			       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		n = BIO_read(bio, buf, (int)len - 1);
	if (n > 0)
		buf[cos_utf8_fit(buf, (size_t)n)] = '\0';
	else if (n == 0 || X509_NAME_entry_count(name) == 0)
		snprintf(buf, len, "(empty)");
	ERR_clear_error();
	BIO_free(bio);
}

void cos_cert_names(X509 *cert, char *buf, size_t len)
{
	GENERAL_NAMES *names =
		X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < sk_GENERAL_NAME_num(names) && n < len; i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
		const ASN1_OCTET_STRING *ip;
		char addr[INET6_ADDRSTRLEN] = "?";

		if (gn->type == GEN_DNS) {
			n += (size_t)snprintf(
				buf + n, len - n, "%sDNS:%.*s", n ? ", " : "",
				gn->d.dNSName->length,
				(const char *)gn->d.dNSName->data);
		} else if (gn->type == GEN_IPADD) {
			ip = gn->d.iPAddress;
			if (ip->length == 4 || ip->length == 16)
				inet_ntop(ip->length == 4 ? AF_INET : AF_INET6,
					  ip->data, addr, sizeof(addr));
			n += (size_t)snprintf(buf + n, len - n, "%sIP:%s",
					      n ? ", " : "", addr);
		}
	}
	GENERAL_NAMES_free(names);
	if (n >= len)
		buf[cos_utf8_fit(buf, len - 1)] = '\0';
	if (buf[0] == '\0') {
		char subject[COS_TEXT_MAX];

		cos_name_format(X509_get_subject_name(cert), subject,
				sizeof(subject));
		snprintf(buf, len, "no DNS name or IP address, subject %s",
			 subject);
	}
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
