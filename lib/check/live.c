/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * live.c - --responder: the live answer, fetched while the handshake goes
 * on (SPEC 7).
 *
 * The fetch starts from the chain hook, as soon as a verified chain gives
 * the leaf and its issuer (in the TLS status callback, or once the offline
 * chain verifies), on a thread of its own, and shares the check's -t
 * deadline; the check collects it once its own handshakes are done. One
 * fetch serves every result with the same leaf and issuer (-A's addresses,
 * --retries' attempts); a different certificate gets its own. With
 * --cache-dir a verified answer is kept as what its verification found
 * (the fields of struct cos_staple_info, bound to its CertID and URL by the
 * key, and to its bytes by cache.c's digest), and a later run takes those
 * instead of asking, once it has checked the key and the validity window
 * against its own clock: this saves the fetch and the answer's signature
 * verification, which the directory's ownership makes needless, as it
 * makes ssh's known_hosts trusted.
 */
#include "config.h"

#include <pthread.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* Body of an OCSP answer at the most (SPEC 7). */
#define ANSWER_MAX (64 * 1024)

/* What a fetch brings: the responder's answer, or a CRL. */
enum kind { ANSWER, CRL, KINDS };


struct fetch {
	struct fetch *next;
	struct cos_live *live;
	enum kind kind;
	X509 *leaf;   /* owned references */
	X509 *issuer;
	pthread_t thread;
	bool started; /* on a thread of its own, to be joined */
	bool done;    /* under live->lock */
	struct cos_ocsp_question q;
	struct cos_result res;	       /* the answer's verification */
	struct cos_responder_info info; /* url, via, cache, time */
	struct cos_crl_info crl;	/* a CRL's facts */
	char dps[COS_CRL_DP_MAX][COS_TEXT_MAX]; /* its http:// ones */
	int dp_count;
};

/* Which fetch answers a result's certificate, for each kind. */
struct claim {
	const struct cos_result *res;
	struct fetch *fetch[KINDS];
};

struct cos_live {
	const struct cos_config *cfg;
	time_t now;
	const struct cos_deadline *d;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct fetch *fetches;
	struct claim *claims;
	size_t claim_count;
	size_t claim_cap;
	/* --crl-file, read before the check: its bytes, or why not. */
	unsigned char *crl_file;
	size_t crl_file_len;
	enum cos_status crl_file_status;
	char crl_file_detail[COS_TEXT_MAX];
};

/* The responder to ask: --responder-url, or the certificate's first OCSP
 * URL. */
static bool responder_url(const struct cos_config *cfg, X509 *leaf, char *buf,
			  size_t len)
{
	STACK_OF(OPENSSL_STRING) *urls;

	if (cfg->responder_url != NULL) {
		snprintf(buf, len, "%s", cfg->responder_url);
		return true;
	}
	urls = X509_get1_ocsp(leaf);
	if (urls != NULL && sk_OPENSSL_STRING_num(urls) > 0)
		snprintf(buf, len, "%s", sk_OPENSSL_STRING_value(urls, 0));
	else
		buf[0] = '\0';
	X509_email_free(urls);
	return buf[0] != '\0';
}

static bool usable(enum cos_status status)
{
	return status == COS_GOOD || status == COS_E_REVOKED;
}

/* How long the answer may be kept: its nextUpdate, or the HTTP max-age if
 * that is sooner; 0: not at all. */
static time_t keep_until(const struct fetch *f, long max_age)
{
	const struct cos_staple_info *a = &f->res.staple;
	time_t until = a->has_next_update ? a->next_update : 0;

	if (max_age >= 0 && (until == 0 || f->live->now + max_age < until))
		until = f->live->now + max_age;
	return until > f->live->now ? until : 0;
}

/* "name HEX\n": text fields may hold anything a responder put in a name. */
static void put_text(struct cos_text *t, const char *name, const char *v)
{
	cos_text_printf(t, "%s ", name);
	for (; *v != '\0'; v++)
		cos_text_printf(t, "%02x", (unsigned char)*v);
	cos_text_append(t, "\n");
}

/* Reads "name HEX\n" at *p into buf; false when it is not there. */
static bool get_text(const char **p, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name), i = 0;
	const char *c = *p;
	unsigned int byte;

	if (strncmp(c, name, n) != 0 || c[n] != ' ')
		return false;
	for (c += n + 1; *c != '\n'; c += 2) {
		if (i + 1 >= len || sscanf(c, "%2x", &byte) != 1 ||
		    strchr("0123456789abcdef", c[0]) == NULL ||
		    strchr("0123456789abcdef", c[1]) == NULL)
			return false;
		buf[i++] = (char)byte;
	}
	buf[i] = '\0';
	*p = c + 1;
	return true;
}

/* Reads "name NUMBER\n" at *p. */
static bool get_number(const char **p, const char *name, long long *v)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(*p, name, n) != 0 || (*p)[n] != ' ')
		return false;
	*v = strtoll(*p + n + 1, &end, 10);
	if (end == *p + n + 1 || *end != '\n')
		return false;
	*p = end + 1;
	return true;
}

