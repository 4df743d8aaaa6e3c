/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * judge.c - from a check's result to a state: the exit matrix of SPEC
 * section 4 and the thresholds.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

void cos_policy_init(struct cos_policy *policy)
{
	memset(policy, 0, sizeof(*policy));
	cos_range_parse(&policy->next_warn, "1d", COS_RANGE_TIME_LEFT);
	cos_range_parse(&policy->next_crit, "4h", COS_RANGE_TIME_LEFT);
	policy->no_staple = COS_CRITICAL;
	policy->no_ocsp_url = COS_OK;
	policy->no_next_update = COS_WARNING;
	policy->timeout = COS_CRITICAL;
	policy->responder_failure = COS_WARNING;
	policy->crl_failure = COS_WARNING;
}

double cos_time_left(const struct cos_result *res)
{
	return (double)(res->staple.next_update - res->now);
}

double cos_staple_age(const struct cos_result *res)
{
	return (double)(res->now - res->staple.this_update);
}

bool cos_has_lag(const struct cos_result *res)
{
	return res->staple.matched && res->responder.asked &&
	       res->responder.answer.matched;
}

double cos_staple_lag(const struct cos_result *res)
{
	return (double)(res->responder.answer.this_update -
			res->staple.this_update);
}

static enum cos_state state_of_failure(const struct cos_result *res,
				       const struct cos_policy *policy)
{
	if (cos_status_is_input(res->status))
		return COS_UNKNOWN;
	switch (res->status) {
	case COS_E_NOMEM:
	case COS_E_LOCAL:
	case COS_E_INTERNAL: return COS_UNKNOWN;
	case COS_E_TIMEOUT: return policy->timeout;
	case COS_E_NO_STAPLE:
		/* Must-staple wins over every option: the certificate itself
		 * says that a handshake without a staple is an attack. */
		if (res->cert.must_staple)
			return COS_CRITICAL;
		return res->cert.ocsp_url_count > 0 ? policy->no_staple
						    : policy->no_ocsp_url;
	default: return COS_CRITICAL;
	}
}

static void summarize_failure(const struct cos_result *res,
			      struct cos_judgement *j)
{
	const char *why = cos_strerror(res->status);
	char none[64];

	if (res->attempts > 1)
		snprintf(none, sizeof(none), "%s in %d handshakes", why,
			 res->attempts);
	else
		snprintf(none, sizeof(none), "%s", why);
	if (res->status == COS_E_NO_STAPLE && res->cert.must_staple)
		snprintf(j->summary, sizeof(j->summary),
			 "%s, but the certificate requires one (must-staple)",
			 none);
	else if (res->status == COS_E_NO_STAPLE && res->cert.ocsp_url_count > 0)
		snprintf(j->summary, sizeof(j->summary),
			 "%s; the certificate names an OCSP responder", none);
	else if (res->status == COS_E_NO_STAPLE)
		snprintf(j->summary, sizeof(j->summary),
			 "%s; stapling not applicable: the certificate names "
			 "no OCSP responder",
			 none);
	else if (res->detail[0] != '\0')
		snprintf(j->summary, sizeof(j->summary), "%s: %s", why,
			 res->detail);
	else
		snprintf(j->summary, sizeof(j->summary), "%s", why);
}

static const char *level_word(enum cos_state state)
{
	static const char *const words[] = {"ok", "warning", "critical",
					    "unknown"};

	return words[(unsigned)state <= COS_UNKNOWN ? state : COS_UNKNOWN];
}

/* Words for a crossed threshold: the usual one-sided ranges in the
 * operator's terms, anything else as the range itself. */
static void describe_crossing(const struct cos_range *r, const char *level,
			      const char *metric, char *buf, size_t len)
{
	char amount[32], range[64];

	if (!r->inside && !r->low_inf && r->high_inf &&
	    (strcmp(metric, "next_update") == 0 ||
	     strcmp(metric, "cert_expiry") == 0)) {
		cos_duration_format(r->low, amount, sizeof(amount));
		snprintf(buf, len, "%s: less than %s left", level, amount);
	} else if (!r->inside && r->low_inf && !r->high_inf &&
		   strcmp(metric, "staple_age") == 0) {
		cos_duration_format(r->high, amount, sizeof(amount));
		snprintf(buf, len, "%s: older than %s", level, amount);
	} else if (!r->inside && r->low_inf && !r->high_inf &&
		   strcmp(metric, "staple_lag") == 0) {
		cos_duration_format(r->high, amount, sizeof(amount));
		snprintf(buf, len,
			 "%s: more than %s behind the responder's answer",
			 level, amount);
	} else {
		cos_range_format(r, range, sizeof(range));
		snprintf(buf, len, "%s: %s %s range %s", level, metric,
			 r->inside ? "inside" : "outside", range);
	}
}

