/*
 * internal.h - what the library's files share and the plugin does not see.
 */
#ifndef COS_INTERNAL_H
#define COS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cos.h"

struct addrinfo;
struct sockaddr;

/* --- result helpers (status.c) ----------------------------------------- */

/*
 * Records status with a printf-style detail unless an earlier problem was
 * recorded: the first failure is the one reported. Returns res->status.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
enum cos_status
cos_fail(struct cos_result *res, enum cos_status status, const char *fmt, ...);
/* Marks step n of SPEC section 3 as passed. */
void cos_pass(struct cos_result *res, int step);
/* The most useful line of OpenSSL's error queue, which it then clears. */
void cos_openssl_error(char *buf, size_t len);
/* Appends a line to res->trace when res->verbosity reaches level. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void cos_trace(struct cos_result *res, int level, const char *fmt, ...);

/* --- time (deadline.c, timefmt.c) -------------------------------------- */

/* A point on the monotonic clock by which the whole check must be done. */
struct cos_deadline {
	bool none; /* no timeout: wait forever */
	struct timespec at;
};

void cos_deadline_start(struct cos_deadline *d, double seconds);
/* Milliseconds left, rounded up; 0 once passed; -1 when there is none. */
int cos_deadline_left_ms(const struct cos_deadline *d);
double cos_monotonic_seconds(void);

int cos_asn1_time_to_epoch(const ASN1_TIME *t, time_t *out);
/* "2026-11-23 19:51:00 UTC" */
void cos_time_format(time_t t, char *buf, size_t len);
/* "6d 23h", "4h 12m", "59s": the two largest units, rounded down. */
void cos_duration_format(double seconds, char *buf, size_t len);

/* --- reaching the server (resolve.c, connect.c) ------------------------ */

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

/* --- trust and certificates (trust.c, certinfo.c) ---------------------- */

/* Loads the operator's anchors (partial chains allowed) or the system's
 * default store into st, and sets the verification time. */
enum cos_status cos_trust_load(X509_STORE *st, const struct cos_config *cfg,
			       time_t now, struct cos_result *res);
void cos_cert_describe(X509 *cert, struct cos_cert_info *info);
bool cos_cert_must_staple(X509 *cert);
void cos_name_format(const X509_NAME *name, char *buf, size_t len);
void cos_serial_format(const ASN1_INTEGER *serial, char *buf, size_t len);

/* --- judging the staple (staple.c) ------------------------------------- */

/*
 * SPEC 3.4 to 3.10 on the staple's bytes, for leaf as issued by issuer (the
 * issuer taken from a verified chain). Fills res->staple.
 */
enum cos_status cos_staple_verify(const unsigned char *der, size_t len,
				  X509 *leaf, X509 *issuer, time_t now,
				  long skew, struct cos_result *res);
/* The same judgement once the chain is known to verify: records 3.2 as
 * passed, notes the certificate and runs 3.3 onwards. */
enum cos_status cos_staple_judge(const unsigned char *der, long len,
				 STACK_OF(X509) *verified_chain,
				 const struct cos_config *cfg, time_t now,
				 struct cos_result *res);

/* --- judgement (judge.c) ---------------------------------------------- */

/* The state of a check under a policy, and the words the status line
 * leads with (not yet sanitized). */
struct cos_judgement {
	enum cos_state state;
	char summary[2 * COS_TEXT_MAX];
};

void cos_judge(const struct cos_result *res, const struct cos_policy *policy,
	       struct cos_judgement *j);
/* Seconds until nextUpdate and since thisUpdate, as judged and reported. */
double cos_time_left(const struct cos_result *res);
double cos_staple_age(const struct cos_result *res);

/* --- the two modes (tls.c, offline.c) ---------------------------------- */

enum cos_status cos_check_online(const struct cos_config *cfg, time_t now,
				 struct cos_result *res);
enum cos_status cos_check_offline(const struct cos_config *cfg, time_t now,
				  struct cos_result *res);
/* The offline mode's readers, exposed for the fuzz harness. A response
 * file holds DER, or PEM armour around it (any label); *data is freed
 * with free(). A certificate file holds PEM certificates, in order, or one
 * DER certificate; option ("--cert") names it in messages. */
enum cos_status cos_read_response_file(const char *path, unsigned char **data,
				       size_t *len, struct cos_result *res);
enum cos_status cos_read_cert_file(const char *option, const char *path,
				   STACK_OF(X509) **out,
				   struct cos_result *res);

#endif
