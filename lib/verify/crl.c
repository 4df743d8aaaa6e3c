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

#include <errno.h>
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
 * an entry naming another issuer makes it an indirect CRL; a delta CRL
 * only where one is wanted (a full CRL there is found by
 * cos_crl_judge_delta, kept or not). */
static enum cos_status check_extensions(X509_CRL *crl, bool delta,
					struct cos_result *res)
{
	STACK_OF(X509_REVOKED) *entries = X509_CRL_get_REVOKED(crl);

	for (int i = 0; i < X509_CRL_get_ext_count(crl); i++) {
		X509_EXTENSION *ext = X509_CRL_get_ext(crl, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

		if (nid == NID_delta_crl && !delta)
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

/* The URIs of the distribution points' full names, in order, at most
 * max; how many. */
static size_t dp_uris(const STACK_OF(DIST_POINT) *dps,
		      char (*uris)[COS_TEXT_MAX], size_t max)
{
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
	return n;
}

size_t cos_crl_dp_uris(X509 *leaf, char (*uris)[COS_TEXT_MAX], size_t max)
{
	STACK_OF(DIST_POINT) *dps =
		X509_get_ext_d2i(leaf, NID_crl_distribution_points, NULL, NULL);
	size_t n = dp_uris(dps, uris, max);

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
 * CRL of another partition is the usual mistake). A delta CRL may name
 * the distribution point of its base instead of its own.
 */
static enum cos_status check_scope(X509_CRL *crl, X509 *leaf, const char *url,
				   bool delta, struct cos_result *res)
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
	else if (names != NULL && url != NULL && !names_uri(names, url) &&
		 !(delta && cert_names(leaf, names)))
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

/* thisUpdate and nextUpdate into the header: a CRL without nextUpdate is
 * refused (RFC 5280 5.1.2.5: conforming CRLs have one). */
static enum cos_status read_times(X509_CRL *crl, struct cos_crlix_head *h,
				  struct cos_result *res)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	time_t t;

	if (cos_asn1_time_to_epoch(X509_CRL_get0_lastUpdate(crl), &t) != 0)
		return cos_fail(res, COS_E_BAD_TIME, "thisUpdate");
	h->this_update = t;
	if (next == NULL)
		return cos_fail(res, COS_E_BAD_TIME, "no nextUpdate");
	if (cos_asn1_time_to_epoch(next, &t) != 0)
		return cos_fail(res, COS_E_BAD_TIME, "nextUpdate");
	h->next_update = t;
	return COS_GOOD;
}

/* The window at now, with skew, of a CRL fresh or kept. */
static enum cos_status check_window(const struct cos_crlix_head *h,
				    time_t now, long skew,
				    struct cos_result *res)
{
	char when[64];

	if (h->this_update > now + skew) {
		cos_duration_format((double)(h->this_update - now), when,
				    sizeof(when));
		return cos_fail(res, COS_E_NOT_YET_VALID,
				"thisUpdate is %s in the future", when);
	}
	if (h->next_update < h->this_update)
		return cos_fail(res, COS_E_NEXT_BEFORE_THIS,
				"nextUpdate is before thisUpdate");
	if (h->next_update < now - skew) {
		cos_duration_format((double)(now - h->next_update), when,
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

/* An entry's CRLReason: the DER of an ENUMERATED of one octet, the form
 * every CA writes, read in place (a 100,000-entry CRL would spend more
 * decoding each than the rest of the check); any other form decoded. */
static int entry_reason(X509_REVOKED *entry, X509_EXTENSION *ext)
{
	const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);
	const unsigned char *p = ASN1_STRING_get0_data(v);
	ASN1_ENUMERATED *reason;
	int code;

	if (ASN1_STRING_length(v) == 3 && p[0] == 0x0a && p[1] == 0x01 &&
	    p[2] < 0x80)
		return p[2];
	reason = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, NULL, NULL);
	code = reason ? (int)ASN1_ENUMERATED_get(reason) : -1;
	ASN1_ENUMERATED_free(reason);
	return code;
}

/* An entry as the index keeps it. */
static enum cos_status entry_record(X509_REVOKED *entry,
				    struct cos_crlix_record *r,
				    struct cos_result *res)
{
	ASN1_GENERALIZEDTIME *invalid;
	time_t t;

	if (cos_asn1_time_to_epoch(X509_REVOKED_get0_revocationDate(entry),
				   &t) != 0)
		return cos_fail(res, COS_E_BAD_TIME, "revocationDate");
	r->revoked_at = t;
	r->reason = -1;
	r->invalidity = INT64_MIN;
	for (int k = 0; k < X509_REVOKED_get_ext_count(entry); k++) {
		X509_EXTENSION *ext = X509_REVOKED_get_ext(entry, k);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

		if (nid == NID_crl_reason) {
			r->reason = entry_reason(entry, ext);
		} else if (nid == NID_invalidity_date) {
			invalid = X509_REVOKED_get_ext_d2i(
				entry, NID_invalidity_date, NULL, NULL);
			if (invalid != NULL &&
			    cos_asn1_time_to_epoch(invalid, &t) == 0)
				r->invalidity = t;
			ASN1_GENERALIZEDTIME_free(invalid);
		}
	}
	return COS_GOOD;
}

/* The first http:// URL of the CRL's Freshest CRL extension (or its first
 * of another scheme, which the fetch then names as unusable). */
static void read_freshest(X509_CRL *crl, char *buf, size_t len)
{
	STACK_OF(DIST_POINT) *dps =
		X509_CRL_get_ext_d2i(crl, NID_freshest_crl, NULL, NULL);
	char uris[COS_CRL_DP_MAX][COS_TEXT_MAX];
	size_t n = dp_uris(dps, uris, COS_CRL_DP_MAX), pick = 0;

	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	buf[0] = '\0';
	while (pick < n && strncmp(uris[pick], "http://", 7) != 0)
		pick++;
	if (n > 0)
		snprintf(buf, len, "%s", uris[pick < n ? pick : 0]);
}

/* The CRL's facts into the header: a delta CRL is one with a Delta CRL
 * Indicator, whatever it was fetched as. */
static void describe(X509_CRL *crl, struct cos_crlix_head *h)
{
	ASN1_INTEGER *number =
		X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	ASN1_INTEGER *base =
		X509_CRL_get_ext_d2i(crl, NID_delta_crl, NULL, NULL);

	h->delta = base != NULL;
	cos_name_format(X509_CRL_get_issuer(crl), h->issuer,
			sizeof(h->issuer));
	if (number != NULL) {
		cos_serial_format(number, h->number_text,
				  sizeof(h->number_text));
		cos_crl_index_serial(number, h->number);
	}
	if (base != NULL)
		cos_crl_index_serial(base, h->base_number);
	else
		read_freshest(crl, h->freshest, sizeof(h->freshest));
	ASN1_INTEGER_free(number);
	ASN1_INTEGER_free(base);
}

/* The verified CRL's index, its facts in the header. */
static enum cos_status build_index(X509_CRL *crl, struct cos_crl_index *ix,
				   struct cos_result *res)
{
	STACK_OF(X509_REVOKED) *entries = X509_CRL_get_REVOKED(crl);
	int n = sk_X509_REVOKED_num(entries);

	if (!cos_crl_index_alloc(ix, n > 0 ? (size_t)n : 0))
		return cos_fail(res, COS_E_NOMEM, "indexing the CRL");
	describe(crl, ix->head);
	if (read_times(crl, ix->head, res) != COS_GOOD)
		return res->status;
	for (int i = 0; i < n; i++) {
		X509_REVOKED *entry = sk_X509_REVOKED_value(entries, i);
		struct cos_crlix_record r;

		memset(&r, 0, sizeof(r));
		if (entry_record(entry, &r, res) != COS_GOOD)
			return res->status;
		cos_crl_index_add(ix, X509_REVOKED_get0_serialNumber(entry), &r);
	}
	cos_crl_index_sort(ix);
	return COS_GOOD;
}

static void wrong_issuer(X509_CRL *crl, struct cos_result *res)
{
	char name[COS_TEXT_MAX];

	cos_name_format(X509_CRL_get_issuer(crl), name, sizeof(name));
	cos_fail(res, COS_E_CRL_ISSUER, "%s", name);
}

enum cos_status cos_crl_verify(const unsigned char *der, size_t len,
			       X509 *leaf, X509 *issuer, const char *url,
			       bool delta, struct cos_crl_index *ix,
			       struct cos_result *res)
{
	const unsigned char *p = der;
	X509_CRL *crl;

	memset(ix, 0, sizeof(*ix));
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
	else if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
			       X509_get_issuer_name(leaf)) != 0)
		wrong_issuer(crl, res);
	if (res->status == COS_GOOD &&
	    check_signature(crl, issuer, res) == COS_GOOD &&
	    check_extensions(crl, delta, res) == COS_GOOD &&
	    check_scope(crl, leaf, url, delta, res) == COS_GOOD)
		build_index(crl, ix, res);
	X509_CRL_free(crl);
	if (res->status != COS_GOOD)
		cos_crl_index_free(ix);
	return res->status;
}

/* The index's facts, for the report. */
static void describe_index(const struct cos_crl_index *ix,
			   struct cos_crl_info *info)
{
	const struct cos_crlix_head *h = ix->head;

