/*
 * check.c - one check from start to end: the mode, the clock, the result.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

void cos_config_init(struct cos_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->family = AF_UNSPEC;
	cfg->timeout = 10;
	cfg->skew = 300;
	cfg->retry_delay = 1;
}

const char *cos_config_port(const struct cos_config *cfg)
{
	return cfg->port ? cfg->port : cos_starttls_port(cfg->starttls);
}

void cos_result_start(struct cos_result *res, int verbosity, time_t now)
{
	memset(res, 0, sizeof(*res));
	res->verbosity = verbosity;
	res->staple.revocation_reason = -1;
	res->now = now;
}

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

void cos_result_free(struct cos_result *res)
{
	for (size_t i = 0; i < res->address_count; i++)
		cos_result_free(&res->addresses[i]);
	free(res->addresses);
	res->addresses = NULL;
	res->address_count = 0;
	cos_text_free(&res->trace);
}
