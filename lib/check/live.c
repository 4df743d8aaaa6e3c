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
 * --cache-dir a kept answer, verified again as if fresh, saves the fetch.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* Body of an OCSP answer at the most (SPEC 7). */
#define ANSWER_MAX (64 * 1024)

struct fetch {
	struct fetch *next;
	struct cos_live *live;
	X509 *leaf;   /* owned references */
	X509 *issuer;
	pthread_t thread;
	bool started; /* on a thread of its own, to be joined */
	bool done;    /* under live->lock */
	struct cos_result res;	       /* the answer's verification */
	struct cos_responder_info info; /* url, via, cache, time */
};

/* Which fetch a result's certificate is answered by. */
struct claim {
	const struct cos_result *res;
	struct fetch *fetch;
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

/* A kept answer, verified as if fresh; false when there is none to use. */
static bool from_cache(struct fetch *f, const struct cos_ocsp_question *q)
{
	const struct cos_config *cfg = f->live->cfg;
	unsigned char *der = NULL;
	size_t len = 0;

	if (cfg->cache_dir == NULL ||
	    !cos_cache_get(cfg->cache_dir, q->key, f->live->now, &der, &len,
			   &f->res))
		return false;
	cos_staple_verify(der, len, f->leaf, f->issuer, f->live->now,
			  cfg->skew, &f->res);
	free(der);
	if (usable(f->res.status)) {
		f->info.from_cache = true;
		return true;
	}
	cos_trace(&f->res, 1, "cache: the kept answer is refused (%s); asking",
		  cos_status_id(f->res.status));
	cos_result_restart(&f->res);
	return false;
}

static void ask(struct fetch *f, const struct cos_ocsp_question *q)
{
	const struct cos_config *cfg = f->live->cfg;
	struct cos_http_request req = {
		.url = f->info.url,
		.proxy = cfg->proxy,
		.family = cfg->family,
		.accept = "application/ocsp-response",
		.max_len = ANSWER_MAX,
		.get_suffix = q->get_suffix,
		.item = q->get_suffix ? NULL : ASN1_ITEM_rptr(OCSP_REQUEST),
		.value = q->get_suffix ? NULL : (ASN1_VALUE *)q->request,
		.content_type = "application/ocsp-request",
	};
	struct cos_http_reply reply;
	double started = cos_monotonic_seconds();
	time_t until;

	cos_trace(&f->res, 1, "asking %s by %s", f->info.url,
		  q->get_suffix ? "GET" : "POST");
	cos_http_fetch(&req, f->live->d, &reply, &f->res);
	f->info.elapsed = cos_monotonic_seconds() - started;
	snprintf(f->info.via, sizeof(f->info.via), "%s", reply.via);
	if (f->res.status == COS_GOOD)
		cos_staple_verify(reply.body, reply.len, f->leaf, f->issuer,
				  f->live->now, cfg->skew, &f->res);
	if (usable(f->res.status) && cfg->cache_dir != NULL &&
	    (until = keep_until(f, reply.max_age)) != 0)
		cos_cache_put(cfg->cache_dir, q->key, until, reply.body,
			      reply.len, &f->res);
	cos_http_reply_free(&reply);
}

static void *run_fetch(void *arg)
{
	struct fetch *f = arg;
	struct cos_ocsp_question q;
	struct cos_live *live = f->live;

	memset(&q, 0, sizeof(q));
	if (!responder_url(live->cfg, f->leaf, f->info.url,
			   sizeof(f->info.url)))
		cos_fail(&f->res, COS_E_NO_RESPONDER_URL, NULL);
	else if (cos_ocsp_question_make(f->leaf, f->issuer, f->info.url, &q,
					&f->res) == COS_GOOD &&
		 !from_cache(f, &q))
		ask(f, &q);
	cos_ocsp_question_free(&q);
	pthread_mutex_lock(&live->lock);
	f->done = true;
	pthread_cond_broadcast(&live->changed);
	pthread_mutex_unlock(&live->lock);
	return NULL;
}

static struct fetch *find_fetch(struct cos_live *live, X509 *leaf,
				X509 *issuer)
{
	for (struct fetch *f = live->fetches; f != NULL; f = f->next)
		if (X509_cmp(f->leaf, leaf) == 0 &&
		    X509_cmp(f->issuer, issuer) == 0)
			return f;
	return NULL;
}

/* A new fetch, started; NULL when there is no memory for it. */
static struct fetch *start_fetch(struct cos_live *live, X509 *leaf,
				 X509 *issuer)
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
	cos_result_start(&f->res, live->cfg->verbosity, live->now);
	f->next = live->fetches;
	live->fetches = f;
	f->started = pthread_create(&f->thread, NULL, run_fetch, f) == 0;
	return f;
}

static bool claim(struct cos_live *live, const struct cos_result *res,
		  struct fetch *f)
{
	struct claim *more;

	for (size_t i = 0; i < live->claim_count; i++)
		if (live->claims[i].res == res) {
			live->claims[i].fetch = f;
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
	live->claims[live->claim_count++] = (struct claim){res, f};
	return true;
}

/* The chain hook: the fetch for this leaf starts, or is shared. */
static void on_chain(void *arg, X509 *leaf, X509 *issuer,
		     struct cos_result *res)
{
	struct cos_live *live = arg;
	struct fetch *f;
	bool inline_run = false;

	pthread_mutex_lock(&live->lock);
	if ((f = find_fetch(live, leaf, issuer)) == NULL &&
	    (f = start_fetch(live, leaf, issuer)) != NULL)
		inline_run = !f->started;
	if (f == NULL || !claim(live, res, f))
		cos_trace(res, 1, "responder: no memory to ask it");
	pthread_mutex_unlock(&live->lock);
	/* No thread to be had: the fetch runs here, within the deadline. */
	if (inline_run)
		run_fetch(f);
}

struct cos_live *cos_live_new(const struct cos_config *cfg, time_t now,
			      const struct cos_deadline *d,
			      struct cos_result *res)
{
	struct cos_live *live;

	if (!cfg->responder)
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

		cos_trace(res, 0, "responder: %.*s", n, p);
		p += n + (nl != NULL);
	}
}

void cos_live_collect(struct cos_live *live, struct cos_result *res)
{
	struct fetch *f = NULL;

	if (live == NULL)
		return;
	pthread_mutex_lock(&live->lock);
	for (size_t i = 0; i < live->claim_count; i++)
		if (live->claims[i].res == res)
			f = live->claims[i].fetch;
	while (f != NULL && !f->done)
		pthread_cond_wait(&live->changed, &live->lock);
	pthread_mutex_unlock(&live->lock);
	if (f == NULL)
		return;
	res->responder = f->info;
	res->responder.asked = true;
	res->responder.status = f->res.status;
	snprintf(res->responder.detail, sizeof(res->responder.detail), "%s",
		 f->res.detail);
	res->responder.steps_passed = f->res.steps_passed;
	res->responder.answer = f->res.staple;
	copy_trace(f, res);
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
		cos_result_free(&f->res);
		free(f);
	}
	free(live->claims);
	pthread_cond_destroy(&live->changed);
	pthread_mutex_destroy(&live->lock);
	free(live);
}