	info->parsed = true;
	snprintf(info->issuer, sizeof(info->issuer), "%s", h->issuer);
	snprintf(info->number, sizeof(info->number), "%s", h->number_text);
	info->entries = (long)(h->count + h->long_serials);
	info->this_update = (time_t)h->this_update;
	info->next_update = (time_t)h->next_update;
	info->has_next_update = true;
}

/* What the index says of the certificate: not listed (COS_GOOD, and
 * *listed false), or revoked or on hold since when, and why. */
static enum cos_status look_up(const struct cos_crl_index *ix, X509 *leaf,
			       bool *listed, struct cos_crl_info *info,
			       struct cos_result *res)
{
	struct cos_crlix_record r;
	char when[64], why[48];

	*listed = false;
	switch (cos_crl_index_find(ix, X509_get0_serialNumber(leaf), &r)) {
	case COS_CRLIX_ABSENT: return COS_GOOD;
	case COS_CRLIX_UNKNOWN:
		return cos_fail(res, COS_E_CRL_MALFORMED,
				"the certificate's serial is longer than %d "
				"octets, as some of its entries are",
				COS_CRLIX_SERIAL_MAX);
	case COS_CRLIX_UNREADABLE:
		return cos_fail(res, COS_E_LOCAL,
				"the CRL kept in --cache-dir cannot be read: "
				"%s",
				strerror(errno));
	case COS_CRLIX_LISTED: break;
	}
	*listed = true;
	info->revoked_at = (time_t)r.revoked_at;
	info->reason = r.reason;
	info->has_invalidity = r.invalidity != INT64_MIN;
	info->invalidity = info->has_invalidity ? (time_t)r.invalidity : 0;
	/* removeFromCRL belongs in delta CRLs: in a full one it lists
	 * nothing; in a delta the caller reads it. */
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

enum cos_status cos_crl_judge(const struct cos_crl_index *ix, X509 *leaf,
			      time_t now, long skew, struct cos_crl_info *info,
			      struct cos_result *res)
{
	bool listed;

