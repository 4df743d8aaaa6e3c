/*
 * resolve.c - name resolution that the -t deadline can interrupt.
 *
 * getaddrinfo() cannot be bounded; getaddrinfo_a() runs the lookup on a
 * helper thread and gai_suspend() waits for it with a timeout. Addresses
 * given as literals never reach the resolver.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

bool cos_is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	       inet_pton(AF_INET6, host, buf) == 1;
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

static enum cos_status resolve_failed(int rc, const char *host,
				      struct cos_result *res)
{
	if (rc == EAI_SYSTEM)
		return cos_fail(res, COS_E_RESOLVE, "%s: %s", host,
				strerror(errno));
	return cos_fail(res, COS_E_RESOLVE, "%s: %s", host, gai_strerror(rc));
}

#ifdef HAVE_GETADDRINFO_A
static int lookup_with_deadline(const char *host, const char *port,
				const struct addrinfo *hints,
				const struct cos_deadline *d,
				struct addrinfo **out, bool *timed_out)
{
	struct gaicb req = {
		.ar_name = host, .ar_service = port, .ar_request = hints};
	struct gaicb *list[1] = {&req};
	int rc;

	rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0)
		return rc;
	for (;;) {
		int ms = cos_deadline_left_ms(d);
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

		if (ms == 0)
			break;
		rc = gai_suspend((const struct gaicb *const *)list, 1,
				 ms < 0 ? NULL : &ts);
		if (rc != EAI_INTR)
			break;
	}
	rc = gai_error(&req);
	if (rc == EAI_INPROGRESS) {
		/* The helper thread may finish later; the result it then
		 * stores is never read, and the process ends soon. */
		if (gai_cancel(&req) == EAI_ALLDONE && gai_error(&req) == 0)
			freeaddrinfo(req.ar_result);
		*timed_out = true;
		return EAI_AGAIN;
	}
	if (rc == 0)
		*out = req.ar_result;
	return rc;
}
#else
static int lookup_with_deadline(const char *host, const char *port,
				const struct addrinfo *hints,
				const struct cos_deadline *d,
				struct addrinfo **out, bool *timed_out)
{
	/* Without getaddrinfo_a the plugin's alarm() backstop bounds this. */
	(void)d;
	(void)timed_out;
	return getaddrinfo(host, port, hints, out);
}
#endif

enum cos_status cos_resolve(const char *host, const char *port, int family,
			    const struct cos_deadline *d, struct addrinfo **out,
			    struct cos_result *res)
{
	struct addrinfo hints;
	bool timed_out = false;
	int rc;

	*out = NULL;
	if (cos_is_ip_literal(host)) {
		hints = hints_for(family, AI_NUMERICHOST | AI_NUMERICSERV);
		rc = getaddrinfo(host, port, &hints, out);
		if (rc == EAI_FAMILY || rc == EAI_ADDRFAMILY)
			return cos_fail(res, COS_E_RESOLVE,
					"%s is not an address of the family "
					"asked for (-4/-6)",
					host);
		return rc == 0 ? COS_GOOD : resolve_failed(rc, host, res);
	}
	/* No AI_ADDRCONFIG: it hides loopback-only hosts like "localhost". */
	hints = hints_for(family, AI_NUMERICSERV);
	rc = lookup_with_deadline(host, port, &hints, d, out, &timed_out);
	if (timed_out)
		return cos_fail(res, COS_E_TIMEOUT, "while resolving %s", host);
	return rc == 0 ? COS_GOOD : resolve_failed(rc, host, res);
}
