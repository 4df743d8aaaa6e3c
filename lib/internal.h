/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * internal.h - what the library's files share and the plugin does not see,
 * by layer from the ground up (HACKING has the map): a file calls only
 * what a section above its own declares, or a file below it in its own.
 */
#ifndef COS_INTERNAL_H
#define COS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/ocsp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cos.h"

struct addrinfo;
struct sockaddr;

/* --- ground: status.c, result.c ------------------------------------------ */

/*
 * Records status with a printf-style detail unless an earlier problem was
 * recorded: the first failure is the one reported. Returns res->status.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
enum cos_status
cos_fail(struct cos_result *res, enum cos_status status, const char *fmt, ...);
/* SPEC 3's name of step n (2 to 10): "certificate chain", "DER", ... */
const char *cos_step_name(int step);
/* Marks step n of SPEC section 3 as passed. */
void cos_pass(struct cos_result *res, int step);
/* A file or setting the operator gave cannot be used: UNKNOWN, and the
 * status line alone says it (no long output without -v). */
bool cos_status_is_input(enum cos_status status);
/* The most useful line of OpenSSL's error queue, which it then clears, in
 * buf; returns verdict, or COS_E_NOMEM / COS_E_LOCAL when the queue shows
 * that the cause is this machine's (a failed allocation, no descriptor). */
enum cos_status cos_openssl_error(enum cos_status verdict, char *buf,
				  size_t len);
/* Whether OpenSSL's error queue (left as it is) holds a failed
 * allocation: a check that found "nothing" may only have run out. */
bool cos_openssl_out_of_memory(void);
/* Whether this machine cannot give COS_MEMORY_PROBE bytes of memory now:
 * the judge of a failure OpenSSL does not explain (it drops the errors of
 * a public key it could not decode), only ever asked once something has
 * failed. */
#define COS_MEMORY_PROBE (4 * 1024 * 1024)
bool cos_memory_short(void);
/* Whether a failed system call's errno is this machine's shortage (no
 * descriptor, no memory, no buffer) rather than the peer's doing. */
bool cos_errno_is_local(int err);
/* The SHA-256 of a, then b (blen 0: none), in lower-case hex; false when
 * it cannot be made (no memory). */
bool cos_sha256_hex(const void *a, size_t alen, const void *b, size_t blen,
		    char hex[65]);
/* Appends a line to res->trace when res->verbosity reaches level: 2 for
 * the trace (-vv), 3 for what only -vvv shows. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void cos_trace(struct cos_result *res, int level, const char *fmt, ...);

/* Clears res for a check at now, keeping nothing. */
void cos_result_start(struct cos_result *res, int verbosity, time_t now);
/* Starts res afresh for another attempt at the same address; the trace
 * and the count of attempts go on. */
void cos_result_restart(struct cos_result *res);

/*
 * Called with a verified chain's leaf and its issuer, before the staple is
 * judged: the check starts its fetches here, so that they run while the
 * handshake goes on (live.c). The layers below call it through the
 * pointer, never by name. on_chain NULL: nothing to start.
 */
struct cos_chain_hook {
	void (*on_chain)(void *arg, X509 *leaf, X509 *issuer,
			 struct cos_result *res);
	void *arg;
};

/* The same for the long output: valid UTF-8 kept, but for C1 controls,
 * line and paragraph separators and bidirectional controls ('?'); invalid
 * bytes as \xNN. */
void cos_sanitize_utf8(char *dst, size_t len, const char *src);
/* The longest prefix of s, at most n bytes, that ends between two UTF-8
 * characters. */
size_t cos_utf8_fit(const char *s, size_t n);

/* --- reporting: report/timefmt.c, report/judge.c ------------------------- */

int cos_asn1_time_to_epoch(const ASN1_TIME *t, time_t *out);
/* "2026-11-23 19:51:00 UTC" */
void cos_time_format(time_t t, char *buf, size_t len);
/* "7d", "4h 12m", "59s": the two largest units, the total rounded to the
 * smaller one (6d 23h 59m 57s reads "7d"). */
