/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_staple.c - SPEC section 3 on responses the test PKI made with the
 * openssl command line (and ocsp-forge where the CLI cannot): each case is
 * judged by cos_staple_verify(), and must stop at the step that fails it,
 * with every earlier step recorded as passed.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ocsp.h>

#include "internal.h"
#include "pki.h"
#include "runner.h"

#define DAY 86400

/* The SPEC 3 step that a status reports the failure of. */
static int step_of(enum cos_status status)
{
	switch (status) {
	case COS_E_EMPTY:
	case COS_E_MALFORMED:
	case COS_E_TRAILING_DATA:
	case COS_E_NOT_DER: return 4;
	case COS_E_RESPONSE_STATUS: return 5;
	case COS_E_NOT_BASIC: return 6;
	case COS_E_SIGNER_NOT_FOUND:
	case COS_E_BAD_SIGNATURE:
	case COS_E_SIGNER_UNTRUSTED:
	case COS_E_SIGNER_NO_EKU:
	case COS_E_SIGNER_NOT_AUTHORIZED:
	case COS_E_WEAK_SIGNATURE:
	/* OpenSSL's issuer check compares every CertID's issuer hashes with
	 * the signer's issuer: another issuer is found there, and reported
	 * as what it is. */
	case COS_E_OTHER_ISSUER:
	/* Authorizing the signer matches the issuer's CertID hashes, so an
	 * unknown CertID hash stops the check here already. */
	case COS_E_CERTID_HASH: return 7;
	case COS_E_OTHER_CERT:
	case COS_E_CRITICAL_EXTENSION:
	case COS_E_CONFLICT: return 8;
	case COS_E_BAD_TIME:
	case COS_E_NOT_YET_VALID:
	case COS_E_EXPIRED:
	case COS_E_NEXT_BEFORE_THIS:
	case COS_E_PRODUCED_FUTURE: return 9;
	case COS_E_REVOKED:
	case COS_E_STATUS_UNKNOWN: return 10;
	default: return 11; /* COS_GOOD: every step passed */
	}
}

struct verify_case {
	const char *response;
	const char *leaf;
	enum cos_status want;
};

static const struct verify_case cases[] = {
	{"good.der", "leaf", COS_GOOD},
	{"good-ec.der", "leaf-ec", COS_GOOD},
	{"good-delegated.der", "leaf", COS_GOOD},
	{"sha256.der", "leaf", COS_GOOD},
	{"bykey.der", "leaf", COS_GOOD},
	{"duplicate.der", "leaf", COS_GOOD},
	{"nonext.der", "leaf", COS_GOOD},
	{"warn.der", "leaf", COS_GOOD},
	{"crit.der", "leaf", COS_GOOD},
	/* 3.4 */
	{"empty.der", "leaf", COS_E_EMPTY},
	{"truncated.der", "leaf", COS_E_MALFORMED},
	{"garbage.der", "leaf", COS_E_MALFORMED},
	{"trailing.der", "leaf", COS_E_TRAILING_DATA},
	{"ber-long-length.der", "leaf", COS_E_NOT_DER},
	{"ber-indefinite.der", "leaf", COS_E_NOT_DER},
	{"ber-explicit-version.der", "leaf", COS_E_NOT_DER},
	/* 3.5 */
	{"trylater.der", "leaf", COS_E_RESPONSE_STATUS},
	{"internalerror.der", "leaf", COS_E_RESPONSE_STATUS},
	{"unauthorized.der", "leaf", COS_E_RESPONSE_STATUS},
	{"malformedrequest.der", "leaf", COS_E_RESPONSE_STATUS},
	{"sigrequired.der", "leaf", COS_E_RESPONSE_STATUS},
	/* 3.6 */
	{"notbasic.der", "leaf", COS_E_NOT_BASIC},
	/* 3.7 */
	{"badsig.der", "leaf", COS_E_BAD_SIGNATURE},
	{"unrelated.der", "leaf", COS_E_SIGNER_UNTRUSTED},
	{"unrelated-noembed.der", "leaf", COS_E_SIGNER_NOT_FOUND},
	{"rogue.der", "leaf", COS_E_SIGNER_UNTRUSTED},
	{"noeku.der", "leaf", COS_E_SIGNER_NO_EKU},
	{"indirect.der", "leaf", COS_E_SIGNER_NOT_AUTHORIZED},
	{"unknown-hash.der", "leaf", COS_E_CERTID_HASH},
	{"md5.der", "leaf", COS_E_WEAK_SIGNATURE},
	{"sha256-rsa.der", "leaf", COS_GOOD},
	/* 3.8 */
	{"other-serial.der", "leaf", COS_E_OTHER_CERT},
	{"good.der", "leaf-ec", COS_E_OTHER_CERT},
	{"conflict.der", "leaf", COS_E_CONFLICT},
	{"other-issuer.der", "leaf", COS_E_OTHER_ISSUER},
	{"crit-ext.der", "leaf", COS_E_CRITICAL_EXTENSION},
	{"single-crit-ext.der", "leaf", COS_E_CRITICAL_EXTENSION},
	{"nonce.der", "leaf", COS_GOOD},
	{"nonce-critical.der", "leaf", COS_GOOD},
	/* 3.9 */
	{"expired.der", "leaf", COS_E_EXPIRED},
	{"notyet.der", "leaf", COS_E_NOT_YET_VALID},
	{"next-before-this.der", "leaf", COS_E_NEXT_BEFORE_THIS},
	{"produced-future.der", "leaf", COS_E_PRODUCED_FUTURE},
	{"bad-produced.der", "leaf", COS_E_BAD_TIME},
	/* 3.10 */
	{"revoked.der", "leaf-revoked", COS_E_REVOKED},
	{"unknown.der", "leaf-unknown", COS_E_STATUS_UNKNOWN},
	{"reason-unassigned.der", "leaf-revoked", COS_E_REVOKED},
};

