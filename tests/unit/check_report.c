/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_report.c - from a result to the plugin's output: the exit matrix
 * (SPEC 4), thresholds, the status line, perfdata, long output and its
 * sanitization, and the names and messages of every status.
 */
#include <check.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "runner.h"

#define NOW ((time_t)1800000000)

/* A good staple judged at NOW: thisUpdate an hour ago, nextUpdate in left
 * seconds (none when left < 0). */
static struct cos_result good_result(long left)
{
	struct cos_result res;

	memset(&res, 0, sizeof(res));
	res.status = COS_GOOD;
	res.now = NOW;
	res.elapsed = 0.012;
	res.cert.present = true;
	res.cert.not_after = NOW + 400 * 86400;
	res.name_checked = true;
	res.cert.ocsp_url_count = 1;
	snprintf(res.cert.subject, sizeof(res.cert.subject), "CN=localhost");
	snprintf(res.cert.ocsp_url, sizeof(res.cert.ocsp_url),
		 "http://ocsp.test/");
	res.have_staple = true;
	res.staple.parsed = true;
	res.staple.matched = true;
	res.staple.this_update = NOW - 3600;
	res.staple.produced_at = NOW - 3600;
	res.staple.has_next_update = left >= 0;
	res.staple.next_update = NOW + left;
	res.staple.revocation_reason = -1;
	return res;
}

static struct cos_result failed_result(enum cos_status status)
{
	struct cos_result res = good_result(7 * 86400);

	res.status = status;
	if (status == COS_E_NO_STAPLE) {
		res.have_staple = false;
		memset(&res.staple, 0, sizeof(res.staple));
	}
	return res;
}

/* Runs cos_report with -v verbosity times and returns its state; *first
 * gets the status line. */
static enum cos_state report_v(const struct cos_result *res,
			       const struct cos_policy *policy, int verbosity,
			       char *first, size_t len, struct cos_text *out)
{
	enum cos_state state;
	size_t n;

	memset(out, 0, sizeof(*out));
	state = cos_report(res, policy, verbosity, out);
	ck_assert(!out->failed);
	n = strcspn(out->buf, "\n");
	ck_assert_uint_lt(n, len);
	memcpy(first, out->buf, n);
	first[n] = '\0';
	return state;
}

/* The same without -v. */
static enum cos_state report(const struct cos_result *res,
			     const struct cos_policy *policy, char *first,
			     size_t len, struct cos_text *out)
{
	return report_v(res, policy, 0, first, len, out);
}

static int lines_of(const char *text)
{
	int n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

static enum cos_state state_of(const struct cos_result *res,
			       const struct cos_policy *policy)
{
	char first[1024];
	struct cos_text out;
	enum cos_state state = report(res, policy, first, sizeof(first), &out);

	cos_text_free(&out);
	return state;
}

/* The summary the status line leads with (until the next call). */
static const char *summary_of(const struct cos_result *res,
			      const struct cos_policy *policy)
{
	static struct cos_judgement j;

	cos_judge(res, policy, &j);
	return j.summary;
}

START_TEST(good_staple_is_ok_with_perfdata)
{
	struct cos_result res = good_result(7 * 86400);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	cos_policy_init(&policy);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_OK);
	ck_assert_str_eq(
		first, "OCSP STAPLE OK - certificate good, next update in 7d, "
		       "staple 1h old | next_update=604800s;86400:;14400: "
		       "staple_age=3600s cert_expiry=34560000s time=0.012000s");
	/* Without -v, a line for each part judged; -v gives every detail. */
	ck_assert_ptr_nonnull(
		strstr(out.buf, "\nCertificate: CN=localhost, issued by "));
	ck_assert_ptr_nonnull(strstr(out.buf, "\nStaple: certificate good, "));
	ck_assert_ptr_nonnull(strstr(out.buf, ", nextUpdate 2027-01-22 "));
	ck_assert_ptr_null(strstr(out.buf, "\nnextUpdate: "));
	ck_assert_int_le(lines_of(out.buf), 8);
	cos_text_free(&out);
	report_v(&res, &policy, 1, first, sizeof(first), &out);
	ck_assert_ptr_nonnull(strstr(out.buf, "\nCertificate: CN=localhost\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "\nnextUpdate: 2027-01-22 "));
	cos_text_free(&out);
}
END_TEST

START_TEST(default_thresholds)
{
	struct cos_policy policy;
	struct cos_result at_1d = good_result(86400),
			  below_1d = good_result(86399),
			  at_4h = good_result(14400),
			  below_4h = good_result(14399);

	cos_policy_init(&policy);
	ck_assert_int_eq(state_of(&at_1d, &policy), COS_OK);
	ck_assert_int_eq(state_of(&below_1d, &policy), COS_WARNING);
	ck_assert_int_eq(state_of(&at_4h, &policy), COS_WARNING);
	ck_assert_int_eq(state_of(&below_4h, &policy), COS_CRITICAL);
}
END_TEST

START_TEST(threshold_words_on_the_status_line)
{
	struct cos_result res = good_result(12 * 3600);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	cos_policy_init(&policy);
	report(&res, &policy, first, sizeof(first), &out);
	ck_assert_msg(strstr(first,
			     "OCSP STAPLE WARNING - certificate good, next "
			     "update in 12h, staple 1h old (warning: less "
			     "than 1d left) |") == first,
		      "%s", first);
	cos_text_free(&out);
	cos_range_parse(&policy.next_warn, "@10h:14h", COS_RANGE_PLAIN);
	report(&res, &policy, first, sizeof(first), &out);
	ck_assert_ptr_nonnull(strstr(
		first, "(warning: next_update inside range @36000:50400)"));
	ck_assert_ptr_nonnull(
		strstr(first, "next_update=43200s;@36000:50400;14400:"));
	cos_text_free(&out);
}
END_TEST

START_TEST(age_thresholds)
{
	struct cos_result res = good_result(7 * 86400);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	cos_policy_init(&policy);
	cos_range_parse(&policy.age_warn, "30m", COS_RANGE_AGE);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_WARNING);
	ck_assert_ptr_nonnull(strstr(first, "(warning: older than 30m)"));
	ck_assert_ptr_nonnull(strstr(first, "staple_age=3600s;~:1800 "));
	cos_text_free(&out);
	cos_range_parse(&policy.age_crit, "59m", COS_RANGE_AGE);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_ptr_nonnull(strstr(first, "staple_age=3600s;~:1800;~:3540 "));
	cos_text_free(&out);
}
END_TEST

START_TEST(no_next_update_policy)
{
	struct cos_result res = good_result(-1);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	cos_policy_init(&policy);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_WARNING);
	ck_assert_str_eq(
		first, "OCSP STAPLE WARNING - certificate good, staple without "
		       "nextUpdate, 1h old (warning: no nextUpdate) | "
		       "staple_age=3600s cert_expiry=34560000s time=0.012000s");
	cos_text_free(&out);
	policy.no_next_update = COS_OK;
	ck_assert_int_eq(state_of(&res, &policy), COS_OK);
	/* The age thresholds then judge freshness alone. */
	cos_range_parse(&policy.age_crit, "1m", COS_RANGE_AGE);
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
	policy.no_next_update = COS_CRITICAL;
	policy.age_crit.set = false;
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
}
END_TEST

