/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * json.c - --output-format json: the whole report as one JSON document,
 * every fact and verdict under stable names (the schema is the man page's,
 * section OUTPUT FORMATS). Text a server sent goes through the long
 * output's sanitizer first (valid UTF-8, no controls), then JSON's own
 * escaping, so the document always parses. The perfdata are read back
 * from the status line, so that they are the same values, written once.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A JSON string of text as it is (valid UTF-8, as all text here is by
 * then). */
static void put_escaped(struct cos_text *out, const char *clean)
{
	cos_text_append(out, "\"");
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (*p == '"' || *p == '\\')
			cos_text_printf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			cos_text_printf(out, "\\u%04x", *p);
		else
			cos_text_printf(out, "%c", *p);
	}
	cos_text_append(out, "\"");
}

/* A JSON string of text, sanitized as the long output is. */
static void put_string(struct cos_text *out, const char *text)
{
	char clean[4 * COS_TEXT_MAX];

	cos_sanitize_utf8(clean, sizeof(clean), text ? text : "");
	put_escaped(out, clean);
}

/* "key": before a value; first tells whether a comma goes before it. */
static void key(struct cos_text *out, bool *first, const char *name)
{
	cos_text_printf(out, "%s\"%s\":", *first ? "" : ",", name);
	*first = false;
}

static void put_text(struct cos_text *out, bool *first, const char *name,
		     const char *value)
{
	key(out, first, name);
	put_string(out, value);
}

static void put_int(struct cos_text *out, bool *first, const char *name,
		    long long value)
{
	key(out, first, name);
	cos_text_printf(out, "%lld", value);
}

static void put_bool(struct cos_text *out, bool *first, const char *name,
		     bool value)
{
	key(out, first, name);
	cos_text_append(out, value ? "true" : "false");
}

/* A time as seconds since the epoch, or null when there is none. */
static void put_time(struct cos_text *out, bool *first, const char *name,
		     bool has, time_t t)
{
	key(out, first, name);
	if (has)
		cos_text_printf(out, "%lld", (long long)t);
	else
		cos_text_append(out, "null");
}

static void put_status(struct cos_text *out, bool *first,
		       enum cos_status status, const char *subject,
		       const char *detail)
{
	char why[COS_TEXT_MAX];

	cos_strerror_of(status, subject, why, sizeof(why));
	put_text(out, first, "status", cos_status_id(status));
	put_text(out, first, "message", why);
	put_text(out, first, "detail", detail);
}

static void put_certificate(struct cos_text *out, bool *first,
			    const struct cos_cert_info *c)
{
	bool f = true;

	key(out, first, "certificate");
	if (!c->present) {
		cos_text_append(out, "null");
		return;
	}
	cos_text_append(out, "{");
	put_text(out, &f, "subject", c->subject);
	put_text(out, &f, "issuer", c->issuer);
	put_text(out, &f, "serial", c->serial);
	put_time(out, &f, "not_after", true, c->not_after);
	put_bool(out, &f, "must_staple", c->must_staple);
	put_text(out, &f, "ocsp_url", c->ocsp_url_count > 0 ? c->ocsp_url : "");
	cos_text_append(out, "}");
}

static const char *cert_status_name(enum cos_cert_status s)
{
	return s == COS_CERT_GOOD      ? "good"
	       : s == COS_CERT_REVOKED ? "revoked"
				       : "unknown";
}

/* What a staple or a responder's answer says, as far as it was read. */
static void put_answer(struct cos_text *out, bool *first, const char *name,
		       const struct cos_staple_info *a)
{
	bool f = true;

	key(out, first, name);
	if (!a->parsed) {
		cos_text_append(out, "null");
		return;
	}
	cos_text_append(out, "{");
	put_int(out, &f, "length", (long long)a->length);
	put_text(out, &f, "response_status", a->response_status);
	put_text(out, &f, "responder", a->responder);
	put_text(out, &f, "signer", a->signer);
	put_time(out, &f, "produced_at", a->has_produced_at, a->produced_at);
	put_time(out, &f, "this_update", a->matched, a->this_update);
	put_time(out, &f, "next_update", a->matched && a->has_next_update,
		 a->next_update);
	put_text(out, &f, "cert_status",
		 a->matched ? cert_status_name(a->cert_status) : "");
	put_time(out, &f, "revoked_at",
		 a->matched && a->cert_status == COS_CERT_REVOKED,
		 a->revoked_at);
	put_int(out, &f, "reason", a->revocation_reason);
	cos_text_append(out, "}");
}

