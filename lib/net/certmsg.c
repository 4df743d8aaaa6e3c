/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * certmsg.c - the staples of a TLS 1.3 Certificate message (RFC 8446
 * 4.4.2 and 4.4.2.1): each CertificateEntry may carry a status_request
 * extension with a CertificateStatus, one per certificate of the chain.
 * OpenSSL hands the client only the leaf's, so the message, as the
 * message callback sees it decrypted, is read here: every length checked
 * against what holds it, nothing read past the message, and what is
 * wrong with an entry's status (a type other than ocsp, an inner length
 * that does not fit its extension, two of them) named for that entry,
 * not taken for the whole message. An extension is at most 64 KiB by its
 * own length field, so no answer is larger.
 */
#include "config.h"

#include <string.h>

#include "internal.h"

/* TLS's numbers: the handshake type, the extension, the status type. */
#define MT_CERTIFICATE	   11
#define EXT_STATUS_REQUEST 5
#define STATUS_TYPE_OCSP   1

/* A cursor over bytes: reads fail once past the end, and stay failed. */
struct reader {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static size_t read_number(struct reader *r, size_t octets)
{
	size_t v = 0;

	if (r->bad || r->left < octets) {
		r->bad = true;
		return 0;
	}
	for (size_t i = 0; i < octets; i++)
		v = v << 8 | r->p[i];
	r->p += octets;
	r->left -= octets;
	return v;
}

/* A length of octets octets, then that many bytes, as a reader of its
 * own. */
static struct reader read_vector(struct reader *r, size_t octets)
{
	struct reader v = {NULL, 0, true};
	size_t n = read_number(r, octets);

	if (r->bad || r->left < n) {
		r->bad = true;
		return v;
	}
	v = (struct reader){r->p, n, false};
	r->p += n;
	r->left -= n;
	return v;
}

/* The CertificateStatus of one entry's status_request extension. */
static void read_status(struct reader ext, struct cos_cert_entry *e)
{
	size_t type = read_number(&ext, 1);
	struct reader ocsp;

	if (ext.bad) {
		e->problem = "an empty CertificateStatus";
		return;
	}
	if (type != STATUS_TYPE_OCSP) {
		e->problem = "a CertificateStatus of another type than ocsp";
		return;
	}
	ocsp = read_vector(&ext, 3);
	if (ext.bad || ext.left != 0 || ocsp.left == 0)
		e->problem = "a CertificateStatus whose length does not fit";
	else {
		e->ocsp = ocsp.p;
		e->ocsp_len = ocsp.left;
	}
}

/* One CertificateEntry: its certificate and its extensions. */
static bool read_entry(struct reader *list, struct cos_cert_entry *e)
{
	struct reader cert = read_vector(list, 3);
	struct reader exts = read_vector(list, 2);
	bool seen = false;

	if (list->bad || cert.left == 0)
		return false;
	e->cert = cert.p;
	e->cert_len = cert.left;
	while (exts.left > 0) {
		size_t type = read_number(&exts, 2);
		struct reader ext = read_vector(&exts, 2);

		if (exts.bad)
			return false;
		if (type != EXT_STATUS_REQUEST)
			continue;
		if (seen) {
			e->problem = "two status_request extensions";
			e->ocsp = NULL;
			e->ocsp_len = 0;
			continue;
		}
		seen = true;
		read_status(ext, e);
	}
	return true;
}

int cos_cert_msg_read(const unsigned char *msg, size_t len,
		      struct cos_cert_entry *entries, size_t max,
		      const char **why)
{
	struct reader r = {msg, len, false}, body, list;
	size_t type = read_number(&r, 1), n = 0;

	*why = "not a Certificate message";
	body = read_vector(&r, 3);
	if (r.bad || type != MT_CERTIFICATE || r.left != 0)
		return -1;
	*why = "its certificate_request_context does not fit";
	read_vector(&body, 1);
	if (body.bad)
		return -1;
	*why = "its certificate_list does not fit";
	list = read_vector(&body, 3);
	if (body.bad || body.left != 0)
		return -1;
	*why = "a CertificateEntry does not fit";
	while (list.left > 0) {
		struct cos_cert_entry e;

		memset(&e, 0, sizeof(e));
		if (!read_entry(&list, &e))
			return -1;
		e.index = n;
		if (n < max)
			entries[n] = e;
		n++;
	}
	*why = NULL;
	return (int)(n < max ? n : max);
}
