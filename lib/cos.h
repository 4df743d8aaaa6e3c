/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cos.h - the check_ocsp_staple library.
 *
 * Everything the plugin does that can be tested lives behind this header:
 * reaching the server, judging the staple, thresholds and output. The library
 * never prints and never exits; it reports through the structs below, which
 * the caller owns.
 */
#ifndef COS_H
#define COS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Monitoring Plugins states; the values are the plugin's exit codes. */
enum cos_state {
	COS_OK = 0,
	COS_WARNING = 1,
	COS_CRITICAL = 2,
	COS_UNKNOWN = 3,
};

const char *cos_state_name(enum cos_state state);
/* Parses OK, WARNING, CRITICAL, UNKNOWN (any case) or 0-3. */
int cos_state_parse(const char *text, enum cos_state *state);
enum cos_state cos_state_worst(enum cos_state a, enum cos_state b);

/*
 * The outcome of a check: COS_GOOD, or the first problem found. Every value
 * has its own message (cos_strerror); the groups follow SPEC section 3.
 */
enum cos_status {
	COS_GOOD = 0,
	/* The operator's input or this machine. */
	COS_E_NOMEM,
	COS_E_LOCAL,
	COS_E_INTERNAL,
	COS_E_TRUST_STORE,
	COS_E_READ_CERT,
	COS_E_READ_RESPONSE,
	COS_E_TLS_SETTINGS,
	COS_E_NO_ISSUER,
	COS_E_CACHE_DIR,
	COS_E_READ_CRL,
	/* Reaching the server (or the responder). */
	COS_E_RESOLVE,
	COS_E_CONNECT,
	COS_E_STARTTLS,
	COS_E_NO_STARTTLS,
	COS_E_TIMEOUT,
	COS_E_TLS,
	COS_E_NO_SUCH_CERT, /* --all-certificates: none of this key type */
	/* An HTTP fetch (SPEC 7): the responder's answer. */
	COS_E_NO_RESPONDER_URL,
	COS_E_HTTP,
	COS_E_HTTP_STATUS,
	COS_E_HTTP_REDIRECT,
	COS_E_TOO_LARGE,
	COS_E_HTTP_CONTENT_TYPE,
	/* A CRL (SPEC 7). */
	COS_E_NO_CRL_DP,
	COS_E_CRL_MALFORMED,
	COS_E_CRL_ISSUER,
	COS_E_CRL_SIGNATURE,
	COS_E_CRL_INDIRECT,
	COS_E_CRL_SCOPE,
	COS_E_CRL_DELTA,
	/* 3.2: the certificate. */
	COS_E_CHAIN,
	COS_E_HOSTNAME,
	/* 3.3: a staple is present. */
	COS_E_NO_STAPLE,
	/* 3.4: well-formed DER. */
	COS_E_EMPTY,
	COS_E_MALFORMED,
	COS_E_TRAILING_DATA,
	COS_E_NOT_DER,
	/* 3.5: responseStatus. */
	COS_E_RESPONSE_STATUS,
	/* 3.6: response type. */
	COS_E_NOT_BASIC,
	COS_E_CRITICAL_EXTENSION,
	/* 3.7: signature and signer. */
	COS_E_SIGNER_NOT_FOUND,
	COS_E_BAD_SIGNATURE,
	COS_E_SIGNER_UNTRUSTED,
	COS_E_SIGNER_NO_EKU,
	COS_E_SIGNER_NOT_AUTHORIZED,
	COS_E_WEAK_SIGNATURE,
	/* 3.8: CertID. */
	COS_E_CERTID_HASH,
	COS_E_OTHER_CERT,
	COS_E_OTHER_ISSUER,
	COS_E_CONFLICT,
	/* 3.9: times. */
	COS_E_BAD_TIME,
	COS_E_NOT_YET_VALID,
	COS_E_EXPIRED,
	COS_E_NEXT_BEFORE_THIS,
	COS_E_PRODUCED_FUTURE,
	/* 3.10: certificate status. */
	COS_E_REVOKED,
	COS_E_ON_HOLD,
	COS_E_STATUS_UNKNOWN,
	COS_STATUS_COUNT
};

const char *cos_strerror(enum cos_status status);
/* The same words in buf about another thing than the staple: subject
 * ("answer", "CRL") where they say "staple" or "answer" ("CRL expired"). */
void cos_strerror_of(enum cos_status status, const char *subject, char *buf,
		     size_t len);