/* Raises j->state to what the metric's thresholds say and notes why. */
static void apply_thresholds(const struct cos_range *warn,
			     const struct cos_range *crit, const char *metric,
			     double value, struct cos_judgement *j, char *notes,
			     size_t len)
{
	char note[96];
	size_t n = strlen(notes);

	if (cos_range_alerts(crit, value)) {
		describe_crossing(crit, level_word(COS_CRITICAL), metric, note,
				  sizeof(note));
		j->state = cos_state_worst(j->state, COS_CRITICAL);
	} else if (cos_range_alerts(warn, value)) {
		describe_crossing(warn, level_word(COS_WARNING), metric, note,
				  sizeof(note));
		j->state = cos_state_worst(j->state, COS_WARNING);
	} else {
		return;
	}
	snprintf(notes + n, len - n, "%s%s", n ? "; " : "", note);
}

static void judge_good(const struct cos_result *res,
		       const struct cos_policy *policy, struct cos_judgement *j)
{
	char left[32], age[32], notes[COS_TEXT_MAX] = "";
	size_t n;

	j->state = COS_OK;
	cos_duration_format(cos_staple_age(res), age, sizeof(age));
	if (res->staple.has_next_update) {
		cos_duration_format(cos_time_left(res), left, sizeof(left));
		apply_thresholds(&policy->next_warn, &policy->next_crit,
				 "next_update", cos_time_left(res), j, notes,
				 sizeof(notes));
	} else if (policy->no_next_update != COS_OK) {
		j->state = cos_state_worst(j->state, policy->no_next_update);
		snprintf(notes, sizeof(notes), "%s: no nextUpdate",
			 level_word(policy->no_next_update));
	}
	apply_thresholds(&policy->age_warn, &policy->age_crit, "staple_age",
			 cos_staple_age(res), j, notes, sizeof(notes));
	if (res->staple.has_next_update && cos_time_left(res) < 0)
		/* Passed, but within --skew: not expired, and not "in". */
		n = (size_t)snprintf(j->summary, sizeof(j->summary),
				     "certificate good, next update was due "
				     "%s ago (within --skew), staple %s old",
				     left, age);
	else if (res->staple.has_next_update)
		n = (size_t)snprintf(j->summary, sizeof(j->summary),
				     "certificate good, next update in %s, "
				     "staple %s old",
				     left, age);
	else
		n = (size_t)snprintf(j->summary, sizeof(j->summary),
				     "certificate good, staple without "
				     "nextUpdate, %s old",
				     age);
	if (notes[0] != '\0' && n < sizeof(j->summary))
		snprintf(j->summary + n, sizeof(j->summary) - n, " (%s)",
			 notes);
}

/* Appends "; text" to the summary. */
static void add_to_summary(struct cos_judgement *j, const char *text)
{
	size_t n = strlen(j->summary);

	snprintf(j->summary + n, sizeof(j->summary) - n, "; %s", text);
}

/* What a source says of a listed certificate, and what the server staples
 * instead: CRITICAL, whatever the staple says. */
struct listing {
	const char *source; /* "responder", "CRL" */
	bool hold;	    /* certificateHold: on hold, not revoked */
	time_t since;
	int reason; /* -1 when absent */
};