static void put_steps(struct cos_text *out, bool *first, unsigned passed)
{
	bool f = true;

	key(out, first, "steps_passed");
	cos_text_append(out, "[");
	for (int step = 2; step <= 10; step++) {
		if (!(passed & COS_STEP_BIT(step)))
			continue;
		cos_text_append(out, f ? "" : ",");
		put_string(out, cos_step_name(step));
		f = false;
	}
	cos_text_append(out, "]");
}

static void put_responder(struct cos_text *out, bool *first,
			  const struct cos_responder_info *r)
{
	bool f = true;

	key(out, first, "responder");
	if (!r->asked) {
		cos_text_append(out, "null");
		return;
	}
	cos_text_append(out, "{");
	put_text(out, &f, "url", r->url);
	put_text(out, &f, "via", r->via);
	put_bool(out, &f, "from_cache", r->from_cache);
	put_status(out, &f, r->status, "answer", r->detail);
	put_answer(out, &f, "answer", &r->answer);
	cos_text_append(out, "}");
}

static void put_crl(struct cos_text *out, bool *first,
		    const struct cos_crl_info *c)
{
	bool f = true;

	key(out, first, "crl");
	if (!c->asked) {
		cos_text_append(out, "null");
		return;
	}
	cos_text_append(out, "{");
	put_text(out, &f, "source", c->source);
	put_bool(out, &f, "from_cache", c->from_cache);
	put_status(out, &f, c->status, "CRL", c->detail);
	put_text(out, &f, "issuer", c->parsed ? c->issuer : "");
	put_text(out, &f, "number", c->number);
	put_int(out, &f, "entries", c->parsed ? c->entries : 0);
	put_time(out, &f, "this_update", c->has_next_update, c->this_update);
	put_time(out, &f, "next_update", c->has_next_update, c->next_update);
	put_time(out, &f, "revoked_at",
		 c->status == COS_E_REVOKED || c->status == COS_E_ON_HOLD,
		 c->revoked_at);
	put_int(out, &f, "reason", c->reason);
	put_text(out, &f, "delta", c->has_delta ? c->delta : "");
	put_time(out, &f, "delta_next_update", c->has_delta,
		 c->delta_next_update);
	cos_text_append(out, "}");
}

static void put_chain_staples(struct cos_text *out, bool *first,
			      const struct cos_result *res)
{
	key(out, first, "chain_staples");
	cos_text_append(out, "[");
	for (int i = 0; i < res->chain_staple_count; i++) {
		const struct cos_chain_staple *c = &res->chain_staples[i];
		bool f = true;

		cos_text_append(out, i ? ",{" : "{");
		put_int(out, &f, "depth", c->depth);
		put_text(out, &f, "subject", c->subject);
		put_status(out, &f, c->status, "staple", c->detail);
		put_time(out, &f, "next_update", c->has_next_update,
			 c->next_update);
		cos_text_append(out, "}");
	}
	cos_text_append(out, "]");
	put_int(out, first, "certificate_message_unread",
		(long)res->certmsg_unread);
}

/* Everything one check (or one part of a pool) found. */
static void put_check(struct cos_text *out, const struct cos_result *res)
{
	bool f = true;

	cos_text_append(out, "{");
	put_status(out, &f, res->status, "staple", res->detail);
	put_bool(out, &f, "offline", res->offline);
	put_text(out, &f, "peer", res->peer);
	put_text(out, &f, "tls_version", res->tls_version);
	put_int(out, &f, "handshakes", res->attempts);
	put_bool(out, &f, "host_name_checked", res->name_checked);
	put_text(out, &f, "checked_name", res->checked_name);
	put_certificate(out, &f, &res->cert);
	put_bool(out, &f, "staple_present", res->have_staple);
	put_answer(out, &f, "staple", &res->staple);
	put_steps(out, &f, res->steps_passed);
	put_responder(out, &f, &res->responder);
	put_crl(out, &f, &res->crl);
	put_chain_staples(out, &f, res);
	cos_text_append(out, "}");
}

