/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * status.c - names and messages of states and statuses, and how a check
 * records its first failure.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include <openssl/err.h>

#include "internal.h"

static const char *const state_names[] = {
	[COS_OK] = "OK",
	[COS_WARNING] = "WARNING",
	[COS_CRITICAL] = "CRITICAL",
	[COS_UNKNOWN] = "UNKNOWN",
};

struct status_text {
	const char *id;
	const char *message;
};

/* Messages are written to stand first on the status line. */
static const struct status_text status_texts[COS_STATUS_COUNT] = {
	[COS_GOOD] = {"good", "certificate status good"},
	[COS_E_NOMEM] = {"nomem", "local problem: out of memory"},
	[COS_E_LOCAL] = {"local", "local problem"},
	[COS_E_INTERNAL] = {"internal", "internal error"},
	[COS_E_TRUST_STORE] = {"trust-store", "cannot load the trust anchors"},
	[COS_E_READ_CERT] = {"read-cert", "cannot read the certificate file"},
	[COS_E_READ_RESPONSE] = {"read-response",
				 "cannot read the OCSP response file"},
	[COS_E_TLS_SETTINGS] = {"tls-settings",
				"cannot use the TLS settings given"},
	[COS_E_NO_ISSUER] =
		{"no-issuer",
		 "the certificate's issuer is not in the verified chain"},
	[COS_E_CACHE_DIR] = {"cache-dir", "cannot use the cache directory"},
	[COS_E_READ_CRL] = {"read-crl", "cannot read the CRL file"},
	[COS_E_RESOLVE] = {"resolve", "cannot resolve the host name"},
	[COS_E_CONNECT] = {"connect", "cannot connect"},
	[COS_E_STARTTLS] = {"starttls", "STARTTLS preamble failed"},
	[COS_E_NO_STARTTLS] = {"no-starttls", "server does not offer STARTTLS"},
	[COS_E_TIMEOUT] = {"timeout", "timeout"},
	[COS_E_TLS] = {"tls", "TLS handshake failed"},
	[COS_E_NO_SUCH_CERT] = {"no-such-cert",
				"the server has no certificate of this key "
				"type"},
	[COS_E_NO_RESPONDER_URL] = {"no-responder-url",
				    "the certificate names no OCSP responder "
				    "to ask"},
	[COS_E_HTTP] = {"http", "HTTP exchange failed"},
	[COS_E_HTTP_STATUS] = {"http-status", "HTTP error"},
	[COS_E_HTTP_REDIRECT] = {"http-redirect",
				 "redirected elsewhere, which is not followed"},
	[COS_E_TOO_LARGE] = {"too-large",
				  "answer is larger than allowed"},
	[COS_E_HTTP_CONTENT_TYPE] = {"http-content-type",
				     "answer has the wrong content type"},
	[COS_E_NO_CRL_DP] = {"no-crl-dp", "the certificate names no CRL "
					 "distribution point to fetch"},
	[COS_E_CRL_MALFORMED] = {"crl-malformed", "CRL is not a well-formed "
						  "CRL"},
	[COS_E_CRL_ISSUER] = {"crl-issuer", "CRL is from another issuer"},
	[COS_E_CRL_SIGNATURE] = {"crl-signature",
				 "CRL's signature is invalid"},
	[COS_E_CRL_INDIRECT] = {"crl-indirect",
				"CRL is indirect (for another CA's "
				"certificates), which is not supported"},
	[COS_E_CRL_SCOPE] = {"crl-scope",
			     "CRL does not cover the certificate"},
	[COS_E_CRL_DELTA] = {"crl-delta", "delta CRL does not fit its base"},
	[COS_E_CHAIN] = {"chain", "server certificate chain does not verify"},
	[COS_E_HOSTNAME] = {"hostname",
			    "server certificate does not match the host name"},
	[COS_E_NO_STAPLE] = {"no-staple", "no OCSP staple"},
	[COS_E_EMPTY] = {"empty", "staple is empty"},
	[COS_E_MALFORMED] = {"malformed",
			     "staple is not a well-formed OCSP response"},
	[COS_E_TRAILING_DATA] =
		{"trailing-data",
		 "staple has trailing bytes after the OCSP response"},
	[COS_E_NOT_DER] = {"not-der", "staple is not DER"},
	[COS_E_RESPONSE_STATUS] = {"response-status",
				   "responder did not answer successfully"},
	[COS_E_NOT_BASIC] = {"not-basic",
			     "staple is not a basic OCSP response"},
	[COS_E_CRITICAL_EXTENSION] = {"critical-extension",
				      "staple has a critical extension this "
				      "plugin does not understand"},
	[COS_E_SIGNER_NOT_FOUND] = {"signer-not-found",
				    "staple's signer certificate not found"},
	[COS_E_BAD_SIGNATURE] = {"bad-signature",
				 "staple's signature is invalid"},
	[COS_E_SIGNER_UNTRUSTED] = {"signer-untrusted",
				    "staple's signer is not trusted"},
	[COS_E_SIGNER_NO_EKU] = {"signer-no-eku",
				 "staple's signer lacks the OCSPSigning usage"},
	[COS_E_SIGNER_NOT_AUTHORIZED] = {"signer-not-authorized",
					 "staple's signer is not authorized by "
					 "the certificate's issuer"},
	[COS_E_WEAK_SIGNATURE] = {"weak-signature",
				  "staple is signed with MD5, which proves "
				  "nothing (RFC 6151)"},
	[COS_E_CERTID_HASH] = {"certid-hash",
			       "staple's CertID uses an unsupported hash"},
	[COS_E_OTHER_CERT] = {"other-cert",
			      "staple is for another certificate"},
	[COS_E_OTHER_ISSUER] = {"other-issuer",
				"staple's CertID names another issuer"},
	[COS_E_CONFLICT] =
		{"conflict",
		 "staple gives conflicting statuses for the certificate"},
	[COS_E_BAD_TIME] = {"bad-time",
			    "staple has a time that cannot be read"},
	[COS_E_NOT_YET_VALID] = {"not-yet-valid", "staple is not yet valid"},
	[COS_E_EXPIRED] = {"expired", "staple expired"},
	[COS_E_NEXT_BEFORE_THIS] =
		{"next-before-this",
		 "staple's nextUpdate is before its thisUpdate"},
	[COS_E_PRODUCED_FUTURE] = {"produced-future",
				   "staple's producedAt is in the future"},
	[COS_E_REVOKED] = {"revoked", "certificate revoked"},
	[COS_E_ON_HOLD] = {"on-hold", "certificate on hold"},
	[COS_E_STATUS_UNKNOWN] =
		{"status-unknown",
		 "responder does not know the certificate (status unknown)"},
};

