/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * starttls_binary.c - the two STARTTLS preambles that are not text: LDAP's
 * StartTLS extended operation (RFC 4511 4.14), BER encoded by hand because
 * it is one fixed request and a reply of four fields, and PostgreSQL's
 * SSLRequest, which is answered with one byte.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A StartTLS response is small; anything larger is not one. */
#define LDAP_REPLY_MAX 4096

#define BER_INTEGER	    0x02
#define BER_OCTET_STRING    0x04
#define BER_ENUMERATED	    0x0a
#define BER_SEQUENCE	    0x30
#define LDAP_EXTENDED_REQ   0x77 /* [APPLICATION 23], constructed */
#define LDAP_EXTENDED_RESP  0x78 /* [APPLICATION 24], constructed */
#define LDAP_REQUEST_NAME   0x80 /* [0], primitive */
#define LDAP_STARTTLS_OID   "1.3.6.1.4.1.1466.20037"
#define LDAP_MESSAGE_ID	    1
#define POSTGRES_SSLREQUEST 80877103

/* A BER element's content, or what is left of a constructed one. */
struct ber {
	const unsigned char *p;
	const unsigned char *end;
};

/* Takes the next element of b; false when it is not well-formed. */
static bool ber_next(struct ber *b, unsigned char *tag, struct ber *content)
{
	size_t len = 0;

	if (b->end - b->p < 2)
		return false;
	*tag = *b->p++;
	len = *b->p++;
	if (len & 0x80) {
		size_t bytes = len & 0x7f;

		if (bytes == 0 || bytes > 4 || (size_t)(b->end - b->p) < bytes)
			return false;
		for (len = 0; bytes > 0; bytes--)
			len = len << 8 | *b->p++;
	}
	if ((size_t)(b->end - b->p) < len)
		return false;
	content->p = b->p;
	content->end = b->p + len;
	b->p += len;
	return true;
}

/* An INTEGER or ENUMERATED of up to four bytes, as a non-negative value;
 * -1 when it is not one. */
static long ber_number(struct ber *b, unsigned char want)
{
	struct ber content;
	unsigned char tag;
	long n = 0;

	if (!ber_next(b, &tag, &content) || tag != want ||
	    content.end == content.p || content.end - content.p > 4 ||
	    (*content.p & 0x80))
		return -1;
	while (content.p < content.end)
		n = n << 8 | *content.p++;
	return n;
}

/* Reads one LDAPMessage (a SEQUENCE) into buf; *len is its content. */
static enum cos_status ldap_read_message(struct cos_conversation *c,
					 unsigned char *buf, size_t *len)
{
	unsigned char head[2], more[4];
	size_t n;

	if (cos_conv_read(c, head, 2) != COS_GOOD)
		return c->res->status;
	if (head[0] != BER_SEQUENCE)
		return cos_fail(c->res, COS_E_STARTTLS,
				"ldap: the reply is not an LDAP message "
				"(starts with 0x%02x)",
				head[0]);
	n = head[1];
	if (n & 0x80) {
		size_t bytes = n & 0x7f;

		if (bytes == 0 || bytes > sizeof(more) ||
		    cos_conv_read(c, more, bytes) != COS_GOOD)
			return cos_fail(c->res, COS_E_STARTTLS,
					"ldap: the reply's length is not "
					"valid BER");
		n = 0;
		for (size_t i = 0; i < bytes; i++)
			n = n << 8 | more[i];
	}
	if (n > LDAP_REPLY_MAX)
		return cos_fail(c->res, COS_E_STARTTLS,
				"ldap: a reply of %zu bytes is not a StartTLS "
				"response",
				n);
	*len = n;
	return cos_conv_read(c, buf, n);
}

static enum cos_status ldap_send_starttls(struct cos_conversation *c)
{
	unsigned char req[64];
	size_t oid = strlen(LDAP_STARTTLS_OID), n = 0;

	req[n++] = BER_SEQUENCE;
	req[n++] = (unsigned char)(3 + 2 + 2 + oid);
	req[n++] = BER_INTEGER;
	req[n++] = 1;
	req[n++] = LDAP_MESSAGE_ID;
	req[n++] = LDAP_EXTENDED_REQ;
	req[n++] = (unsigned char)(2 + oid);
	req[n++] = LDAP_REQUEST_NAME;
	req[n++] = (unsigned char)oid;
	memcpy(req + n, LDAP_STARTTLS_OID, oid);
	cos_trace(c->res, 2, "ldap C: ExtendedRequest %s", LDAP_STARTTLS_OID);
	return cos_conv_send(c, req, n + oid);
}

/*
 * LDAPMessage { messageID, ExtendedResponse [APPLICATION 24] { resultCode
 * ENUMERATED, matchedDN, diagnosticMessage, ... } }. A messageID of 0 is an
 * unsolicited notification, most often a notice of disconnection.
 */
enum cos_status cos_starttls_ldap(struct cos_conversation *c)
{
	unsigned char buf[LDAP_REPLY_MAX], tag;
	struct ber msg, op, dn, diag = {NULL, NULL};
	long id, code;
	size_t len = 0;

	if (ldap_send_starttls(c) != COS_GOOD ||
	    ldap_read_message(c, buf, &len) != COS_GOOD)
		return c->res->status;
	msg.p = buf;
	msg.end = buf + len;
	id = ber_number(&msg, BER_INTEGER);
	if (id < 0 || !ber_next(&msg, &tag, &op) || tag != LDAP_EXTENDED_RESP ||
	    (code = ber_number(&op, BER_ENUMERATED)) < 0 ||
	    !ber_next(&op, &tag, &dn) || !ber_next(&op, &tag, &diag))
		return cos_fail(c->res, COS_E_STARTTLS,
				"ldap: the reply is not an ExtendedResponse");
	cos_trace(c->res, 2, "ldap S: ExtendedResponse id %ld resultCode %ld",
		  id, code);
	if (id != LDAP_MESSAGE_ID)
		return cos_fail(c->res, COS_E_STARTTLS,
				"ldap: unsolicited notification, resultCode "
				"%ld: %.*s",
				code, (int)(diag.end - diag.p), diag.p);
	if (code != 0)
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"ldap: StartTLS refused, resultCode %ld: %.*s",
				code, (int)(diag.end - diag.p), diag.p);
	return COS_GOOD;
}

/* An SSLRequest is a length (8) and a code; 'S' says go on, 'N' no. */
enum cos_status cos_starttls_postgres(struct cos_conversation *c)
{
	static const unsigned char req[8] = {
		0,
		0,
		0,
		8,
		(POSTGRES_SSLREQUEST >> 24) & 0xff,
		(POSTGRES_SSLREQUEST >> 16) & 0xff,
		(POSTGRES_SSLREQUEST >> 8) & 0xff,
		POSTGRES_SSLREQUEST & 0xff,
	};
	unsigned char answer;

	cos_trace(c->res, 2, "postgres C: SSLRequest");
	if (cos_conv_send(c, req, sizeof(req)) != COS_GOOD ||
	    cos_conv_read(c, &answer, 1) != COS_GOOD)
		return c->res->status;
	cos_trace(c->res, 2, "postgres S: 0x%02x", answer);
	if (answer == 'S')
		return COS_GOOD;
	if (answer == 'N')
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"postgres: the server answered N to the "
				"SSLRequest (ssl is off)");
	return cos_fail(c->res, COS_E_STARTTLS,
			"postgres: the server answered 0x%02x to the "
			"SSLRequest, not S or N",
			answer);
}