/* What the verification of a usable answer found, for --cache-dir. */
static void encode_answer(const struct fetch *f, struct cos_text *t)
{
	const struct cos_staple_info *a = &f->res.staple;

	put_text(t, "key", f->q.key);
	cos_text_printf(t, "revoked %d\nsteps %u\nlength %zu\n",
			f->res.status == COS_E_REVOKED, f->res.steps_passed,
			a->length);
	put_text(t, "response_status", a->response_status);
	put_text(t, "responder", a->responder);
	cos_text_printf(t, "signer_kind %d\n", (int)a->signer_kind);
	put_text(t, "signer", a->signer);
	put_text(t, "certid_hash", a->certid_hash);
	cos_text_printf(t,
			"produced_at %lld\nthis_update %lld\n"
			"next_update %lld\nrevoked_at %lld\nreason %d\n",
			a->has_produced_at ? (long long)a->produced_at : -1LL,
			(long long)a->this_update,
			a->has_next_update ? (long long)a->next_update : -1LL,
			(long long)a->revoked_at, a->revocation_reason);
}

/* The kept answer into f, if it is this question's and is what
 * encode_answer wrote. */
static bool decode_answer(struct fetch *f, const char *p)
{
	struct cos_staple_info *a = &f->res.staple;
	long long revoked, steps, length, kind, produced, this_upd, next_upd,
		revoked_at, reason;
	char key[sizeof(f->q.key)];

	if (!get_text(&p, "key", key, sizeof(key)) ||
	    strcmp(key, f->q.key) != 0 || !get_number(&p, "revoked", &revoked) ||
	    !get_number(&p, "steps", &steps) ||
	    !get_number(&p, "length", &length) ||
	    !get_text(&p, "response_status", a->response_status,
		      sizeof(a->response_status)) ||
	    !get_text(&p, "responder", a->responder, sizeof(a->responder)) ||
	    !get_number(&p, "signer_kind", &kind) ||
	    !get_text(&p, "signer", a->signer, sizeof(a->signer)) ||
	    !get_text(&p, "certid_hash", a->certid_hash,
		      sizeof(a->certid_hash)) ||
	    !get_number(&p, "produced_at", &produced) ||
	    !get_number(&p, "this_update", &this_upd) ||
	    !get_number(&p, "next_update", &next_upd) ||
	    !get_number(&p, "revoked_at", &revoked_at) ||
	    !get_number(&p, "reason", &reason) || *p != '\0' ||
	    kind < COS_SIGNER_NONE || kind > COS_SIGNER_DELEGATED ||
	    steps < 0 || length < 0)
		return false;
	a->parsed = a->matched = true;
	a->length = (size_t)length;
	a->signer_kind = (enum cos_signer_kind)kind;
	a->has_produced_at = produced >= 0;
	a->produced_at = (time_t)produced;
	a->this_update = (time_t)this_upd;
	a->has_next_update = next_upd >= 0;
	a->next_update = (time_t)next_upd;
	a->cert_status = revoked ? COS_CERT_REVOKED : COS_CERT_GOOD;
	a->revoked_at = (time_t)revoked_at;
	a->revocation_reason = (int)reason;
	f->res.steps_passed = (unsigned)steps;
	if (revoked)
		cos_fail(&f->res, COS_E_REVOKED, "kept in --cache-dir");
	return true;
}

/* A kept answer, its key and window checked at this run's clock; false
 * when there is none to use. */
static bool from_cache(struct fetch *f, const struct cos_ocsp_question *q)
{
	const struct cos_config *cfg = f->live->cfg;
	const struct cos_staple_info *a = &f->res.staple;
	unsigned char *data = NULL;
	size_t len = 0;
	bool ok;

	if (cfg->cache_dir == NULL ||
	    !cos_cache_get(cfg->cache_dir, q->key, f->live->now, &data, &len,
			   &f->res))
		return false;
	ok = decode_answer(f, (const char *)data) &&
	     a->this_update <= f->live->now + cfg->skew &&
	     (!a->has_next_update ||
	      a->next_update >= f->live->now - cfg->skew);
	free(data);
	if (ok) {
		f->info.from_cache = true;
		return true;
	}
	cos_trace(&f->res, 2, "cache: the kept answer is not this one's, or "
			      "not now valid; asking");
	cos_result_restart(&f->res);
	f->res.staple.revocation_reason = -1;
	return false;
}

