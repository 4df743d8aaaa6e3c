/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crl.c - a CRL judged for the certificate (SPEC 7): decoded strictly,
 * issued under the certificate's issuer's name and signed with its key (the
 * issuer taken from the verified chain), covering the certificate (its
 * issuing distribution point names where it came from; not indirect, not
 * for CA or attribute certificates only, not for some reasons only), within
 * its window at the caller's "now" and --skew, with no critical extension
 * this file does not understand; then the certificate looked up by its
 * serial as an integer (OpenSSL's sorted lookup), never as text.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* CRLReason certificateHold and removeFromCRL (RFC 5280 5.3.1). */
#define REASON_HOLD 6
#define REASON_REMOVE 8

static bool understood_crl_ext(int nid)
{
	return nid == NID_crl_number || nid == NID_authority_key_identifier ||
	       nid == NID_issuing_distribution_point ||
	       nid == NID_freshest_crl || nid == NID_info_access ||
	       nid == NID_issuer_alt_name || nid == NID_delta_crl;
}

static bool understood_entry_ext(int nid)
{
	return nid == NID_crl_reason || nid == NID_invalidity_date ||
	       nid == NID_hold_instruction_code;
}

static enum cos_status refuse_extension(X509_EXTENSION *ext, const char *where,
					struct cos_result *res)
{
	char oid[80];

	if (OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(ext), 1) <=
	    0)
		snprintf(oid, sizeof(oid), "?");
	return cos_fail(res, COS_E_CRITICAL_EXTENSION, "%s in %s", oid, where);
}

/* Every critical extension of the CRL and of its entries is understood;
 * an entry naming another issuer makes it an indirect CRL. */
static enum cos_status check_extensions(X509_CRL *crl, struct cos_result *res)
{
	STACK_OF(X509_REVOKED) *entries = X509_CRL_get_REVOKED(crl);

	for (int i = 0; i < X509_CRL_get_ext_count(crl); i++) {
		X509_EXTENSION *ext = X509_CRL_get_ext(crl, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

		if (nid == NID_delta_crl)
			return cos_fail(res, COS_E_CRL_DELTA,
					"a delta CRL where a full one belongs");
		if (X509_EXTENSION_get_critical(ext) &&
		    !understood_crl_ext(nid))
			return refuse_extension(ext, "the CRL", res);
	}
	for (int i = 0; i < sk_X509_REVOKED_num(entries); i++) {
		X509_REVOKED *entry = sk_X509_REVOKED_value(entries, i);

		for (int k = 0; k < X509_REVOKED_get_ext_count(entry); k++) {
			X509_EXTENSION *ext = X509_REVOKED_get_ext(entry, k);
			int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

			if (nid == NID_certificate_issuer)
				return cos_fail(res, COS_E_CRL_INDIRECT,
						"an entry names its certificate "
						"issuer");
			if (X509_EXTENSION_get_critical(ext) &&
			    !understood_entry_ext(nid))
				return refuse_extension(ext, "a CRL entry",
							res);
		}
	}
	return COS_GOOD;
}

/* Whether names (a GENERAL_NAMES) holds the URI url. */
static bool names_uri(const GENERAL_NAMES *names, const char *url)
{
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
		const ASN1_IA5STRING *uri;

		if (gn->type != GEN_URI)
			continue;
		uri = gn->d.uniformResourceIdentifier;
		if ((size_t)ASN1_STRING_length(uri) == strlen(url) &&
		    memcmp(ASN1_STRING_get0_data(uri), url, strlen(url)) == 0)
			return true;
	}
	return false;
}

