/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * connect.c - TCP connect with a deadline, over the resolved addresses in
 * order, like any client: the first that accepts is the one checked.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

void cos_address_format(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  host, sizeof(host));
		snprintf(buf, len, "%s", host);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
			(const struct sockaddr_in6 *)sa;
		char zone[IF_NAMESIZE + 1] = "";

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		/* A link-local address is nothing without its zone. */
		if (in6->sin6_scope_id != 0 &&
		    if_indextoname(in6->sin6_scope_id, zone + 1) != NULL)
			zone[0] = '%';
		snprintf(buf, len, "[%s%s]", host, zone);
	} else {
		snprintf(buf, len, "(address family %d)", sa->sa_family);
	}
}

void cos_sockaddr_format(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 4];
	unsigned port = 0;

	cos_address_format(sa, host, sizeof(host));
	if (sa->sa_family == AF_INET)
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	else if (sa->sa_family == AF_INET6)
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	else {
		snprintf(buf, len, "%s", host);
		return;
	}
	snprintf(buf, len, "%s:%u", host, port);
}

int cos_wait_fd(int fd, short events, const struct cos_deadline *d)
{
	struct pollfd pfd = {.fd = fd, .events = events};

	for (;;) {
		int ms = cos_deadline_left_ms(d);
		int rc;

		if (ms == 0)
			return 0;
		rc = poll(&pfd, 1, ms);
		if (rc > 0)
			return 1;
		if (rc == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/* 0 connected, an errno value on failure, ETIMEDOUT when the deadline
 * passed. */
static int connect_one(const struct addrinfo *ai, const struct cos_deadline *d,
		       int *fd_out)
{
	int fd, err = 0;
	socklen_t errlen = sizeof(err);

	fd = socket(ai->ai_family,
		    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS) {
			err = errno;
		} else {
			int rc = cos_wait_fd(fd, POLLOUT, d);

			if (rc == 0)
				err = ETIMEDOUT;
			else if (rc < 0)
				err = errno;
			else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
					    &errlen) != 0)
				err = errno;
		}
	}
	if (err != 0) {
		close(fd);
		return err;
	}
	*fd_out = fd;
	return 0;
}

enum cos_status cos_connect(const struct addrinfo *list,
			    const struct cos_deadline *d, int *fd,
			    struct cos_result *res)
{
	char where[80] = "";
	int err = ENOENT;

	for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
		cos_sockaddr_format(ai->ai_addr, where, sizeof(where));
		err = connect_one(ai, d, fd);
		if (err == 0) {
			snprintf(res->peer, sizeof(res->peer), "%s", where);
			return COS_GOOD;
		}
		if (err == ETIMEDOUT && cos_deadline_left_ms(d) == 0)
			return cos_fail(res, COS_E_TIMEOUT,
					"while connecting to %s", where);
		/* No descriptor or buffer here: no other address would do
		 * better, and the server is not to blame. */
		if (cos_errno_is_local(err))
			return cos_fail(res, COS_E_LOCAL,
					"%s (connecting to %s)", strerror(err),
					where);
		cos_trace(res, 2, "connect to %s: %s", where, strerror(err));
	}
	return cos_fail(res, COS_E_CONNECT, "%s: %s", where, strerror(err));
}