static void keep(struct fetch *f, time_t until)
{
	struct cos_text t = {NULL, 0, 0, false};

	encode_answer(f, &t);
	if (!t.failed)
		cos_cache_put(f->live->cfg->cache_dir, f->q.key, until,
			      (const unsigned char *)t.buf, t.len, &f->res);
	cos_text_free(&t);
}

static void ask(struct fetch *f, const struct cos_ocsp_question *q)
{
	const struct cos_config *cfg = f->live->cfg;
	struct cos_http_request req = {
		.url = f->info.url,
		.proxy = cfg->proxy,
		/* -4 and -6 choose the server's addresses; the CA's
		 * responder is reached as it can be. */
		.family = AF_UNSPEC,
		.accept = "application/ocsp-response",
		.max_len = ANSWER_MAX,
		.get_suffix = q->get_suffix,
		.item = q->get_suffix ? NULL : ASN1_ITEM_rptr(OCSP_REQUEST),
		.value = q->get_suffix ? NULL : (ASN1_VALUE *)q->request,
		.content_type = "application/ocsp-request",
		.not_der = COS_E_MALFORMED,
	};
	struct cos_http_reply reply;
	double started = cos_monotonic_seconds();
	time_t until;

	cos_trace(&f->res, 2, "asking %s by %s", f->info.url,
		  q->get_suffix ? "GET" : "POST");
	cos_http_fetch(&req, f->live->d, &reply, &f->res);
	f->info.elapsed = cos_monotonic_seconds() - started;
	snprintf(f->info.via, sizeof(f->info.via), "%s", reply.via);
	if (f->res.status == COS_GOOD)
		cos_staple_verify(reply.body, reply.len, f->leaf, f->issuer,
				  f->live->now, cfg->skew, &f->res);
	cos_http_reply_free(&reply);
	if (usable(f->res.status) && cfg->cache_dir != NULL &&
	    (until = keep_until(f, reply.max_age)) != 0)
		keep(f, until);
}

static void finish(struct fetch *f)
{
	pthread_mutex_lock(&f->live->lock);
	f->done = true;
	pthread_cond_broadcast(&f->live->changed);
	pthread_mutex_unlock(&f->live->lock);
}

/* What the CRL is to be had from (crlfetch.c): --crl-file's bytes, or
 * the distribution points. */
static struct cos_crl_job crl_job(const struct fetch *f)
{
	const struct cos_live *live = f->live;
	struct cos_crl_job job = {
		.cfg = live->cfg,
		.now = live->now,
		.d = live->d,
		.leaf = f->leaf,
		.issuer = f->issuer,
		.file = live->cfg->crl_file ? live->crl_file : NULL,
		.file_len = live->crl_file_len,
		.dps = (const char(*)[COS_TEXT_MAX])f->dps,
		.dp_count = f->dp_count,
	};

	return job;
}

static void fetch_crl(struct fetch *f)
{
	struct cos_crl_job job = crl_job(f);

	cos_crl_obtain(&job, &f->crl, &f->res);
}

static void *run_fetch(void *arg)
{
	struct fetch *f = arg;

	if (f->kind == ANSWER)
		ask(f, &f->q);
	else
		fetch_crl(f);
	finish(f);
	return NULL;
}

/* The certificate's http:// CRL distribution points into f->dps; the
 * others (ldap://, https://) are named in the trace and skipped. */
static void crl_urls(struct fetch *f)
{
	char uris[COS_CRL_DP_MAX][COS_TEXT_MAX];
	size_t n = cos_crl_dp_uris(f->leaf, uris, COS_CRL_DP_MAX);

	for (size_t i = 0; i < n; i++) {
		if (strncmp(uris[i], "http://", 7) != 0)
			cos_trace(&f->res, 2, "skipped %s: only http:// is fetched",
				  uris[i]);
		else
			snprintf(f->dps[f->dp_count++], sizeof(f->dps[0]), "%s",
				 uris[i]);
	}
}