	info->reason = -1;
	describe_index(ix, info);
	if (check_window(ix->head, now, skew, res) == COS_GOOD &&
	    look_up(ix, leaf, &listed, info, res) == COS_GOOD && listed)
		info->reason = -1; /* removeFromCRL in a full CRL */
	return res->status;
}

/* The delta belongs to the base: RFC 5280 5.2.4, a base at least as new
 * as the one it was made from, and a number after the base's. Numbers
 * compare as their keys: length, then magnitude. */
static enum cos_status check_base(const struct cos_crlix_head *base,
				  const struct cos_crlix_head *delta,
				  struct cos_result *res)
{
	if (!delta->delta)
		return cos_fail(res, COS_E_CRL_DELTA,
				"a full CRL where its delta belongs");
	if (base->number_text[0] == '\0')
		return cos_fail(res, COS_E_CRL_DELTA,
				"the base CRL has no CRL number");
	if (memcmp(delta->base_number, base->number, 32) > 0)
		return cos_fail(res, COS_E_CRL_DELTA,
				"it needs a newer base CRL than number %s",
				base->number_text);
	if (memcmp(delta->number, base->number, 32) <= 0)
		return cos_fail(res, COS_E_CRL_DELTA,
				"its number %s is not after the base's %s",
				delta->number_text, base->number_text);
	return COS_GOOD;
}

enum cos_status cos_crl_judge_delta(const struct cos_crl_index *base,
				    const struct cos_crl_index *delta,
				    X509 *leaf, time_t now, long skew,
				    struct cos_crl_info *info,
				    struct cos_result *res)
{
	struct cos_crl_info entry = {.reason = -1};
	bool listed = false;

	snprintf(info->delta_number, sizeof(info->delta_number), "%s",
		 delta->head->number_text);
	info->delta_this_update = (time_t)delta->head->this_update;
	info->delta_next_update = (time_t)delta->head->next_update;
	info->has_delta = true;
	if (check_base(base->head, delta->head, res) != COS_GOOD ||
	    check_window(delta->head, now, skew, res) != COS_GOOD)
		return res->status;
	look_up(delta, leaf, &listed, &entry, res);
	if (listed) {
		/* The delta speaks last: a new listing, or removeFromCRL,
		 * which releases a hold. */
		info->revoked_at = entry.revoked_at;
		info->reason = entry.reason;
		info->has_invalidity = entry.has_invalidity;
		info->invalidity = entry.invalidity;
		info->removed = entry.reason == REASON_REMOVE;
	}
	return res->status;
}

bool cos_crl_key(X509 *issuer, const char *url, char key[65])
{
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &der);
	bool ok = len > 0 &&
		  cos_sha256_hex(der, (size_t)len, url, strlen(url) + 1, key);

	OPENSSL_free(der);
	return ok;
}
