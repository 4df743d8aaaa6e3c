/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tls.c - one full TLS handshake that asks for a staple
 * (status_request). The staple is judged in OpenSSL's status callback while
 * the handshake runs; the callback records its verdict and always lets the
 * handshake finish, so that every problem is reported by name instead of
 * hiding behind a handshake alert.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* What the callbacks of one connection share, kept as the SSL's app data. */
struct handshake {
	const struct cos_config *cfg;
	struct cos_result *res;
	const struct cos_deadline *d;
	const struct cos_chain_hook *hook;
	time_t now;
	bool judged;			 /* the status callback ran */
	int alert_sent;			 /* the alert we sent, -1 for none */
	char verify_where[COS_TEXT_MAX]; /* the certificate the first chain
					  * error was about */
	const unsigned char *certmsg; /* TLS 1.3: the server's Certificate
				       * message, kept in certmsg_copy */
	size_t certmsg_len;
};

/*
 * Where the Certificate message is kept: one buffer per thread, set aside
 * when the thread starts, not allocated during the handshake. An
 * allocation there, just before OpenSSL verifies the chain, moves where a
 * shortage of memory strikes into OpenSSL's issuer lookup, which then
 * reports "unable to get local issuer certificate" without a word of
 * memory: a verdict on the server for a problem of this machine. A larger
 * message (RFC 8446 allows 16 MiB; chains with staples are some KiB, 10
 * for RSA-4096 and two intermediates) is not kept, and the trace says so.
 * Each thread's copy costs that much memory once touched (the loader
 * clears it), so it is no larger.
 */
static _Thread_local unsigned char certmsg_copy[COS_CERTMSG_MAX];

/* Keeps the server's TLS 1.3 Certificate message, which the message
 * callback sees decrypted: OpenSSL keeps only the leaf's staple of it. */
static void on_message(int write_p, int version, int content_type,
		       const void *buf, size_t len, SSL *ssl, void *arg)
{
	struct handshake *hs = SSL_get_app_data(ssl);
	const unsigned char *msg = buf;

	(void)arg;
	if (write_p || version != TLS1_3_VERSION ||
	    content_type != SSL3_RT_HANDSHAKE || len < 4 ||
	    msg[0] != SSL3_MT_CERTIFICATE || hs == NULL || hs->certmsg)
		return;
	if (len > COS_CERTMSG_MAX) {
		hs->res->certmsg_unread = len; /* the long output says so */
		return;
	}
	memcpy(certmsg_copy, msg, len);
	hs->certmsg = certmsg_copy;
	hs->certmsg_len = len;
}

/* The entries of the kept Certificate message (at most CERT_ENTRIES), as
 * cos_cert_msg_read reads them; 0 when none was kept (none came, or it was
 * too large: certmsg_unread). */
#define CERT_ENTRIES 16
static int read_kept(const struct handshake *hs,
		     struct cos_cert_entry entries[CERT_ENTRIES],
		     const char **why)
{
	*why = NULL;
	if (hs->certmsg == NULL)
		return 0;
	return cos_cert_msg_read(hs->certmsg, hs->certmsg_len, entries,
				 CERT_ENTRIES, why);
}

/* The staples of the chain above the leaf, from the kept message. */
static void judge_chain_staples(SSL *ssl, struct handshake *hs)
{
	struct cos_cert_entry entries[CERT_ENTRIES];
	const char *why;
	int n;

	if (SSL_version(ssl) != TLS1_3_VERSION)
		return;
	n = read_kept(hs, entries, &why);
	if (n < 0) {
		cos_trace(hs->res, 2, "the Certificate message cannot be read: "
				      "%s",
			  why);
		return;
	}
	cos_chain_staples_judge(entries, (size_t)n, SSL_get0_verified_chain(ssl),
				hs->now, hs->cfg->skew, hs->res);
}

/* Notes the alert this side sends when OpenSSL gives up. */
static void on_info(const SSL *ssl, int where, int ret)
{
	struct handshake *hs = SSL_get_app_data(ssl);

	if ((where & SSL_CB_WRITE_ALERT) == SSL_CB_WRITE_ALERT && hs != NULL &&
	    hs->alert_sent < 0)
		hs->alert_sent = ret & 0xff;
}