struct matrix_case {
	enum cos_status status;
	enum cos_state want;
};

/* SPEC 4 with the default policy. */
static const struct matrix_case matrix[] = {
	{COS_E_NOMEM, COS_UNKNOWN},
	{COS_E_LOCAL, COS_UNKNOWN},
	{COS_E_INTERNAL, COS_UNKNOWN},
	{COS_E_TRUST_STORE, COS_UNKNOWN},
	{COS_E_READ_CERT, COS_UNKNOWN},
	{COS_E_READ_RESPONSE, COS_UNKNOWN},
	{COS_E_TLS_SETTINGS, COS_UNKNOWN},
	{COS_E_NO_ISSUER, COS_CRITICAL},
	{COS_E_CACHE_DIR, COS_UNKNOWN},
	{COS_E_READ_CRL, COS_UNKNOWN},
	{COS_E_RESOLVE, COS_CRITICAL},
	{COS_E_CONNECT, COS_CRITICAL},
	{COS_E_STARTTLS, COS_CRITICAL},
	{COS_E_NO_STARTTLS, COS_CRITICAL},
	{COS_E_TIMEOUT, COS_CRITICAL},
	{COS_E_TLS, COS_CRITICAL},
	/* Alone (every key type lacking); in a pool it is only noted. */
	{COS_E_NO_SUCH_CERT, COS_CRITICAL},
	/* The responder's statuses stand only in res->responder; were one
	 * the check's own, it would be a failure like any other. */
	{COS_E_NO_RESPONDER_URL, COS_CRITICAL},
	{COS_E_HTTP, COS_CRITICAL},
	{COS_E_HTTP_STATUS, COS_CRITICAL},
	{COS_E_HTTP_REDIRECT, COS_CRITICAL},
	{COS_E_TOO_LARGE, COS_CRITICAL},
	{COS_E_HTTP_CONTENT_TYPE, COS_CRITICAL},
	{COS_E_NO_CRL_DP, COS_CRITICAL},
	{COS_E_CRL_MALFORMED, COS_CRITICAL},
	{COS_E_CRL_ISSUER, COS_CRITICAL},
	{COS_E_CRL_SIGNATURE, COS_CRITICAL},
	{COS_E_CRL_INDIRECT, COS_CRITICAL},
	{COS_E_CRL_SCOPE, COS_CRITICAL},
	{COS_E_CRL_DELTA, COS_CRITICAL},
	{COS_E_CHAIN, COS_CRITICAL},
	{COS_E_HOSTNAME, COS_CRITICAL},
	{COS_E_NO_STAPLE, COS_CRITICAL},
	{COS_E_EMPTY, COS_CRITICAL},
	{COS_E_MALFORMED, COS_CRITICAL},
	{COS_E_TRAILING_DATA, COS_CRITICAL},
	{COS_E_NOT_DER, COS_CRITICAL},
	{COS_E_RESPONSE_STATUS, COS_CRITICAL},
	{COS_E_NOT_BASIC, COS_CRITICAL},
	{COS_E_CRITICAL_EXTENSION, COS_CRITICAL},
	{COS_E_SIGNER_NOT_FOUND, COS_CRITICAL},
	{COS_E_BAD_SIGNATURE, COS_CRITICAL},
	{COS_E_SIGNER_UNTRUSTED, COS_CRITICAL},
	{COS_E_SIGNER_NO_EKU, COS_CRITICAL},
	{COS_E_SIGNER_NOT_AUTHORIZED, COS_CRITICAL},
	{COS_E_WEAK_SIGNATURE, COS_CRITICAL},
	{COS_E_CERTID_HASH, COS_CRITICAL},
	{COS_E_OTHER_CERT, COS_CRITICAL},
	{COS_E_OTHER_ISSUER, COS_CRITICAL},
	{COS_E_CONFLICT, COS_CRITICAL},
	{COS_E_BAD_TIME, COS_CRITICAL},
	{COS_E_NOT_YET_VALID, COS_CRITICAL},
	{COS_E_EXPIRED, COS_CRITICAL},
	{COS_E_NEXT_BEFORE_THIS, COS_CRITICAL},
	{COS_E_PRODUCED_FUTURE, COS_CRITICAL},
	{COS_E_REVOKED, COS_CRITICAL},
	{COS_E_ON_HOLD, COS_CRITICAL},
	{COS_E_STATUS_UNKNOWN, COS_CRITICAL},
};

