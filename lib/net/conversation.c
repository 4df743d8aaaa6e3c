/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * conversation.c - the plain-text part of a STARTTLS connection: lines and
 * bytes on a non-blocking socket, each read and write bounded by the check's
 * deadline.
 *
 * Reads peek first and then take only up to the end of the line (or tag),
 * so that nothing of what follows the server's last preamble reply is
 * consumed: the TLS handshake must start on exactly the bytes that follow.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

static enum cos_status timed_out(struct cos_conversation *c)
{
	return cos_fail(c->res, COS_E_TIMEOUT,
			"during the STARTTLS preamble (%s) with %s", c->proto,
			c->res->peer);
}

/* The deadline, checked before every read and write, not only when one
 * would block: a server that never stops sending never makes one block. */
static bool time_left(const struct cos_conversation *c)
{
	return cos_deadline_left_ms(c->d) != 0;
}

static enum cos_status wait_for(struct cos_conversation *c, short events)
{
	int ready = cos_wait_fd(c->fd, events, c->d);

	if (ready > 0)
		return COS_GOOD;
	if (ready == 0)
		return timed_out(c);
	return cos_fail(c->res, COS_E_STARTTLS, "%s: %s", c->res->peer,
			strerror(errno));
}

static enum cos_status io_failed(struct cos_conversation *c, ssize_t n)
{
	if (n == 0)
		return cos_fail(c->res, COS_E_STARTTLS,
				"%s closed the connection during the %s "
				"preamble",
				c->res->peer, c->proto);
	return cos_fail(c->res, COS_E_STARTTLS, "%s: %s", c->res->peer,
			strerror(errno));
}

static bool must_wait(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

enum cos_status cos_conv_send(struct cos_conversation *c, const void *data,
			      size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n;

		if (!time_left(c))
			return timed_out(c);
		n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n < 0 && must_wait()) {
			if (wait_for(c, POLLOUT) != COS_GOOD)
				return c->res->status;
		} else {
			return io_failed(c, n);
		}
	}
	return COS_GOOD;
}

enum cos_status cos_conv_printf(struct cos_conversation *c, const char *fmt,
				...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return cos_fail(c->res, COS_E_INTERNAL,
				"a %s command is too long", c->proto);
	cos_trace(c->res, 2, "%s C: %.*s", c->proto, (int)strcspn(buf, "\r\n"),
		  buf);
	return cos_conv_send(c, buf, (size_t)n);
}

/* Drops the CR LF (or LF) a line ends with. */
static void chomp(struct cos_conversation *c)
{
	while (c->len > 0 &&
	       (c->line[c->len - 1] == '\n' || c->line[c->len - 1] == '\r'))
		c->len--;
	c->line[c->len] = '\0';
}

enum cos_status cos_conv_read_until(struct cos_conversation *c, char end)
{
	c->len = 0;
	for (;;) {
		size_t room = sizeof(c->line) - 1 - c->len;
		char *found;
		ssize_t n;

		if (!time_left(c))
			return timed_out(c);
		if (room == 0)
			return cos_fail(c->res, COS_E_STARTTLS,
					"a %s reply from %s is longer than "
					"%zu bytes",
					c->proto, c->res->peer,
					sizeof(c->line) - 1);
		n = recv(c->fd, c->line + c->len, room, MSG_PEEK);
		if (n < 0 && must_wait()) {
			if (wait_for(c, POLLIN) != COS_GOOD)
				return c->res->status;
			continue;
		}
		if (n <= 0)
			return io_failed(c, n);
		found = memchr(c->line + c->len, end, (size_t)n);
		if (found != NULL)
			n = found - (c->line + c->len) + 1;
		/* Takes what was peeked: nobody else reads this socket. */
		n = recv(c->fd, c->line + c->len, (size_t)n, 0);
		if (n <= 0)
			return io_failed(c, n);
		c->len += (size_t)n;
		if (found != NULL)
			break;
	}
	chomp(c);
	cos_trace(c->res, 2, "%s S: %s", c->proto, c->line);
	return COS_GOOD;
}

enum cos_status cos_conv_read(struct cos_conversation *c, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n;

		if (!time_left(c))
			return timed_out(c);
		n = recv(c->fd, p, len, 0);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n < 0 && must_wait()) {
			if (wait_for(c, POLLIN) != COS_GOOD)
				return c->res->status;
		} else {
			return io_failed(c, n);
		}
	}
	return COS_GOOD;
}
