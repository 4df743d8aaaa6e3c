/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crlfetch.c - the CRL for one certificate (SPEC 7): --crl-file's, or the
 * first usable one of its http:// distribution points, and the delta CRL
 * its Freshest CRL extension names, applied over it.
 *
 * With --cache-dir each verified CRL is kept as its index (crlindex.c),
 * until its nextUpdate or its HTTP max-age, whichever is sooner, and a
 * later run searches that file in place, a record at a time, without the
 * CRL.
 * Once that time has passed the CRL is asked for again with the
 * validators it came with (If-None-Match, If-Modified-Since): a 304 keeps
 * the index for another while, and a 304 after nextUpdate leaves the CRL
 * expired, as it is. A --crl-file is read afresh each run, and its delta
 * is not fetched: the file is what the operator wants believed.
 */
#include "config.h"

#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* One CRL, full or delta: where it came from and its index. */
struct source {
	const char *url;	 /* NULL for --crl-file */
	char key[65];		 /* --cache-dir's name for it */
	struct cos_crl_index ix; /* built here, or the kept file's */
	bool kept;		 /* ix is the kept one */
	bool to_keep; /* ix is new, or was kept and found not modified */
	long max_age; /* the answer's HTTP max-age, -1 when silent */
};

static void release(struct source *s)
{
	cos_crl_index_free(&s->ix);
	s->kept = s->to_keep = false;
}

static bool usable(enum cos_status status)
{
	return status == COS_GOOD || status == COS_E_REVOKED ||
	       status == COS_E_ON_HOLD;
}

/* The kept index for s, checked, into s->ix; false when there is none to
 * use. */
static bool map_kept(const struct cos_crl_job *job, struct source *s,
		     struct cos_result *log)
{
	const char *why = NULL;
	size_t size = 0;
	int fd;

	if (job->cfg->cache_dir == NULL ||
	    !cos_crl_key(job->issuer, s->url, s->key) ||
	    (fd = cos_cache_open(job->cfg->cache_dir, s->key, &size, log)) < 0)
		return false;
	if (!cos_crl_index_open(fd, size, s->key, &s->ix, &why)) {
		cos_trace(log, 2, "cache: the CRL kept for %s ignored: %s",
			  s->url, why);
		close(fd);
		return false;
	}
	s->kept = true;
	return true;
}

/* How long the index may be used before asking again: its nextUpdate, or
 * the HTTP max-age if that is sooner. */
static int64_t keep_until(const struct cos_crl_job *job, const struct source *s)
{
	int64_t until = s->ix.head->next_update;

	if (s->max_age >= 0 && (int64_t)job->now + s->max_age < until)
		until = (int64_t)job->now + s->max_age;
	return until;
}

/* Writes the index for a later run: a new one; a kept one found not
 * modified with its new time (its records read whole first). */
static void keep(const struct cos_crl_job *job, struct source *s,
		 struct cos_result *log)
{
	struct cos_crlix_head head;
	struct cos_crl_index sealed;
	struct cos_cache_part parts[2];

	if (job->cfg->cache_dir == NULL)
		return;
	if (!cos_crl_index_load(&s->ix)) {
		cos_trace(log, 2, "cache: cannot read the kept CRL of %s again",
			  s->url);
		return;
	}
	head = *s->ix.head;
	snprintf(head.key, sizeof(head.key), "%s", s->key);
	head.keep_until = keep_until(job, s);
	sealed = s->ix;
	sealed.head = &head;
	/* Past its time already (max-age=0, no-cache), it is kept only for
	 * its validators: the next run asks first. */
	if ((head.keep_until <= (int64_t)job->now && head.etag[0] == '\0' &&
	     head.last_modified[0] == '\0') ||
	    !cos_crl_index_seal(&sealed))
		return;
	parts[0] = (struct cos_cache_part){&head, sizeof(head)};
	parts[1] = (struct cos_cache_part){s->ix.records,
					   s->ix.len - sizeof(head)};
	if (cos_cache_write(job->cfg->cache_dir, s->key, parts, 2, log))
		cos_trace(log, 2, "cache: kept the CRL of %s until %lld",
			  s->url, (long long)head.keep_until);
}

/* The index for s: kept and still to be used, or asked for (with the kept
 * one's validators), or, after a 304, the kept one again. */
static enum cos_status get(const struct cos_crl_job *job, struct source *s,
			   bool delta, struct cos_result *res,
			   struct cos_result *log)
{
	struct cos_http_request req = {
		.url = s->url,
		.proxy = job->cfg->proxy,
		.family = AF_UNSPEC,
		.accept = NULL, /* CRLs come as pkix-crl, octet-stream, ... */
		.max_len = job->cfg->crl_max_size,
		.not_der = COS_E_CRL_MALFORMED,
	};
	struct cos_http_reply reply;

