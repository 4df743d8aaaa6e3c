/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * result.c - the life of a check's config and result: the documented
 * defaults, a result started afresh, restarted for another attempt, freed.
 * Every layer may call it; it calls only the ground below it.
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
	cfg->timeout = COS_TIMEOUT_DEFAULT;
	cfg->skew = COS_SKEW_DEFAULT;
	cfg->retry_delay = COS_RETRY_DELAY_DEFAULT;
	cfg->crl_max_size = COS_CRL_MAX_SIZE_DEFAULT;
	cfg->handshakes = 1;
}

const char *cos_key_type_name(enum cos_key_type key)
{
	static const char *const names[COS_KEY_TYPES] = {
		[COS_KEY_ANY] = "",
		[COS_KEY_RSA] = "RSA",
		[COS_KEY_ECDSA] = "ECDSA",
		[COS_KEY_ED25519] = "Ed25519",
	};

	return (unsigned)key < COS_KEY_TYPES ? names[key] : "";
}

void cos_result_start(struct cos_result *res, int verbosity, time_t now)
{
	memset(res, 0, sizeof(*res));
	res->verbosity = verbosity;
	res->staple.revocation_reason = -1;
	res->crl.reason = -1;
	res->now = now;
}

void cos_result_restart(struct cos_result *res)
{
	struct cos_result kept = *res;

	cos_result_start(res, kept.verbosity, kept.now);
	res->trace = kept.trace;
	res->attempts = kept.attempts;
	res->key_type = kept.key_type;
	res->handshake = kept.handshake;
	memcpy(res->address, kept.address, sizeof(res->address));
	memcpy(res->label, kept.label, sizeof(res->label));
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