void cos_duration_format(double seconds, char *buf, size_t len);
/* A CRLReason code in words, in buf: "reason keyCompromise", or "reason code 7"
 * for a value RFC 5280 does not assign. */
const char *cos_reason_format(int code, char *buf, size_t len);

/* The state of a check under a policy, and the words the status line
 * leads with (not yet sanitized). */
struct cos_judgement {
	enum cos_state state;
	char summary[2 * COS_TEXT_MAX];
	bool listed; /* a source says revoked or on hold: the summary says */
};

void cos_judge(const struct cos_result *res, const struct cos_policy *policy,
	       struct cos_judgement *j);
/* -A: the pool's state is its worst address's; *worst is that address's
 * index (among OK ones, the one with the least time left). */
void cos_judge_pool(const struct cos_result *res,
		    const struct cos_policy *policy, struct cos_judgement *j,
		    size_t *worst);
/* --output-format json (report/json.c): the whole report as one JSON
 * document, j being res's judgement and status_line the status line with
 * its perfdata. */
void cos_json_write(struct cos_text *out, const struct cos_result *res,
		    const struct cos_policy *policy,
		    const struct cos_judgement *j, const char *status_line);
/* Until when the CRL's word holds: its nextUpdate, or its delta's if that
 * is sooner. */
time_t cos_crl_fresh_until(const struct cos_crl_info *c);
/* Seconds until the certificate's notAfter (cert_expiry). */
double cos_cert_expiry(const struct cos_result *res);
/* Seconds until nextUpdate and since thisUpdate, as judged and reported. */
double cos_time_left(const struct cos_result *res);
double cos_staple_age(const struct cos_result *res);
/* staple_lag: the responder's thisUpdate minus the staple's, when both
 * answered about the certificate. */
bool cos_has_lag(const struct cos_result *res);
double cos_staple_lag(const struct cos_result *res);

/* --- verification: verify/certinfo.c, trust.c, staple.c, offline.c ------- */

/* Loads the operator's anchors (partial chains allowed) or the system's
 * default store into st, and sets the verification time. */
enum cos_status cos_trust_load(X509_STORE *st, const struct cos_config *cfg,
			       time_t now, struct cos_result *res);
void cos_cert_describe(X509 *cert, struct cos_cert_info *info);
bool cos_cert_must_staple(X509 *cert);
void cos_name_format(const X509_NAME *name, char *buf, size_t len);
void cos_serial_format(const ASN1_INTEGER *serial, char *buf, size_t len);
/* The names a host name is matched against: the SAN's DNS names and IP
 * addresses ("DNS:a.example, IP:192.0.2.7"). */
void cos_cert_names(X509 *cert, char *buf, size_t len);

/*
 * SPEC 3.4 to 3.10 on the staple's bytes, for leaf as issued by issuer (the
 * issuer taken from a verified chain). Fills res->staple.
 */
enum cos_status cos_staple_verify(const unsigned char *der, size_t len,
				  X509 *leaf, X509 *issuer, time_t now,
				  long skew, struct cos_result *res);
/* The same judgement once the chain is known to verify: records 3.2 as
 * passed, calls the hook and runs 3.3 onwards. */
enum cos_status cos_staple_judge(const unsigned char *der, long len,
				 STACK_OF(X509) *verified_chain,
				 const struct cos_config *cfg, time_t now,
				 const struct cos_chain_hook *hook,
				 struct cos_result *res);

/* --- verification: verify/crlindex.c ------------------------------------ */

/* A serial's magnitude, in octets, at the most that an index holds (RFC
 * 5280 allows 20); an entry with a longer one is counted, not indexed. */
#define COS_CRLIX_SERIAL_MAX 30
#define COS_CRLIX_MAGIC "cos crl index 1\n"