/* The n-th ';' field of a perfdata item's thresholds part, in buf. */
static void field(const char *item, int n, char *buf, size_t len)
{
	const char *p = item;

	for (int i = 0; i < n && p != NULL; i++)
		if ((p = strchr(p, ';')) != NULL)
			p++;
	if (p == NULL) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%.*s", (int)strcspn(p, ";"), p);
}

/* The perfdata after the status line's "| ", as objects: label, value and
 * unit, and the thresholds as the ranges they are written as. */
static void put_perfdata(struct cos_text *out, bool *first,
			 const char *status_line)
{
	const char *p = strstr(status_line, " | ");
	bool f = true;

	key(out, first, "perfdata");
	cos_text_append(out, "[");
	for (p = p ? p + 3 : ""; *p != '\0';) {
		char item[256], label[64], value[64], warn[64], crit[64],
			min[32], max[32];
		size_t n = strcspn(p, " "), digits;
		const char *eq;
		bool g = true;

		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
		if ((eq = strchr(item, '=')) == NULL)
			continue;
		snprintf(label, sizeof(label), "%.*s", (int)(eq - item), item);
		field(eq + 1, 0, value, sizeof(value));
		field(eq + 1, 1, warn, sizeof(warn));
		field(eq + 1, 2, crit, sizeof(crit));
		field(eq + 1, 3, min, sizeof(min));
		field(eq + 1, 4, max, sizeof(max));
		digits = strspn(value, "0123456789.-");
		cos_text_append(out, f ? "{" : ",{");
		f = false;
		put_text(out, &g, "label", label);
		key(out, &g, "value");
		if (digits > 0 && strspn(value, "-") < digits)
			cos_text_printf(out, "%.*s", (int)digits, value);
		else
			cos_text_append(out, "null");
		put_text(out, &g, "unit", value + digits);
		put_text(out, &g, "warn", warn);
		put_text(out, &g, "crit", crit);
		put_text(out, &g, "min", min);
		put_text(out, &g, "max", max);
		cos_text_append(out, "}");
	}
	cos_text_append(out, "]");
}

void cos_json_write(struct cos_text *out, const struct cos_result *res,
		    const struct cos_policy *policy,
		    const struct cos_judgement *j, const char *status_line)
{
	bool f = true;
	const char *note = policy->notes;
	size_t line_len = strcspn(status_line, "\n");
	char line[2 * COS_TEXT_MAX + 1024];

	snprintf(line, sizeof(line), "%.*s", (int)line_len, status_line);
	cos_text_append(out, "{");
	put_text(out, &f, "format", "check_ocsp_staple/1");
	put_text(out, &f, "state", cos_state_name(j->state));
	put_int(out, &f, "exit_code", (long long)j->state);
	/* Sanitized already, as the first line is: kept to the letter. */
	key(out, &f, "status_line");
	put_escaped(out, line);
	put_perfdata(out, &f, line);
	key(out, &f, "notes");
	cos_text_append(out, "[");
	for (bool g = true; *note != '\0'; g = false) {
		size_t n = strcspn(note, "\n");
		char one[128];

		snprintf(one, sizeof(one), "%.*s", (int)n, note);
		cos_text_append(out, g ? "" : ",");
		put_string(out, one);
		note += n + (note[n] == '\n');
	}
	cos_text_append(out, "]");
	key(out, &f, "check");
	put_check(out, res);
	key(out, &f, "parts");
	cos_text_append(out, "[");
	for (size_t i = 0; i < res->address_count; i++) {
		const struct cos_result *part = &res->addresses[i];
		struct cos_judgement each;
		bool g = true;

		cos_judge(part, policy, &each);
		cos_text_append(out, i ? ",{" : "{");
		put_text(out, &g, "label", part->label);
		put_text(out, &g, "address", part->address);
		put_text(out, &g, "key_type",
			 cos_key_type_name(part->key_type));
		put_int(out, &g, "handshake", part->handshake);
		put_text(out, &g, "state",
			 part->status == COS_E_NO_SUCH_CERT
				 ? "none"
				 : cos_state_name(each.state));
		put_text(out, &g, "summary", each.summary);
		key(out, &g, "check");
		put_check(out, part);
		cos_text_append(out, "}");
	}
	cos_text_append(out, "]}\n");
}