START_TEST(exit_matrix_defaults)
{
	struct cos_result res = failed_result(matrix[_i].status);
	struct cos_policy policy;

	cos_policy_init(&policy);
	ck_assert_msg(state_of(&res, &policy) == matrix[_i].want, "%s",
		      cos_status_id(matrix[_i].status));
}
END_TEST

/* Each status once: a count alone would let a duplicate hide a gap. */
START_TEST(exit_matrix_covers_every_status)
{
	const size_t n = sizeof(matrix) / sizeof(matrix[0]);

	for (int status = COS_GOOD + 1; status < COS_STATUS_COUNT; status++) {
		int seen = 0;

		for (size_t i = 0; i < n; i++)
			seen += matrix[i].status == (enum cos_status)status;
		ck_assert_msg(seen == 1, "%s is in the matrix %d times",
			      cos_status_id((enum cos_status)status), seen);
	}
	ck_assert_int_eq(n, COS_STATUS_COUNT - 1);
}
END_TEST

START_TEST(absent_staple_policies)
{
	struct cos_result res = failed_result(COS_E_NO_STAPLE);
	struct cos_policy policy;

	cos_policy_init(&policy);
	policy.no_staple = COS_WARNING;
	ck_assert_int_eq(state_of(&res, &policy), COS_WARNING);
	/* must-staple: CRITICAL whatever the options say */
	res.cert.must_staple = true;
	policy.no_staple = COS_OK;
	policy.no_ocsp_url = COS_OK;
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
	res.cert.ocsp_url_count = 0;
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
	/* no OCSP URL: its own state, OK by default */
	res.cert.must_staple = false;
	cos_policy_init(&policy);
	ck_assert_int_eq(state_of(&res, &policy), COS_OK);
	policy.no_ocsp_url = COS_UNKNOWN;
	ck_assert_int_eq(state_of(&res, &policy), COS_UNKNOWN);
}
END_TEST

START_TEST(timeout_state_is_settable)
{
	struct cos_result res = failed_result(COS_E_TIMEOUT);
	struct cos_policy policy;

	cos_policy_init(&policy);
	policy.timeout = COS_WARNING;
	ck_assert_int_eq(state_of(&res, &policy), COS_WARNING);
}
END_TEST

/* Thresholds judge a good staple only: a revoked one stays CRITICAL. */
START_TEST(failure_ignores_thresholds)
{
	struct cos_result res = failed_result(COS_E_REVOKED);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	snprintf(res.detail, sizeof(res.detail),
		 "2024-01-15 12:00:00 UTC, reason keyCompromise");
	cos_policy_init(&policy);
	cos_range_parse(&policy.next_warn, "~:0", COS_RANGE_PLAIN);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_msg(
		strstr(first,
		       "OCSP STAPLE CRITICAL - certificate revoked: "
		       "2024-01-15 12:00:00 UTC, reason keyCompromise | ") ==
			first,
		"%s", first);
	cos_text_free(&out);
}
END_TEST

/* Server-controlled text cannot add lines or perfdata. */
START_TEST(server_text_is_sanitized)
{
	struct cos_result res = failed_result(COS_E_CHAIN);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];
	int lines = 0, pipes = 0;

	snprintf(res.detail, sizeof(res.detail),
		 "bad\nOCSP STAPLE OK - fine | x=1s\r\x1b[0m\x7f");
	snprintf(res.cert.subject, sizeof(res.cert.subject),
		 "CN=evil|x\nOCSP STAPLE OK - fine\tz");
	cos_policy_init(&policy);
	report(&res, &policy, first, sizeof(first), &out);
	ck_assert_str_eq(first,
			 "OCSP STAPLE CRITICAL - server certificate chain does "
			 "not verify: bad?OCSP STAPLE OK - fine / x=1s??[0m? | "
			 "next_update=604800s;86400:;14400: staple_age=3600s "
			 "cert_expiry=34560000s time=0.012000s");
	for (const char *p = out.buf; *p; p++) {
		lines += *p == '\n';
		pipes += *p == '|';
		ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n',
			      "control byte");
	}
	ck_assert_int_eq(pipes, 1);
	ck_assert_ptr_nonnull(strstr(
		out.buf, "\nCertificate: CN=evil/x?OCSP STAPLE OK - fine?z, "));
	ck_assert_int_gt(lines, 3);
	cos_text_free(&out);
}
END_TEST

/* A file that cannot be read is one line, as a bad command line; -v still
 * adds the long output. */
static const enum cos_status input_errors[] = {
	COS_E_TRUST_STORE,
	COS_E_READ_CERT,
	COS_E_READ_RESPONSE,
};

START_TEST(input_error_is_one_line)
{
	struct cos_result res = failed_result(input_errors[_i]);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];
	int lines = 0;

	snprintf(res.detail, sizeof(res.detail), "--cert /x: no such file");
	cos_policy_init(&policy);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_UNKNOWN);
	for (const char *p = out.buf; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 1);
	ck_assert_ptr_nonnull(strstr(first, ": --cert /x: no such file | "));
	cos_text_free(&out);
	memset(&out, 0, sizeof(out));
	cos_report(&res, &policy, 1, &out);
	ck_assert_ptr_nonnull(strstr(out.buf, "\nChecks passed: "));
	cos_text_free(&out);
}
END_TEST