/* --crl-file, or the distribution points to fetch; or the kept CRL. */
static bool crl_settled_here(struct fetch *f)
{
	const struct cos_config *cfg = f->live->cfg;
	const struct cos_live *live = f->live;
	struct cos_crl_job job;

	f->crl.reason = -1;
	if (cfg->crl_file != NULL) {
		/* Judged on the fetch's thread: a large CRL would hold the
		 * handshake in its status callback. */
		snprintf(f->crl.source, sizeof(f->crl.source), "%s",
			 cfg->crl_file);
		if (live->crl_file_status == COS_GOOD)
			return false;
		cos_fail(&f->res, live->crl_file_status, "%s",
			 live->crl_file_detail);
		return true;
	}
	crl_urls(f);
	if (f->dp_count == 0) {
		cos_fail(&f->res, COS_E_NO_CRL_DP, NULL);
		return true;
	}
	/* Kept and fresh: a few reads of the kept index, here, with no
	 * thread (nor its memory) for what needs no network. */
	job = crl_job(f);
	if (!cos_crl_all_kept(&job, &f->res))
		return false;
	cos_crl_obtain(&job, &f->crl, &f->res);
	return true;
}

/* What needs no network, on the caller's thread: the URL, the question,
 * the kept answer, a CRL file. True when that settled it; else the fetch
 * is to run. */
static bool settled_here(struct fetch *f)
{
	if (f->kind == CRL)
		return crl_settled_here(f);
	if (!responder_url(f->live->cfg, f->leaf, f->info.url,
			   sizeof(f->info.url))) {
		cos_fail(&f->res, COS_E_NO_RESPONDER_URL, NULL);
		return true;
	}
	return cos_ocsp_question_make(f->leaf, f->issuer, f->info.url, &f->q,
				      &f->res) != COS_GOOD ||
	       from_cache(f, &f->q);
}

/* Settles the fetch here, or starts it on a thread of its own (here,
 * within the deadline, when no thread can be had). */
static void start(struct fetch *f)
{
	if (settled_here(f)) {
		finish(f);
		return;
	}
	f->started = pthread_create(&f->thread, NULL, run_fetch, f) == 0;
	if (!f->started)
		run_fetch(f);
}

static struct fetch *find_fetch(struct cos_live *live, enum kind kind,
				X509 *leaf, X509 *issuer)
{
	for (struct fetch *f = live->fetches; f != NULL; f = f->next)
		if (f->kind == kind && X509_cmp(f->leaf, leaf) == 0 &&
		    X509_cmp(f->issuer, issuer) == 0)
			return f;
	return NULL;
}

/* A new fetch, not yet started; NULL when there is no memory for it. */
static struct fetch *new_fetch(struct cos_live *live, enum kind kind,
			       X509 *leaf, X509 *issuer)
{
	struct fetch *f = calloc(1, sizeof(*f));

	if (f == NULL || !X509_up_ref(leaf)) {
		free(f);
		return NULL;
	}
	f->leaf = leaf;
	if (!X509_up_ref(issuer)) {
		X509_free(leaf);
		free(f);
		return NULL;
	}
	f->issuer = issuer;
	f->live = live;
	f->kind = kind;
	cos_result_start(&f->res, live->cfg->verbosity, live->now);
	f->next = live->fetches;
	live->fetches = f;
	return f;
}

static bool claim(struct cos_live *live, const struct cos_result *res,
		  struct fetch *f)
{
	struct claim *more;

	for (size_t i = 0; i < live->claim_count; i++)
		if (live->claims[i].res == res) {
			live->claims[i].fetch[f->kind] = f;
			return true;
		}
	if (live->claim_count == live->claim_cap) {
		size_t cap = live->claim_cap ? 2 * live->claim_cap : 8;

		more = realloc(live->claims, cap * sizeof(*more));
		if (more == NULL)
			return false;
		live->claims = more;
		live->claim_cap = cap;
	}
	memset(&live->claims[live->claim_count], 0, sizeof(*more));
	live->claims[live->claim_count].res = res;
	live->claims[live->claim_count++].fetch[f->kind] = f;
	return true;
}

static bool wanted(const struct cos_config *cfg, enum kind kind)
{
	return kind == ANSWER ? cfg->responder : cfg->crl;
}

/* The chain hook: the fetches for this leaf start, or are shared. */
static void on_chain(void *arg, X509 *leaf, X509 *issuer,
		     struct cos_result *res)
{
	struct cos_live *live = arg;

	for (enum kind kind = ANSWER; kind < KINDS; kind++) {
		struct fetch *f;
		bool created = false;

		if (!wanted(live->cfg, kind))
			continue;
		pthread_mutex_lock(&live->lock);
		if ((f = find_fetch(live, kind, leaf, issuer)) == NULL &&
		    (f = new_fetch(live, kind, leaf, issuer)) != NULL)
			created = true;
		if (f == NULL || !claim(live, res, f))
			cos_trace(res, 2, "no memory to fetch %s",
				  kind == ANSWER ? "the answer" : "the CRL");
		pthread_mutex_unlock(&live->lock);
		/* Outside the lock: the other addresses' handshakes go
		 * on. */
		if (created)
			start(f);
	}
}

