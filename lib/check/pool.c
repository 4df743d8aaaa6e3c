/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pool.c - -A: every address of a name at once, as a load-balanced pool is
 * checked. Each address gets a thread and a result of its own; all share
 * the TLS context (OpenSSL allows that across threads) and the one -t
 * deadline, which bounds every step, so joining them ends in time.
 */
#include "config.h"

#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct worker {
	SSL_CTX *ctx;
	struct addrinfo one; /* the address alone, its ai_next cut */
	const struct cos_config *cfg;
	time_t now;
	const struct cos_deadline *d;
	struct cos_live *live;	/* shared: one fetch per certificate */
	struct cos_result *res; /* an element of the pool's addresses */
	pthread_t thread;
	bool started;
};

static void *run_worker(void *arg)
{
	struct worker *w = arg;

	cos_check_address(w->ctx, &w->one, w->cfg, w->now, w->d, w->live,
			  w->res);
	return NULL;
}

static size_t count_addresses(const struct addrinfo *list)
{
	size_t n = 0;

	for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
		n++;
	return n;
}

/* The pool's own status: its first address's problem, if any. */
static void note_pool_status(struct cos_result *res)
{
	for (size_t i = 0; i < res->address_count; i++) {
		const struct cos_result *a = &res->addresses[i];

		if (a->status != COS_GOOD) {
			cos_fail(res, a->status, "%s%s%s", a->address,
				 a->detail[0] ? ": " : "", a->detail);
			return;
		}
	}
}

enum cos_status cos_check_pool(SSL_CTX *ctx, const struct addrinfo *list,
			       const struct cos_config *cfg, time_t now,
			       const struct cos_deadline *d,
			       struct cos_live *live, struct cos_result *res)
{
	size_t total = count_addresses(list), n = total;
	struct worker *workers;
	const struct addrinfo *ai = list;

	if (n > COS_POOL_MAX)
		n = COS_POOL_MAX;
	workers = calloc(n, sizeof(*workers));
	res->addresses = calloc(n, sizeof(*res->addresses));
	if (workers == NULL || res->addresses == NULL) {
		free(workers);
		return cos_fail(res, COS_E_NOMEM, "checking %zu addresses", n);
	}
	res->address_count = n;
	res->addresses_skipped = total - n;
	for (size_t i = 0; i < n; i++, ai = ai->ai_next) {
		struct worker *w = &workers[i];

		*w = (struct worker){.ctx = ctx,
				     .one = *ai,
				     .cfg = cfg,
				     .now = now,
				     .d = d,
				     .live = live,
				     .res = &res->addresses[i]};
		w->one.ai_next = NULL;
		cos_result_start(w->res, cfg->verbosity, now);
		cos_address_format(ai->ai_addr, w->res->address,
				   sizeof(w->res->address));
		w->started =
			pthread_create(&w->thread, NULL, run_worker, w) == 0;
		if (!w->started)
			run_worker(w);
	}
	for (size_t i = 0; i < n; i++)
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
	free(workers);
	note_pool_status(res);
	return res->status;
}