/* Notes which certificate the first chain error concerns, for the message;
 * the verdict itself is read from SSL_get_verify_result(). */
static int note_verify_error(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(
		store, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct handshake *hs = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *cert = X509_STORE_CTX_get_current_cert(store);
	char name[COS_TEXT_MAX - 16];

	if (!ok && hs != NULL && hs->verify_where[0] == '\0' && cert != NULL) {
		cos_name_format(X509_get_subject_name(cert), name,
				sizeof(name));
		snprintf(hs->verify_where, sizeof(hs->verify_where),
			 "depth %d, %s", X509_STORE_CTX_get_error_depth(store),
			 name);
	}
	return ok;
}

/*
 * Whether a certificate the server sent has no public key in memory.
 * OpenSSL decodes each key as it reads the certificate and, should that
 * fail, drops the errors and keeps none; the issuer of that certificate is
 * then "not found" ("unable to get local issuer certificate"). Asking for
 * the key decodes it again.
 */
static bool key_missing(SSL *ssl)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	bool missing = false;

	for (int i = 0; i < sk_X509_num(chain); i++)
		if (X509_get0_pubkey(sk_X509_value(chain, i)) == NULL)
			missing = true;
	ERR_clear_error(); /* the decoder's "decode error" */
	return missing;
}

static void record_verify_failure(long verify, SSL *ssl, struct handshake *hs)
{
	X509 *cert = SSL_get0_peer_certificate(ssl);
	char names[COS_TEXT_MAX];

	/* A chain that "does not verify" because a certificate of the store
	 * could not be loaded into memory is this machine's failure; so is a
	 * key of the server's that could not be decoded while memory is
	 * short. A key OpenSSL cannot decode with memory to spare is the
	 * server's. */
	if (verify == X509_V_ERR_OUT_OF_MEM || cos_openssl_out_of_memory() ||
	    (key_missing(ssl) && cos_memory_short())) {
		cos_fail(hs->res, COS_E_NOMEM, "verifying the chain");
		return;
	}
	if (verify == X509_V_ERR_HOSTNAME_MISMATCH ||
	    verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
		/* The names that are matched, not the subject's CN. */
		cos_cert_names(cert, names, sizeof(names));
		cos_fail(hs->res, COS_E_HOSTNAME, "%s is not among %s",
			 hs->res->checked_name, names);
		return;
	}
	cos_fail(hs->res, COS_E_CHAIN, "%s (%s)",
		 X509_verify_cert_error_string(verify), hs->verify_where);
}

/*
 * OpenSSL calls this once the server's certificate has been verified,
 * whether or not a staple came (then the length is -1). The chain is only
 * trusted if the verify result says so: SSL_get0_verified_chain() is set
 * even on failure. The staple buffer belongs to the SSL object.
 */
static int on_status(SSL *ssl, void *arg)
{
	struct handshake *hs = SSL_get_app_data(ssl);
	unsigned char *der = NULL;
	long verify, len;

	(void)arg;
	hs->judged = true;
	cos_cert_describe(SSL_get0_peer_certificate(ssl), &hs->res->cert);
	verify = SSL_get_verify_result(ssl);
	if (verify != X509_V_OK) {
		record_verify_failure(verify, ssl, hs);
		return 1;
	}
	len = SSL_get_tlsext_status_ocsp_resp(ssl, &der);
	cos_trace(hs->res, 2, "staple: %ld bytes", len < 0 ? 0 : len);
	cos_staple_judge(der, len, SSL_get0_verified_chain(ssl), hs->cfg,
			 hs->now, hs->hook, hs->res);
	judge_chain_staples(ssl, hs);
	return 1;
}