/* Verifies response for leaf (issued by int) at now, with skew. */
static enum cos_status verify_at(const char *response, const char *leaf_name,
				 time_t now, long skew, struct cos_result *res)
{
	X509 *leaf = pki_cert(leaf_name), *issuer = pki_cert("int");
	size_t len;
	unsigned char *der = pki_bytes(response, &len);

	memset(res, 0, sizeof(*res));
	res->now = now;
	cos_staple_verify(der, len, leaf, issuer, now, skew, res);
	free(der);
	X509_free(issuer);
	X509_free(leaf);
	return res->status;
}

static enum cos_status verify(const char *response, const char *leaf_name,
			      struct cos_result *res)
{
	return verify_at(response, leaf_name, time(NULL), 300, res);
}

START_TEST(each_response_stops_at_its_step)
{
	const struct verify_case *c = &cases[_i];
	struct cos_result res;
	int failed_step = step_of(c->want);

	verify(c->response, c->leaf, &res);
	ck_assert_msg(res.status == c->want, "%s for %s: got %s (%s), want %s",
		      c->response, c->leaf, cos_status_id(res.status),
		      res.detail, cos_status_id(c->want));
	for (int step = 4; step <= 10; step++) {
		bool passed = (res.steps_passed & COS_STEP_BIT(step)) != 0;

		ck_assert_msg(passed == (step < failed_step), "%s: step %d %s",
			      c->response, step,
			      passed ? "passed" : "did not pass");
	}
}
END_TEST

START_TEST(revoked_carries_time_and_reason)
{
	struct cos_result res;

	verify("revoked.der", "leaf-revoked", &res);
	ck_assert_int_eq(res.staple.cert_status, COS_CERT_REVOKED);
	ck_assert_int_eq(res.staple.revocation_reason,
			 OCSP_REVOKED_STATUS_KEYCOMPROMISE);
	ck_assert_int_eq(res.staple.revoked_at, 1705320000);
	ck_assert_str_eq(res.detail,
			 "2024-01-15 12:00:00 UTC, reason keyCompromise");
}
END_TEST

START_TEST(signer_kind_is_recorded)
{
	struct cos_result res;

	verify("good.der", "leaf", &res);
	ck_assert_int_eq(res.staple.signer_kind, COS_SIGNER_ISSUER);
	ck_assert_str_eq(res.staple.signer, "CN=COS Test Intermediate");
	verify("good-delegated.der", "leaf", &res);
	ck_assert_int_eq(res.staple.signer_kind, COS_SIGNER_DELEGATED);
	ck_assert_str_eq(res.staple.signer, "CN=COS Test OCSP Responder");
}
END_TEST