/* A stable lower-case identifier ("expired", "bad-signature"), for -v output
 * and tests. */
const char *cos_status_id(enum cos_status status);

/* --- the process's OpenSSL (openssl.c) ------------------------------- */

/*
 * Initialises OpenSSL for a process that exits right after its check:
 * error strings and the system's OpenSSL configuration (its crypto policy)
 * loaded, and no clean-up at exit, which would only free what exit frees.
 * 0, or -1 when OpenSSL cannot start (out of memory). Optional: without it
 * OpenSSL initialises itself on first use and cleans up at exit.
 */
int cos_openssl_init(void);
/* The OpenSSL the process runs with ("OpenSSL 3.0.17 1 Jul 2025"). */
const char *cos_openssl_version(void);

/* --- ranges and durations (range.c) ------------------------------------ */

/*
 * How a bare number N reads. Monitoring Plugins read N as 0:N; for the
 * time-left metric an operator means "alert when less than N is left" (N:),
 * and for an age "alert when older than N" (~:N).
 */
enum cos_range_sense {
	COS_RANGE_PLAIN,
	COS_RANGE_TIME_LEFT,
	COS_RANGE_AGE,
};

/* A parsed threshold range; alerts outside [low, high], or inside with '@'. */
struct cos_range {
	bool set;
	bool inside;
	bool low_inf;
	bool high_inf;
	double low;
	double high;
};

/* 0 on success, -1 on a malformed range (r is left unset). */
int cos_range_parse(struct cos_range *r, const char *text,
		    enum cos_range_sense sense);
bool cos_range_alerts(const struct cos_range *r, double value);
/* Writes the range in seconds as perfdata wants it ("86400:"); "" if unset. */
void cos_range_format(const struct cos_range *r, char *buf, size_t len);
/* A number of seconds with an optional unit s, m, h or d, at most 3
 * decimals and 100 years. 0 or -1. */
int cos_seconds_parse(const char *text, double *seconds);
/* A size in bytes, at least 1 and at most COS_SIZE_MAX, with an optional
 * binary unit K, KiB, M, MiB, G or GiB. 0 or -1. */
#define COS_SIZE_MAX ((unsigned long long)4 << 30)
int cos_size_parse(const char *text, size_t *bytes);
/* "64 MiB", "1500 bytes" */
void cos_size_format(size_t bytes, char *buf, size_t len);

/* A growable string; functions that append to it never fail loudly: on
 * allocation failure they set failed and stop appending. */
