/*
 * check.c - one check from start to end: the mode, the clock, the result.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "internal.h"

void cos_config_init(struct cos_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = "443";
	cfg->family = AF_UNSPEC;
	cfg->timeout = 10;
	cfg->skew = 300;
}

enum cos_status cos_check(const struct cos_config *cfg, struct cos_result *res)
{
	double started = cos_monotonic_seconds();

	memset(res, 0, sizeof(*res));
	res->verbosity = cfg->verbosity;
	res->staple.revocation_reason = -1;
	res->now = cfg->has_now ? cfg->now : time(NULL);
	if (cfg->response_file != NULL)
		cos_check_offline(cfg, res->now, res);
	else
		cos_check_online(cfg, res->now, res);
	res->elapsed = cos_monotonic_seconds() - started;
	return res->status;
}

void cos_result_free(struct cos_result *res)
{
	cos_text_free(&res->trace);
}
