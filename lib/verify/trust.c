/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trust.c - the trust anchors a chain must reach.
 *
 * -C, --ca-path and (offline) --issuer replace the system store. Without
 * them the system store is used through its hashed
 * directory only: certificates are then read one by one as the chain needs
 * them, where loading the whole bundle file would parse every CA on every
 * check. The bundle is the fallback when the directory is missing.
 */
#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "internal.h"

static bool is_directory(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static enum cos_status load_default(X509_STORE *st, struct cos_result *res)
{
	const char *dir = getenv(X509_get_default_cert_dir_env());
	const char *file = getenv(X509_get_default_cert_file_env());
	char why[160];

	if (dir == NULL && file == NULL)
		dir = X509_get_default_cert_dir();
	if (is_directory(dir) && X509_STORE_load_path(st, dir) == 1) {
		cos_trace(res, 2, "trust anchors: directory %s", dir);
		if (file == NULL)
			return COS_GOOD;
	}
	if (file == NULL)
		file = X509_get_default_cert_file();
	if (X509_STORE_load_file(st, file) == 1) {
		cos_trace(res, 2, "trust anchors: file %s", file);
		return COS_GOOD;
	}
	return cos_fail(
		res, cos_openssl_error(COS_E_TRUST_STORE, why, sizeof(why)),
		"no system trust store (%s: %s); install ca-certificates "
		"or name anchors with -C",
		file, why);
}

static enum cos_status load_named(X509_STORE *st, const struct cos_config *cfg,
				  struct cos_result *res)
{
	char why[160];

	if (cfg->ca_file != NULL &&
	    X509_STORE_load_file(st, cfg->ca_file) != 1) {
		return cos_fail(
			res,
			cos_openssl_error(COS_E_TRUST_STORE, why, sizeof(why)),
			"-C %s: %s", cfg->ca_file, why);
	}
	if (cfg->ca_path != NULL) {
		if (!is_directory(cfg->ca_path) ||
		    X509_STORE_load_path(st, cfg->ca_path) != 1)
			return cos_fail(
				res, COS_E_TRUST_STORE,
				"--ca-path %s: not a readable directory",
				cfg->ca_path);
	}
	/* An anchor the operator names may be an intermediate, as in curl. */
	X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN);
	cos_trace(res, 2, "trust anchors: %s%s%s",
		  cfg->ca_file ? cfg->ca_file : "",
		  cfg->ca_file && cfg->ca_path ? " and " : "",
		  cfg->ca_path ? cfg->ca_path : "");
	return COS_GOOD;
}

enum cos_status cos_trust_load(X509_STORE *st, const struct cos_config *cfg,
			       time_t now, struct cos_result *res)
{
	enum cos_status status;

	/* An explicit trust option replaces the system store: --issuer
	 * alone (offline) leaves the store empty for offline.c to add the
	 * issuer to as the one anchor. */
	if (cfg->ca_file != NULL || cfg->ca_path != NULL)
		status = load_named(st, cfg, res);
	else if (cfg->issuer_file != NULL)
		status = COS_GOOD;
	else
		status = load_default(st, res);
	if (status == COS_GOOD && cfg->has_now)
		X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(st), now);
	return status;
}