/* A verified CRL's facts, at the start of its index. */
struct cos_crlix_head {
	char magic[16];	      /* COS_CRLIX_MAGIC */
	uint32_t head_size;   /* sizeof this */
	uint32_t record_size; /* sizeof struct cos_crlix_record */
	uint64_t count;	      /* records after the header */
	uint64_t long_serials; /* entries whose serial is too long to hold */
	uint32_t delta;	       /* a delta CRL */
	uint32_t spare;
	int64_t this_update;
	int64_t next_update;
	int64_t keep_until;	  /* --cache-dir: asked again from then on */
	uint8_t number[32];	  /* CRLNumber as a serial key (see below) */
	uint8_t base_number[32];  /* a delta's BaseCRLNumber */
	char key[72];		  /* the --cache-dir key it belongs to */
	char number_text[80];	  /* CRLNumber as the output shows it */
	char issuer[COS_TEXT_MAX];
	char freshest[COS_TEXT_MAX]; /* the delta CRL's http:// URL, or "" */
	char etag[COS_TEXT_MAX];     /* the HTTP validators it came with */
	char last_modified[64];
	uint8_t digest[32]; /* SHA-256 of all of the above */
};

/* One entry: the serial as its sign, length and magnitude (so that equal
 * integers compare equal as bytes), then what the CRL says of it. */
struct cos_crlix_record {
	uint8_t serial[32];
	int64_t revoked_at;
	int64_t invalidity; /* INT64_MIN: none given */
	int32_t reason;	    /* CRLReason, -1 when absent */
	uint32_t order;	    /* its place in the CRL */
};

/* An index: built in memory, or a file of --cache-dir read as needed. */
struct cos_crl_index {
	struct cos_crlix_head *head; /* in bytes, or file_head */
	struct cos_crlix_record *records; /* in bytes; NULL for a file */
	unsigned char *bytes; /* built: the header, then the records; owned */
	size_t len;	      /* of the whole, once sorted or opened */
	size_t capacity;
	bool from_file;	      /* opened: records are read from fd, owned */
	int fd;
	struct cos_crlix_head file_head;
};

enum cos_crlix_found {
	COS_CRLIX_ABSENT,
	COS_CRLIX_LISTED,
	COS_CRLIX_UNKNOWN,    /* too long a serial, where the CRL has such */
	COS_CRLIX_UNREADABLE, /* the kept file failed a read */
};

/* Room for capacity records; false when there is no memory. */
bool cos_crl_index_alloc(struct cos_crl_index *ix, size_t capacity);
/* A serial's key; false when it is too long to hold. */
bool cos_crl_index_serial(const ASN1_INTEGER *serial, uint8_t key[32]);
/* Adds an entry (its serial aside, which is taken from serial). */
bool cos_crl_index_add(struct cos_crl_index *ix, const ASN1_INTEGER *serial,
		       const struct cos_crlix_record *entry);
/* Puts the records in order and sets len. */
void cos_crl_index_sort(struct cos_crl_index *ix);
/* The header's digest, once its fields are final (again after a change). */
bool cos_crl_index_seal(struct cos_crl_index *ix);
/* The index file fd (len bytes) checked (version, sizes, digest, text,
 * key) by its header, which is all that is read; ix owns fd then. False
 * with why otherwise (fd is the caller's still). */
bool cos_crl_index_open(int fd, size_t len, const char *key,
			struct cos_crl_index *ix, const char **why);
/* An opened index's records read into memory (to be written anew). */
bool cos_crl_index_load(struct cos_crl_index *ix);
/* The serial's entry, copied into *entry when listed. */
enum cos_crlix_found cos_crl_index_find(const struct cos_crl_index *ix,
					const ASN1_INTEGER *serial,
					struct cos_crlix_record *entry);
void cos_crl_index_free(struct cos_crl_index *ix);

/* --- verification: verify/crl.c ---------------------------------------- */

/* The URIs of the certificate's CRL distribution points (any scheme), in
 * order, at most max; how many. */
