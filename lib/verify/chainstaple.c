/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * chainstaple.c - TLS 1.3 staples for the certificates above the leaf
 * (RFC 8446 4.4.2.1, SPEC 8). Each entry of the Certificate message past
 * the first that carries a status is found in the verified chain by its
 * bytes, and its staple verified with the same steps as the leaf's, for
 * that certificate as issued by the next one up: a staple for an
 * intermediate is only believed from the intermediate's own issuer. An
 * entry the verified chain does not hold (an extra certificate the server
 * sends) and one for the trust anchor itself are named in the trace, not
 * judged: there is no issuer to judge them by.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The depth of the entry's certificate in the verified chain, or -1. */
static int depth_of(const struct cos_cert_entry *e, STACK_OF(X509) *chain)
{
	const unsigned char *p = e->cert;
	X509 *cert = d2i_X509(NULL, &p, (long)e->cert_len);
	int depth = -1;

	for (int i = 1; cert != NULL && i < sk_X509_num(chain); i++)
		if (X509_cmp(cert, sk_X509_value(chain, i)) == 0)
			depth = i;
	X509_free(cert);
	return depth;
}

/* What the staple's verification found, kept. */
static void keep(const struct cos_result *v, struct cos_chain_staple *s)
{
	s->status = v->status;
	snprintf(s->detail, sizeof(s->detail), "%s", v->detail);
	s->has_next_update = v->staple.has_next_update;
	s->this_update = v->staple.this_update;
	s->next_update = v->staple.next_update;
	s->revoked_at = v->staple.revoked_at;
	s->reason = v->staple.revocation_reason;
}

static void judge_entry(const struct cos_cert_entry *e, STACK_OF(X509) *chain,
			time_t now, long skew, struct cos_result *res)
{
	struct cos_chain_staple *s =
		&res->chain_staples[res->chain_staple_count];
	int depth = depth_of(e, chain);
	struct cos_result v;

	if (depth < 0 || depth + 1 >= sk_X509_num(chain)) {
		cos_trace(res, 2, "TLS 1.3 staple of entry %zu not judged: %s",
			  e->index,
			  depth < 0 ? "its certificate is not in the verified "
				      "chain"
				    : "it is for the trust anchor");
		return;
	}
	memset(s, 0, sizeof(*s));
	s->depth = depth;
	s->entry = (int)e->index;
	s->reason = -1;
	cos_name_format(X509_get_subject_name(sk_X509_value(chain, depth)),
			s->subject, sizeof(s->subject));
	res->chain_staple_count++;
	if (e->problem != NULL) {
		s->status = COS_E_MALFORMED;
		snprintf(s->detail, sizeof(s->detail),
			 "the Certificate message has %s for it", e->problem);
		return;
	}
	cos_result_start(&v, 0, now);
	cos_staple_verify(e->ocsp, e->ocsp_len, sk_X509_value(chain, depth),
			  sk_X509_value(chain, depth + 1), now, skew, &v);
	keep(&v, s);
	cos_result_free(&v);
}

void cos_chain_staples_judge(const struct cos_cert_entry *entries, size_t count,
			     STACK_OF(X509) *verified_chain, time_t now,
			     long skew, struct cos_result *res)
{
	for (size_t i = 0; i < count; i++) {
		const struct cos_cert_entry *e = &entries[i];

		if (e->index == 0 || (e->ocsp == NULL && e->problem == NULL))
			continue;
		if (res->chain_staple_count == COS_CHAIN_STAPLES_MAX) {
			cos_trace(res, 2,
				  "more TLS 1.3 staples than %d: the "
				  "rest not judged",
				  COS_CHAIN_STAPLES_MAX);
			return;
		}
		judge_entry(e, verified_chain, now, skew, res);
	}
}