START_TEST(sanitize_truncates)
{
	char small[6];

	cos_sanitize(small, sizeof(small), "a|b\nc-d-e");
	ck_assert_str_eq(small, "a/b?c");
}
END_TEST

/* Hostile server text, as the status line and the long output show it
 * (SPEC 9): ASCII with \xNN on the first, clean UTF-8 on the rest. */
struct hostile_text {
	const char *raw;
	const char *status_line;
	const char *long_output;
};

static const struct hostile_text hostile_texts[] = {
	{"plain", "plain", "plain"},
	{"a|b", "a/b", "a/b"},
	{"x\ny\rz\tw", "x?y?z?w", "x?y?z?w"},
	{"del\x7f", "del?", "del?"},
	{"caf\xc3\xa9", "caf\\xC3\\xA9", "caf\xc3\xa9"},
	{"\xe2\x82\xac"
	 "5",
	 "\\xE2\\x82\\xAC5",
	 "\xe2\x82\xac"
	 "5"},
	{"nel\xc2\x85x", "nel\\xC2\\x85x", "nel?x"},
	{"csi\xc2\x9bx", "csi\\xC2\\x9Bx", "csi?x"},
	{"ls\xe2\x80\xa8x", "ls\\xE2\\x80\\xA8x", "ls?x"},
	{"ps\xe2\x80\xa9x", "ps\\xE2\\x80\\xA9x", "ps?x"},
	{"rlo\xe2\x80\xaex", "rlo\\xE2\\x80\\xAEx", "rlo?x"},
	{"lri\xe2\x81\xa6x", "lri\\xE2\\x81\\xA6x", "lri?x"},
	{"rlm\xe2\x80\x8fx", "rlm\\xE2\\x80\\x8Fx", "rlm?x"},
	{"bad\xff", "bad\\xFF", "bad\\xFF"},
	{"overlong\xc0\xaf", "overlong\\xC0\\xAF", "overlong\\xC0\\xAF"},
	{"surrogate\xed\xa0\x80", "surrogate\\xED\\xA0\\x80",
	 "surrogate\\xED\\xA0\\x80"},
	{"beyond\xf4\x90\x80\x80", "beyond\\xF4\\x90\\x80\\x80",
	 "beyond\\xF4\\x90\\x80\\x80"},
	{"cut\xc3", "cut\\xC3", "cut\\xC3"},
	{"\xf0\x9f\x94\x92", "\\xF0\\x9F\\x94\\x92", "\xf0\x9f\x94\x92"},
};

START_TEST(hostile_text_is_shown_safely)
{
	const struct hostile_text *t = &hostile_texts[_i];
	char line[256], longer[256];

	cos_sanitize(line, sizeof(line), t->raw);
	cos_sanitize_utf8(longer, sizeof(longer), t->raw);
	ck_assert_str_eq(line, t->status_line);
	ck_assert_str_eq(longer, t->long_output);
	for (const char *p = line; *p != '\0'; p++)
		ck_assert((unsigned char)*p >= 0x20 &&
			  (unsigned char)*p < 0x7f);
}
END_TEST

/* What does not fit is cut between characters, and between escapes. */
START_TEST(truncation_never_splits_a_character)
{
	char five[5], seven[7];

	cos_sanitize_utf8(five, sizeof(five), "ab\xc3\xa9z");
	ck_assert_str_eq(five, "ab\xc3\xa9");
	cos_sanitize_utf8(five, sizeof(five), "abc\xc3\xa9");
	ck_assert_str_eq(five, "abc");
	cos_sanitize(seven, sizeof(seven), "ab\xc3\xa9");
	ck_assert_str_eq(seven, "ab");
	ck_assert_int_eq(cos_utf8_fit("ab\xe2\x82\xac", 4), 2);
	ck_assert_int_eq(cos_utf8_fit("ab\xe2\x82\xac", 5), 5);
	ck_assert_int_eq(cos_utf8_fit("a\xff"
				      "b",
				      2),
			 2);
}
END_TEST

/* Names that cannot be converted to UTF-8 say so instead of printing as
 * nothing; a cut name ends on a whole character. */
static X509_NAME *name_with(int type, const unsigned char *bytes, int len)
{
	X509_NAME *name = X509_NAME_new();

	ck_assert_ptr_nonnull(name);
	ck_assert(X509_NAME_add_entry_by_txt(name, "CN", type, bytes, len, -1,
					     0));
	return name;
}

START_TEST(unprintable_names_say_so)
{
	static const unsigned char bad_utf8[] = {'a', 0xff, 'b'};
	static const unsigned char lone_surrogate[] = {0xd8, 0x00, 0x00, 'a'};
	static const unsigned char beyond[] = {0x00, 0x11, 0x00, 0x00};
	struct {
		int type;
		const unsigned char *bytes;
		int len;
		const char *shown; /* in the long output */
	} names[] = {
		{V_ASN1_UTF8STRING, bad_utf8, sizeof(bad_utf8), "CN=a\\xFFb"},
		{V_ASN1_BMPSTRING, lone_surrogate, sizeof(lone_surrogate),
		 "(unprintable)"},
		{V_ASN1_UNIVERSALSTRING, beyond, sizeof(beyond),
		 "(unprintable)"},
	};
	unsigned char long_name[300];
	char buf[COS_TEXT_MAX], shown[4 * COS_TEXT_MAX];
	X509_NAME *name;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		name = name_with(names[i].type, names[i].bytes, names[i].len);
		cos_name_format(name, buf, sizeof(buf));
		cos_sanitize_utf8(shown, sizeof(shown), buf);
		ck_assert_msg(strcmp(shown, names[i].shown) == 0,
			      "name %zu reads '%s'", i, shown);
		X509_NAME_free(name);
	}
	/* 300 bytes of U+00E9: cut at 255 bytes, between two characters. */
	for (size_t i = 0; i < sizeof(long_name); i += 2) {
		long_name[i] = 0xc3;
		long_name[i + 1] = 0xa9;
	}
	name = name_with(V_ASN1_UTF8STRING, long_name, sizeof(long_name));
	cos_name_format(name, buf, sizeof(buf));
	ck_assert_int_eq(cos_utf8_fit(buf, strlen(buf)), strlen(buf));
	ck_assert_int_gt(strlen(buf), 200);
	X509_NAME_free(name);
}
END_TEST

