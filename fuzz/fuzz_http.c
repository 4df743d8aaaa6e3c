/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_http.c - arbitrary bytes as the responder's whole HTTP answer
 * (status line, headers, body) to --responder's GET for the fixed chain
 * (fuzz/pki): OpenSSL's HTTP client reads it, the library's own header
 * reading (Content-Type, Cache-Control) and the size cap judge it, the body
 * is verified as a live answer, and the report, with the staple good.der
 * beside it, must stay well-formed. Seeds: HTTP answers around every
 * response of the test PKI, and hostile ones (fuzz/make-seeds.sh).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "fuzz.h"
#include "internal.h"

static X509 *leaf, *issuer;
static time_t now;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_pki_chain(&leaf, &issuer, &now);
	return 0;
}

/* What must hold of any answer. */
static void check_reply(const struct cos_result *live,
			const struct cos_http_reply *reply)
{
	if ((unsigned)live->status >= COS_STATUS_COUNT)
		fuzz_fail("status %d", (int)live->status);
	if (reply->len > 64 * 1024)
		fuzz_fail("a body of %zu bytes passed the cap", reply->len);
	if (live->status == COS_GOOD &&
	    live->responder.answer.cert_status != COS_CERT_GOOD &&
	    live->staple.cert_status != COS_CERT_GOOD)
		fuzz_fail("good, but the certificate status is not");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_ocsp_question q;
	struct cos_http_request req = {
		.url = "http://127.0.0.1:8888/",
		.accept = "application/ocsp-response",
		.max_len = 64 * 1024,
		.not_der = COS_E_MALFORMED,
	};
	struct cos_http_reply reply;
	struct cos_result live, res;
	struct cos_policy policy;
	struct cos_text out = {NULL, 0, 0, false};

	cos_result_start(&live, 3, now);
	if (cos_ocsp_question_make(leaf, issuer, req.url, &q, &live) !=
	    COS_GOOD)
		fuzz_fail("cannot make the question");
	req.get_suffix = q.get_suffix;
	if (cos_http_answer(data, size, &req, &reply, &live) == COS_GOOD)
		cos_staple_verify(reply.body, reply.len, leaf, issuer, now,
				  300, &live);
	check_reply(&live, &reply);

	/* The answer beside a good staple, reported. */
	fuzz_good_staple(&res);
	res.responder.asked = true;
	res.responder.status = live.status;
	snprintf(res.responder.url, sizeof(res.responder.url), "%s", req.url);
	snprintf(res.responder.detail, sizeof(res.responder.detail), "%s",
		 live.detail);
	res.responder.steps_passed = live.steps_passed;
	res.responder.answer = live.staple;
	cos_policy_init(&policy);
	cos_range_parse(&policy.lag_warn, "1h", COS_RANGE_AGE);
	cos_report(&res, &policy, 3, &out);
	fuzz_check_output(&out);

	cos_text_free(&out);
	cos_result_free(&res);
	cos_result_free(&live);
	cos_http_reply_free(&reply);
	cos_ocsp_question_free(&q);
	ERR_clear_error();
	return 0;
}