size_t cos_crl_dp_uris(X509 *leaf, char (*uris)[COS_TEXT_MAX], size_t max)
{
	STACK_OF(DIST_POINT) *dps =
		X509_get_ext_d2i(leaf, NID_crl_distribution_points, NULL, NULL);
	size_t n = 0;

	for (int i = 0; i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		GENERAL_NAMES *names;

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		names = dp->distpoint->name.fullname;
		for (int k = 0; k < sk_GENERAL_NAME_num(names) && n < max; k++) {
			const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, k);
			const ASN1_IA5STRING *uri;

			if (gn->type != GEN_URI)
				continue;
			uri = gn->d.uniformResourceIdentifier;
			snprintf(uris[n++], COS_TEXT_MAX, "%.*s",
				 ASN1_STRING_length(uri),
				 (const char *)ASN1_STRING_get0_data(uri));
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return n;
}

/* Whether the certificate's CRL distribution points name one of names. */
static bool cert_names(X509 *leaf, const GENERAL_NAMES *idp_names)
{
	char uris[COS_CRL_DP_MAX][COS_TEXT_MAX];
	size_t n = cos_crl_dp_uris(leaf, uris, COS_CRL_DP_MAX);

	for (size_t i = 0; i < n; i++)
		if (names_uri(idp_names, uris[i]))
			return true;
	return false;
}

/*
 * The issuing distribution point, when there is one, covers this
 * certificate: not indirect, not only CA or attribute certificates, not
 * only some reasons, and its name is where the CRL came from (url), or,
 * for a file, one of the certificate's distribution points (a partitioned
 * CRL of another partition is the usual mistake).
 */
static enum cos_status check_scope(X509_CRL *crl, X509 *leaf, const char *url,
				   struct cos_result *res)
{
	int crit = -1;
	ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(
		crl, NID_issuing_distribution_point, &crit, NULL);
	const GENERAL_NAMES *names;
	enum cos_status status = COS_GOOD;

	if (idp == NULL) {
		if (crit != -1)
			status = cos_fail(res, COS_E_CRL_MALFORMED,
					  "its issuing distribution point "
					  "cannot be read");
		return status;
	}
	names = idp->distpoint && idp->distpoint->type == 0
			? idp->distpoint->name.fullname
			: NULL;
	if (idp->indirectCRL)
		status = cos_fail(res, COS_E_CRL_INDIRECT,
				  "its issuing distribution point says so");
	else if (idp->onlyCA || idp->onlyattr)
		status = cos_fail(res, COS_E_CRL_SCOPE,
				  "it covers only %s certificates",
				  idp->onlyCA ? "CA" : "attribute");
	else if (idp->onlysomereasons != NULL)
		status = cos_fail(res, COS_E_CRL_SCOPE,
				  "it covers only some revocation reasons");
	else if (names != NULL && url != NULL && !names_uri(names, url))
		status = cos_fail(res, COS_E_CRL_SCOPE,
				  "its issuing distribution point does not "
				  "name %s (another partition)",
				  url);
	else if (names != NULL && url == NULL && !cert_names(leaf, names))
		status = cos_fail(res, COS_E_CRL_SCOPE,
				  "its issuing distribution point names none "
				  "of the certificate's");
	ISSUING_DIST_POINT_free(idp);
	return status;
}

/* The window at now, with skew: a CRL without nextUpdate is refused too
 * (RFC 5280 5.1.2.5: conforming CRLs have one). */
static enum cos_status check_times(X509_CRL *crl, time_t now, long skew,
				   struct cos_crl_info *info,
				   struct cos_result *res)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	char when[64];

	if (cos_asn1_time_to_epoch(X509_CRL_get0_lastUpdate(crl),
				   &info->this_update) != 0)
		return cos_fail(res, COS_E_BAD_TIME, "thisUpdate");
	if (next == NULL)
		return cos_fail(res, COS_E_BAD_TIME, "no nextUpdate");
	if (cos_asn1_time_to_epoch(next, &info->next_update) != 0)
		return cos_fail(res, COS_E_BAD_TIME, "nextUpdate");
	info->has_next_update = true;
	if (info->this_update > now + skew) {
		cos_duration_format((double)(info->this_update - now), when,
				    sizeof(when));
		return cos_fail(res, COS_E_NOT_YET_VALID,
				"thisUpdate is %s in the future", when);
	}
	if (info->next_update < info->this_update)
		return cos_fail(res, COS_E_NEXT_BEFORE_THIS,
				"nextUpdate is before thisUpdate");
	if (info->next_update < now - skew) {
		cos_duration_format((double)(now - info->next_update), when,
				    sizeof(when));
		return cos_fail(res, COS_E_EXPIRED, "nextUpdate was %s ago",
				when);
	}
	return COS_GOOD;
}

/* The signature, with the issuer's key, which may sign CRLs. */
static enum cos_status check_signature(X509_CRL *crl, X509 *issuer,
				       struct cos_result *res)
{
	char why[COS_TEXT_MAX];
	uint32_t usage = X509_get_key_usage(issuer);