#define COS_CRL_DP_MAX 8
size_t cos_crl_dp_uris(X509 *leaf, char (*uris)[COS_TEXT_MAX], size_t max);
/*
 * A CRL's DER verified for leaf as issued by issuer (SPEC 7): decoded,
 * its issuer's name, its signature, its extensions, its scope (url is
 * where it was fetched from, which its issuing distribution point must
 * name; NULL for a file: then one of the certificate's); a delta CRL
 * where delta says one belongs, else a full one. Its index into ix
 * (freed with cos_crl_index_free), whose window and entries are judged
 * by cos_crl_judge, fresh or kept alike.
 */
enum cos_status cos_crl_verify(const unsigned char *der, size_t len,
			       X509 *leaf, X509 *issuer, const char *url,
			       bool delta, struct cos_crl_index *ix,
			       struct cos_result *res);
/* The index's window at now and --skew, and the certificate's entry:
 * COS_GOOD when not listed, COS_E_REVOKED or COS_E_ON_HOLD when listed,
 * else why the CRL cannot be used. Fills info. */
enum cos_status cos_crl_judge(const struct cos_crl_index *ix, X509 *leaf,
			      time_t now, long skew, struct cos_crl_info *info,
			      struct cos_result *res);
/* The same for a delta CRL of base, into its own res: that it belongs to
 * base (its BaseCRLNumber, its number), its window, and the entry it has
 * for the certificate, if any, into info (info->removed for
 * removeFromCRL, which releases a hold); not listed leaves info's entry
 * as the base had it. */
/* --cache-dir's name for the CRL at url, as issuer's: the SHA-256 of
 * issuer's public key and the URL, in hex. */
bool cos_crl_key(X509 *issuer, const char *url, char key[65]);
enum cos_status cos_crl_judge_delta(const struct cos_crl_index *base,
				    const struct cos_crl_index *delta,
				    X509 *leaf, time_t now, long skew,
				    struct cos_crl_info *info,
				    struct cos_result *res);

/* --- verification: verify/chainstaple.c ---------------------------------- */

/* A CertificateEntry of a TLS 1.3 Certificate message, pointing into it
 * (read by net/certmsg.c). */
struct cos_cert_entry {
	size_t index;		   /* 0: the leaf */
	const unsigned char *cert; /* its cert_data (DER) */
	size_t cert_len;
	const unsigned char *ocsp; /* its OCSPResponse, or NULL */
	size_t ocsp_len;
	const char *problem; /* what is wrong with its status, or NULL */
};

/* TLS 1.3's staples for the certificates above the leaf, from the
 * Certificate message's entries: each verified as a staple is (SPEC 3.4
 * to 3.10) for its certificate, as issued by the next one up the verified
 * chain, into res->chain_staples. */
void cos_chain_staples_judge(const struct cos_cert_entry *entries,
			     size_t count, STACK_OF(X509) *verified_chain,
			     time_t now, long skew, struct cos_result *res);

/* The question for the live responder (responder.c). */
struct cos_ocsp_question {
	OCSP_REQUEST *request; /* owned */
	char *get_suffix;      /* the request URL-encoded for a GET; NULL:
				* too long, POST it */
	char key[65];	       /* --cache-dir's name for the answer */
};

enum cos_status cos_ocsp_question_make(X509 *leaf, X509 *issuer,
				       const char *url,
				       struct cos_ocsp_question *q,
				       struct cos_result *res);
void cos_ocsp_question_free(struct cos_ocsp_question *q);

enum cos_status cos_check_offline(const struct cos_config *cfg, time_t now,
				  const struct cos_chain_hook *hook,
				  struct cos_result *res);
/* The offline mode's readers, exposed for the fuzz harness. A response
 * file holds DER, or PEM armour around it (any label); *data is freed
 * with free(). A certificate file holds PEM certificates, in order, or one
 * DER certificate; option ("--cert") names it in messages. */
enum cos_status cos_read_response_file(const char *path, unsigned char **data,
				       size_t *len, struct cos_result *res);