/* An allocation that failed anywhere in OpenSSL's error queue makes the
 * failure this machine's, whatever else the queue holds. */
START_TEST(openssl_malloc_failure_is_local)
{
	char why[COS_TEXT_MAX];

	ERR_clear_error();
	ERR_raise(ERR_LIB_ASN1, ERR_R_MALLOC_FAILURE);
	ERR_raise(ERR_LIB_SSL, SSL_R_BAD_PACKET_LENGTH);
	ck_assert_int_eq(cos_openssl_error(COS_E_TLS, why, sizeof(why)),
			 COS_E_NOMEM);
	ck_assert_str_eq(why, "OpenSSL could not allocate memory");
	ck_assert_int_eq(ERR_peek_error(), 0);
	/* Without one, the verdict stands, with the last reason. */
	ERR_raise(ERR_LIB_SSL, SSL_R_BAD_PACKET_LENGTH);
	ck_assert_int_eq(cos_openssl_error(COS_E_TLS, why, sizeof(why)),
			 COS_E_TLS);
}
END_TEST

START_TEST(statuses_have_distinct_messages)
{
	for (int a = 0; a < COS_STATUS_COUNT; a++) {
		ck_assert(cos_strerror(a)[0] != '\0');
		ck_assert(cos_status_id(a)[0] != '\0');
		for (int b = 0; b < a; b++) {
			ck_assert_str_ne(cos_strerror(a), cos_strerror(b));
			ck_assert_str_ne(cos_status_id(a), cos_status_id(b));
		}
	}
	ck_assert_str_eq(cos_strerror(COS_STATUS_COUNT), "unknown status");
}
END_TEST

START_TEST(states_parse_and_rank)
{
	enum cos_state s;

	ck_assert_int_eq(cos_state_parse("warning", &s), 0);
	ck_assert_int_eq(s, COS_WARNING);
	ck_assert_int_eq(cos_state_parse("CRITICAL", &s), 0);
	ck_assert_int_eq(s, COS_CRITICAL);
	ck_assert_int_eq(cos_state_parse("3", &s), 0);
	ck_assert_int_eq(s, COS_UNKNOWN);
	ck_assert_int_eq(cos_state_parse("0", &s), 0);
	ck_assert_int_eq(s, COS_OK);
	ck_assert_int_ne(cos_state_parse("4", &s), 0);
	ck_assert_int_ne(cos_state_parse("", &s), 0);
	ck_assert_int_ne(cos_state_parse("WARN", &s), 0);
	ck_assert_int_eq(cos_state_worst(COS_OK, COS_WARNING), COS_WARNING);
	ck_assert_int_eq(cos_state_worst(COS_UNKNOWN, COS_WARNING),
			 COS_UNKNOWN);
	ck_assert_int_eq(cos_state_worst(COS_UNKNOWN, COS_CRITICAL),
			 COS_CRITICAL);
	ck_assert_int_eq(cos_state_worst(COS_CRITICAL, COS_UNKNOWN),
			 COS_CRITICAL);
}
END_TEST

struct duration_case {
	double seconds;
	const char *text;
};

/* Two units at the most, the total rounded to the smaller one. */
static const struct duration_case durations[] = {
	{0, "0s"},	  {59, "59s"},	    {60, "1m"},
	{61, "1m 1s"},	  {3600, "1h"},	    {3661, "1h 1m"},
	{86400, "1d"},	  {90061, "1d 1h"}, {86460, "1d"},
	{604799, "7d"},	  {604797, "7d"},   {-259200, "3d"},
	{-259197, "3d"},  {0.9, "1s"},	    {0.4, "0s"},
	{59.6, "1m"},	  {5399, "1h 30m"}, {5369, "1h 29m"},
	{89999, "1d 1h"}, {43197, "12h"},   {3599.5, "1h"},
	{88200, "1d 1h"}, {88199, "1d"},    {1e300, "11574074074d 2h"},
};

START_TEST(durations_read_well)
{
	char buf[32];

	cos_duration_format(durations[_i].seconds, buf, sizeof(buf));
	ck_assert_str_eq(buf, durations[_i].text);
}
END_TEST