const char *cos_state_name(enum cos_state state)
{
	if ((unsigned)state > COS_UNKNOWN)
		return "UNKNOWN";
	return state_names[state];
}

int cos_state_parse(const char *text, enum cos_state *state)
{
	for (int s = COS_OK; s <= COS_UNKNOWN; s++) {
		char digit[2] = {(char)('0' + s), '\0'};

		if (strcasecmp(text, state_names[s]) == 0 ||
		    strcmp(text, digit) == 0) {
			*state = (enum cos_state)s;
			return 0;
		}
	}
	return -1;
}

/* UNKNOWN ranks between WARNING and CRITICAL, as in Monitoring Plugins. */
static int state_rank(enum cos_state s)
{
	static const int rank[] = {0, 1, 3, 2};

	return (unsigned)s > COS_UNKNOWN ? 2 : rank[s];
}

enum cos_state cos_state_worst(enum cos_state a, enum cos_state b)
{
	return state_rank(b) > state_rank(a) ? b : a;
}

const char *cos_strerror(enum cos_status status)
{
	if ((unsigned)status >= COS_STATUS_COUNT)
		return "unknown status";
	return status_texts[status].message;
}

void cos_strerror_of(enum cos_status status, const char *subject, char *buf,
		     size_t len)
{
	const char *text = cos_strerror(status);

	if (strncmp(text, "staple", 6) == 0)
		snprintf(buf, len, "%s%s", subject, text + 6);
	else if (strncmp(text, "answer", 6) == 0)
		snprintf(buf, len, "%s%s", subject, text + 6);
	else
		snprintf(buf, len, "%s", text);
}

