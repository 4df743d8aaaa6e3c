/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staple.c - judging a stapled OCSP response (SPEC 3.3 to 3.10).
 *
 * OCSP_basic_verify() decides the signature and the signer's authority
 * (3.7). Everything else is this file's own work, because OpenSSL leaves it
 * to the caller: decoding strictly, matching the CertID with the response's
 * own hash, and every time check against the caller's "now" (--now), which
 * OCSP_check_validity() cannot take.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "internal.h"

/* What one judgement decodes; freed in one place. */
struct staple {
	OCSP_RESPONSE *resp;	 /* owned */
	OCSP_BASICRESP *basic;	 /* owned */
	OCSP_SINGLERESP *single; /* the leaf's entry, owned by basic */
	const char *unreadable;	 /* the first time that cannot be read */
};

/* RFC 6960 spells them in camelCase; OpenSSL's strings are lower case. */
static const char *response_status_name(int status)
{
	switch (status) {
	case OCSP_RESPONSE_STATUS_SUCCESSFUL: return "successful";
	case OCSP_RESPONSE_STATUS_MALFORMEDREQUEST: return "malformedRequest";
	case OCSP_RESPONSE_STATUS_INTERNALERROR: return "internalError";
	case OCSP_RESPONSE_STATUS_TRYLATER: return "tryLater";
	case OCSP_RESPONSE_STATUS_SIGREQUIRED: return "sigRequired";
	case OCSP_RESPONSE_STATUS_UNAUTHORIZED: return "unauthorized";
	default: return "an unassigned value";
	}
}

/* -vvv: the response as OpenSSL prints it, before anything of it is
 * verified, which each line says: a server wrote it. */