static void judge_listed(const struct cos_result *res,
			 const struct listing *l, struct cos_judgement *j)
{
	char when[64], staple_from[64], reason[48], tail[COS_TEXT_MAX];

	/* A second source that agrees adds its word to the first's. */
	if (j->listed) {
		snprintf(tail, sizeof(tail), "the %s says so too", l->source);
		add_to_summary(j, tail);
		return;
	}
	cos_time_format(l->since, when, sizeof(when));
	if (res->status == COS_GOOD) {
		cos_time_format(res->staple.this_update, staple_from,
				sizeof(staple_from));
		snprintf(tail, sizeof(tail),
			 "the server staples a good response from %s",
			 staple_from);
	} else if (res->status == COS_E_NO_STAPLE &&
		   res->cert.ocsp_url_count == 0) {
		snprintf(tail, sizeof(tail),
			 "the certificate names no OCSP responder");
	} else if (res->status == COS_E_NO_STAPLE) {
		snprintf(tail, sizeof(tail), "the server staples nothing");
	} else if (res->status == COS_E_REVOKED) {
		snprintf(tail, sizeof(tail), "the staple says so too");
	} else {
		snprintf(tail, sizeof(tail), "the staple: %s",
			 cos_strerror(res->status));
	}
	j->state = COS_CRITICAL;
	j->listed = true;
	if (l->hold)
		snprintf(j->summary, sizeof(j->summary),
			 "certificate on hold (%s) since %s; %s", l->source,
			 when, tail);
	else
		snprintf(j->summary, sizeof(j->summary),
			 "certificate revoked (%s) since %s, %s; %s",
			 l->source, when,
			 l->reason < 0 ? "no reason given"
				       : cos_reason_format(l->reason, reason,
							   sizeof(reason)),
			 tail);
}

static void judge_live_revoked(const struct cos_result *res,
			       struct cos_judgement *j)
{
	const struct cos_staple_info *live = &res->responder.answer;
	struct listing l = {"responder", false, live->revoked_at,
			    live->revocation_reason};

	judge_listed(res, &l, j);
}

/* A good live answer: how far behind the staple is, and what a staple that
 * is not good means beside it. */
static void judge_live_good(const struct cos_result *res,
			    const struct cos_policy *policy,
			    struct cos_judgement *j)
{
	char notes[COS_TEXT_MAX] = "";

	if (cos_has_lag(res)) {
		apply_thresholds(&policy->lag_warn, &policy->lag_crit,
				 "staple_lag", cos_staple_lag(res), j, notes,
				 sizeof(notes));
		if (notes[0] != '\0')
			add_to_summary(j, notes);
	}
	if (res->status == COS_E_RESPONSE_STATUS &&
	    strcmp(res->staple.response_status, "tryLater") == 0)
		add_to_summary(j, "the responder answers good: the server "
				  "cannot reach its responder");
	else if (res->status != COS_GOOD && res->status != COS_E_NO_STAPLE &&
		 !cos_status_is_input(res->status))
		add_to_summary(j, "the responder says good");
}

/* No usable answer or CRL: its failure state, which never hides the
 * staple's own; the worse of the two leads the summary. */
static void judge_source_failure(const char *source, const char *subject,
				 enum cos_status status, const char *detail,
				 enum cos_state failure,
				 struct cos_judgement *j)
{
	char why[COS_TEXT_MAX], text[2 * COS_TEXT_MAX],
		staple[sizeof(j->summary)];
	enum cos_state worst = cos_state_worst(j->state, failure);

	cos_strerror_of(status, subject, why, sizeof(why));
	snprintf(text, sizeof(text), "%s: %.100s%s%.200s", source, why,
		 detail[0] ? ": " : "", detail);
	if (worst != j->state) {
		memcpy(staple, j->summary, sizeof(staple));
		j->state = worst;
		snprintf(j->summary, sizeof(j->summary), "%.250s; %.250s",
			 text, staple);
	} else {
		add_to_summary(j, text);
	}
}

static void judge_live_failure(const struct cos_result *res,
			       const struct cos_policy *policy,
			       struct cos_judgement *j)
{
	judge_source_failure("responder", "answer", res->responder.status,
			     res->responder.detail, policy->responder_failure,
			     j);
}

time_t cos_crl_fresh_until(const struct cos_crl_info *c)
{
	return c->has_delta && c->delta_next_update < c->next_update
		       ? c->delta_next_update
		       : c->next_update;
}

/* A CRL that does not list the certificate: for a certificate without an
 * OCSP responder, the status line gives its verdict instead of saying
 * only that stapling does not apply. */
static void judge_crl_good(const struct cos_result *res,
			   struct cos_judgement *j)
{
	char left[32], staple[sizeof(j->summary)];