START_TEST(times_format_in_utc)
{
	char buf[64];

	cos_time_format(1705320000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2024-01-15 12:00:00 UTC");
}
END_TEST

/* ASN.1 times read back as the epoch seconds they were made from, over
 * 1900 to 9999 (the leap years of 1900, 2000 and 2100 among them), in
 * steps that land on every month, day and second of the day in turn. */
START_TEST(asn1_times_read_back)
{
	ASN1_TIME *t = ASN1_TIME_new();
	const time_t first = -2208988800, last = 253402300799;
	time_t got;
	long n = 0;

	ck_assert_ptr_nonnull(t);
	for (time_t e = first; e <= last; e += 86400 * 61 + 3671, n++) {
		ck_assert_ptr_nonnull(ASN1_TIME_set(t, e));
		ck_assert_int_eq(cos_asn1_time_to_epoch(t, &got), 0);
		ck_assert_msg(got == e, "%lld read back as %lld", (long long)e,
			      (long long)got);
	}
	ck_assert_ptr_nonnull(ASN1_TIME_set(t, last));
	ck_assert_int_eq(cos_asn1_time_to_epoch(t, &got), 0);
	ck_assert(got == last);
	ck_assert_int_gt(n, 40000);
	ASN1_TIME_free(t);
}
END_TEST

START_TEST(text_grows)
{
	struct cos_text t = {NULL, 0, 0, false};

	for (int i = 0; i < 1000; i++)
		cos_text_printf(&t, "%04d,", i);
	ck_assert_uint_eq(t.len, 5000);
	ck_assert(strncmp(t.buf + 4995, "0999,", 5) == 0);
	cos_text_free(&t);
	ck_assert_ptr_null(t.buf);
}
END_TEST

/* A pool of n addresses 127.0.0.1, 127.0.0.2, ... with the given
 * results; the pool itself failed as its first failing address. */
static struct cos_result pool_of(struct cos_result *each, size_t n)
{
	struct cos_result pool;

	memset(&pool, 0, sizeof(pool));
	pool.now = NOW;
	pool.elapsed = 0.02;
	pool.addresses = each;
	pool.address_count = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(each[i].address, sizeof(each[i].address),
			 "127.0.0.%zu", i + 1);
		/* As pool.c names an address of -A alone. */
		memcpy(each[i].label, each[i].address, sizeof(each[i].address));
		if (pool.status == COS_GOOD)
			pool.status = each[i].status;
	}
	return pool;
}