START_TEST(certid_hash_follows_the_response)
{
	struct cos_result res;

	verify("good.der", "leaf", &res);
	ck_assert_str_eq(res.staple.certid_hash, "SHA1");
	verify("sha256.der", "leaf", &res);
	ck_assert_str_eq(res.staple.certid_hash, "SHA256");
	verify("unknown-hash.der", "leaf", &res);
	ck_assert_str_eq(res.staple.certid_hash, "1.3.14.3.2.99");
}
END_TEST

START_TEST(responder_id_by_key)
{
	struct cos_result res;

	verify("bykey.der", "leaf", &res);
	ck_assert_msg(strncmp(res.staple.responder, "key ", 4) == 0, "%s",
		      res.staple.responder);
	verify("good.der", "leaf", &res);
	ck_assert_str_eq(res.staple.responder, "CN=COS Test Intermediate");
}
END_TEST

START_TEST(times_are_recorded)
{
	struct cos_result res;
	time_t before = time(NULL) - 120;

	verify("warn.der", "leaf", &res);
	ck_assert(res.staple.has_next_update);
	ck_assert_int_ge(res.staple.this_update, before);
	ck_assert_int_eq(res.staple.next_update - res.staple.this_update,
			 720 * 60);
	ck_assert_int_ge(res.staple.produced_at, before);
	verify("nonext.der", "leaf", &res);
	ck_assert(!res.staple.has_next_update);
}
END_TEST

START_TEST(other_cert_names_both_serials)
{
	struct cos_result res;

	verify("other-serial.der", "leaf", &res);
	ck_assert_str_eq(res.staple.other_serial, "10A0000000000005");
	ck_assert_msg(strstr(res.detail, "10A0000000000005") != NULL, "%s",
		      res.detail);
}
END_TEST

/* A signer failure on a staple for another certificate says both. */
START_TEST(signer_failure_hints_at_other_cert)
{
	struct cos_result res;
	X509 *leaf = pki_cert("leaf-ec"), *issuer = pki_cert("int");
	size_t len;
	unsigned char *der = pki_bytes("noeku.der", &len);

	memset(&res, 0, sizeof(res));
	cos_staple_verify(der, len, leaf, issuer, time(NULL), 300, &res);
	ck_assert_int_eq(res.status, COS_E_SIGNER_NO_EKU);
	ck_assert_msg(strstr(res.detail, "another certificate") != NULL, "%s",
		      res.detail);
	free(der);
	X509_free(issuer);
	X509_free(leaf);
}
END_TEST

/* nextUpdate 12 h after thisUpdate: judged at nextUpdate + 200 s. */
START_TEST(skew_tolerates_a_late_clock)
{
	struct cos_result res;
	time_t next;

	verify("warn.der", "leaf", &res);
	next = res.staple.next_update;
	ck_assert_int_eq(verify_at("warn.der", "leaf", next + 200, 300, &res),
			 COS_GOOD);
	ck_assert_int_eq(verify_at("warn.der", "leaf", next + 200, 100, &res),
			 COS_E_EXPIRED);
	ck_assert_int_eq(verify_at("warn.der", "leaf", next + 200, 0, &res),
			 COS_E_EXPIRED);
}
END_TEST

/* thisUpdate is "now" at generation: judged 200 s before it. */
START_TEST(skew_tolerates_an_early_clock)
{
	struct cos_result res;
	time_t this_update;

	verify("good.der", "leaf", &res);
	this_update = res.staple.this_update;
	ck_assert_int_eq(
		verify_at("good.der", "leaf", this_update - 200, 300, &res),
		COS_GOOD);
	ck_assert_int_eq(
		verify_at("good.der", "leaf", this_update - 200, 100, &res),
		COS_E_NOT_YET_VALID);
}
END_TEST

/* The delegated responder's own certificate is checked at "now" too. */
START_TEST(responder_certificate_validity_uses_now)
{
	struct cos_result res;

	ck_assert_int_eq(verify_at("good-delegated.der", "leaf",
				   time(NULL) + 4000L * DAY, 300, &res),
			 COS_E_SIGNER_UNTRUSTED);
	ck_assert_msg(strstr(res.detail, "certificate has expired") != NULL,
		      "%s", res.detail);
}
END_TEST