bool cos_status_is_input(enum cos_status status)
{
	return status == COS_E_TRUST_STORE || status == COS_E_READ_CERT ||
	       status == COS_E_READ_RESPONSE || status == COS_E_TLS_SETTINGS ||
	       status == COS_E_CACHE_DIR || status == COS_E_READ_CRL;
}

const char *cos_status_id(enum cos_status status)
{
	if ((unsigned)status >= COS_STATUS_COUNT)
		return "unknown";
	return status_texts[status].id;
}

enum cos_status cos_fail(struct cos_result *res, enum cos_status status,
			 const char *fmt, ...)
{
	va_list ap;

	if (res->status != COS_GOOD)
		return res->status;
	res->status = status;
	res->detail[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
		va_end(ap);
	}
	return status;
}

void cos_pass(struct cos_result *res, int step)
{
	res->steps_passed |= COS_STEP_BIT(step);
}

bool cos_openssl_out_of_memory(void)
{
	/* OpenSSL raises the failed allocation where it happened (the oldest
	 * error); the caller that gives up may add its own after it. */
	return ERR_GET_REASON(ERR_peek_error()) == ERR_R_MALLOC_FAILURE ||
	       ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_MALLOC_FAILURE;
}

bool cos_memory_short(void)
{
	/* Read-write and private, so that the kernel's accounting (a ulimit
	 * -v, strict overcommit) refuses it as it would an allocation; never
	 * touched, so it costs no memory. */
	void *p = mmap(NULL, COS_MEMORY_PROBE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return true;
	munmap(p, COS_MEMORY_PROBE);
	return false;
}

bool cos_errno_is_local(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM ||
	       err == ENOBUFS;
}

enum cos_status cos_openssl_error(enum cos_status verdict, char *buf,
				  size_t len)
{
	unsigned long e, last = 0;
	bool malloc_failed = false, internal = false;
	int sys = 0;
	const char *reason;

	/* A failed system call is the cause of what follows it, and OpenSSL's
	 * own words for it are only "system lib". A failed allocation, deep
	 * in the queue, is the cause of everything above it (a "nested asn1
	 * error", an "internal error"): this machine's problem. */
	while ((e = ERR_get_error()) != 0) {
		if (ERR_GET_LIB(e) == ERR_LIB_SYS && sys == 0)
			sys = ERR_GET_REASON(e);
		if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
			malloc_failed = true;
		/* OpenSSL's word for its own failure, never the peer's. */
		if (ERR_GET_REASON(e) == ERR_R_INTERNAL_ERROR)
			internal = true;
		last = e;
	}
	if (malloc_failed) {
		snprintf(buf, len, "OpenSSL could not allocate memory");
		return COS_E_NOMEM;
	}
	if (sys != 0 && cos_errno_is_local(sys)) {
		snprintf(buf, len, "%s", strerror(sys));
		return COS_E_LOCAL;
	}
	if (internal) {
		snprintf(buf, len, "OpenSSL failed (internal error)");
		return COS_E_LOCAL;
	}
	reason = ERR_reason_error_string(last);
	if (sys != 0)
		snprintf(buf, len, "%s", strerror(sys));
	else if (reason != NULL)
		snprintf(buf, len, "%s", reason);
	else if (last != 0)
		snprintf(buf, len, "OpenSSL error %lx", last);
	else
		snprintf(buf, len, "no details from OpenSSL");
	return verdict;
}

void cos_trace(struct cos_result *res, int level, const char *fmt, ...)
{
	char line[512], clean[1024];
	va_list ap;

	if (res->verbosity < level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* An entry is one line: what a server sent may hold newlines, which
	 * would forge lines of the long output. */
	cos_sanitize_utf8(clean, sizeof(clean), line);
	cos_text_append(&res->trace, clean);
	cos_text_append(&res->trace, "\n");
}

const char *cos_step_name(int step)
{
	static const char *const names[] = {
		[2] = "certificate chain",
		[3] = "staple present",
		[4] = "DER",
		[5] = "responseStatus",
		[6] = "basic response",
		[7] = "signature and signer",
		[8] = "CertID",
		[9] = "validity window",
		[10] = "certificate status",
	};

	return step >= 2 && step <= 10 ? names[step] : "";
}