START_TEST(pool_reports_the_failing_address)
{
	struct cos_result each[3] = {good_result(7 * 86400),
				     failed_result(COS_E_NO_STAPLE),
				     good_result(6 * 86400)};
	struct cos_result pool = pool_of(each, 3);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	cos_policy_init(&policy);
	ck_assert_int_eq(report(&pool, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_str_eq(first,
			 "OCSP STAPLE CRITICAL - 2 of 3 addresses staple; "
			 "127.0.0.2: no OCSP staple; the certificate names an "
			 "OCSP responder | next_update=518400s;86400:;14400: "
			 "staple_age=3600s cert_expiry=34560000s "
			 "time=0.020000s");
	ck_assert_ptr_nonnull(strstr(
		out.buf, "\nAddress 127.0.0.1: OK - certificate good, next "
			 "update in 7d, staple 1h old\nAddress 127.0.0.2: "
			 "CRITICAL - no OCSP staple; the certificate names an "
			 "OCSP responder\nAddress 127.0.0.3: OK - "));
	ck_assert_ptr_nonnull(strstr(out.buf, "\nDetails of 127.0.0.2:\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "\nFailed: no OCSP staple"));
	cos_text_free(&out);
}
END_TEST

START_TEST(pool_all_good_names_the_least_time_left)
{
	struct cos_result each[3] = {good_result(7 * 86400),
				     good_result(5 * 86400),
				     good_result(6 * 86400)};
	struct cos_result pool = pool_of(each, 3);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	cos_policy_init(&policy);
	ck_assert_int_eq(report(&pool, &policy, first, sizeof(first), &out),
			 COS_OK);
	ck_assert_msg(strstr(first, "OCSP STAPLE OK - 3 of 3 addresses "
				    "staple; certificate good, next update "
				    "in 5d, staple 1h old | "
				    "next_update=432000s;") == first,
		      "%s", first);
	ck_assert_ptr_nonnull(strstr(out.buf, "\nDetails of 127.0.0.2:\n"));
	cos_text_free(&out);
}
END_TEST

START_TEST(pool_orders_states_then_problems)
{
	struct cos_result each[3] = {good_result(7 * 86400),
				     failed_result(COS_E_NO_STAPLE),
				     good_result(12 * 3600)};
	struct cos_result pool;
	struct cos_policy policy;
	struct cos_judgement j;
	size_t worst;

	/* A WARNING address beats an OK one that is not applicable. */
	each[1].cert.ocsp_url_count = 0;
	pool = pool_of(each, 3);
	cos_policy_init(&policy);
	cos_judge_pool(&pool, &policy, &j, &worst);
	ck_assert_int_eq(j.state, COS_WARNING);
	ck_assert_uint_eq(worst, 2);
	ck_assert_msg(strstr(j.summary, "2 of 3 addresses staple; 127.0.0.3: "
					"certificate good, next update in "
					"12h") == j.summary,
		      "%s", j.summary);
	/* At equal states, a problem is named before a good staple. */
	each[2] = good_result(7 * 86400);
	pool = pool_of(each, 3);
	cos_judge_pool(&pool, &policy, &j, &worst);
	ck_assert_int_eq(j.state, COS_OK);
	ck_assert_uint_eq(worst, 1);
	ck_assert_msg(strstr(j.summary, "2 of 3 addresses staple; 127.0.0.2: "
					"no OCSP staple; stapling not "
					"applicable") == j.summary,
		      "%s", j.summary);
	/* CRITICAL ranks above UNKNOWN, which ranks above OK. */
	each[0] = failed_result(COS_E_TLS_SETTINGS);
	each[2] = failed_result(COS_E_EXPIRED);
	pool = pool_of(each, 3);
	cos_judge_pool(&pool, &policy, &j, &worst);
	ck_assert_int_eq(j.state, COS_CRITICAL);
	ck_assert_uint_eq(worst, 2);
}
END_TEST

/* TLS 1.3's staple for an intermediate: revoked or failed is CRITICAL and
 * leads the status line, by depth and subject; good says nothing there. */
START_TEST(chain_staples_judged)
{
	struct cos_result res = good_result(7 * 86400);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];
	struct cos_chain_staple *c = &res.chain_staples[0];

	cos_policy_init(&policy);
	res.chain_staple_count = 1;
	c->depth = 1;
	snprintf(c->subject, sizeof(c->subject), "CN=Int");
	c->status = COS_GOOD;
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_OK);
	ck_assert_ptr_nonnull(strstr(first, "OK - certificate good"));
	ck_assert_ptr_nonnull(strstr(out.buf, "\nStaple for depth 1 (CN=Int): "
					      "certificate good\n"));
	cos_text_free(&out);
	c->status = COS_E_REVOKED;
	c->revoked_at = NOW - 86400;
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_ptr_nonnull(strstr(first,
				     "CRITICAL - staple for depth 1 (CN=Int): "
				     "certificate revoked since "));
	ck_assert_ptr_nonnull(strstr(first, "; certificate good"));
	cos_text_free(&out);
	c->status = COS_E_MALFORMED;
	snprintf(c->detail, sizeof(c->detail),
		 "the Certificate message has two status_request extensions "
		 "for it");
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_ptr_nonnull(strstr(first, "staple for depth 1 (CN=Int): "
					    "staple is not a well-formed OCSP "
					    "response"));
	ck_assert_ptr_nonnull(strstr(out.buf, "two status_request extensions"));
	cos_text_free(&out);
}
END_TEST

START_TEST(pool_says_what_it_left_out)
{
	struct cos_result each[1] = {good_result(7 * 86400)};
	struct cos_result pool = pool_of(each, 1);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	pool.addresses_skipped = 4;
	cos_policy_init(&policy);
	report(&pool, &policy, first, sizeof(first), &out);
	ck_assert_ptr_nonnull(
		strstr(out.buf, "\nNot checked: 4 more handshakes (a check "
				"makes 32 at the most)\n"));
	cos_text_free(&out);
}
END_TEST

START_TEST(retried_absence_counts_handshakes)
{
	struct cos_result res = failed_result(COS_E_NO_STAPLE);
	struct cos_policy policy;
	struct cos_text out;
	char first[1024];

	res.attempts = 3;
	snprintf(res.peer, sizeof(res.peer), "192.0.2.7:443");
	cos_policy_init(&policy);
	report(&res, &policy, first, sizeof(first), &out);
	ck_assert_msg(strstr(first, "OCSP STAPLE CRITICAL - no OCSP staple in "
				    "3 handshakes; the certificate names an "
				    "OCSP responder |") == first,
		      "%s", first);
	ck_assert_ptr_nonnull(strstr(
		out.buf, "\nConnected to 192.0.2.7:443 (3 handshakes: --retries)\n"));
	cos_text_free(&out);
}
END_TEST

/* A result whose responder answered with status, its thisUpdate lag
 * seconds after the staple's. */
static struct cos_result with_responder(struct cos_result res,
					enum cos_status status, long lag)
{
	res.responder.asked = true;
	res.responder.status = status;
	snprintf(res.responder.url, sizeof(res.responder.url),
		 "http://ocsp.test/");
	res.responder.elapsed = 0.25;
	res.responder.answer.parsed = true;
	res.responder.answer.matched =
		status == COS_GOOD || status == COS_E_REVOKED;
	res.responder.answer.this_update = res.staple.this_update + lag;
	res.responder.answer.has_next_update = true;
	res.responder.answer.next_update = NOW + 86400;
	res.responder.answer.revocation_reason = -1;
	if (status == COS_E_REVOKED) {
		res.responder.answer.cert_status = COS_CERT_REVOKED;
		res.responder.answer.revoked_at = NOW - 600;
		res.responder.answer.revocation_reason = 1;
	}
	return res;
}

START_TEST(responder_revoked_beats_a_good_staple)
{
	struct cos_result res =
		with_responder(good_result(7 * 86400), COS_E_REVOKED, 60);
	struct cos_policy policy;
	struct cos_text out = {NULL, 0, 0, false};
	char first[1024];

	cos_policy_init(&policy);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_msg(strstr(first, "CRITICAL - certificate revoked "
				    "(responder) since 2027-01-15 07:50:00 "
				    "UTC, reason keyCompromise; the server "
				    "staples a good response from "
				    "2027-01-15 07:00:00 UTC") != NULL,
		      "%s", first);
	ck_assert_ptr_nonnull(strstr(first, " staple_lag=60s "));
	ck_assert_ptr_nonnull(strstr(first, " responder_time=0.250000s "));
	ck_assert_ptr_nonnull(strstr(out.buf, "\nResponder: "));
	ck_assert_ptr_nonnull(strstr(out.buf, ": certificate revoked at "
					      "2027-01-15 07:50:00 UTC, reason "
					      "keyCompromise\n"));
	cos_text_free(&out);
	/* and with no staple at all */
	res = with_responder(failed_result(COS_E_NO_STAPLE), COS_E_REVOKED, 0);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_CRITICAL);
	ck_assert_ptr_nonnull(strstr(first, "reason keyCompromise; the server "
					    "staples nothing |"));
	ck_assert_ptr_null(strstr(first, "staple_lag"));
	cos_text_free(&out);
}
END_TEST

START_TEST(responder_failure_never_hides_the_staple)
{
	struct cos_result res =
		with_responder(good_result(7 * 86400), COS_E_HTTP_STATUS, 0);
	struct cos_policy policy;

	snprintf(res.responder.detail, sizeof(res.responder.detail),
		 "code=500");
	cos_policy_init(&policy);
	ck_assert_int_eq(state_of(&res, &policy), COS_WARNING);
	ck_assert_ptr_nonnull(strstr(summary_of(&res, &policy),
				     "responder: HTTP error: code=500; "
				     "certificate good"));
	policy.responder_failure = COS_OK;
	ck_assert_int_eq(state_of(&res, &policy), COS_OK);
	ck_assert_ptr_nonnull(strstr(summary_of(&res, &policy),
				     "certificate good, next update in 7d, "
				     "staple 1h old; responder: HTTP error"));
	/* A CRITICAL staple stays CRITICAL, and leads. */
	res = with_responder(failed_result(COS_E_EXPIRED), COS_E_TIMEOUT, 0);
	cos_policy_init(&policy);
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
	ck_assert_msg(strncmp(summary_of(&res, &policy), "staple expired", 14) ==
			      0,
		      "%s", summary_of(&res, &policy));
	/* A verification failure of the answer is named as the answer's. */
	res = with_responder(good_result(7 * 86400), COS_E_BAD_SIGNATURE, 0);
	ck_assert_ptr_nonnull(strstr(summary_of(&res, &policy),
				     "responder: answer's signature is "
				     "invalid"));
	/* The certificate names no responder: nothing to judge. */
	res = with_responder(good_result(7 * 86400), COS_E_NO_RESPONDER_URL, 0);
	ck_assert_int_eq(state_of(&res, &policy), COS_OK);
}
END_TEST

START_TEST(staple_lag_thresholds)
{
	struct cos_result res =
		with_responder(good_result(7 * 86400), COS_GOOD, 3 * 86400);
	struct cos_policy policy;
	struct cos_text out = {NULL, 0, 0, false};
	char first[1024];

	cos_policy_init(&policy);
	ck_assert_int_eq(state_of(&res, &policy), COS_OK);
	ck_assert_int_eq(cos_range_parse(&policy.lag_warn, "2d",
					 COS_RANGE_AGE),
			 0);
	ck_assert_int_eq(cos_range_parse(&policy.lag_crit, "4d",
					 COS_RANGE_AGE),
			 0);
	ck_assert_int_eq(report(&res, &policy, first, sizeof(first), &out),
			 COS_WARNING);
	ck_assert_msg(strstr(first, "; warning: more than 2d behind the "
				    "responder's answer") != NULL,
		      "%s", first);
	ck_assert_ptr_nonnull(strstr(first, " staple_lag=259200s;~:172800;"
					    "~:345600 "));
	cos_text_free(&out);
	report_v(&res, &policy, 1, first, sizeof(first), &out);
	ck_assert_ptr_nonnull(strstr(out.buf, "\nStaple lag: 3d behind"));
	cos_text_free(&out);
	res = with_responder(good_result(7 * 86400), COS_GOOD, 5 * 86400);
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
}
END_TEST

START_TEST(trylater_staple_beside_a_good_answer)
{
	struct cos_result res = with_responder(
		failed_result(COS_E_RESPONSE_STATUS), COS_GOOD, 0);
	struct cos_policy policy;

	res.staple.matched = false;
	snprintf(res.staple.response_status, sizeof(res.staple.response_status),
		 "tryLater");
	cos_policy_init(&policy);
	ck_assert_int_eq(state_of(&res, &policy), COS_CRITICAL);
	ck_assert_ptr_nonnull(strstr(summary_of(&res, &policy),
				     "; the responder answers good: the "
				     "server cannot reach its responder"));
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *judge = tcase_create("judge");
	TCase *output = tcase_create("output");

	tcase_add_test(judge, good_staple_is_ok_with_perfdata);
	tcase_add_test(judge, default_thresholds);
	tcase_add_test(judge, threshold_words_on_the_status_line);
	tcase_add_test(judge, age_thresholds);
	tcase_add_test(judge, no_next_update_policy);
	tcase_add_loop_test(judge, exit_matrix_defaults, 0,
			    (int)(sizeof(matrix) / sizeof(matrix[0])));
	tcase_add_test(judge, exit_matrix_covers_every_status);
	tcase_add_test(judge, absent_staple_policies);
	tcase_add_test(judge, timeout_state_is_settable);
	tcase_add_test(judge, failure_ignores_thresholds);
	tcase_add_test(judge, pool_reports_the_failing_address);
	tcase_add_test(judge, pool_all_good_names_the_least_time_left);
	tcase_add_test(judge, pool_orders_states_then_problems);
	tcase_add_test(judge, pool_says_what_it_left_out);
	tcase_add_test(judge, chain_staples_judged);
	tcase_add_test(judge, retried_absence_counts_handshakes);
	tcase_add_test(judge, responder_revoked_beats_a_good_staple);
	tcase_add_test(judge, responder_failure_never_hides_the_staple);
	tcase_add_test(judge, staple_lag_thresholds);
	tcase_add_test(judge, trylater_staple_beside_a_good_answer);
	suite_add_tcase(s, judge);

	tcase_add_test(output, server_text_is_sanitized);
	tcase_add_loop_test(
		output, input_error_is_one_line, 0,
		(int)(sizeof(input_errors) / sizeof(input_errors[0])));
	tcase_add_test(output, sanitize_truncates);
	tcase_add_loop_test(
		output, hostile_text_is_shown_safely, 0,
		(int)(sizeof(hostile_texts) / sizeof(hostile_texts[0])));
	tcase_add_test(output, truncation_never_splits_a_character);
	tcase_add_test(output, unprintable_names_say_so);
	tcase_add_test(output, statuses_have_distinct_messages);
	tcase_add_test(output, openssl_malloc_failure_is_local);
	tcase_add_test(output, states_parse_and_rank);
	tcase_add_loop_test(output, durations_read_well, 0,
			    (int)(sizeof(durations) / sizeof(durations[0])));
	tcase_add_test(output, times_format_in_utc);
	tcase_add_test(output, asn1_times_read_back);
	tcase_add_test(output, text_grows);
	suite_add_tcase(s, output);
	return s;
}

int main(void)
{
	return run_suite(report_suite());
}