	if (X509_CRL_get_signature_nid(crl) == NID_md5WithRSAEncryption)
		return cos_fail(res, COS_E_WEAK_SIGNATURE, "md5WithRSAEncryption");
	if (usage != UINT32_MAX && !(usage & KU_CRL_SIGN))
		return cos_fail(res, COS_E_CRL_SIGNATURE,
				"the issuer's keyUsage lacks cRLSign");
	ERR_clear_error();
	if (X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1)
		return cos_fail(res,
				cos_openssl_error(COS_E_CRL_SIGNATURE, why,
						  sizeof(why)),
				"%s", why);
	return COS_GOOD;
}

/* The certificate's entry, if listed: its time, reason and invalidity. */
static enum cos_status look_up(X509_CRL *crl, X509 *leaf,
			       struct cos_crl_info *info,
			       struct cos_result *res)
{
	X509_REVOKED *entry = NULL;
	ASN1_ENUMERATED *reason;
	ASN1_GENERALIZEDTIME *invalid;
	char when[64], why[48];

	if (X509_CRL_get0_by_serial(crl, &entry,
				    X509_get0_serialNumber(leaf)) != 1 ||
	    entry == NULL)
		return COS_GOOD;
	if (cos_asn1_time_to_epoch(X509_REVOKED_get0_revocationDate(entry),
				   &info->revoked_at) != 0)
		return cos_fail(res, COS_E_BAD_TIME, "revocationDate");
	reason = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, NULL, NULL);
	info->reason = reason ? (int)ASN1_ENUMERATED_get(reason) : -1;
	ASN1_ENUMERATED_free(reason);
	invalid = X509_REVOKED_get_ext_d2i(entry, NID_invalidity_date, NULL,
					   NULL);
	info->has_invalidity =
		invalid != NULL &&
		cos_asn1_time_to_epoch(invalid, &info->invalidity) == 0;
	ASN1_GENERALIZEDTIME_free(invalid);
	/* removeFromCRL belongs in delta CRLs: in a full one it lists
	 * nothing. */
	if (info->reason == REASON_REMOVE)
		return COS_GOOD;
	cos_time_format(info->revoked_at, when, sizeof(when));
	if (info->reason == REASON_HOLD)
		return cos_fail(res, COS_E_ON_HOLD, "%s", when);
	return cos_fail(res, COS_E_REVOKED, "%s, %s", when,
			info->reason < 0 ? "no reason given"
					 : cos_reason_format(info->reason, why,
							     sizeof(why)));
}

static void describe(X509_CRL *crl, struct cos_crl_info *info)
{
	ASN1_INTEGER *number =
		X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);

	info->parsed = true;
	cos_name_format(X509_CRL_get_issuer(crl), info->issuer,
			sizeof(info->issuer));
	if (number != NULL)
		cos_serial_format(number, info->number, sizeof(info->number));
	ASN1_INTEGER_free(number);
	info->entries = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
}

enum cos_status cos_crl_verify(const unsigned char *der, size_t len,
			       X509 *leaf, X509 *issuer, const char *url,
			       time_t now, long skew, struct cos_crl_info *info,
			       struct cos_result *res)
{
	const unsigned char *p = der;
	X509_CRL *crl;

	info->reason = -1;
	if (len == 0)
		return cos_fail(res, COS_E_EMPTY, NULL);
	ERR_clear_error();
	crl = d2i_X509_CRL(NULL, &p, (long)len);
	if (crl == NULL) {
		char why[COS_TEXT_MAX];

		return cos_fail(res,
				cos_openssl_error(COS_E_CRL_MALFORMED, why,
						  sizeof(why)),
				"%s", why);
	}
	if (p != der + len)
		cos_fail(res, COS_E_CRL_MALFORMED, "%zu bytes after the CRL",
			 (size_t)(der + len - p));
	else
		describe(crl, info);
	if (res->status == COS_GOOD &&
	    X509_NAME_cmp(X509_CRL_get_issuer(crl),
			  X509_get_issuer_name(leaf)) != 0)
		cos_fail(res, COS_E_CRL_ISSUER, "%s", info->issuer);
	if (res->status == COS_GOOD &&
	    check_signature(crl, issuer, res) == COS_GOOD &&
	    check_extensions(crl, res) == COS_GOOD &&
	    check_scope(crl, leaf, url, res) == COS_GOOD &&
	    check_times(crl, now, skew, info, res) == COS_GOOD)
		look_up(crl, leaf, info, res);
	X509_CRL_free(crl);
	return res->status;
}