static void trace_response(const OCSP_RESPONSE *resp, struct cos_result *res)
{
	BIO *bio;
	char *text;
	long n;

	if (res->verbosity < 3 || (bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (OCSP_RESPONSE_print(bio, (OCSP_RESPONSE *)resp, 0) == 1 &&
	    (n = BIO_get_mem_data(bio, &text)) > 0) {
		cos_trace(res, 3, "The response as sent (unverified):");
		while (n > 0) {
			const char *nl = memchr(text, '\n', (size_t)n);
			long k = nl ? (long)(nl - text) : n;

			cos_trace(res, 3, "  unverified: %.*s", (int)k, text);
			text += k + (nl != NULL);
			n -= k + (nl != NULL);
		}
	}
	BIO_free(bio);
}

/* Whether resp, encoded again, is der: d2i also takes BER (indefinite or
 * long-form lengths, explicit DEFAULT values), which a staple must not be. */
static bool encodes_to(OCSP_RESPONSE *resp, const unsigned char *der,
		       size_t len)
{
	unsigned char *again = NULL;
	int n = i2d_OCSP_RESPONSE(resp, &again);
	bool same = n > 0 && (size_t)n == len && memcmp(again, der, len) == 0;

	OPENSSL_free(again);
	return same;
}

/* OpenSSL keeps ResponseData's version, DEFAULT v1, as an OPTIONAL field,
 * so an explicit v1 encodes back to itself. It is looked for in the bytes
 * (already decoded once, so well-formed): OCSPResponse, responseStatus,
 * [0], ResponseBytes, responseType, the OCTET STRING, BasicOCSPResponse,
 * ResponseData, and there [0] { INTEGER 0 } first. */
static bool explicit_default_version(const unsigned char *der, size_t len)
{
	static const unsigned char v1[] = {0xa0, 0x03, 0x02, 0x01, 0x00};
	/* Into (1) or past (0) each element on the way. */
	static const int into[] = {1, 0, 1, 1, 0, 1, 1, 1};
	const unsigned char *p = der, *end = der + len;
	long n;
	int tag, class;

	for (size_t i = 0; i < sizeof(into) / sizeof(into[0]); i++) {
		if (ASN1_get_object(&p, &n, &tag, &class, end - p) & 0x80 ||
		    n > end - p)
			return false;
		if (into[i])
			end = p + n;
		else
			p += n;
	}
	return end - p >= (long)sizeof(v1) && memcmp(p, v1, sizeof(v1)) == 0;
}

/* 3.4: one DER OCSPResponse and nothing after it. */
static enum cos_status decode_der(struct staple *s, const unsigned char *der,
				  size_t len, struct cos_result *res)
{
	const unsigned char *p = der;
	char why[160];

	if (len == 0)
		return cos_fail(res, COS_E_EMPTY, "0 bytes");
	if (len > 0x7fffffff)
		return cos_fail(res, COS_E_MALFORMED, "%zu bytes", len);
	s->resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	if (s->resp == NULL) {
		return cos_fail(
			res,
			cos_openssl_error(COS_E_MALFORMED, why, sizeof(why)),
			"%zu bytes: %s", len, why);
	}
	if (p != der + len)
		return cos_fail(res, COS_E_TRAILING_DATA,
				"%zu bytes after a %zu-byte response",
				(size_t)(der + len - p), (size_t)(p - der));
	if (!encodes_to(s->resp, der, len))
		return cos_fail(res, COS_E_NOT_DER,
				"its %zu bytes decode, but do not encode back "
				"to themselves (BER)",
				len);
	if (explicit_default_version(der, len))
		return cos_fail(
			res, COS_E_NOT_DER,
			"the ResponseData holds its DEFAULT version v1, "
			"which DER leaves out");
	trace_response(s->resp, res);
	cos_pass(res, 4);
	return COS_GOOD;
}

/* 3.5: only "successful" responses carry a signed answer. */
static enum cos_status check_response_status(struct staple *s,
					     struct cos_result *res)
{
	int status = OCSP_response_status(s->resp);
	const char *name = response_status_name(status);

	snprintf(res->staple.response_status,
		 sizeof(res->staple.response_status), "%s", name);
	if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL)
		return cos_fail(res, COS_E_RESPONSE_STATUS,
				"responseStatus %s (%d)", name, status);
	cos_pass(res, 5);
	return COS_GOOD;
}

/* Notes who answered and when; false when producedAt cannot be read. */
static bool note_responder(OCSP_BASICRESP *basic, struct cos_staple_info *info)
{
	const ASN1_OCTET_STRING *key = NULL;
	const X509_NAME *name = NULL;
	const ASN1_GENERALIZEDTIME *produced =
		OCSP_resp_get0_produced_at(basic);

	if (OCSP_resp_get0_id(basic, &key, &name) == 1 && name != NULL) {
		cos_name_format(name, info->responder, sizeof(info->responder));
	} else if (key != NULL) {
		size_t n = (size_t)snprintf(info->responder,
					    sizeof(info->responder), "key ");

		for (int i = 0;
		     i < key->length && n + 3 < sizeof(info->responder); i++)
			n += (size_t)snprintf(info->responder + n,
					      sizeof(info->responder) - n,
					      "%02X", key->data[i]);
	}
	info->single_count = OCSP_resp_count(basic);
	info->has_produced_at =
		produced != NULL &&
		cos_asn1_time_to_epoch(produced, &info->produced_at) == 0;
	return info->has_produced_at;
}

/* The extensions this plugin understands, critical or not: RFC 6960's
 * nonce, CrlID, archive cutoff, extended revoke and service locator, and
 * the CRL entry extensions a SingleResponse may carry (reason code,
 * invalidity date). None of them changes what a staple says about the
 * certificate's status. */
static bool understood(const ASN1_OBJECT *obj)
{
	static const int nids[] = {NID_id_pkix_OCSP_Nonce,
				   NID_id_pkix_OCSP_CrlID,
				   NID_id_pkix_OCSP_archiveCutoff,
				   NID_id_pkix_OCSP_serviceLocator,
				   NID_crl_reason,
				   NID_invalidity_date};
	char oid[80];
	int nid = OBJ_obj2nid(obj);

	for (size_t i = 0; i < sizeof(nids) / sizeof(nids[0]); i++)
		if (nid == nids[i])
			return true;
	/* id-pkix-ocsp-extended-revoke (RFC 6960 4.4.8), which OpenSSL 3.0
	 * has no name for. */
	return OBJ_obj2txt(oid, sizeof(oid), obj, 1) > 0 &&
	       strcmp(oid, "1.3.6.1.5.5.7.48.1.9") == 0;
}

/* RFC 6960 4.4 with RFC 5280 4.2: a critical extension that is not
 * understood makes the response unusable. where says whose it is. */
static enum cos_status check_extension(X509_EXTENSION *ext, const char *where,
				       struct cos_result *res)
{
	const ASN1_OBJECT *obj = X509_EXTENSION_get_object(ext);
	char oid[80];

	if (!X509_EXTENSION_get_critical(ext) || understood(obj))
		return COS_GOOD;
	if (OBJ_obj2txt(oid, sizeof(oid), obj, 1) <= 0)
		snprintf(oid, sizeof(oid), "?");
	return cos_fail(res, COS_E_CRITICAL_EXTENSION, "%s in %s", oid, where);
}

/* 3.6: the one response type RFC 6960 defines, id-pkix-ocsp-basic. */
static enum cos_status decode_basic(struct staple *s, struct cos_result *res)
{
	unsigned long e;

	ERR_clear_error();
	s->basic = OCSP_response_get1_basic(s->resp);
	if (s->basic == NULL) {
		e = ERR_peek_last_error();
		ERR_clear_error();
		if (ERR_GET_LIB(e) == ERR_LIB_OCSP &&
		    ERR_GET_REASON(e) == OCSP_R_NOT_BASIC_RESPONSE)
			return cos_fail(
				res, COS_E_NOT_BASIC,
				"responseType is not id-pkix-ocsp-basic");
		return cos_fail(res, COS_E_MALFORMED,
				"successful, but its responseBytes are missing "
				"or undecodable");
	}
	if (OCSP_resp_count(s->basic) <= 0)
		return cos_fail(res, COS_E_MALFORMED,
				"the response holds no SingleResponse");
	res->staple.parsed = true;
	if (!note_responder(s->basic, &res->staple))
		s->unreadable = "producedAt";
	cos_pass(res, 6);
	return COS_GOOD;
}

/* The CertID's hash algorithm, by name when OpenSSL knows it. */
static void note_certid_hash(OCSP_SINGLERESP *single,
			     struct cos_staple_info *info)
{
	ASN1_OBJECT *alg = NULL;

	OCSP_id_get0_info(NULL, &alg, NULL, NULL,
			  (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(single));
	if (alg == NULL)
		snprintf(info->certid_hash, sizeof(info->certid_hash), "?");
	else if (OBJ_obj2nid(alg) == NID_undef)
		OBJ_obj2txt(info->certid_hash, sizeof(info->certid_hash), alg,
			    1);
	else
		snprintf(info->certid_hash, sizeof(info->certid_hash), "%s",
			 OBJ_nid2sn(OBJ_obj2nid(alg)));
}

/* Whether single is about leaf as issued by issuer. An unknown hash cannot
 * match; OCSP_basic_verify() has already refused it (3.7). */
static bool single_names_cert(OCSP_SINGLERESP *single, X509 *leaf, X509 *issuer)
{
	const OCSP_CERTID *theirs = OCSP_SINGLERESP_get0_id(single);
	ASN1_OBJECT *alg = NULL;
	const EVP_MD *md;
	OCSP_CERTID *ours;
	bool same;

	OCSP_id_get0_info(NULL, &alg, NULL, NULL, (OCSP_CERTID *)theirs);
	md = alg ? EVP_get_digestbyobj(alg) : NULL;
	if (md == NULL)
		return false;
	/* The CertID is computed with the hash the response itself uses:
	 * SHA-1 and SHA-256 both occur. */
	ours = OCSP_cert_to_id(md, leaf, issuer);
	if (ours == NULL)
		return false;
	same = OCSP_id_cmp(ours, theirs) == 0;
	OCSP_CERTID_free(ours);
	return same;
}

/* Which issuer part of single's CertID differs from ours ("issuer name
 * hash", "issuer key hash"), computed with its own hash; NULL when neither
 * does or the hash is unknown. */
static const char *issuer_part_differing(OCSP_SINGLERESP *single, X509 *leaf,
					 X509 *issuer)
{
	ASN1_OCTET_STRING *name1 = NULL, *key1 = NULL, *name2 = NULL,
			  *key2 = NULL;
	ASN1_OBJECT *alg = NULL;
	const EVP_MD *md;
	OCSP_CERTID *ours;
	const char *part = NULL;

	OCSP_id_get0_info(&name1, &alg, &key1, NULL,
			  (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(single));
	md = alg ? EVP_get_digestbyobj(alg) : NULL;
	if (md == NULL || (ours = OCSP_cert_to_id(md, leaf, issuer)) == NULL)
		return NULL;
	OCSP_id_get0_info(&name2, NULL, &key2, NULL, ours);
	if (ASN1_OCTET_STRING_cmp(name1, name2) != 0)
		part = "issuer name hash";
	else if (ASN1_OCTET_STRING_cmp(key1, key2) != 0)
		part = "issuer key hash";
	OCSP_CERTID_free(ours);
	return part;
}

static void serial_of_single(OCSP_SINGLERESP *single, char *buf, size_t len)
{
	ASN1_INTEGER *serial = NULL;

	OCSP_id_get0_info(NULL, NULL, NULL, &serial,
			  (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(single));
	if (serial != NULL)
		cos_serial_format(serial, buf, len);
	else
		snprintf(buf, len, "?");
}

/*
 * When no SingleResponse is about this certificate, how the CertID differs:
 * COS_E_OTHER_ISSUER when one has our serial but names another issuer (by
 * name or key hash), else COS_E_OTHER_CERT with the serial it names. The
 * words go into buf. COS_GOOD when one matches.
 */
static enum cos_status describe_mismatch(struct staple *s, X509 *leaf,
					 X509 *issuer, char *buf, size_t len)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(leaf);
	char ours[80], theirs[80];

	for (int i = 0; i < OCSP_resp_count(s->basic); i++)
		if (single_names_cert(OCSP_resp_get0(s->basic, i), leaf,
				      issuer))
			return COS_GOOD;
	cos_serial_format(serial, ours, sizeof(ours));
	for (int i = 0; i < OCSP_resp_count(s->basic); i++) {
		OCSP_SINGLERESP *single = OCSP_resp_get0(s->basic, i);
		ASN1_INTEGER *their_serial = NULL;
		const char *part;

		OCSP_id_get0_info(
			NULL, NULL, NULL, &their_serial,
			(OCSP_CERTID *)OCSP_SINGLERESP_get0_id(single));
		if (their_serial == NULL ||
		    ASN1_INTEGER_cmp(their_serial, serial) != 0 ||
		    (part = issuer_part_differing(single, leaf, issuer)) ==
			    NULL)
			continue;
		snprintf(buf, len, "the %s differs (serial %s)", part, ours);
		return COS_E_OTHER_ISSUER;
	}
	serial_of_single(OCSP_resp_get0(s->basic, 0), theirs, sizeof(theirs));
	snprintf(buf, len, "serial %s, not %s", theirs, ours);
	return COS_E_OTHER_CERT;
}

static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return s;
	for (s += n; *s == ' ';)
		s++;
	return s;
}

/* Turns the reason OCSP_basic_verify() gave into this check's own status,
 * with OpenSSL's words, if any, in detail. */
static enum cos_status signer_failure(struct staple *s, char *detail,
				      size_t len, struct cos_result *res)
{
	enum cos_status status = COS_E_SIGNER_NOT_AUTHORIZED;
	const char *data = NULL;
	unsigned long e;
	int flags = 0;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE) {
			status = COS_E_NOMEM;
			snprintf(detail, len, "checking the signature");
			break;
		}
		if (ERR_GET_LIB(e) != ERR_LIB_OCSP)
			continue;
		switch (ERR_GET_REASON(e)) {
		case OCSP_R_SIGNER_CERTIFICATE_NOT_FOUND:
			status = COS_E_SIGNER_NOT_FOUND;
			break;
		case OCSP_R_SIGNATURE_FAILURE:
			status = COS_E_BAD_SIGNATURE;
			break;
		case OCSP_R_CERTIFICATE_VERIFY_ERROR:
			status = COS_E_SIGNER_UNTRUSTED;
			if (data != NULL && (flags & ERR_TXT_STRING))
				snprintf(detail, len, "%s",
					 skip_prefix(data, "Verify error:"));
			break;
		case OCSP_R_MISSING_OCSPSIGNING_USAGE:
			status = COS_E_SIGNER_NO_EKU;
			break;
		case OCSP_R_UNKNOWN_MESSAGE_DIGEST:
			status = COS_E_CERTID_HASH;
			note_certid_hash(OCSP_resp_get0(s->basic, 0),
					 &res->staple);
			snprintf(detail, len, "%s", res->staple.certid_hash);
			break;
		default:
			/* ROOT_CA_NOT_TRUSTED and the rest: a valid chain, but
			 * not one that may speak for this issuer. */
			break;
		}
		/* The first specific reason is the cause; later ones follow
		 * from it. */
		if (status != COS_E_SIGNER_NOT_AUTHORIZED)
			break;
	}
	ERR_clear_error();
	return status;
}