SSL_CTX *cos_tls_context(const struct cos_config *cfg, time_t now,
			 struct cos_result *res)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	X509_VERIFY_PARAM *param;
	char why[COS_TEXT_MAX];

	if (ctx == NULL) {
		cos_fail(res, COS_E_NOMEM, "creating the TLS context");
		return NULL;
	}
	if (cos_tls_settings_apply(ctx, cfg, why, sizeof(why)) != 0)
		cos_fail(res, COS_E_TLS_SETTINGS, "%s", why);
	if (res->status != COS_GOOD ||
	    cos_client_cert_load(ctx, cfg, res) != COS_GOOD ||
	    cos_trust_load(SSL_CTX_get_cert_store(ctx), cfg, now, res) !=
		    COS_GOOD) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* Chain errors are read from the verify result, not turned into an
	 * alert that would end the handshake before the staple is seen. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, note_verify_error);
	SSL_CTX_set_tlsext_status_cb(ctx, on_status);
	SSL_CTX_set_info_callback(ctx, on_info);
	/* A resumed session carries no staple: always a full handshake. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	param = SSL_CTX_get0_param(ctx);
	if (cfg->ca_file != NULL || cfg->ca_path != NULL)
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	if (cfg->has_now)
		X509_VERIFY_PARAM_set_time(param, now);
	return ctx;
}

/*
 * Called before every read of the socket BIO. While records keep coming
 * (a flood of HelloRequests, which a client ignores during a handshake),
 * SSL_connect() never returns to wait: the deadline is checked here, on
 * every read, and a read past it fails, which ends the handshake.
 */
static long before_read(BIO *bio, int oper, const char *argp, size_t len,
			int argi, long argl, int ret, size_t *processed)
{
	const struct cos_deadline *d = (void *)BIO_get_callback_arg(bio);

	(void)argp, (void)len, (void)argi, (void)argl, (void)processed;
	if (oper == BIO_CB_READ && d != NULL && cos_deadline_left_ms(d) == 0)
		return -1;
	return ret;
}

/* The SNI and the name the certificate must match: HOST unless it is an IP
 * literal; --sni replaces it in both roles. */
static const char *server_name(const struct cos_config *cfg)
{
	if (cfg->sni != NULL)
		return cfg->sni;
	return cos_is_ip_literal(cfg->host) ? NULL : cfg->host;
}

/*
 * --all-certificates: what the client offers to get the server's
 * certificate of one key type. Servers with several certificates (nginx,
 * Apache, HAProxy on OpenSSL) choose by the signature algorithms the
 * client offers, and over TLS 1.2 by the cipher suite's authentication
 * too, so both are narrowed; the user's --ciphers stay, minus the others.
 */
static const struct {
	const char *sigalgs;
	const char *not_ciphers;
} key_types[COS_KEY_TYPES] = {
	[COS_KEY_RSA] = {"rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:"
			 "rsa_pss_rsae_sha512:rsa_pkcs1_sha256:"
			 "rsa_pkcs1_sha384:rsa_pkcs1_sha512",
			 ":!aECDSA:!aDSS"},
	[COS_KEY_ECDSA] = {"ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:"
			   "ecdsa_secp521r1_sha512",
			   ":!aRSA:!aDSS"},
	[COS_KEY_ED25519] = {"ed25519", ":!aRSA:!aDSS"},
};

static enum cos_status ask_for_key_type(SSL *ssl, const struct handshake *hs)
{
	enum cos_key_type key = hs->res->key_type;
	char ciphers[COS_TEXT_MAX + 32];

	if (key == COS_KEY_ANY)
		return COS_GOOD;
	snprintf(ciphers, sizeof(ciphers), "%s%s",
		 hs->cfg->ciphers ? hs->cfg->ciphers : "DEFAULT",
		 key_types[key].not_ciphers);
	if (!SSL_set1_sigalgs_list(ssl, key_types[key].sigalgs) ||
	    !SSL_set_cipher_list(ssl, ciphers))
		return cos_fail(hs->res, COS_E_TLS_SETTINGS,
				"cannot offer only %s signature algorithms",
				cos_key_type_name(key));
	return COS_GOOD;
}

/* Whether a handshake that asked for one key type failed because the
 * server has no certificate of it: it refuses (handshake_failure, no
 * shared cipher or signature algorithm), or answers with another, which
 * OpenSSL's client refuses (its signature or certificate type is not one
 * offered). */
