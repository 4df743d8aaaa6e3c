/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * resolve.c - name resolution that the -t deadline can interrupt.
 *
 * getaddrinfo() cannot be bounded, so it runs on a thread of its own while
 * the caller waits on a condition variable until the deadline. A lookup
 * that ends in time is joined (so nothing of it outlives the check); one
 * that does not is abandoned, and frees what it shares when it ends.
 * (glibc's getaddrinfo_a keeps idle helper threads alive past exit, with
 * their resolver state.) Address literals never reach the resolver.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* One lookup, shared by the caller and the resolver thread. */
struct lookup {
	pthread_mutex_t lock;
	pthread_cond_t finished;
	bool done;	/* the thread has stored rc and result */
	bool abandoned; /* the caller gave up: the thread frees everything */
	char *host;	/* owned copies: the caller's may be gone */
	char *port;
	struct addrinfo hints;
	struct addrinfo *result; /* owned until handed to the caller */
	int rc;
	int err; /* errno after getaddrinfo (see lookup_now) */
};

bool cos_is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];
	const char *zone = strchr(host, '%');
	char addr[INET6_ADDRSTRLEN];
	size_t n;

	if (zone == NULL)
		return inet_pton(AF_INET, host, buf) == 1 ||
		       inet_pton(AF_INET6, host, buf) == 1;
	/* An IPv6 address with its zone (RFC 4007: "fe80::1%eth0"): still an
	 * address, not a name; getaddrinfo() reads the zone. */
	n = (size_t)(zone - host);
	if (n >= sizeof(addr) || zone[1] == '\0')
		return false;
	memcpy(addr, host, n);
	addr[n] = '\0';
	return inet_pton(AF_INET6, addr, buf) == 1;
}

static struct addrinfo hints_for(int family, int flags)
{
	struct addrinfo hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = flags;
	return hints;
}

/*
 * getaddrinfo() with errno cleared before and kept after, in *err: glibc
 * says "Name or service not known" when its files module could not
 * allocate or open /etc/hosts, and only errno (ENOMEM, EMFILE) tells that
 * the failure is this machine's.
 */
static int lookup_now(const char *host, const char *port,
		      const struct addrinfo *hints, struct addrinfo **out,
		      int *err)
{
	int rc;

	errno = 0;
	rc = getaddrinfo(host, port, hints, out);
	*err = errno;
	return rc;
}

static enum cos_status resolve_failed(int rc, int err, const char *host,
				      struct cos_result *res)
{
	if (rc == EAI_MEMORY)
		return cos_fail(res, COS_E_NOMEM, "resolving %s", host);
	if (cos_errno_is_local(err))
		return cos_fail(res, COS_E_LOCAL, "%s (resolving %s%s%s)",
				strerror(err), host,
				rc == EAI_SYSTEM ? "" : ": ",
				rc == EAI_SYSTEM ? "" : gai_strerror(rc));
	if (rc == EAI_SYSTEM)
		return cos_fail(res, COS_E_RESOLVE, "%s: %s", host,
				strerror(err));
	return cos_fail(res, COS_E_RESOLVE, "%s: %s", host, gai_strerror(rc));
}

static void lookup_free(struct lookup *l)
{
	if (l->result != NULL)
		freeaddrinfo(l->result);
	pthread_cond_destroy(&l->finished);
	pthread_mutex_destroy(&l->lock);
	free(l->host);
	free(l->port);
	free(l);
}

static struct lookup *lookup_new(const char *host, const char *port,
				 const struct addrinfo *hints)
{
	struct lookup *l = calloc(1, sizeof(*l));
	pthread_condattr_t attr;

	if (l == NULL)
		return NULL;
	l->host = strdup(host);
	l->port = strdup(port);
	l->hints = *hints;
	pthread_mutex_init(&l->lock, NULL);
	/* The deadline is on the monotonic clock; so is the wait. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&l->finished, &attr);
	pthread_condattr_destroy(&attr);
	if (l->host == NULL || l->port == NULL) {
		lookup_free(l);
		return NULL;
	}
	return l;
}

static void *run_lookup(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo *result = NULL;
	int err;
	int rc = lookup_now(l->host, l->port, &l->hints, &result, &err);
	bool abandoned;

	pthread_mutex_lock(&l->lock);
	l->rc = rc;
	l->err = err;
	l->result = result;
	l->done = true;
	abandoned = l->abandoned;
	pthread_cond_signal(&l->finished);
	pthread_mutex_unlock(&l->lock);
	if (abandoned)
		lookup_free(l);
	return NULL;
}

/* getaddrinfo() bounded by d. Returns its code and sets *err (see
 * lookup_now), or sets *timed_out. */
static int lookup_with_deadline(const char *host, const char *port,
				const struct addrinfo *hints,
				const struct cos_deadline *d,
				struct addrinfo **out, int *err, bool *timed_out)
{
	struct lookup *l = lookup_new(host, port, hints);
	pthread_t thread;
	int rc = 0;

	*err = 0;
	if (l == NULL)
		return EAI_MEMORY;
	if (pthread_create(&thread, NULL, run_lookup, l) != 0) {
		lookup_free(l);
		return lookup_now(host, port, hints, out, err);
	}
	pthread_mutex_lock(&l->lock);
	while (!l->done && rc != ETIMEDOUT)
		rc = d->none ? pthread_cond_wait(&l->finished, &l->lock)
			     : pthread_cond_timedwait(&l->finished, &l->lock,
						      &d->at);
	if (!l->done) {
		l->abandoned = true;
		pthread_mutex_unlock(&l->lock);
		pthread_detach(thread);
		*timed_out = true;
		return EAI_AGAIN;
	}
	pthread_mutex_unlock(&l->lock);
	pthread_join(thread, NULL);
	rc = l->rc;
	*err = l->err;
	*out = l->result;
	l->result = NULL;
	lookup_free(l);
	return rc;
}

enum cos_status cos_resolve(const char *host, const char *port, int family,
			    const struct cos_deadline *d, struct addrinfo **out,
			    struct cos_result *res)
{
	struct addrinfo hints;
	bool timed_out = false;
	int rc, err;

	*out = NULL;
	if (cos_is_ip_literal(host)) {
		hints = hints_for(family, AI_NUMERICHOST | AI_NUMERICSERV);
		rc = lookup_now(host, port, &hints, out, &err);
		if (rc == EAI_FAMILY || rc == EAI_ADDRFAMILY)
			return cos_fail(res, COS_E_RESOLVE,
					"%s is not an address of the family "
					"asked for (-4/-6)",
					host);
		return rc == 0 ? COS_GOOD : resolve_failed(rc, err, host, res);
	}
	/* No AI_ADDRCONFIG: it hides loopback-only hosts like "localhost". */
	hints = hints_for(family, AI_NUMERICSERV);
	rc = lookup_with_deadline(host, port, &hints, d, out, &err,
				  &timed_out);
	if (timed_out)
		return cos_fail(res, COS_E_TIMEOUT, "while resolving %s", host);
	return rc == 0 ? COS_GOOD : resolve_failed(rc, err, host, res);
}