/* 3.7 failed. When OpenSSL's issuer check is what failed and the CertID is
 * not ours, the CertID is the story (an old staple after a renewal): that
 * is the failure. Otherwise the signer's, with the CertID's as a hint. */
static enum cos_status report_signer_failure(struct staple *s, X509 *leaf,
					     X509 *issuer,
					     struct cos_result *res)
{
	char why[COS_TEXT_MAX] = "", mismatch[COS_TEXT_MAX] = "";
	enum cos_status status = signer_failure(s, why, sizeof(why), res);
	enum cos_status certid =
		describe_mismatch(s, leaf, issuer, mismatch, sizeof(mismatch));

	const char *hint = certid == COS_E_OTHER_CERT
				   ? "; and the staple is for another "
				     "certificate: "
			   : certid == COS_E_OTHER_ISSUER
				   ? "; and its CertID names another issuer: "
				   : "";

	if (certid != COS_GOOD && status == COS_E_SIGNER_NOT_AUTHORIZED)
		return cos_fail(res, certid, "%s", mismatch);
	if (why[0] != '\0')
		return cos_fail(res, status, "%s (%s)%s%s", why,
				res->staple.responder, hint, mismatch);
	return cos_fail(res, status, "responder %s%s%s", res->staple.responder,
			hint, mismatch);
}