/* --crl-file, read once for the whole check. One that cannot be read is
 * the operator's problem (UNKNOWN, as for --response); one that is too
 * large is a CRL that cannot be used (--crl-failure). */
static bool read_crl_file(struct cos_live *live, struct cos_result *res)
{
	struct cos_result read;

	cos_result_start(&read, 0, live->now);
	cos_read_crl_file(live->cfg->crl_file, live->cfg->crl_max_size,
			  &live->crl_file, &live->crl_file_len, &read);
	live->crl_file_status = read.status;
	snprintf(live->crl_file_detail, sizeof(live->crl_file_detail), "%s",
		 read.detail);
	cos_result_free(&read);
	if (cos_status_is_input(live->crl_file_status) ||
	    live->crl_file_status == COS_E_NOMEM) {
		cos_fail(res, live->crl_file_status, "%s",
			 live->crl_file_detail);
		return false;
	}
	return true;
}

struct cos_live *cos_live_new(const struct cos_config *cfg, time_t now,
			      const struct cos_deadline *d,
			      struct cos_result *res)
{
	struct cos_live *live;

	if (!cfg->responder && !cfg->crl)
		return NULL;
	if (cfg->cache_dir != NULL &&
	    cos_cache_check_dir(cfg->cache_dir, res) != COS_GOOD)
		return NULL;
	if ((live = calloc(1, sizeof(*live))) == NULL) {
		cos_fail(res, COS_E_NOMEM, "preparing the responder's fetch");
		return NULL;
	}
	live->cfg = cfg;
	live->now = now;
	live->d = d;
	pthread_mutex_init(&live->lock, NULL);
	pthread_cond_init(&live->changed, NULL);
	if (cfg->crl_file != NULL && !read_crl_file(live, res)) {
		cos_live_free(live);
		return NULL;
	}
	return live;
}

struct cos_chain_hook cos_live_hook(struct cos_live *live)
{
	struct cos_chain_hook hook = {live ? on_chain : NULL, live};

	return hook;
}

/* The fetch's trace into the result's, each line marked. */
static void copy_trace(const struct fetch *f, struct cos_result *res)
{
	const char *p = f->res.trace.buf;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		cos_trace(res, 0, "%s: %.*s",
			  f->kind == ANSWER ? "responder" : "CRL", n, p);
		p += n + (nl != NULL);
	}
}

static void copy_result(const struct fetch *f, struct cos_result *res)
{
	if (f->kind == CRL) {
		res->crl = f->crl;
		res->crl.asked = true;
		res->crl.status = f->res.status;
		snprintf(res->crl.detail, sizeof(res->crl.detail), "%s",
			 f->res.detail);
	} else {
		res->responder = f->info;
		res->responder.asked = true;
		res->responder.status = f->res.status;
		snprintf(res->responder.detail,
			 sizeof(res->responder.detail), "%s", f->res.detail);
		res->responder.steps_passed = f->res.steps_passed;
		res->responder.answer = f->res.staple;
	}
	copy_trace(f, res);
}

void cos_live_collect(struct cos_live *live, struct cos_result *res)
{
	struct fetch *f[KINDS] = {NULL, NULL};

	if (live == NULL)
		return;
	pthread_mutex_lock(&live->lock);
	for (size_t i = 0; i < live->claim_count; i++)
		if (live->claims[i].res == res)
			memcpy(f, live->claims[i].fetch, sizeof(f));
	for (enum kind k = ANSWER; k < KINDS; k++)
		while (f[k] != NULL && !f[k]->done)
			pthread_cond_wait(&live->changed, &live->lock);
	pthread_mutex_unlock(&live->lock);
	for (enum kind k = ANSWER; k < KINDS; k++)
		if (f[k] != NULL)
			copy_result(f[k], res);
}

void cos_live_free(struct cos_live *live)
{
	struct fetch *f, *next;

	if (live == NULL)
		return;
	for (f = live->fetches; f != NULL; f = next) {
		next = f->next;
		if (f->started)
			pthread_join(f->thread, NULL);
		X509_free(f->leaf);
		X509_free(f->issuer);
		cos_ocsp_question_free(&f->q);
		cos_result_free(&f->res);
		free(f);
	}
	free(live->claims);
	free(live->crl_file);
	pthread_cond_destroy(&live->changed);
	pthread_mutex_destroy(&live->lock);
	free(live);
}