/* --crl-file: DER or PEM, at most max bytes. */
enum cos_status cos_read_crl_file(const char *path, size_t max,
				  unsigned char **data, size_t *len,
				  struct cos_result *res);
enum cos_status cos_read_cert_file(const char *option, const char *path,
				   STACK_OF(X509) **out,
				   struct cos_result *res);

/* --- transport: net/certmsg.c ------------------------------------------- */

/* The entries of a Certificate message (its 4-byte handshake header
 * first), at most max of them; how many, or -1 (and why) when the
 * message does not hold together. */
int cos_cert_msg_read(const unsigned char *msg, size_t len,
		      struct cos_cert_entry *entries, size_t max,
		      const char **why);

/* --- transport: net/deadline.c, resolve.c, connect.c --------------------- */

/* A point on the monotonic clock by which the whole check must be done. */
struct cos_deadline {
	bool none; /* no timeout: wait forever */
	struct timespec at;
};

void cos_deadline_start(struct cos_deadline *d, double seconds);
/* Milliseconds left, rounded up; 0 once passed; -1 when there is none. */
int cos_deadline_left_ms(const struct cos_deadline *d);
/* Sleeps seconds, unless the deadline would pass first: then returns false
 * at once. */
bool cos_deadline_sleep(const struct cos_deadline *d, double seconds);
double cos_monotonic_seconds(void);

bool cos_is_ip_literal(const char *host);
/* Resolves host and port within the deadline; *out is freed with
 * freeaddrinfo. */
enum cos_status cos_resolve(const char *host, const char *port, int family,
			    const struct cos_deadline *d, struct addrinfo **out,
			    struct cos_result *res);
/* Connects to the first address in list that accepts, leaving a
 * non-blocking socket in *fd and its address in res->peer. */
enum cos_status cos_connect(const struct addrinfo *list,
			    const struct cos_deadline *d, int *fd,
			    struct cos_result *res);
/* Waits for events (POLLIN/POLLOUT) on fd: 1 ready, 0 deadline passed,
 * -1 error (errno). */
int cos_wait_fd(int fd, short events, const struct cos_deadline *d);
/* "192.0.2.7:443" or "[2001:db8::7]:443" */
void cos_sockaddr_format(const struct sockaddr *sa, char *buf, size_t len);
/* The same without the port: "192.0.2.7" or "[2001:db8::7]" */
void cos_address_format(const struct sockaddr *sa, char *buf, size_t len);

/* --- transport: net/http.c ------------------------------------------------ */

/* One HTTP exchange: GET url (with get_suffix after a slash), or POST of
 * value when item is set. */
struct cos_http_request {
	const char *url;	  /* http://host[:port]/path */
	const char *proxy;	  /* --proxy; NULL: the environment's */
	int family;		  /* -4, -6 */
	const char *accept;	  /* the content type the answer must have;
				   * NULL: any */
	size_t max_len;		  /* a larger body is refused unread */
	const char *get_suffix;	  /* GET: appended to the URL's path */
	const ASN1_ITEM *item;	  /* POST: the value's type, or NULL */
	const ASN1_VALUE *value;
	const char *content_type; /* of what is posted */
	enum cos_status not_der;  /* for a body that is no ASN.1 SEQUENCE */
	/* A conditional GET (RFC 9110 13.1) of what the cache holds: the
	 * validators it came with, "" or NULL when none. */
	const char *if_none_match;
	const char *if_modified_since;
};

struct cos_http_reply {
	unsigned char *body; /* owned: cos_http_reply_free */
	size_t len;
	long max_age;		/* Cache-Control: seconds, -1 when silent */
	char via[COS_TEXT_MAX]; /* the proxy it went through, or "" */
	bool not_modified;	/* 304 to a conditional GET: no body */
	char etag[COS_TEXT_MAX]; /* the validators sent with it, or "" */
	char last_modified[64];
};

/* Fetches within the deadline; failures recorded in res as COS_E_HTTP*,
 * COS_E_CONNECT, COS_E_TIMEOUT, ... with the URL in the detail. */