static bool lacks_key_type(const struct cos_result *res)
{
	unsigned long e = ERR_peek_last_error();

	if (res->key_type == COS_KEY_ANY || ERR_GET_LIB(e) != ERR_LIB_SSL)
		return false;
	switch (ERR_GET_REASON(e)) {
	case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
	case SSL_R_TLSV1_ALERT_INSUFFICIENT_SECURITY:
	case SSL_R_NO_SHARED_CIPHER:
	case SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS:
	case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
	case SSL_R_WRONG_SIGNATURE_TYPE:
	case SSL_R_WRONG_CERTIFICATE_TYPE:
	case SSL_R_WRONG_CURVE: return true;
	default: return false;
	}
}

static enum cos_status prepare_ssl(SSL *ssl, int fd, struct handshake *hs)
{
	const char *name = server_name(hs->cfg);
	struct cos_result *res = hs->res;

	if (!SSL_set_fd(ssl, fd) || !SSL_set_app_data(ssl, hs) ||
	    !SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp))
		return cos_fail(res, COS_E_NOMEM,
				"preparing the TLS connection");
	SSL_set_msg_callback(ssl, on_message);
	if (ask_for_key_type(ssl, hs) != COS_GOOD)
		return res->status;
	BIO_set_callback_ex(SSL_get_rbio(ssl), before_read);
	BIO_set_callback_arg(SSL_get_rbio(ssl), (char *)(void *)hs->d);
	if (name == NULL)
		return COS_GOOD;
	if (!SSL_set_tlsext_host_name(ssl, name) || !SSL_set1_host(ssl, name))
		return cos_fail(res, COS_E_TLS, "cannot use %s as server name",
				name);
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	res->name_checked = true;
	snprintf(res->checked_name, sizeof(res->checked_name), "%s", name);
	return COS_GOOD;
}

/*
 * Whether the handshake failed on the server's staple itself, before the
 * status callback could see it: OpenSSL 3.0 refuses an empty one because it
 * cannot allocate zero bytes to keep it ("malloc failure", which would read
 * as this machine's trouble), and a staple whose length fields disagree.
 * Judged by the function that raised the error; should it be renamed, the
 * generic TLS message remains.
 */
static enum cos_status staple_refused(struct cos_result *res)
{
	const char *func = NULL;
	unsigned long e =
		ERR_peek_last_error_all(NULL, NULL, &func, NULL, NULL);
	char why[COS_TEXT_MAX];
	enum cos_status status;

	if (func == NULL || strcmp(func, "tls_process_cert_status_body") != 0)
		return COS_GOOD;
	if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE) {
		ERR_clear_error();
		return cos_fail(res, COS_E_EMPTY,
				"0 bytes (OpenSSL ends the handshake)");
	}
	status = cos_openssl_error(COS_E_MALFORMED, why, sizeof(why));
	return cos_fail(res, status, "the server's CertificateStatus: %s", why);
}

/*
 * What the reader of the kept Certificate message finds wrong with it, for
 * a handshake OpenSSL refused: OpenSSL says "bad extension" for an
 * extension twice in an entry and for one that runs past the entry alike;
 * the reader says which. NULL when it finds nothing.
 */
static const char *certmsg_fault(const struct handshake *hs, char *buf,
				 size_t len)
{
	struct cos_cert_entry entries[CERT_ENTRIES];
	const char *why;
	int n = read_kept(hs, entries, &why);

	if (n < 0)
		return why;
	for (int i = 0; i < n; i++)
		if (entries[i].problem != NULL) {
			snprintf(buf, len, "%s in entry %zu",
				 entries[i].problem, entries[i].index);
			return buf;
		}
	return NULL;
}

static enum cos_status timed_out(struct cos_result *res)
{
	return cos_fail(res, COS_E_TIMEOUT, "during the TLS handshake with %s",
			res->peer);
}

/*
 * RFC 8446 6.2: internal_error is "an internal error unrelated to the peer
 * or the correctness of this protocol (such as a memory allocation
 * failure)". OpenSSL sends it when its own work fails (an allocation, a
 * key share it cannot make) without always saying why: when this side
 * sent it, the failure is this machine's.
 */
