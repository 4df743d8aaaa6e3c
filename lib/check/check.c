/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c - one check from start to end: the mode and the clock.
 */
#include "config.h"

#include "internal.h"

/* Offline mode; with --responder its fetch shares the -t deadline. */
static void check_file(const struct cos_config *cfg, time_t now,
		       struct cos_result *res)
{
	struct cos_deadline d;
	struct cos_live *live;
	struct cos_chain_hook hook;

	cos_deadline_start(&d, cfg->timeout);
	live = cos_live_new(cfg, now, &d, res);
	hook = cos_live_hook(live);
	if (res->status == COS_GOOD) {
		cos_check_offline(cfg, now, &hook, res);
		cos_live_collect(live, res);
	}
	cos_live_free(live);
}

enum cos_status cos_check(const struct cos_config *cfg, struct cos_result *res)
{
	double started = cos_monotonic_seconds();

	cos_result_start(res, cfg->verbosity,
			 cfg->has_now ? cfg->now : time(NULL));
	if (cfg->response_file != NULL)
		check_file(cfg, res->now, res);
	else
		cos_check_online(cfg, res->now, res);
	res->elapsed = cos_monotonic_seconds() - started;
	return res->status;
}