enum cos_status cos_http_fetch(const struct cos_http_request *req,
			       const struct cos_deadline *d,
			       struct cos_http_reply *reply,
			       struct cos_result *res);
/* The same exchange with the answer's bytes given (the fuzz harness):
 * the request goes nowhere. */
enum cos_status cos_http_answer(const unsigned char *data, size_t len,
				const struct cos_http_request *req,
				struct cos_http_reply *reply,
				struct cos_result *res);
void cos_http_reply_free(struct cos_http_reply *reply);

/* --- transport: net/conversation.c, starttls*.c -------------------------- */

/*
 * One plain-text exchange before the TLS handshake, on a non-blocking
 * socket: every read and write is bounded by the check's deadline, and
 * nothing past the server's last preamble reply is read, so the TLS
 * handshake starts on a clean stream.
 */
struct cos_conversation {
	int fd;
	const struct cos_deadline *d;
	struct cos_result *res;
	const struct cos_config *cfg; /* what -S and the host name say */
	const char *proto;	      /* the -S name, for messages */
	char line[4096]; /* the last line or tag read, NUL-terminated,
			  * without its CR LF */
	size_t len;
};

/* Sends len bytes. */
enum cos_status cos_conv_send(struct cos_conversation *c, const void *data,
			      size_t len);
/* Sends the text as it is (a line protocol puts its own CR LF); traced
 * at -vv. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
enum cos_status
cos_conv_printf(struct cos_conversation *c, const char *fmt, ...);
/* Reads up to and including the byte end into c->line (a trailing CR LF
 * is dropped); traced at -vv. */
enum cos_status cos_conv_read_until(struct cos_conversation *c, char end);
/* Reads exactly len bytes. */
enum cos_status cos_conv_read(struct cos_conversation *c, void *buf,
			      size_t len);

/* The preamble of cfg->starttls on the connected fd, up to where the TLS
 * handshake begins. COS_E_NO_STARTTLS when the server does not offer it. */
enum cos_status cos_starttls_run(int fd, const struct cos_config *cfg,
				 const struct cos_deadline *d,
				 struct cos_result *res);
/* The binary protocols' preambles (starttls_binary.c). */
enum cos_status cos_starttls_ldap(struct cos_conversation *c);
enum cos_status cos_starttls_postgres(struct cos_conversation *c);

/* --- transport: net/tlsconf.c, net/tls.c --------------------------------- */

/* Applies --tls-min/--tls-max, --ciphers, --ciphersuites and --groups to
 * ctx. 0, or -1 with a sentence naming the option in why. */
int cos_tls_settings_apply(SSL_CTX *ctx, const struct cos_config *cfg,
			   char *why, size_t len);
/* Loads --client-cert and --client-key into ctx. */
enum cos_status cos_client_cert_load(SSL_CTX *ctx, const struct cos_config *cfg,
				     struct cos_result *res);

/* The TLS client context every connection of a check shares. */
SSL_CTX *cos_tls_context(const struct cos_config *cfg, time_t now,
			 struct cos_result *res);
/* One full handshake on the connected fd, the staple judged during it
 * (and the hook called, once the chain verifies). */
enum cos_status cos_tls_handshake(SSL_CTX *ctx, int fd,
				  const struct cos_config *cfg, time_t now,
				  const struct cos_deadline *d,
				  const struct cos_chain_hook *hook,
				  struct cos_result *res);

/* --- cache.c: --cache-dir ------------------------------------------------ */

/* The directory is this user's (or root's) and nobody else may write to
 * it; created (0700) when missing. COS_E_CACHE_DIR otherwise. */
enum cos_status cos_cache_check_dir(const char *dir, struct cos_result *res);
/* The entry for key while it is kept (its time not passed at now), as a
 * candidate to verify: *data is freed with free(). */
bool cos_cache_get(const char *dir, const char *key, time_t now,
		   unsigned char **data, size_t *len, struct cos_result *res);