static enum cos_status handshake_failed(SSL *ssl, int rc,
					struct cos_result *res)
{
	const struct handshake *hs = SSL_get_app_data(ssl);
	int err = SSL_get_error(ssl, rc);
	char why[COS_TEXT_MAX], buf[COS_TEXT_MAX];
	const char *fault;
	enum cos_status status;

	/* The read that the deadline refused (see before_read). */
	if (cos_deadline_left_ms(hs->d) == 0) {
		ERR_clear_error();
		return timed_out(res);
	}
	if (err == SSL_ERROR_SSL && staple_refused(res) != COS_GOOD)
		return res->status;
	if (err == SSL_ERROR_SSL && lacks_key_type(res)) {
		cos_openssl_error(COS_E_TLS, why, sizeof(why));
		return cos_fail(res, COS_E_NO_SUCH_CERT,
				"the server refuses a client that offers only "
				"%s signatures: %s",
				cos_key_type_name(res->key_type), why);
	}
	if (err == SSL_ERROR_ZERO_RETURN) {
		ERR_clear_error();
		return cos_fail(res, COS_E_TLS,
				"%s: the server closed the TLS connection "
				"(close_notify) %s",
				res->peer,
				SSL_get_state(ssl) == TLS_ST_CW_CLNT_HELLO
					? "before its ServerHello"
					: "during the handshake");
	}
	if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
		return cos_fail(res,
				cos_errno_is_local(errno) ? COS_E_LOCAL
							  : COS_E_TLS,
				"%s: %s", res->peer,
				errno ? strerror(errno)
				      : "the server closed the connection");
	status = cos_openssl_error(COS_E_TLS, why, sizeof(why));
	if (status == COS_E_TLS && hs->alert_sent == SSL_AD_INTERNAL_ERROR)
		return cos_fail(res, COS_E_LOCAL,
				"OpenSSL failed during the handshake with %s "
				"(%s; it sent internal_error)",
				res->peer, why);
	fault = certmsg_fault(hs, buf, sizeof(buf));
	if (fault != NULL)
		return cos_fail(res, status, "%s: %s (the Certificate message: "
					     "%s)",
				res->peer, why, fault);
	return cos_fail(res, status, "%s: %s", res->peer, why);
}

static enum cos_status run_handshake(SSL *ssl, int fd,
				     const struct cos_deadline *d,
				     struct cos_result *res)
{
	for (;;) {
		int rc, err, ready;

		ERR_clear_error();
		errno = 0;
		rc = SSL_connect(ssl);
		if (rc == 1)
			return COS_GOOD;
		err = SSL_get_error(ssl, rc);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
			return handshake_failed(ssl, rc, res);
		ready = cos_wait_fd(
			fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, d);
		if (ready == 0)
			return timed_out(res);
		if (ready < 0)
			return cos_fail(res, COS_E_TLS, "%s: %s", res->peer,
					strerror(errno));
	}
}

enum cos_status cos_tls_handshake(SSL_CTX *ctx, int fd,
				  const struct cos_config *cfg, time_t now,
				  const struct cos_deadline *d,
				  const struct cos_chain_hook *hook,
				  struct cos_result *res)
{
	struct handshake hs = {.cfg = cfg,
			       .res = res,
			       .d = d,
			       .hook = hook,
			       .now = now,
			       .alert_sent = -1};
	SSL *ssl = SSL_new(ctx);

	if (ssl == NULL)
		return cos_fail(res, COS_E_NOMEM,
				"creating the TLS connection");
	if (prepare_ssl(ssl, fd, &hs) == COS_GOOD &&
	    run_handshake(ssl, fd, d, res) == COS_GOOD) {
		snprintf(res->tls_version, sizeof(res->tls_version), "%s",
			 SSL_get_version(ssl));
		cos_trace(res, 2, "handshake with %s: %s, %s", res->peer,
			  res->tls_version, SSL_get_cipher_name(ssl));
		if (!hs.judged)
			cos_fail(res, COS_E_INTERNAL,
				 "the status callback did not run");
		/* Polite, and never waited for. */
		SSL_shutdown(ssl);
	}
	SSL_free(ssl);
	return res->status;
}
