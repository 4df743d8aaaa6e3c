/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * relay.c - a delaying TCP relay for the benchmark: it makes a server on
 * loopback look as if it were DELAY_MS milliseconds away, each way.
 *
 *   relay DELAY_MS TARGET_HOST TARGET_PORT
 *
 * Listens on 127.0.0.1, on a port the kernel picks, and prints that port
 * as the first line of stdout; connect there instead of to the target.
 * Each connection is relayed as if over a path with a one-way delay of
 * DELAY_MS in each direction: the connection to TARGET_HOST:TARGET_PORT
 * is opened DELAY_MS after the accept (the SYN's trip), and each chunk
 * read from one side reaches the other DELAY_MS after it was read, in
 * order; the client's bytes wait for the connection too, and for the
 * round trip its own TCP handshake would have cost (they reach the target
 * 3 x DELAY_MS after the accept at the earliest). An end of stream
 * is passed on (shutdown SHUT_WR) the same way, after the data before it;
 * once both directions have ended, both sockets are closed. A reset or an
 * error on either side closes both at once. Serves until killed, and
 * stops by itself after 600 s so that a forgotten relay does not linger.
 *
 *   cc -std=c11 -O2 -Wall -Wextra -o relay bench/relay.c
 *   coproc RELAY { exec ./relay 50 127.0.0.1 4433; }
 *   read -r port <&"${RELAY[0]}"
 *   curl -k "https://127.0.0.1:$port/"
 *   kill "$RELAY_PID"
 *
 * Not modelled: bandwidth and loss. TARGET_HOST is resolved once,
 * at start, and only its first address is tried. A direction holds at most
 * about 1 MiB in flight, so a transfer goes no faster than 1 MiB per
 * DELAY_MS. At most 256 connections at once (fewer if RLIMIT_NOFILE is
 * below 520); more wait in the listen queue.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define MAX_CONNS    256
#define CHUNK_MAX    65536
#define QUEUE_MAX    (1024 * 1024)
#define LIFETIME_SEC 600
#define DELAY_MAX_MS 60000
#define NS_PER_MS    1000000LL
#define NS_PER_SEC   1000000000LL

enum side { CLIENT, TARGET };

/* A chunk in flight, to be written at due. Length 0: the end of stream. */
struct chunk {
	struct chunk *next; /* owned */
	int64_t due;	    /* CLOCK_MONOTONIC, ns */
	size_t len;
	size_t off; /* how much of data is written */
	char data[];
};

/* One direction of a connection: what one side sent, not yet passed on. */
struct flow {
	struct chunk *head; /* owned, the whole list */
	struct chunk *tail; /* borrowed: the list's last */
	size_t queued;	    /* bytes of data not yet written */
	int ended;	    /* the source's end of stream is read */
	int passed;	    /* that end is passed on: the flow is done */
	int blocked;	    /* a due write would block: wait for POLLOUT */
};

enum conn_state { FREE, HOLDING, CONNECTING, OPEN };

struct conn {
	enum conn_state state;
	int fd[2];	     /* by enum side, owned; -1 when not open */
	int hup[2];	     /* poll said POLLHUP: poll only when interested */
	int slot[2];	     /* index in relay.pfd, -1 when not polled */
	int64_t open_at;     /* when to connect to the target */
	struct flow flow[2]; /* flow[s] carries fd[s]'s bytes to fd[!s] */
};

struct relay {
	int64_t delay;		 /* ns */
	struct addrinfo *target; /* owned */
	int listener;		 /* owned */
	int nconns;		 /* conns not FREE */
	int max_conns;		 /* MAX_CONNS, or fewer if descriptors are */
	int accept_stuck;	 /* out of descriptors: wait for a close */
	struct conn conns[MAX_CONNS];
	struct pollfd pfd[1 + 2 * MAX_CONNS];
	char buf[CHUNK_MAX];
};

static int64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Rounded up: waking before a chunk is due would only spin. */
static int ms_until(int64_t when, int64_t t)
{
	int64_t ms;

	if (when <= t)
		return 0;
	ms = (when - t + NS_PER_MS - 1) / NS_PER_MS;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Non-blocking, and without Nagle: the relay adds only the delay asked. */
static int prepare_socket(int fd)
{
	int one = 1, fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void flow_free(struct flow *f)
{
	struct chunk *c, *next;

	for (c = f->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	memset(f, 0, sizeof *f);
}

static int flow_push(struct flow *f, const char *data, size_t len, int64_t due)
{
	struct chunk *c = malloc(sizeof *c + len);

	if (c == NULL)
		return -1;
	c->next = NULL;
	c->due = due;
	c->len = len;
	c->off = 0;
	memcpy(c->data, data, len);
	if (f->tail != NULL)
		f->tail->next = c;
	else
		f->head = c;
	f->tail = c;
	f->queued += len;
	return 0;
}

static void flow_pop(struct flow *f)
{
	struct chunk *c = f->head;

	f->head = c->next;
	if (f->head == NULL)
		f->tail = NULL;
	free(c);
}

static void conn_close(struct relay *r, struct conn *c)
{
	enum side s;

	for (s = CLIENT; s <= TARGET; s++) {
		if (c->fd[s] != -1)
			close(c->fd[s]);
		flow_free(&c->flow[s]);
	}
	memset(c, 0, sizeof *c);
	c->state = FREE;
	c->fd[CLIENT] = c->fd[TARGET] = -1;
	c->slot[CLIENT] = c->slot[TARGET] = -1;
	r->nconns--;
	r->accept_stuck = 0;
}

static void conn_open(struct relay *r, int fd, int64_t t)
{
	struct conn *c = r->conns;

	while (c->state != FREE)
		c++;
	memset(c, 0, sizeof *c);
	c->state = HOLDING;
	c->fd[CLIENT] = fd;
	c->fd[TARGET] = -1;
	c->slot[CLIENT] = c->slot[TARGET] = -1;
	c->open_at = t + r->delay;
	r->nconns++;
}

/* A side is read while its flow has room; the target only once open. */
static int wants_read(const struct conn *c, enum side s)
{
	const struct flow *f = &c->flow[s];

	return !f->ended && f->queued <= QUEUE_MAX &&
	       (s == CLIENT || c->state == OPEN);
}

static int start_connect(struct relay *r, struct conn *c)
{
	const struct addrinfo *ai = r->target;
	int fd = socket(ai->ai_family, SOCK_STREAM, 0);

	if (fd == -1)
		return -1;
	c->fd[TARGET] = fd;
	if (prepare_socket(fd) == -1)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		c->state = OPEN;
	else if (errno == EINPROGRESS)
		c->state = CONNECTING;
	else
		return -1;
	return 0;
}

static int finish_connect(struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(c->fd[TARGET], SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
	    err != 0)
		return -1;
	c->state = OPEN;
	return 0;
}

/* Writes what of flow[s] is due to the other side; *wake is lowered to
 * when the next chunk falls due. */
static int deliver(struct conn *c, enum side s, int64_t t, int64_t *wake)
{
	struct flow *f = &c->flow[s];
	int to = c->fd[!s];
	struct chunk *ch;
	ssize_t n;

	f->blocked = 0;
	while ((ch = f->head) != NULL && ch->due <= t) {
		if (ch->len == 0) {
			if (shutdown(to, SHUT_WR) == -1)
				return -1;
			f->passed = 1;
			flow_pop(f);
			continue;
		}
		n = write(to, ch->data + ch->off, ch->len - ch->off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			f->blocked = 1;
			return 0;
		}
		if (n == -1)
			return -1;
		ch->off += (size_t)n;
		f->queued -= (size_t)n;
		if (ch->off == ch->len)
			flow_pop(f);
	}
	if (ch != NULL && ch->due < *wake)
		*wake = ch->due;
	return 0;
}

/* Opens the target when the SYN would arrive, and writes what is due;
 * the client's bytes wait in flow[CLIENT] until the target is open. */
static int advance(struct relay *r, struct conn *c, int64_t t, int64_t *wake)
{
	if (c->state == HOLDING && c->open_at > t) {
		if (c->open_at < *wake)
			*wake = c->open_at;
		return 0;
	}
	if (c->state == HOLDING && start_connect(r, c) == -1)
		return -1;
	if (c->state != OPEN)
		return 0;
	if (deliver(c, CLIENT, t, wake) == -1)
		return -1;
	return deliver(c, TARGET, t, wake);
}

static short interest(const struct conn *c, enum side s)
{
	short ev = 0;

	if (wants_read(c, s))
		ev |= POLLIN;
	if (s == TARGET && c->state == CONNECTING)
		ev |= POLLOUT;
	if (c->state == OPEN && c->flow[!s].blocked)
		ev |= POLLOUT;
	return ev;
}

/* Every open socket is polled, even with no interest, so that a reset is
 * seen at once; but not after POLLHUP, which poll would repeat forever. */
static int fill_pollfds(struct relay *r)
{
	struct conn *c;
	enum side s;
	int n = 0;
	short ev;

	r->pfd[n].fd = r->listener;
	r->pfd[n++].events =
		r->nconns < r->max_conns && !r->accept_stuck ? POLLIN : 0;
	for (c = r->conns; c < r->conns + MAX_CONNS; c++) {
		for (s = CLIENT; s <= TARGET; s++) {
			c->slot[s] = -1;
			if (c->state == FREE || c->fd[s] == -1)
				continue;
			ev = interest(c, s);
			if (ev == 0 && c->hup[s])
				continue;
			c->slot[s] = n;
			r->pfd[n].fd = c->fd[s];
			r->pfd[n++].events = ev;
		}
	}
	return n;
}

static int read_side(struct relay *r, struct conn *c, enum side s, int64_t t)
{
	struct flow *f = &c->flow[s];
	ssize_t n = read(c->fd[s], r->buf, sizeof r->buf);

	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	if (n == 0)
		f->ended = 1;
	/* The client's TCP handshake: on a real path its connect() returns
	 * one round trip after the SYN, and its first bytes arrive half a
	 * round trip later; here its kernel answers at once, so its bytes
	 * are held until then (open_at is the SYN's arrival). */
	if (s == CLIENT && t + r->delay < c->open_at + 2 * r->delay)
		return flow_push(f, r->buf, (size_t)n,
				 c->open_at + 2 * r->delay);
	return flow_push(f, r->buf, (size_t)n, t + r->delay);
}

static int handle_side(struct relay *r, struct conn *c, enum side s, int64_t t)
{
	short re;

	if (c->slot[s] == -1)
		return 0;
	re = r->pfd[c->slot[s]].revents;
	if (re & (POLLERR | POLLNVAL))
		return -1;
	if (s == TARGET && c->state == CONNECTING && (re & (POLLOUT | POLLHUP)))
		return finish_connect(c);
	if (!(re & (POLLIN | POLLHUP)))
		return 0;
	if (wants_read(c, s))
		return read_side(r, c, s, t);
	if (re & POLLHUP)
		c->hup[s] = 1;
	return 0;
}

static void accept_clients(struct relay *r, int64_t t)
{
	int fd;

	while (r->nconns < r->max_conns) {
		fd = accept(r->listener, NULL, NULL);
		if (fd == -1 && (errno == EMFILE || errno == ENFILE ||
				 errno == ENOBUFS || errno == ENOMEM))
			r->accept_stuck = 1; /* else poll repeats POLLIN */
		if (fd == -1)
			return;
		if (prepare_socket(fd) == -1)
			close(fd);
		else
			conn_open(r, fd, t);
	}
}

static int serve(struct relay *r)
{
	int64_t t = now(), end = t + LIFETIME_SEC * NS_PER_SEC, wake;
	struct conn *c;
	int n;

	for (; t < end; t = now()) {
		wake = end;
		for (c = r->conns; c < r->conns + MAX_CONNS; c++) {
			if (c->state == FREE)
				continue;
			if (advance(r, c, t, &wake) == -1 ||
			    (c->flow[CLIENT].passed && c->flow[TARGET].passed))
				conn_close(r, c);
		}
		n = fill_pollfds(r);
		if (poll(r->pfd, (nfds_t)n, ms_until(wake, t)) == -1) {
			if (errno == EINTR)
				continue;
			perror("relay: poll");
			return -1;
		}
		t = now();
		if (r->pfd[0].revents & POLLIN)
			accept_clients(r, t);
		for (c = r->conns; c < r->conns + MAX_CONNS; c++) {
			if (c->state == FREE)
				continue;
			if (handle_side(r, c, CLIENT, t) == -1 ||
			    handle_side(r, c, TARGET, t) == -1)
				conn_close(r, c);
		}
	}
	return 0;
}

static int listen_loopback(struct relay *r)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fl;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	r->listener = socket(AF_INET, SOCK_STREAM, 0);
	if (r->listener == -1 ||
	    bind(r->listener, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(r->listener, SOMAXCONN) == -1 ||
	    (fl = fcntl(r->listener, F_GETFL)) == -1 ||
	    fcntl(r->listener, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    getsockname(r->listener, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	if (printf("%u\n", (unsigned)ntohs(sin.sin_port)) < 0)
		return -1;
	return fflush(stdout) == EOF ? -1 : 0;
}

/* Two descriptors a connection, and a few for stdio and the listener:
 * accepting a client whose target cannot be opened would only drop it. */
static int count_max_conns(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return MAX_CONNS;
	n = rl.rlim_cur > 8 ? (rl.rlim_cur - 8) / 2 : 1;
	return n < MAX_CONNS ? (int)n : MAX_CONNS;
}

static int parse_delay(const char *arg, int64_t *delay)
{
	char *end;
	long ms;

	errno = 0;
	ms = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || ms < 0 ||
	    ms > DELAY_MAX_MS)
		return -1;
	*delay = ms * NS_PER_MS;
	return 0;
}

static int resolve_target(struct relay *r, const char *host, const char *port)
{
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &r->target);
	if (rc != 0)
		fprintf(stderr, "relay: %s:%s: %s\n", host, port,
			gai_strerror(rc));
	return rc == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct relay r; /* large: off the stack */
	struct sigaction sa;
	int c;

	if (argc != 4 || parse_delay(argv[1], &r.delay) == -1) {
		fprintf(stderr,
			"usage: relay DELAY_MS TARGET_HOST TARGET_PORT"
			" (DELAY_MS 0 to %d)\n",
			DELAY_MAX_MS);
		return 3;
	}
	/* A peer gone away is an error from write, not a signal. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	r.max_conns = count_max_conns();
	for (c = 0; c < MAX_CONNS; c++)
		r.conns[c].fd[CLIENT] = r.conns[c].fd[TARGET] = -1;
	if (resolve_target(&r, argv[2], argv[3]) == -1)
		return 2;
	if (listen_loopback(&r) == -1) {
		perror("relay: cannot listen on 127.0.0.1");
		return 2;
	}
	c = serve(&r) == -1 ? 2 : 0;
	freeaddrinfo(r.target);
	return c;
}
