/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c - one check from start to end: the mode and the clock.
 */
#include "config.h"

#include "internal.h"

enum cos_status cos_check(const struct cos_config *cfg, struct cos_result *res)
{
	double started = cos_monotonic_seconds();

	cos_result_start(res, cfg->verbosity,
			 cfg->has_now ? cfg->now : time(NULL));
	if (cfg->response_file != NULL)
		cos_check_offline(cfg, res->now, res);
	else
		cos_check_online(cfg, res->now, res);
	res->elapsed = cos_monotonic_seconds() - started;
	return res->status;
}