/* The signature algorithm's name ("md5WithRSAEncryption"). */
static const char *signature_name(OCSP_BASICRESP *basic)
{
	const ASN1_OBJECT *obj = NULL;

	X509_ALGOR_get0(&obj, NULL, NULL, OCSP_resp_get0_tbs_sigalg(basic));
	return obj ? OBJ_nid2ln(OBJ_obj2nid(obj)) : "?";
}

/* RFC 6151: an MD5 (or older) signature can be forged by collision. */
static bool signed_with_md5(OCSP_BASICRESP *basic)
{
	const ASN1_OBJECT *obj = NULL;
	int md = NID_undef, pkey = NID_undef;

	X509_ALGOR_get0(&obj, NULL, NULL, OCSP_resp_get0_tbs_sigalg(basic));
	if (obj == NULL || !OBJ_find_sigid_algs(OBJ_obj2nid(obj), &md, &pkey))
		return false;
	return md == NID_md5 || md == NID_md4 || md == NID_md2 ||
	       md == NID_md5_sha1;
}

static void note_signer(struct staple *s, STACK_OF(X509) *known, X509 *issuer,
			struct cos_staple_info *info)
{
	X509 *signer = NULL;

	if (OCSP_resp_get0_signer(s->basic, &signer, known) != 1 ||
	    signer == NULL)
		return;
	info->signer_kind = X509_cmp(signer, issuer) == 0
				    ? COS_SIGNER_ISSUER
				    : COS_SIGNER_DELEGATED;
	cos_name_format(X509_get_subject_name(signer), info->signer,
			sizeof(info->signer));
}

