/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * online.c - the online check: one TLS context and one -t deadline for the
 * whole check, the addresses to go to, and then the first address that
 * accepts (with --retries) or, with -A, every address at once.
 */
#include "config.h"

#include <netdb.h>

#include "internal.h"

enum cos_status cos_check_online(const struct cos_config *cfg, time_t now,
				 struct cos_result *res)
{
	struct addrinfo *targets = NULL;
	struct cos_deadline d;
	struct cos_live *live;
	SSL_CTX *ctx;

	cos_deadline_start(&d, cfg->timeout);
	live = cos_live_new(cfg, now, &d, res);
	ctx = res->status == COS_GOOD ? cos_tls_context(cfg, now, res) : NULL;
	if (ctx != NULL &&
	    cos_targets_resolve(cfg, &d, &targets, res) == COS_GOOD) {
		if (cfg->all_addresses || cfg->all_certificates ||
		    cfg->handshakes > 1)
			cos_check_pool(ctx, targets, cfg, now, &d, live, res);
		else
			cos_check_address(ctx, targets, cfg, now, &d, live,
					  res);
	}
	cos_targets_free(targets);
	SSL_CTX_free(ctx);
	cos_live_free(live);
	return res->status;
}