	if (map_kept(job, s, log)) {
		if (s->ix.head->keep_until > (int64_t)job->now) {
			cos_trace(log, 2, "%s: kept in --cache-dir until %lld",
				  s->url, (long long)s->ix.head->keep_until);
			return COS_GOOD;
		}
		req.if_none_match = s->ix.head->etag;
		req.if_modified_since = s->ix.head->last_modified;
	}
	cos_trace(log, 2, "fetching %s%s", s->url,
		  s->kept ? " (conditional: a CRL is kept)" : "");
	if (cos_http_fetch(&req, job->d, &reply, res) == COS_GOOD) {
		s->max_age = reply.max_age;
		if (reply.not_modified && s->kept) {
			cos_trace(log, 2, "%s: not modified since it was kept",
				  s->url);
			s->to_keep = true;
		} else {
			release(s);
			if (cos_crl_verify(reply.body, reply.len, job->leaf,
					   job->issuer, s->url, delta, &s->ix,
					   res) == COS_GOOD) {
				s->to_keep = true;
				snprintf(s->ix.head->etag,
					 sizeof(s->ix.head->etag), "%s",
					 reply.etag);
				snprintf(s->ix.head->last_modified,
					 sizeof(s->ix.head->last_modified),
					 "%s", reply.last_modified);
			}
		}
	}
	cos_http_reply_free(&reply);
	return res->status;
}

/* The delta CRL that base names, applied over base's verdict in res: a
 * listing in it wins, removeFromCRL releases a hold, and a delta that
 * cannot be had leaves the base's "not listed" unusable. */
static void apply_delta(const struct cos_crl_job *job,
			const struct source *base, struct cos_crl_info *info,
			struct cos_result *res)
{
	struct source delta = {.url = base->ix.head->freshest, .max_age = -1};
	struct cos_result dres;

	cos_result_start(&dres, 0, job->now);
	snprintf(info->delta, sizeof(info->delta), "%s", delta.url);
	if (get(job, &delta, true, &dres, res) == COS_GOOD)
		cos_crl_judge_delta(&base->ix, &delta.ix, job->leaf, job->now,
				    job->cfg->skew, info, &dres);
	info->delta_from_cache = delta.kept;
	if (usable(dres.status) && delta.to_keep)
		keep(job, &delta, res);
	if (dres.status == COS_GOOD) {
		if (info->removed)
			cos_result_restart(res);
	} else if (dres.status == COS_E_REVOKED ||
		   dres.status == COS_E_ON_HOLD) {
		cos_result_restart(res);
		cos_fail(res, dres.status, "%s", dres.detail);
	} else if (res->status == COS_GOOD) {
		/* An HTTP failure names the URL already. */
		cos_fail(res, dres.status, "delta CRL%s%s: %s",
			 strstr(dres.detail, delta.url) ? "" : " ",
			 strstr(dres.detail, delta.url) ? "" : delta.url,
			 dres.detail);
	}
	cos_result_free(&dres);
	release(&delta);
}

/* One CRL: the file, or the distribution point url; judged, kept, and
 * its delta applied. */
static void obtain(const struct cos_crl_job *job, const char *url,
		   struct cos_crl_info *info, struct cos_result *res)
{
	struct source base = {.url = url, .max_age = -1};

	if (url == NULL)
		cos_crl_verify(job->file, job->file_len, job->leaf, job->issuer,
			       NULL, false, &base.ix, res);
	else
		get(job, &base, false, res, res);
	if (res->status != COS_GOOD) {
		release(&base);
		return;
	}
	cos_crl_judge(&base.ix, job->leaf, job->now, job->cfg->skew, info, res);
	info->from_cache = base.kept;
	if (usable(res->status) && base.to_keep)
		keep(job, &base, res);
	if ((res->status == COS_GOOD || res->status == COS_E_ON_HOLD) &&
	    base.ix.head->freshest[0] != '\0') {
		if (url == NULL)
			cos_trace(res, 2,
				  "its delta CRL %s is not fetched "
				  "for --crl-file",
				  base.ix.head->freshest);
		else
			apply_delta(job, &base, info, res);
	}
	release(&base);
}

/* Whether the index kept for url is there and still to be used. */
static bool kept_fresh(const struct cos_crl_job *job, const char *url,
		       char *freshest, size_t len, struct cos_result *log)
{
	struct source s = {.url = url, .max_age = -1};
	bool fresh = map_kept(job, &s, log) &&
		     s.ix.head->keep_until > (int64_t)job->now;

	if (fresh)
		snprintf(freshest, len, "%s", s.ix.head->freshest);
	release(&s);
	return fresh;
}

bool cos_crl_all_kept(const struct cos_crl_job *job, struct cos_result *log)
{
	char freshest[COS_TEXT_MAX] = "", none[COS_TEXT_MAX];

	return job->file == NULL && job->dp_count > 0 &&
	       kept_fresh(job, job->dps[0], freshest, sizeof(freshest), log) &&
	       (freshest[0] == '\0' ||
		kept_fresh(job, freshest, none, sizeof(none), log));
}

void cos_crl_obtain(const struct cos_crl_job *job, struct cos_crl_info *info,
		    struct cos_result *res)
{
	double started = cos_monotonic_seconds();

	if (job->file != NULL) {
		obtain(job, NULL, info, res);
		return;
	}
	for (int i = 0; i < job->dp_count; i++) {
		if (i > 0) {
			cos_trace(res, 2, "%s: %s; trying the next",
				  info->source, cos_status_id(res->status));
			cos_result_restart(res);
			memset(info, 0, sizeof(*info));
			info->reason = -1;
		}
		snprintf(info->source, sizeof(info->source), "%s", job->dps[i]);
		obtain(job, job->dps[i], info, res);
		if (usable(res->status) || res->status == COS_E_TIMEOUT)
			break;
	}
	info->elapsed = cos_monotonic_seconds() - started;
}