	if (res->status != COS_E_NO_STAPLE || res->cert.must_staple ||
	    res->cert.ocsp_url_count > 0)
		return;
	cos_duration_format((double)(cos_crl_fresh_until(&res->crl) -
				     res->now),
			    left, sizeof(left));
	memcpy(staple, j->summary, sizeof(staple));
	snprintf(j->summary, sizeof(j->summary),
		 "certificate not revoked (CRL, next update in %s); %.300s",
		 left, staple);
}

static void judge_crl(const struct cos_result *res,
		      const struct cos_policy *policy, struct cos_judgement *j)
{
	const struct cos_crl_info *c = &res->crl;
	struct listing l = {"CRL", c->status == COS_E_ON_HOLD, c->revoked_at,
			    c->reason};

	switch (c->status) {
	case COS_E_REVOKED:
	case COS_E_ON_HOLD: judge_listed(res, &l, j); return;
	case COS_GOOD: judge_crl_good(res, j); return;
	default:
		judge_source_failure("CRL", "CRL", c->status, c->detail,
				     policy->crl_failure, j);
		return;
	}
}

static void judge_live(const struct cos_result *res,
		       const struct cos_policy *policy,
		       struct cos_judgement *j)
{
	switch (res->responder.status) {
	case COS_E_NO_RESPONDER_URL: return; /* nothing to ask */
	case COS_E_REVOKED: judge_live_revoked(res, j); return;
	case COS_GOOD: judge_live_good(res, policy, j); return;
	default: judge_live_failure(res, policy, j); return;
	}
}

double cos_cert_expiry(const struct cos_result *res)
{
	return (double)(res->cert.not_after - res->now);
}

/* --expiry-warning, --expiry-critical: the certificate's own end. When it
 * makes the state worse it leads the summary, else it is added. */
static void judge_expiry(const struct cos_result *res,
			 const struct cos_policy *policy,
			 struct cos_judgement *j)
{
	char notes[COS_TEXT_MAX] = "", left[32], text[sizeof(j->summary)];
	enum cos_state before = j->state;

	if (!res->cert.present)
		return;
	apply_thresholds(&policy->expiry_warn, &policy->expiry_crit,
			 "cert_expiry", cos_cert_expiry(res), j, notes,
			 sizeof(notes));
	if (notes[0] == '\0')
		return;
	cos_duration_format(cos_cert_expiry(res), left, sizeof(left));
	if (j->state != before) {
		snprintf(text, sizeof(text),
			 "certificate expires in %.32s (%.150s); %.300s", left,
			 notes, j->summary);
		memcpy(j->summary, text, sizeof(j->summary));
	} else {
		snprintf(text, sizeof(text), "certificate expires in %.32s (%.150s)",
			 left, notes);
		add_to_summary(j, text);
	}
}

/* TLS 1.3's staples above the leaf: a bad one is CRITICAL, named by its
 * depth and subject, before what the leaf's says; a revoked intermediate
 * says so. None is normal and says nothing. */
static void judge_chain_staples(const struct cos_result *res,
				struct cos_judgement *j)
{
	for (int i = res->chain_staple_count - 1; i >= 0; i--) {
		const struct cos_chain_staple *c = &res->chain_staples[i];
		char why[COS_TEXT_MAX / 2], when[64], text[sizeof(j->summary)];

		if (c->status == COS_GOOD)
			continue;
		if (c->status == COS_E_REVOKED) {
			cos_time_format(c->revoked_at, when, sizeof(when));
			snprintf(why, sizeof(why), "certificate revoked since %s",
				 when);
		} else {
			cos_strerror_of(c->status, "staple", why, sizeof(why));
		}
		snprintf(text, sizeof(text),
			 "staple for depth %d (%.120s): %.100s; %.250s",
			 c->depth, c->subject, why, j->summary);
		memcpy(j->summary, text, sizeof(j->summary));
		j->state = COS_CRITICAL;
	}
}

void cos_judge(const struct cos_result *res, const struct cos_policy *policy,
	       struct cos_judgement *j)
{
	memset(j, 0, sizeof(*j));
	if (res->status == COS_GOOD) {
		judge_good(res, policy, j);
	} else {
		j->state = state_of_failure(res, policy);
		summarize_failure(res, j);
	}
	if (res->responder.asked)
		judge_live(res, policy, j);
	if (res->crl.asked)
		judge_crl(res, policy, j);
	judge_expiry(res, policy, j);
	judge_chain_staples(res, j);
	/* An IP literal without --sni: the chain verified, but for any
	 * name; an OK must not read as if the name had been checked. */
	if (!res->offline && res->cert.present && !res->name_checked)
		add_to_summary(j, "host name not checked (-H is an IP "
				  "address; --sni NAME checks one)");
}

