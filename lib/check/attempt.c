/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * attempt.c - one server address: connect, STARTTLS when asked, the
 * handshake; and, with --retries, again while no staple came.
 *
 * nginx and Apache fetch a staple on the first handshake after a start or
 * reload and staple from a later one, so a first handshake without a staple
 * is not yet proof of a problem. Only a missing staple is retried: every
 * other verdict is the server's answer. All attempts share the -t deadline.
 */
#include "config.h"

#include <unistd.h>

#include "internal.h"

static enum cos_status attempt(SSL_CTX *ctx, const struct addrinfo *list,
			       const struct cos_config *cfg, time_t now,
			       const struct cos_deadline *d,
			       const struct cos_chain_hook *hook,
			       struct cos_result *res)
{
	int fd = -1;

	if (cos_connect(list, d, &fd, res) == COS_GOOD &&
	    cos_starttls_run(fd, cfg, d, res) == COS_GOOD)
		cos_tls_handshake(ctx, fd, cfg, now, d, hook, res);
	if (fd >= 0)
		close(fd);
	return res->status;
}

static enum cos_status attempts(SSL_CTX *ctx, const struct addrinfo *list,
				const struct cos_config *cfg, time_t now,
				const struct cos_deadline *d,
				const struct cos_chain_hook *hook,
				struct cos_result *res)
{
	for (;;) {
		res->attempts++;
		if (attempt(ctx, list, cfg, now, d, hook, res) !=
			    COS_E_NO_STAPLE ||
		    res->attempts > cfg->retries)
			return res->status;
		if (!cos_deadline_sleep(d, cfg->retry_delay)) {
			cos_trace(res, 2,
				  "no time left for another attempt within "
				  "-t");
			return res->status;
		}
		cos_trace(res, 2,
			  "attempt %d: no staple; trying again after %g s",
			  res->attempts, cfg->retry_delay);
		cos_result_restart(res);
	}
}

enum cos_status cos_check_address(SSL_CTX *ctx, const struct addrinfo *list,
				  const struct cos_config *cfg, time_t now,
				  const struct cos_deadline *d,
				  struct cos_live *live, struct cos_result *res)
{
	struct cos_chain_hook hook = cos_live_hook(live);

	attempts(ctx, list, cfg, now, d, &hook, res);
	cos_live_collect(live, res);
	return res->status;
}