struct cos_text {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

void cos_text_free(struct cos_text *t);
void cos_text_append(struct cos_text *t, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void cos_text_printf(struct cos_text *t, const char *fmt, ...);

/* --- STARTTLS (starttls.c) --------------------------------------------- */

/* The protocols -S speaks before the TLS handshake. */
enum cos_starttls {
	COS_STARTTLS_NONE = 0, /* TLS from the first byte */
	COS_STARTTLS_SMTP,
	COS_STARTTLS_SUBMISSION,
	COS_STARTTLS_LMTP,
	COS_STARTTLS_IMAP,
	COS_STARTTLS_POP3,
	COS_STARTTLS_FTP,
	COS_STARTTLS_XMPP,
	COS_STARTTLS_XMPP_SERVER,
	COS_STARTTLS_LDAP,
	COS_STARTTLS_POSTGRES,
	COS_STARTTLS_SIEVE,
	COS_STARTTLS_NNTP,
	COS_STARTTLS_COUNT
};

/* The -S name ("smtp", "xmpp-server"); 0, or -1 for no such protocol. */
int cos_starttls_parse(const char *name, enum cos_starttls *proto);
const char *cos_starttls_name(enum cos_starttls proto);
/* The protocol's well-known port ("25"); "443" for COS_STARTTLS_NONE. */
const char *cos_starttls_port(enum cos_starttls proto);
/* The -S names, comma-separated, for messages and --help. */
const char *cos_starttls_names(void);

/* --- what to check (result.c) ------------------------------------------ */

/* Handshakes a check makes at once at the most (-A's addresses, times
 * --all-certificates' key types, times --handshakes); a larger pool is
 * cut, and says so. */
#define COS_POOL_MAX 32

/* The key types --all-certificates asks for, one handshake each, by the
 * signature algorithms the client offers. */
enum cos_key_type {
	COS_KEY_ANY, /* whatever the server picks */
	COS_KEY_RSA,
	COS_KEY_ECDSA,
	COS_KEY_ED25519,
	COS_KEY_TYPES
};
/* "RSA", "ECDSA", "Ed25519"; "" for COS_KEY_ANY. */
const char *cos_key_type_name(enum cos_key_type key);
/* The documented defaults of -t, --skew and --retry-delay, in seconds. */
#define COS_TIMEOUT_DEFAULT 10
#define COS_SKEW_DEFAULT 300
#define COS_RETRY_DELAY_DEFAULT 1
/* --crl-max-size's default: 64 MiB. */
#define COS_CRL_MAX_SIZE_DEFAULT ((size_t)64 << 20)

struct cos_config {
	/* Online mode. */
	const char *host;    /* -H: SNI and name check unless an IP literal */
	const char *port;    /* -p; NULL: the protocol's port, 443 without -S */
	const char *address; /* -I: connect here instead of resolving host;
			      * a comma-separated list of addresses */
	const char *sni;     /* --sni: sent instead of host */
	int family;	     /* AF_UNSPEC, AF_INET or AF_INET6 */
	double timeout;	     /* seconds for the whole check; <= 0: none */
	enum cos_starttls starttls; /* -S */
	bool all_addresses;	    /* -A: every address, not the first */
	int retries;		    /* --retries: handshakes after a first
				     * one without a staple */
	double retry_delay;	    /* --retry-delay, seconds */
	bool all_certificates;	    /* one handshake per key type */
	int handshakes;		    /* --handshakes: full handshakes, each
				     * judged (1 to COS_POOL_MAX) */

	/* TLS settings; 0 and NULL leave OpenSSL's defaults. */
	int tls_min; /* --tls-min/--tls-max: TLS1_2_VERSION, TLS1_3_VERSION */
	int tls_max;
	const char *ciphers;	  /* --ciphers: TLS 1.2 cipher list */
	const char *ciphersuites; /* --ciphersuites: TLS 1.3 suites */
	const char *groups;	  /* --groups: key exchange groups */
	const char *client_cert;  /* --client-cert: PEM, with chain */
	const char *client_key;	  /* --client-key; NULL: in client_cert */

	/* SPEC 7: the live responder. */
	bool responder;		    /* --responder (or --responder-url) */
	const char *responder_url;  /* --responder-url; NULL: the AIA's */
	const char *proxy;	    /* --proxy; NULL: http_proxy, no_proxy */
	const char *cache_dir;	    /* --cache-dir; NULL: nothing kept */
	bool crl;		    /* --crl (or --crl-file) */
	const char *crl_file;	    /* --crl-file; NULL: the certificate's
				     * distribution points */
	size_t crl_max_size;	    /* --crl-max-size, bytes */

	/* Trust anchors; both NULL: the system's default store. */
	const char *ca_file;
	const char *ca_path;

	/* Offline mode, when response_file is set. */
	const char *response_file;
	const char *cert_file;
	const char *issuer_file;

	long skew;    /* seconds of clock tolerance */
	bool has_now; /* evaluate times at now instead of the clock */
	time_t now;
	int verbosity; /* -v count: what goes into cos_result.trace */
};

void cos_config_init(struct cos_config *cfg);
/* The port to connect to: -p, or the -S protocol's, or 443 (starttls.c,
 * which keeps the protocols' ports). */
const char *cos_config_port(const struct cos_config *cfg);

/* --- what was found ----------------------------------------------------- */

enum cos_cert_status {
	COS_CERT_GOOD,
	COS_CERT_REVOKED,
	COS_CERT_UNKNOWN,
};

/* How the response's signer was authorized (SPEC 3.7). */
enum cos_signer_kind {
	COS_SIGNER_NONE,
	COS_SIGNER_ISSUER,    /* the certificate's issuing CA itself */
	COS_SIGNER_DELEGATED, /* a responder with OCSPSigning issued by it */
};

#define COS_TEXT_MAX 256

/* What the staple says; filled as far as verification got. */
struct cos_staple_info {
	size_t length; /* bytes on the wire */
	char response_status[32];
	bool parsed; /* a basic response was decoded: the fields below hold */
	char responder[COS_TEXT_MAX];
	enum cos_signer_kind signer_kind;
	char signer[COS_TEXT_MAX];
	char certid_hash[32];
	int single_count;
	bool has_produced_at; /* producedAt could be read */
	time_t produced_at;
	bool matched; /* a SingleResponse for the certificate was found */
	time_t this_update;
	bool has_next_update;
	time_t next_update;
	enum cos_cert_status cert_status;
	time_t revoked_at;
	int revocation_reason; /* OCSP_REVOKED_STATUS_*, -1 when absent */
	char other_serial[80]; /* the serial of a staple for another cert */
};

/* What the server's certificate says (certinfo.c). */
struct cos_cert_info {
	bool present;
	char subject[COS_TEXT_MAX];
	char issuer[COS_TEXT_MAX];
	char serial[80];
	time_t not_after;
	bool must_staple;
	int ocsp_url_count;
	char ocsp_url[COS_TEXT_MAX]; /* the first one */
};

/* What the live responder said (SPEC 7), when the config asked it. */
struct cos_responder_info {
	bool asked;
	char url[COS_TEXT_MAX];	      /* where the answer was sought */
	char via[COS_TEXT_MAX];	      /* the proxy it went through, or "" */
	enum cos_status status;	      /* COS_GOOD, COS_E_REVOKED or why
				       * there is no usable answer */
	char detail[COS_TEXT_MAX];
	unsigned steps_passed;	      /* of SPEC 3, steps 4 to 10 */
	bool from_cache;	      /* --cache-dir had it */
	double elapsed;		      /* seconds the fetch took */
	struct cos_staple_info answer; /* as far as verification got */
};

/* What the CRL said (SPEC 7), when the config asked it. */
struct cos_crl_info {
	bool asked;
	char source[COS_TEXT_MAX]; /* the URL fetched, or --crl-file's path */
	enum cos_status status;	   /* COS_GOOD (not listed), COS_E_REVOKED,
				    * COS_E_ON_HOLD, or why no CRL is usable */
	char detail[COS_TEXT_MAX];
	bool from_cache;
	double elapsed; /* seconds the fetch took */
	bool parsed;	/* the fields below hold */
	char issuer[COS_TEXT_MAX];
	char number[80]; /* CRLNumber, "" without */
	time_t this_update;
	bool has_next_update;
	time_t next_update;
	long entries;
	time_t revoked_at; /* when listed */
	int reason;	   /* CRLReason, -1 when absent */
	bool has_invalidity;
	time_t invalidity;
	bool removed;		  /* a delta's removeFromCRL released it */
	bool has_delta;		  /* a delta CRL was applied; its facts: */
	char delta[COS_TEXT_MAX]; /* where it came from */
	bool delta_from_cache;
	char delta_number[80];
	time_t delta_this_update;
	time_t delta_next_update;
};

/* TLS 1.3: a staple the server sent for a certificate above the leaf
 * (SPEC 8), judged against that certificate's own issuer. */
#define COS_CHAIN_STAPLES_MAX 4
/* The largest TLS 1.3 Certificate message read for them (net/tls.c). */
#define COS_CERTMSG_MAX (32 * 1024)
struct cos_chain_staple {
	int depth;		    /* in the verified chain (1: the leaf's
				     * issuer); -1: not found in it */
	int entry;		    /* its place in the Certificate message */
	char subject[COS_TEXT_MAX]; /* the certificate's */
	enum cos_status status;	    /* COS_GOOD, COS_E_REVOKED, or why not */
	char detail[COS_TEXT_MAX];
	bool has_next_update;
	time_t this_update;
	time_t next_update;
	time_t revoked_at;
	int reason; /* CRLReason when revoked, -1 when absent */
};

/* The checks of SPEC section 3 that passed, as bits (1u << step). */
#define COS_STEP_BIT(n) (1u << (n))

struct cos_result {
	enum cos_status status;	   /* COS_GOOD or the first problem */
	char detail[COS_TEXT_MAX]; /* more words on status, may be "" */
	unsigned steps_passed;	   /* COS_STEP_BIT(2) ... COS_STEP_BIT(10) */
	bool offline;

	char peer[80];	      /* address:port that answered */
	const char *starttls; /* the -S protocol's name, or NULL */
	int attempts;	      /* handshakes made (--retries) */
	enum cos_key_type key_type; /* asked for (set before the check) */
	int handshake;		    /* --handshakes: which, from 1; else 0 */
	char label[96];		    /* in a pool: "ECDSA certificate", ... */
	char tls_version[16];
	bool name_checked; /* false: an IP literal and no --sni */
	char checked_name[COS_TEXT_MAX];

	struct cos_cert_info cert;
	bool have_staple;
	struct cos_staple_info staple;
	struct cos_responder_info responder;
	struct cos_crl_info crl;
	struct cos_chain_staple chain_staples[COS_CHAIN_STAPLES_MAX];
	int chain_staple_count;
	/* TLS 1.3: the length of a Certificate message too large to keep,
	 * whose staples above the leaf went unseen; 0 when none was. */
	size_t certmsg_unread;

	time_t now;	/* the time every check was made against */
	double elapsed; /* seconds the check took */

	int verbosity;	       /* from the config: how much to trace */
	struct cos_text trace; /* -v detail, owned; see cos_result_free */

	/*
	 * -A: one result per address, in the resolver's order, owned. Then
	 * the fields above hold only status (the first address's problem),
	 * now and elapsed; address names each address's own result.
	 */
	struct cos_result *addresses;
	size_t address_count;
	size_t addresses_skipped; /* beyond COS_POOL_MAX */
	char address[80];	  /* "192.0.2.7", "[2001:db8::7]" */
};

/* Runs the whole check the config describes (online or offline) and fills
 * res. Returns res->status. */
enum cos_status cos_check(const struct cos_config *cfg, struct cos_result *res);
/* Frees what res owns (the trace, the addresses' results); res may be
 * reused after cos_check. */
void cos_result_free(struct cos_result *res);

/* --- judgement and output (judge.c, output.c) -------------------------- */

/* The operator's policy: thresholds and the states of the special cases. */
/* --output-format: the status line and the long output (default), the
 * status line alone, or one JSON document. */
enum cos_output_format {
	COS_FORMAT_DEFAULT,
	COS_FORMAT_ONE_LINE,
	COS_FORMAT_JSON,
};

struct cos_policy {
	struct cos_range next_warn;
	struct cos_range next_crit;
	struct cos_range age_warn;
	struct cos_range age_crit;
	struct cos_range lag_warn; /* staple_lag, SPEC 7 */
	struct cos_range lag_crit;
	struct cos_range expiry_warn; /* cert_expiry: off by default */
	struct cos_range expiry_crit;
	enum cos_output_format format; /* --output-format */
	/* Lines for the long output about the command line itself ("-w 20
	 * means 20 seconds; did you mean 20d?"), '\n'-separated, or "". */
	char notes[4 * 96];
	/* States, with their defaults: no staple though the certificate
	 * names an OCSP responder (CRITICAL); no staple and no responder
	 * (OK); a staple without nextUpdate (WARNING); the -t deadline
	 * passed (CRITICAL); the responder gave no usable answer
	 * (WARNING). */
	enum cos_state no_staple;
	enum cos_state no_ocsp_url;
	enum cos_state no_next_update;
	enum cos_state timeout;
	enum cos_state responder_failure;
	enum cos_state crl_failure;
};

/* The documented defaults: -w 1d -c 4h, no age thresholds. */
void cos_policy_init(struct cos_policy *policy);

/*
 * Judges res under policy and writes the plugin's whole output into out:
 * the status line with perfdata, then the long output. verbosity is the
 * number of -v: 0, a line for each part judged; 1, every detail; 2, the
 * trace too; 3, with the response's dump. Returns the state, which is the
 * exit code.
 */
enum cos_state cos_report(const struct cos_result *res,
			  const struct cos_policy *policy, int verbosity,
			  struct cos_text *out);

/* --- the command line (options.c) ------------------------------------- */

enum cos_parse {
	COS_PARSE_RUN,	   /* run the check */
	COS_PARSE_HELP,	   /* -h: print the help */
	COS_PARSE_VERSION, /* -V: print the version */
	COS_PARSE_ERROR,   /* a bad command line: see error */
};

/* What the command line asks for. The strings point into argv. */
struct cos_options {
	struct cos_config cfg;
	struct cos_policy policy;
	char error[512]; /* one sentence naming the option, for ERROR */
};

/* Parses the command line (SPEC section 2). Never prints, never exits. */
enum cos_parse cos_options_parse(struct cos_options *o, int argc, char **argv);

/* Copies src into dst (of size len, not src) as the status line may show
 * it: printable ASCII only, '|' as '/', controls as '?', other bytes as
 * \xNN, cut between characters (sanitize.c; SPEC 9). */
void cos_sanitize(char *dst, size_t len, const char *src);

#endif
