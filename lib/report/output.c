/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.c - the plugin's output: one status line with perfdata, then the
 * long output. The status line passes through cos_sanitize(), every other
 * line through cos_sanitize_utf8(), so nothing a server sends (names,
 * error strings) can break the format.
 */
#include "config.h"

#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/ocsp.h>

#include "internal.h"

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
line(struct cos_text *out, const char *fmt, ...)
{
	char raw[1024], clean[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	cos_sanitize_utf8(clean, sizeof(clean), raw);
	cos_text_append(out, clean);
	cos_text_append(out, "\n");
}

/* label=value[UOM];[warn];[crit], trailing empty fields left out. */
static void perf_item(struct cos_text *out, const char *label,
		      const char *value, const struct cos_range *warn,
		      const struct cos_range *crit)
{
	char w[64] = "", c[64] = "";

	if (warn != NULL)
		cos_range_format(warn, w, sizeof(w));
	if (crit != NULL)
		cos_range_format(crit, c, sizeof(c));
	cos_text_printf(out, " %s=%ss", label, value);
	if (c[0] != '\0')
		cos_text_printf(out, ";%s;%s", w, c);
	else if (w[0] != '\0')
		cos_text_printf(out, ";%s", w);
}

/* The metrics a result gives; for a pool, the worst of its addresses':
 * the least time left and the oldest staple. */
struct metrics {
	bool has_left;
	bool has_age;
	bool has_lag;
	bool has_responder_time;
	bool has_crl_left;
	bool has_expiry;
	double left;
	double age;
	double lag;
	double responder_time;
	double crl_left;
	double expiry;
};

static void add_metrics(struct metrics *m, const struct cos_result *res)
{
	if (res->cert.present &&
	    (!m->has_expiry || cos_cert_expiry(res) < m->expiry)) {
		m->expiry = cos_cert_expiry(res);
		m->has_expiry = true;
	}
	if (res->staple.matched && res->staple.has_next_update &&
	    (!m->has_left || cos_time_left(res) < m->left)) {
		m->left = cos_time_left(res);
		m->has_left = true;
	}
	if (res->staple.matched &&
	    (!m->has_age || cos_staple_age(res) > m->age)) {
		m->age = cos_staple_age(res);
		m->has_age = true;
	}
	if (cos_has_lag(res) && (!m->has_lag || cos_staple_lag(res) > m->lag)) {
		m->lag = cos_staple_lag(res);
		m->has_lag = true;
	}
	/* The time of a fetch made: none for an answer kept in the cache. */
	if (res->responder.asked && !res->responder.from_cache &&
	    res->responder.status != COS_E_NO_RESPONDER_URL &&
	    (!m->has_responder_time ||
	     res->responder.elapsed > m->responder_time)) {
		m->responder_time = res->responder.elapsed;
		m->has_responder_time = true;
	}
	if (res->crl.asked && res->crl.has_next_update &&
	    (!m->has_crl_left ||
	     (double)(cos_crl_fresh_until(&res->crl) - res->now) <
		     m->crl_left)) {
		m->crl_left = (double)(cos_crl_fresh_until(&res->crl) - res->now);
		m->has_crl_left = true;
	}
}

/* --handshakes: stapled=k;;;0;N. --all-certificates: the values that
 * differ between certificates, once per key type the server has
 * (next_update_ecdsa, staple_age_rsa, ...), the worst of its parts. */
static void write_pool_perfdata(struct cos_text *out,
				const struct cos_result *res,
				const struct cos_policy *policy)
{
	struct metrics by_key[COS_KEY_TYPES];
	size_t stapled = 0, present = 0;
	char value[48], label[32];

	memset(by_key, 0, sizeof(by_key));
	for (size_t i = 0; i < res->address_count; i++) {
		const struct cos_result *a = &res->addresses[i];

		if (a->status == COS_E_NO_SUCH_CERT)
			continue;
		present++;
		stapled += a->have_staple;
		add_metrics(&by_key[a->key_type], a);
	}
	if (res->address_count > 0 && res->addresses[0].handshake > 0) {
		snprintf(value, sizeof(value), "%zu;;;0;%zu", stapled, present);
		cos_text_printf(out, " stapled=%s", value);
	}
	for (int k = COS_KEY_RSA; k < COS_KEY_TYPES; k++) {
		const char *name = cos_key_type_name((enum cos_key_type)k);
		char lower[16];
		size_t n = 0;

		for (; name[n] != '\0' && n + 1 < sizeof(lower); n++)
			lower[n] = (char)tolower((unsigned char)name[n]);
		lower[n] = '\0';
		if (by_key[k].has_left) {
			snprintf(label, sizeof(label), "next_update_%s", lower);
			snprintf(value, sizeof(value), "%.0f", by_key[k].left);
			perf_item(out, label, value, &policy->next_warn,
				  &policy->next_crit);
		}
		if (by_key[k].has_age) {
			snprintf(label, sizeof(label), "staple_age_%s", lower);
			snprintf(value, sizeof(value), "%.0f", by_key[k].age);
			perf_item(out, label, value, &policy->age_warn,
				  &policy->age_crit);
		}
		if (by_key[k].has_expiry) {
			snprintf(label, sizeof(label), "cert_expiry_%s", lower);
			snprintf(value, sizeof(value), "%.0f", by_key[k].expiry);
			perf_item(out, label, value, &policy->expiry_warn,
				  &policy->expiry_crit);
		}
	}
}

static void write_perfdata(struct cos_text *out, const struct cos_result *res,
			   const struct cos_policy *policy)
{
	struct metrics m;
	char value[32];

	memset(&m, 0, sizeof(m));
	add_metrics(&m, res);
	for (size_t i = 0; i < res->address_count; i++)
		if (res->addresses[i].status != COS_E_NO_SUCH_CERT)
			add_metrics(&m, &res->addresses[i]);
	cos_text_append(out, " |");
	if (m.has_left) {
		snprintf(value, sizeof(value), "%.0f", m.left);
		perf_item(out, "next_update", value, &policy->next_warn,
			  &policy->next_crit);
	}
	if (m.has_age) {
		snprintf(value, sizeof(value), "%.0f", m.age);
		perf_item(out, "staple_age", value, &policy->age_warn,
			  &policy->age_crit);
	}
	if (m.has_lag) {
		snprintf(value, sizeof(value), "%.0f", m.lag);
		perf_item(out, "staple_lag", value, &policy->lag_warn,
			  &policy->lag_crit);
	}
	if (m.has_responder_time) {
		snprintf(value, sizeof(value), "%.6f", m.responder_time);
		perf_item(out, "responder_time", value, NULL, NULL);
	}
	if (m.has_crl_left) {
		snprintf(value, sizeof(value), "%.0f", m.crl_left);
		perf_item(out, "crl_next_update", value, NULL, NULL);
	}
	if (m.has_expiry) {
		snprintf(value, sizeof(value), "%.0f", m.expiry);
		perf_item(out, "cert_expiry", value, &policy->expiry_warn,
			  &policy->expiry_crit);
	}
	write_pool_perfdata(out, res, policy);
	snprintf(value, sizeof(value), "%.6f", res->elapsed);
	perf_item(out, "time", value, NULL, NULL);
	cos_text_append(out, "\n");
}

static void write_status_line(struct cos_text *out,
			      const struct cos_judgement *j,
			      const struct cos_result *res,
			      const struct cos_policy *policy)
{
	char clean[sizeof(j->summary)];

	cos_sanitize(clean, sizeof(clean), j->summary);
	cos_text_printf(out, "OCSP STAPLE %s - %s", cos_state_name(j->state),
			clean);
	write_perfdata(out, res, policy);
}

/* What the policy notes about the command line ("-w 20 means 20 seconds;
 * did you mean 20d?"), a line each, first in the long output. */
static void write_notes(struct cos_text *out, const struct cos_policy *policy)
{
	const char *p = policy->notes;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		line(out, "Note: %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}


/* The names of the steps passed, from first to last, in list. */
static size_t steps_list(unsigned passed, int first, char *list, size_t len)
{
	size_t n = 0;

	list[0] = '\0';
	for (int step = first; step <= 10; step++)
		if (passed & COS_STEP_BIT(step))
			n += (size_t)snprintf(list + n, n < len ? len - n : 0,
					      "%s%s", n ? ", " : "",
					      cos_step_name(step));
	return n;
}

/* "Failed: why [id]: detail", "CRL failed: ...": a part's failure, in
 * the words of cos_strerror_of() for whose ("answer", "CRL"), or the
 * staple's own (NULL). */
static void write_failure(struct cos_text *out, const char *label,
			  enum cos_status status, const char *whose,
			  const char *detail)
{
	char why[COS_TEXT_MAX];

	if (whose != NULL)
		cos_strerror_of(status, whose, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "%s", cos_strerror(status));
	line(out, "%s: %s [%s]%s%s", label, why, cos_status_id(status),
	     detail[0] ? ": " : "", detail);
}

static void write_checks(struct cos_text *out, const struct cos_result *res)
{
	char list[512];

	line(out, "Checks passed: %s",
	     steps_list(res->steps_passed, 2, list, sizeof(list)) ? list
								  : "none");
	if (res->status != COS_GOOD)
		write_failure(out, "Failed", res->status, NULL, res->detail);
}

static void write_connection(struct cos_text *out, const struct cos_result *res)
{
	if (res->offline)
		return;
	if (res->peer[0] != '\0')
		line(out, "Connected to %s%s%s%s%s%s", res->peer,
		     res->tls_version[0] ? " with " : "", res->tls_version,
		     res->starttls ? " after STARTTLS (" : "",
		     res->starttls ? res->starttls : "",
		     res->starttls ? ")" : "");
	if (res->attempts > 1)
		line(out, "Handshakes: %d (--retries)", res->attempts);
	/* Checked only when a certificate came to check it against. */
	if (res->name_checked && res->cert.present)
		line(out, "Host name checked: %s", res->checked_name);
	else if (res->cert.present)
		line(out, "Host name not checked: the host is an IP address "
			  "(--sni NAME checks one)");
}

static void write_cert(struct cos_text *out, const struct cos_cert_info *cert)
{
	char when[64];

	if (!cert->present)
		return;
	cos_time_format(cert->not_after, when, sizeof(when));
	line(out, "Certificate: %s", cert->subject);
	line(out, "Serial: %s", cert->serial);
	line(out, "Issuer: %s", cert->issuer);
	line(out, "Certificate expires: %s", when);
	if (cert->ocsp_url_count > 0)
		line(out, "OCSP responder URL: %s%s", cert->ocsp_url,
		     cert->ocsp_url_count > 1 ? " (and more)" : "");
	else
		line(out, "OCSP responder URL: none");
	line(out, "Must-staple: %s", cert->must_staple ? "yes" : "no");
}

/* "2026-12-08 20:41:49 UTC (in 7d)", "... (now)", "... (3h ago)". */
static const char *when_text(time_t t, time_t now, char *buf, size_t len)
{
	char when[64], delta[32];

	cos_time_format(t, when, sizeof(when));
	if (t == now) {
		snprintf(buf, len, "%s (now)", when);
		return buf;
	}
	cos_duration_format((double)(t > now ? t - now : now - t), delta,
			    sizeof(delta));
	snprintf(buf, len, "%s (%s%s%s)", when, t > now ? "in " : "", delta,
		 t > now ? "" : " ago");
	return buf;
}

static void write_time(struct cos_text *out, const char *label, time_t t,
		       time_t now)
{
	char when[128];

	line(out, "%s: %s", label, when_text(t, now, when, sizeof(when)));
}

/* What signed a staple, after its name. */
static const char *const signer_kinds[] = {
	[COS_SIGNER_NONE] = "",
	[COS_SIGNER_ISSUER] = " (the issuing CA)",
	[COS_SIGNER_DELEGATED] = " (delegated responder)",
};

/* What an answer says of the certificate: "good", "unknown", "revoked at
 * T, reason R". */
static const char *answer_text(const struct cos_staple_info *s, char *buf,
			       size_t len)
{
	char when[64], reason[48];

	if (s->cert_status != COS_CERT_REVOKED) {
		snprintf(buf, len, "%s",
			 s->cert_status == COS_CERT_GOOD ? "good" : "unknown");
		return buf;
	}
	cos_time_format(s->revoked_at, when, sizeof(when));
	cos_reason_format(s->revocation_reason, reason, sizeof(reason));
	snprintf(buf, len, "revoked at %s%s%s", when,
		 s->revocation_reason >= 0 ? ", " : "",
		 s->revocation_reason >= 0 ? reason : "");
	return buf;
}

static void write_answer_status(struct cos_text *out, const char *label,
				const struct cos_staple_info *s)
{
	char said[160];

	line(out, "%s: %s", label, answer_text(s, said, sizeof(said)));
}

/* What a usable CRL says of the certificate: "the certificate is not
 * listed", "revoked since T, reason R", "on hold since T". */
static const char *crl_text(const struct cos_crl_info *c, char *buf,
			    size_t len)
{
	char when[64], reason[48];

	if (c->status == COS_GOOD) {
		snprintf(buf, len, "the certificate is not listed%s",
			 c->removed ? " (the delta CRL removes it)" : "");
		return buf;
	}
	cos_time_format(c->revoked_at, when, sizeof(when));
	if (c->status == COS_E_REVOKED && c->reason >= 0)
		snprintf(buf, len, "revoked since %s, %s", when,
			 cos_reason_format(c->reason, reason, sizeof(reason)));
	else
		snprintf(buf, len, "%s since %s",
			 c->status == COS_E_ON_HOLD ? "on hold" : "revoked",
			 when);
	return buf;
}

static void write_staple(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_staple_info *s = &res->staple;

	if (!res->have_staple)
		return;
	line(out, "Staple: %zu bytes%s%s", s->length,
	     s->response_status[0] ? ", responseStatus " : "",
	     s->response_status);
	if (!s->parsed)
		return;
	line(out, "Responder ID: %s", s->responder);
	if (s->signer_kind != COS_SIGNER_NONE)
		line(out, "Signed by: %s%s", s->signer,
		     signer_kinds[s->signer_kind]);
	if (s->has_produced_at)
		write_time(out, "producedAt", s->produced_at, res->now);
	if (!s->matched)
		return;
	line(out, "CertID hash: %s", s->certid_hash);
	write_time(out, "thisUpdate", s->this_update, res->now);
	if (s->has_next_update)
		write_time(out, "nextUpdate", s->next_update, res->now);
	else
		line(out, "nextUpdate: none");
	write_answer_status(out, "Certificate status", s);
}

/* --responder: where the live answer came from and what it says. */
static void write_responder(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_responder_info *r = &res->responder;
	const struct cos_staple_info *a = &r->answer;
	char list[512], lag[32];

	if (!r->asked)
		return;
	if (r->status == COS_E_NO_RESPONDER_URL) {
		line(out, "Responder: not asked: %s", cos_strerror(r->status));
		return;
	}
	if (r->from_cache)
		line(out, "Responder: %s (its answer kept in --cache-dir)",
		     r->url);
	else
		line(out, "Responder: %s%s%s, %.3f s", r->url,
		     r->via[0] ? " via proxy " : "", r->via, r->elapsed);
	if (a->parsed)
		line(out, "Responder signed by: %s", a->signer[0] ? a->signer
								  : a->responder);
	if (a->matched) {
		write_time(out, "Responder thisUpdate", a->this_update,
			   res->now);
		if (a->has_next_update)
			write_time(out, "Responder nextUpdate", a->next_update,
				   res->now);
		write_answer_status(out, "Responder says", a);
	}
	if (cos_has_lag(res)) {
		cos_duration_format(cos_staple_lag(res) < 0
					    ? -cos_staple_lag(res)
					    : cos_staple_lag(res),
				    lag, sizeof(lag));
		line(out, "Staple lag: %s %s the responder's answer", lag,
		     cos_staple_lag(res) < 0 ? "ahead of" : "behind");
	}
	line(out, "Responder checks passed: %s",
	     steps_list(r->steps_passed, 4, list, sizeof(list)) ? list
								: "none");
	if (r->status != COS_GOOD && r->status != COS_E_REVOKED) {
		write_failure(out, "Responder failed", r->status, "answer",
			      r->detail);
	}
}

/* TLS 1.3's staples above the leaf, one line each. */
static void write_chain_staples(struct cos_text *out,
				const struct cos_result *res)
{
	if (res->certmsg_unread > 0)
		line(out,
		     "Staples above the leaf: not looked for (the Certificate "
		     "message is %zu KiB, more than the %d KiB kept)",
		     (res->certmsg_unread + 1023) / 1024, COS_CERTMSG_MAX / 1024);
	for (int i = 0; i < res->chain_staple_count; i++) {
		const struct cos_chain_staple *c = &res->chain_staples[i];
		char why[COS_TEXT_MAX], when[64], left[32];

		if (c->status == COS_GOOD && c->has_next_update) {
			cos_time_format(c->next_update, when, sizeof(when));
			cos_duration_format((double)(c->next_update - res->now),
					    left, sizeof(left));
			line(out,
			     "Staple for depth %d (%s): certificate good, next "
			     "update %s (in %s)",
			     c->depth, c->subject, when, left);
		} else if (c->status == COS_GOOD) {
			line(out, "Staple for depth %d (%s): certificate good",
			     c->depth, c->subject);
		} else {
			cos_strerror_of(c->status, "staple", why, sizeof(why));
			line(out, "Staple for depth %d (%s): %s [%s]%s%s",
			     c->depth, c->subject, why, cos_status_id(c->status),
			     c->detail[0] ? ": " : "", c->detail);
		}
	}
}

/* The delta CRL applied over the base. */
static void write_delta(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_crl_info *c = &res->crl;

	line(out, "CRL delta: %s%s", c->delta,
	     c->delta_from_cache ? " (kept in --cache-dir)" : "");
	if (c->delta_number[0] != '\0')
		line(out, "CRL delta number: %s", c->delta_number);
	write_time(out, "CRL delta thisUpdate", c->delta_this_update,
		   res->now);
	write_time(out, "CRL delta nextUpdate", c->delta_next_update,
		   res->now);
}

/* --crl: where the CRL came from and what it says. */
static void write_crl(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_crl_info *c = &res->crl;
	char when[64], said[160];

	if (!c->asked)
		return;
	if (c->status == COS_E_NO_CRL_DP) {
		line(out, "CRL: none fetched: %s", cos_strerror(c->status));
		return;
	}
	if (c->from_cache)
		line(out, "CRL: %s (kept in --cache-dir)", c->source);
	else if (strncmp(c->source, "http://", 7) == 0)
		line(out, "CRL: %s, %.3f s", c->source, c->elapsed);
	else
		line(out, "CRL: %s", c->source);
	if (c->parsed) {
		line(out, "CRL issuer: %s", c->issuer);
		if (c->number[0] != '\0')
			line(out, "CRL number: %s", c->number);
		line(out, "CRL entries: %ld", c->entries);
	}
	if (c->has_next_update) {
		write_time(out, "CRL thisUpdate", c->this_update, res->now);
		write_time(out, "CRL nextUpdate", c->next_update, res->now);
	}
	if (c->has_delta)
		write_delta(out, res);
	if (c->status == COS_GOOD || c->status == COS_E_REVOKED ||
	    c->status == COS_E_ON_HOLD) {
		line(out, "CRL says: %s", crl_text(c, said, sizeof(said)));
		if (c->has_invalidity) {
			cos_time_format(c->invalidity, when, sizeof(when));
			line(out, "CRL invalidity date: %s", when);
		}
	} else {
		write_failure(out, "CRL failed", c->status, "CRL", c->detail);
	}
}

/* Trace lines may hold anything a server sent; each is sanitized. */
static void write_trace(struct cos_text *out, const struct cos_result *res)
{
	const char *p = res->trace.buf;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		line(out, "%.*s", (int)n, p);
		p += n + (nl != NULL);
	}
}

/* --- the default long output: a line for each part judged ------------- */

/* Where the check went. */
static void sum_connection(struct cos_text *out, const struct cos_result *res)
{
	char retries[48] = "";

	if (res->offline || res->peer[0] == '\0')
		return;
	if (res->attempts > 1)
		snprintf(retries, sizeof(retries), " (%d handshakes: --retries)",
			 res->attempts);
	line(out, "Connected to %s%s%s%s%s%s%s", res->peer,
	     res->tls_version[0] ? " with " : "", res->tls_version,
	     res->starttls ? " after STARTTLS (" : "",
	     res->starttls ? res->starttls : "", res->starttls ? ")" : "",
	     retries);
}

/* The certificate, and the name checked against it. */
static void sum_cert(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_cert_info *cert = &res->cert;
	char when[64];

	if (!cert->present)
		return;
	cos_time_format(cert->not_after, when, sizeof(when));
	line(out, "Certificate: %s, issued by %s, expires %s%s%s%s",
	     cert->subject, cert->issuer, when,
	     cert->must_staple ? ", must-staple" : "",
	     res->offline	  ? ""
	     : res->name_checked ? "; host name checked: "
				 : "; host name not checked (an IP address; "
				   "--sni NAME checks one)",
	     !res->offline && res->name_checked ? res->checked_name : "");
}

/* The staple: what it says, who signed it, its window; or why not. */
static void sum_staple(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_staple_info *s = &res->staple;
	char said[160], next[128], this[128];

	if (!res->have_staple) {
		if (res->cert.present || res->offline)
			line(out, "Staple: none");
	} else if (!s->matched) {
		line(out, "Staple: %zu bytes%s%s", s->length,
		     s->response_status[0] ? ", responseStatus " : "",
		     s->response_status);
	} else {
		line(out,
		     "Staple: certificate %s, signed by %s%s, thisUpdate %s, "
		     "nextUpdate %s",
		     answer_text(s, said, sizeof(said)),
		     s->signer[0] ? s->signer : s->responder,
		     signer_kinds[s->signer_kind],
		     when_text(s->this_update, res->now, this, sizeof(this)),
		     s->has_next_update
			     ? when_text(s->next_update, res->now, next,
					 sizeof(next))
			     : "none");
	}
	if (res->status != COS_GOOD)
		write_failure(out, "Failed", res->status, NULL, res->detail);
}

static void sum_responder(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_responder_info *r = &res->responder;
	char said[160];

	if (!r->asked)
		return;
	if (r->status == COS_E_NO_RESPONDER_URL) {
		line(out, "Responder: not asked: %s", cos_strerror(r->status));
		return;
	}
	if (r->answer.matched)
		line(out, "Responder: %s%s: certificate %s", r->url,
		     r->from_cache ? " (its answer kept in --cache-dir)" : "",
		     answer_text(&r->answer, said, sizeof(said)));
	else
		line(out, "Responder: %s", r->url);
	if (r->status != COS_GOOD && r->status != COS_E_REVOKED) {
		write_failure(out, "Responder failed", r->status, "answer",
			      r->detail);
	}
}

static void sum_crl(struct cos_text *out, const struct cos_result *res)
{
	const struct cos_crl_info *c = &res->crl;
	const char *kept = c->from_cache ? " (kept in --cache-dir)" : "";
	char said[160], next[128];

	if (!c->asked)
		return;
	if (c->status == COS_E_NO_CRL_DP) {
		line(out, "CRL: none fetched: %s", cos_strerror(c->status));
	} else if (c->status == COS_GOOD) {
		line(out, "CRL: %s%s: %s, nextUpdate %s", c->source, kept,
		     crl_text(c, said, sizeof(said)),
		     when_text(cos_crl_fresh_until(c), res->now, next,
			       sizeof(next)));
	} else if (c->status == COS_E_REVOKED || c->status == COS_E_ON_HOLD) {
		line(out, "CRL: %s%s: %s", c->source, kept,
		     crl_text(c, said, sizeof(said)));
	} else {
		line(out, "CRL: %s%s", c->source, kept);
		write_failure(out, "CRL failed", c->status, "CRL", c->detail);
	}
}

/* The default long output of one address (or the one server): a line for
 * each part judged, at most about 8; -v gives every detail instead. */
static void write_summary(struct cos_text *out, const struct cos_result *res)
{
	sum_connection(out, res);
	sum_cert(out, res);
	sum_staple(out, res);
	write_chain_staples(out, res);
	sum_responder(out, res);
	sum_crl(out, res);
}

/* Everything about one address (or the one server), with -v. */
static void write_details(struct cos_text *out, const struct cos_result *res,
			  int verbosity)
{
	if (verbosity == 0) {
		write_summary(out, res);
		return;
	}
	write_connection(out, res);
	write_cert(out, &res->cert);
	write_staple(out, res);
	write_checks(out, res);
	write_chain_staples(out, res);
	write_responder(out, res);
	write_crl(out, res);
}

/* A part's line: "Address 192.0.2.7: OK - ...", "ECDSA certificate: ...",
 * "handshake 2: ..."; a key type the server lacks says so. */
static void write_part(struct cos_text *out, const struct cos_result *part,
		       const struct cos_policy *policy)
{
	struct cos_judgement each;
	bool address_only = strcmp(part->label, part->address) == 0;

	if (part->status == COS_E_NO_SUCH_CERT) {
		line(out, "%s: none (%s)", part->label, part->detail);
		return;
	}
	cos_judge(part, policy, &each);
	line(out, "%s%s: %s - %s", address_only ? "Address " : "",
	     part->label, cos_state_name(each.state), each.summary);
}

/* A pool (-A, --all-certificates, --handshakes): a line for each part,
 * then the details of the one the status line reports. */
static enum cos_state report_pool(const struct cos_result *res,
				  const struct cos_policy *policy,
				  int verbosity, struct cos_text *out)
{
	struct cos_judgement j;
	size_t worst;

	cos_judge_pool(res, policy, &j, &worst);
	write_status_line(out, &j, res, policy);
	write_notes(out, policy);
	for (size_t i = 0; i < res->address_count; i++)
		write_part(out, &res->addresses[i], policy);
	if (res->addresses_skipped > 0)
		line(out,
		     "Not checked: %zu more handshakes (a check makes %d at "
		     "the most)",
		     res->addresses_skipped, COS_POOL_MAX);
	line(out, "Details of %s:", res->addresses[worst].label);
	write_details(out, &res->addresses[worst], verbosity);
	if (verbosity > 1)
		write_trace(out, res);
	for (size_t i = 0; verbosity > 1 && i < res->address_count; i++) {
		line(out, "Trace of %s:", res->addresses[i].label);
		write_trace(out, &res->addresses[i]);
	}
	return j.state;
}

/* --output-format one-line and json: the status line alone, or the JSON
 * document around it. */
static enum cos_state report_other(const struct cos_result *res,
				   const struct cos_policy *policy,
				   struct cos_text *out)
{
	struct cos_judgement j;
	struct cos_text line = {NULL, 0, 0, false};
	size_t worst;

	if (res->address_count > 0)
		cos_judge_pool(res, policy, &j, &worst);
	else
		cos_judge(res, policy, &j);
	write_status_line(&line, &j, res, policy);
	if (policy->format == COS_FORMAT_ONE_LINE)
		cos_text_append(out, line.buf ? line.buf : "");
	else
		cos_json_write(out, res, policy, &j, line.buf ? line.buf : "");
	if (line.failed)
		out->failed = true;
	cos_text_free(&line);
	return j.state;
}

enum cos_state cos_report(const struct cos_result *res,
			  const struct cos_policy *policy, int verbosity,
			  struct cos_text *out)
{
	struct cos_judgement j;

	if (policy->format != COS_FORMAT_DEFAULT)
		return report_other(res, policy, out);
	if (res->address_count > 0)
		return report_pool(res, policy, verbosity, out);
	cos_judge(res, policy, &j);
	write_status_line(out, &j, res, policy);
	write_notes(out, policy);
	/* A file the operator named cannot be used: the status line, which
	 * names the option and the file, says it all, as for a bad command
	 * line. */
	if (cos_status_is_input(res->status) && verbosity == 0)
		return j.state;
	write_details(out, res, verbosity);
	if (verbosity > 1) /* -vv: the trace; -vvv: the response's dump too */
		write_trace(out, res);
	return j.state;
}