/*
 * 3.7: the signature verifies and the signer may speak for the issuer.
 *
 * The only anchor is the leaf's issuer, taken from the verified chain, with
 * partial chains allowed: a response signed by the issuer verifies at once,
 * a delegated responder must be issued directly by it (and OpenSSL then
 * requires OCSPSigning). Certificates the server sent along can only ever
 * be untrusted intermediates here: no OCSP_TRUSTOTHER, no OCSP_NOCHECKS.
 */
static enum cos_status verify_signer(struct staple *s, X509 *leaf, X509 *issuer,
				     time_t now, struct cos_result *res)
{
	X509_STORE *anchor = X509_STORE_new();
	STACK_OF(X509) *known = sk_X509_new_null();
	X509_VERIFY_PARAM *param;
	enum cos_status status;

	if (anchor == NULL || known == NULL ||
	    !X509_STORE_add_cert(anchor, issuer) ||
	    !sk_X509_push(known, issuer)) {
		status =
			cos_fail(res, COS_E_NOMEM, "building the signer check");
		goto err;
	}
	param = X509_STORE_get0_param(anchor);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_time(param, now);
	ERR_clear_error();
	if (signed_with_md5(s->basic)) {
		status = cos_fail(res, COS_E_WEAK_SIGNATURE, "%s (%s)",
				  signature_name(s->basic),
				  res->staple.responder);
		goto err;
	}
	if (OCSP_basic_verify(s->basic, known, anchor, 0) != 1) {
		status = report_signer_failure(s, leaf, issuer, res);
		goto err;
	}
	note_signer(s, known, issuer, &res->staple);
	cos_pass(res, 7);
	status = COS_GOOD;
err:
	sk_X509_free(known);
	X509_STORE_free(anchor);
	return status;
}