/* Whether address b is to be reported before a: a worse state; at the same
 * state a problem before a good staple; then the least time left. */
static bool reported_first(const struct cos_result *a, enum cos_state sa,
			   const struct cos_result *b, enum cos_state sb)
{
	if (sa != sb)
		return cos_state_worst(sa, sb) == sb;
	if ((a->status == COS_GOOD) != (b->status == COS_GOOD))
		return a->status == COS_GOOD;
	return a->status == COS_GOOD && a->staple.has_next_update &&
	       b->staple.has_next_update && cos_time_left(b) < cos_time_left(a);
}

/* The key types a pool's certificates are of, "RSA and ECDSA". */
static void key_types_found(const struct cos_result *res, char *buf,
			    size_t len, size_t *count)
{
	bool seen[COS_KEY_TYPES] = {false};

	buf[0] = '\0';
	*count = 0;
	for (size_t i = 0; i < res->address_count; i++)
		if (res->addresses[i].status != COS_E_NO_SUCH_CERT)
			seen[res->addresses[i].key_type] = true;
	for (int k = COS_KEY_RSA; k < COS_KEY_TYPES; k++)
		if (seen[k])
			(*count)++;
	for (int k = COS_KEY_RSA, n = 0; k < COS_KEY_TYPES; k++) {
		if (!seen[k])
			continue;
		n++;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 n == 1 ? "" : n == (int)*count ? " and " : ", ",
			 cos_key_type_name((enum cos_key_type)k));
	}
}

/* What leads a pool's summary: "stapled k of N; " for --handshakes,
 * "k of n addresses staple; " for -A alone. */
static void pool_prefix(const struct cos_result *res, size_t present,
			size_t stapled, size_t good, char *buf, size_t len)
{
	const struct cos_result *first = &res->addresses[0];

	if (first->handshake > 0)
		snprintf(buf, len, "stapled %zu of %zu; ", stapled, present);
	else if (first->address[0] != '\0')
		snprintf(buf, len, "%zu of %zu addresses staple; ", good,
			 present);
	else
		buf[0] = '\0';
}

void cos_judge_pool(const struct cos_result *res,
		    const struct cos_policy *policy, struct cos_judgement *j,
		    size_t *worst)
{
	struct cos_judgement each, first;
	size_t good = 0, stapled = 0, present = 0, types;
	bool found = false;
	char prefix[64], kinds[64];

	memset(j, 0, sizeof(*j));
	memset(&first, 0, sizeof(first));
	*worst = 0;
	for (size_t i = 0; i < res->address_count; i++) {
		const struct cos_result *a = &res->addresses[i];

		/* A key type the server lacks is noted, not judged. */
		if (a->status == COS_E_NO_SUCH_CERT)
			continue;
		cos_judge(a, policy, &each);
		present++;
		good += a->status == COS_GOOD;
		stapled += a->have_staple;
		if (!found || reported_first(&res->addresses[*worst],
					     first.state, a, each.state)) {
			*worst = i;
			first = each;
			found = true;
		}
	}
	if (!found) /* none of any key type: the first one's failure */
		cos_judge(&res->addresses[0], policy, &first);
	j->state = first.state;
	pool_prefix(res, present, stapled, good, prefix, sizeof(prefix));
	key_types_found(res, kinds, sizeof(kinds), &types);
	if (found && first.state == COS_OK && good == present &&
	    res->addresses[0].key_type != COS_KEY_ANY)
		snprintf(j->summary, sizeof(j->summary),
			 "%s%s certificate%s: %.380s", prefix, kinds,
			 types > 1 ? "s" : "", first.summary);
	else if (found && first.state == COS_OK && good == present)
		snprintf(j->summary, sizeof(j->summary), "%s%.400s", prefix,
			 first.summary);
	else
		snprintf(j->summary, sizeof(j->summary), "%s%.90s: %.380s",
			 prefix, res->addresses[*worst].label, first.summary);
}