/* Keeps data for key until expires, replacing the entry at once. */
void cos_cache_put(const char *dir, const char *key, time_t expires,
		   const unsigned char *data, size_t len,
		   struct cos_result *res);
/* An entry's bytes as given, written to a temporary file and renamed into
 * place; false (and traced) when it cannot be written. */
struct cos_cache_part {
	const void *data;
	size_t len;
};
bool cos_cache_write(const char *dir, const char *key,
		     const struct cos_cache_part *parts, size_t count,
		     struct cos_result *res);
/* An entry opened for reading, if it is this user's own regular file, and
 * its size; its bytes vouch for themselves (a CRL index checks its
 * header), as none of them are read here. -1 when there is none. */
int cos_cache_open(const char *dir, const char *key, size_t *size,
		   struct cos_result *res);

/* --- the check: check/crlfetch.c ---------------------------------------- */

/* What the CRL of one certificate is to be had from. */
struct cos_crl_job {
	const struct cos_config *cfg;
	time_t now;
	const struct cos_deadline *d;
	X509 *leaf;
	X509 *issuer;
	const unsigned char *file; /* --crl-file's bytes, or NULL */
	size_t file_len;
	const char (*dps)[COS_TEXT_MAX]; /* else its http:// distribution
					  * points, tried in order */
	int dp_count;
};

/* The CRL's verdict on the certificate into res (COS_GOOD, COS_E_REVOKED,
 * COS_E_ON_HOLD, or why no CRL is usable) and its facts into info, whose
 * source the caller set for a file. */
void cos_crl_obtain(const struct cos_crl_job *job, struct cos_crl_info *info,
		    struct cos_result *res);
/* Whether the first distribution point's CRL, and its delta if it has
 * one, are kept in --cache-dir and still to be used: cos_crl_obtain then
 * reads only those files, and needs no thread of its own. */
bool cos_crl_all_kept(const struct cos_crl_job *job, struct cos_result *log);

/* --- the check: check/live.c, targets.c, attempt.c, pool.c, online.c ----- */

/* --responder's fetches for one check; NULL without --responder (every
 * function takes NULL as "nothing to do") or when it cannot start (then
 * res says why). */
struct cos_live;

struct cos_live *cos_live_new(const struct cos_config *cfg, time_t now,
			      const struct cos_deadline *d,
			      struct cos_result *res);
/* The hook that starts (or shares) the fetch for a chain. */
struct cos_chain_hook cos_live_hook(struct cos_live *live);
/* Waits for the fetch that res's chain started, if any, and copies its
 * answer into res->responder. */
void cos_live_collect(struct cos_live *live, struct cos_result *res);
/* Joins every fetch and frees them. */
void cos_live_free(struct cos_live *live);

/*
 * The addresses a check goes to: each item of -I's comma-separated list,
 * or HOST, resolved within the deadline, in order and without duplicates.
 * *out is the library's own copy, freed with cos_targets_free.
 */
enum cos_status cos_targets_resolve(const struct cos_config *cfg,
				    const struct cos_deadline *d,
				    struct addrinfo **out,
				    struct cos_result *res);
void cos_targets_free(struct addrinfo *list);

/* Connect (to the first of list that accepts), STARTTLS, handshake; and
 * again while no staple came, as --retries and the deadline allow. */
enum cos_status cos_check_address(SSL_CTX *ctx, const struct addrinfo *list,
				  const struct cos_config *cfg, time_t now,
				  const struct cos_deadline *d,
				  struct cos_live *live,
				  struct cos_result *res);
/* -A: cos_check_address on every address of list at once, one result
 * each in res->addresses. */
enum cos_status cos_check_pool(SSL_CTX *ctx, const struct addrinfo *list,
			       const struct cos_config *cfg, time_t now,
			       const struct cos_deadline *d,
			       struct cos_live *live, struct cos_result *res);

enum cos_status cos_check_online(const struct cos_config *cfg, time_t now,
				 struct cos_result *res);

#endif