/* Copies the entry's status and times into info; NULL, or the name of a
 * time that cannot be read. */
static const char *note_single(OCSP_SINGLERESP *single,
			       struct cos_staple_info *info)
{
	ASN1_GENERALIZEDTIME *this_upd = NULL, *next_upd = NULL,
			     *revoked = NULL;
	int reason = -1;
	int status = OCSP_single_get0_status(single, &reason, &revoked,
					     &this_upd, &next_upd);

	info->matched = true;
	info->cert_status = status == V_OCSP_CERTSTATUS_GOOD ? COS_CERT_GOOD
			    : status == V_OCSP_CERTSTATUS_REVOKED
				    ? COS_CERT_REVOKED
				    : COS_CERT_UNKNOWN;
	info->revocation_reason = reason;
	if (revoked != NULL &&
	    cos_asn1_time_to_epoch(revoked, &info->revoked_at) != 0)
		return "revocationTime";
	if (next_upd != NULL) {
		if (cos_asn1_time_to_epoch(next_upd, &info->next_update) != 0)
			return "nextUpdate";
		info->has_next_update = true;
	}
	if (this_upd == NULL ||
	    cos_asn1_time_to_epoch(this_upd, &info->this_update) != 0)
		return "thisUpdate";
	return NULL;
}

/* 3.8: exactly one answer about this certificate (or several that agree),
 * and no critical extension around it that is not understood. */
static enum cos_status find_single(struct staple *s, X509 *leaf, X509 *issuer,
				   struct cos_result *res)
{
	struct cos_staple_info *info = &res->staple;
	int matches = 0, first_status = -1;
	char mismatch[COS_TEXT_MAX];
	const char *unreadable;
	enum cos_status certid;

	for (int i = 0; i < OCSP_resp_count(s->basic); i++) {
		OCSP_SINGLERESP *single = OCSP_resp_get0(s->basic, i);
		int status;

		if (!single_names_cert(single, leaf, issuer))
			continue;
		status =
			OCSP_single_get0_status(single, NULL, NULL, NULL, NULL);
		if (matches++ == 0) {
			s->single = single;
			first_status = status;
		} else if (status != first_status) {
			return cos_fail(res, COS_E_CONFLICT,
					"entries %s and %s for the same CertID",
					OCSP_cert_status_str(first_status),
					OCSP_cert_status_str(status));
		}
	}
	note_certid_hash(s->single ? s->single : OCSP_resp_get0(s->basic, 0),
			 info);
	if (matches == 0 && cos_openssl_out_of_memory())
		return cos_fail(res, COS_E_NOMEM, "comparing the CertID");
	if (matches == 0) {
		serial_of_single(OCSP_resp_get0(s->basic, 0),
				 info->other_serial,
				 sizeof(info->other_serial));
		certid = describe_mismatch(s, leaf, issuer, mismatch,
					   sizeof(mismatch));
		return cos_fail(res, certid, "%s", mismatch);
	}
	for (int i = 0; i < OCSP_BASICRESP_get_ext_count(s->basic); i++)
		if (check_extension(OCSP_BASICRESP_get_ext(s->basic, i),
				    "the responseExtensions", res) != COS_GOOD)
			return res->status;
	for (int i = 0; i < OCSP_SINGLERESP_get_ext_count(s->single); i++)
		if (check_extension(OCSP_SINGLERESP_get_ext(s->single, i),
				    "the certificate's SingleResponse",
				    res) != COS_GOOD)
			return res->status;
	unreadable = note_single(s->single, info);
	if (s->unreadable == NULL)
		s->unreadable = unreadable;
	cos_pass(res, 8);
	return COS_GOOD;
}

