/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pool.c - the checks of one server made at once: -A's every address of a
 * name (a load-balanced pool), --all-certificates' one handshake per key
 * type, --handshakes' N handshakes (nginx keeps a staple per worker
 * process), and their products. Each part gets a thread and a result of
 * its own; all share the TLS context (OpenSSL allows that across threads)
 * and the one -t deadline, which bounds every step, so joining them ends
 * in time.
 */
#include "config.h"

#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct worker {
	SSL_CTX *ctx;
	struct addrinfo one; /* -A: the address alone, its ai_next cut; else
			      * the list's head */
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

/* The pool's own status: its first part's problem, if any (a key type the
 * server lacks is no problem). */
static void note_pool_status(struct cos_result *res)
{
	for (size_t i = 0; i < res->address_count; i++) {
		const struct cos_result *a = &res->addresses[i];

		if (a->status != COS_GOOD && a->status != COS_E_NO_SUCH_CERT) {
			cos_fail(res, a->status, "%s%s%s", a->label,
				 a->detail[0] ? ": " : "", a->detail);
			return;
		}
	}
}

/* What one part is called: its address (-A), its key type
 * (--all-certificates) and its handshake (--handshakes). */
static void label_part(struct cos_result *part)
{
	const char *key = cos_key_type_name(part->key_type);
	char hs[24] = "";

	if (part->handshake > 0)
		snprintf(hs, sizeof(hs), "handshake %d", part->handshake);
	snprintf(part->label, sizeof(part->label), "%s%s%s%s%s%s",
		 part->address,
		 part->address[0] && (key[0] || hs[0]) ? ", " : "", key,
		 key[0] ? " certificate" : "", key[0] && hs[0] ? ", " : "", hs);
}

/* One part: its address (list's head, cut there with -A), key type and
 * handshake, its result started and labelled. */
static void plan_part(const struct addrinfo *ai, const struct cos_config *cfg,
		      time_t now, int key, int handshake, struct worker *w,
		      struct cos_result *part)
{
	w->one = *ai;
	if (cfg->all_addresses)
		w->one.ai_next = NULL;
	cos_result_start(part, cfg->verbosity, now);
	part->key_type = (enum cos_key_type)key;
	part->handshake = cfg->handshakes > 1 ? handshake : 0;
	if (cfg->all_addresses)
		cos_address_format(ai->ai_addr, part->address,
				   sizeof(part->address));
	label_part(part);
}

/* The parts of the check: each address (-A; else the list, the first that
 * accepts), times each key type (--all-certificates), times each
 * handshake (--handshakes), at most COS_POOL_MAX; how many, and in
 * *wanted how many there would be. */
static size_t plan(const struct addrinfo *list, const struct cos_config *cfg,
		   time_t now, struct worker *workers, struct cos_result *parts,
		   size_t *wanted)
{
	size_t addrs = cfg->all_addresses ? count_addresses(list) : 1;
	int first_key = cfg->all_certificates ? COS_KEY_RSA : COS_KEY_ANY;
	int last_key = cfg->all_certificates ? COS_KEY_ED25519 : COS_KEY_ANY;
	size_t keys = (size_t)(last_key - first_key + 1);
	size_t per_address = keys * (size_t)cfg->handshakes;
	const struct addrinfo *ai = list;
	size_t n = 0;

	*wanted = addrs * per_address;
	for (size_t a = 0; a < addrs; a++, ai = ai->ai_next) {
		for (size_t i = 0; i < per_address && n < COS_POOL_MAX; i++) {
			int key =
				first_key + (int)(i / (size_t)cfg->handshakes);
			int handshake = 1 + (int)(i % (size_t)cfg->handshakes);

			plan_part(ai, cfg, now, key, handshake, &workers[n],
				  &parts[n]);
			n++;
		}
	}
	return n;
}

enum cos_status cos_check_pool(SSL_CTX *ctx, const struct addrinfo *list,
			       const struct cos_config *cfg, time_t now,
			       const struct cos_deadline *d,
			       struct cos_live *live, struct cos_result *res)
{
	struct worker *workers = calloc(COS_POOL_MAX, sizeof(*workers));
	struct cos_result *parts = calloc(COS_POOL_MAX, sizeof(*parts));
	size_t n, wanted = 0;

	if (workers == NULL || parts == NULL) {
		free(workers);
		free(parts);
		return cos_fail(res, COS_E_NOMEM, "checking %d handshakes",
				COS_POOL_MAX);
	}
	n = plan(list, cfg, now, workers, parts, &wanted);
	res->addresses = parts;
	res->address_count = n;
	res->addresses_skipped = wanted - n;
	for (size_t i = 0; i < n; i++) {
		struct worker *w = &workers[i];

		w->ctx = ctx;
		w->cfg = cfg;
		w->now = now;
		w->d = d;
		w->live = live;
		w->res = &parts[i];
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