static STACK_OF(X509) *chain_of(const char *leaf, const char *issuer)
{
	STACK_OF(X509) *chain = sk_X509_new_null();

	sk_X509_push(chain, pki_cert(leaf));
	if (issuer != NULL)
		sk_X509_push(chain, pki_cert(issuer));
	return chain;
}

START_TEST(judge_without_staple)
{
	STACK_OF(X509) *chain = chain_of("leaf", "int");
	struct cos_config cfg;
	struct cos_result res;

	cos_config_init(&cfg);
	memset(&res, 0, sizeof(res));
	cos_staple_judge(NULL, -1, chain, &cfg, time(NULL), NULL, &res);
	ck_assert_int_eq(res.status, COS_E_NO_STAPLE);
	ck_assert(!res.have_staple);
	ck_assert(res.steps_passed & COS_STEP_BIT(2));
	ck_assert(!(res.steps_passed & COS_STEP_BIT(3)));
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(judge_needs_the_issuer_in_the_chain)
{
	STACK_OF(X509) *chain = chain_of("leaf", NULL);
	struct cos_config cfg;
	struct cos_result res;
	size_t len;
	unsigned char *der = pki_bytes("good.der", &len);

	cos_config_init(&cfg);
	memset(&res, 0, sizeof(res));
	cos_staple_judge(der, (long)len, chain, &cfg, time(NULL), NULL,
			 &res);
	ck_assert_int_eq(res.status, COS_E_NO_ISSUER);
	free(der);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

/* The issuer is the verified chain's second certificate, whatever the
 * response embeds: with another CA there, int's signature is not trusted. */
START_TEST(judge_takes_the_issuer_from_the_chain)
{
	STACK_OF(X509) *chain = chain_of("leaf", "other-root");
	struct cos_config cfg;
	struct cos_result res;
	size_t len;
	unsigned char *der = pki_bytes("good.der", &len);

	cos_config_init(&cfg);
	memset(&res, 0, sizeof(res));
	cos_staple_judge(der, (long)len, chain, &cfg, time(NULL), NULL,
			 &res);
	ck_assert_int_eq(res.status, COS_E_SIGNER_UNTRUSTED);
	free(der);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(must_staple_and_urls)
{
	struct cos_cert_info info;
	X509 *ms = pki_cert("leaf-ms"), *plain = pki_cert("leaf"),
	     *nourl = pki_cert("leaf-nourl");

	ck_assert(cos_cert_must_staple(ms));
	ck_assert(!cos_cert_must_staple(plain));
	cos_cert_describe(plain, &info);
	ck_assert_int_eq(info.ocsp_url_count, 1);
	ck_assert_str_eq(info.ocsp_url, "http://127.0.0.1:8888/");
	ck_assert_str_eq(info.serial, "10A0000000000001");
	ck_assert_str_eq(info.subject, "CN=localhost");
	cos_cert_describe(nourl, &info);
	ck_assert_int_eq(info.ocsp_url_count, 0);
	X509_free(ms);
	X509_free(plain);
	X509_free(nourl);
}
END_TEST

static Suite *staple_suite(void)
{
	Suite *s = suite_create("staple");
	TCase *tc = tcase_create("verify");

	tcase_add_unchecked_fixture(tc, pki_make, pki_remove);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, each_response_stops_at_its_step, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, revoked_carries_time_and_reason);
	tcase_add_test(tc, signer_kind_is_recorded);
	tcase_add_test(tc, certid_hash_follows_the_response);
	tcase_add_test(tc, responder_id_by_key);
	tcase_add_test(tc, times_are_recorded);
	tcase_add_test(tc, other_cert_names_both_serials);
	tcase_add_test(tc, signer_failure_hints_at_other_cert);
	tcase_add_test(tc, skew_tolerates_a_late_clock);
	tcase_add_test(tc, skew_tolerates_an_early_clock);
	tcase_add_test(tc, responder_certificate_validity_uses_now);
	tcase_add_test(tc, judge_without_staple);
	tcase_add_test(tc, judge_needs_the_issuer_in_the_chain);
	tcase_add_test(tc, judge_takes_the_issuer_from_the_chain);
	tcase_add_test(tc, must_staple_and_urls);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(staple_suite());
}