/* 3.9 first: every time the window is judged by could be read. */
static enum cos_status check_readable_times(const struct staple *s,
					    struct cos_result *res)
{
	if (s->unreadable != NULL)
		return cos_fail(res, COS_E_BAD_TIME, "%s", s->unreadable);
	return COS_GOOD;
}

/* 3.9: the response's validity window, with the operator's skew. */
static enum cos_status check_times(time_t now, long skew,
				   struct cos_result *res)
{
	const struct cos_staple_info *info = &res->staple;
	char when[64];

	if (info->this_update > now + skew) {
		cos_duration_format((double)(info->this_update - now), when,
				    sizeof(when));
		return cos_fail(res, COS_E_NOT_YET_VALID,
				"thisUpdate is %s in the future", when);
	}
	if (info->has_next_update && info->next_update < info->this_update)
		return cos_fail(
			res, COS_E_NEXT_BEFORE_THIS,
			"nextUpdate is %lld s before thisUpdate",
			(long long)(info->this_update - info->next_update));
	if (info->has_next_update && info->next_update < now - skew) {
		cos_duration_format((double)(now - info->next_update), when,
				    sizeof(when));
		return cos_fail(res, COS_E_EXPIRED, "nextUpdate was %s ago",
				when);
	}
	if (info->produced_at > now + skew) {
		cos_duration_format((double)(info->produced_at - now), when,
				    sizeof(when));
		return cos_fail(res, COS_E_PRODUCED_FUTURE,
				"producedAt is %s in the future", when);
	}
	cos_pass(res, 9);
	return COS_GOOD;
}

/* 3.10: what the responder says about the certificate. */
static enum cos_status check_cert_status(struct cos_result *res)
{
	const struct cos_staple_info *info = &res->staple;
	char when[64], reason[48];

	switch (info->cert_status) {
	case COS_CERT_GOOD: cos_pass(res, 10); return COS_GOOD;
	case COS_CERT_REVOKED:
		cos_time_format(info->revoked_at, when, sizeof(when));
		if (info->revocation_reason < 0)
			return cos_fail(res, COS_E_REVOKED,
					"%s, no reason given", when);
		return cos_fail(res, COS_E_REVOKED, "%s, %s", when,
				cos_reason_format(info->revocation_reason,
						  reason, sizeof(reason)));
	case COS_CERT_UNKNOWN:
	default: return cos_fail(res, COS_E_STATUS_UNKNOWN, NULL);
	}
}

enum cos_status cos_staple_verify(const unsigned char *der, size_t len,
				  X509 *leaf, X509 *issuer, time_t now,
				  long skew, struct cos_result *res)
{
	struct staple s = {NULL, NULL, NULL, NULL};

	res->staple.length = len;
	res->staple.revocation_reason = -1;
	if (decode_der(&s, der, len, res) == COS_GOOD &&
	    check_response_status(&s, res) == COS_GOOD &&
	    decode_basic(&s, res) == COS_GOOD &&
	    verify_signer(&s, leaf, issuer, now, res) == COS_GOOD &&
	    find_single(&s, leaf, issuer, res) == COS_GOOD &&
	    check_readable_times(&s, res) == COS_GOOD &&
	    check_times(now, skew, res) == COS_GOOD)
		check_cert_status(res);
	OCSP_BASICRESP_free(s.basic);
	OCSP_RESPONSE_free(s.resp);
	return res->status;
}

enum cos_status cos_staple_judge(const unsigned char *der, long len,
				 STACK_OF(X509) *verified_chain,
				 const struct cos_config *cfg, time_t now,
				 const struct cos_chain_hook *hook,
				 struct cos_result *res)
{
	if (sk_X509_num(verified_chain) < 2)
		return cos_fail(res, COS_E_NO_ISSUER,
				"the chain ends at the certificate itself");
	cos_pass(res, 2);
	if (hook != NULL && hook->on_chain != NULL)
		hook->on_chain(hook->arg, sk_X509_value(verified_chain, 0),
			       sk_X509_value(verified_chain, 1), res);
	if (der == NULL || len < 0)
		return cos_fail(res, COS_E_NO_STAPLE, NULL);
	res->have_staple = true;
	cos_pass(res, 3);
	return cos_staple_verify(
		der, (size_t)len, sk_X509_value(verified_chain, 0),
		sk_X509_value(verified_chain, 1), now, cfg->skew, res);
}
