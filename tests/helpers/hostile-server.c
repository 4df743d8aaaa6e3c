/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * hostile-server - test helper: a TCP server on loopback that misbehaves
 * where a TLS server should answer, to prove that the plugin ends, on time
 * and with a clear message, whatever a server does.
 *
 *   hostile-server [-6] MODE
 *   hostile-server [-6] staple 1.2|1.3 RESPONSE CHAIN KEY
 *   hostile-server [-6] HTTP-MODE
 *   hostile-server [-6] http-flood
 *   hostile-server [-6] http-type|http-cut FILE
 *   hostile-server [-6] http-file FILE [MAX-AGE]
 *
 * Prints the port it listens on (first line of stdout), then serves one
 * connection after another until killed or 120 s pass. Every TLS mode but
 * silent first reads the ClientHello. MODE is one of:
 *
 *   silent   accepts and reads, never writes
 *   slow     the start of a plausible ServerHello record, one byte per second
 *   garbage  a line of text where the ServerHello belongs
 *   close    half of a ServerHello record, then a clean close (FIN)
 *   reset    half of a ServerHello record, then a reset (RST)
 *   alert    a fatal handshake_failure alert
 *   close-notify  a close_notify alert, then a clean close
 *   hello-flood   HelloRequest records, without end, as fast as the client
 *            takes them (a client ignores them while it handshakes)
 *   staple   a TLS handshake (1.2 or 1.3 only) with CHAIN and KEY (PEM) that
 *            staples the bytes of RESPONSE as they are, whatever their
 *            length, none included; then a close
 *
 * The last exists because no packaged server puts any bytes on the wire as
 * a staple: openssl s_server re-encodes a parsed response and gnutls-serv
 * sends nothing for an empty file and refuses a large one (and binds every
 * interface). It is no general TLS server: it never reads application data.
 *
 * The http modes misbehave where an OCSP responder should answer. Each
 * reads the request head (16 KiB at most) and a POST's body (64 KiB at
 * most, 10 s for it all), logs "request N: REQUEST-LINE" on stderr (N from
 * 1 over the server's life, the line made printable ASCII), so that a test
 * can count the requests a client made, answers HTTP/1.0 with Connection:
 * close, and closes. A connection that sends nothing is neither counted
 * nor answered. FILE is read again for each request: a test can write it
 * after the start (a response names its certificate, which names the
 * responder's port) and replace it between requests. HTTP-MODE is one of:
 *
 *   http-silent   reads the request, never writes
 *   http-drip     a 200 that announces 1000 bytes (under any cap) of response, then one
 *                 byte of it every 200 ms
 *   http-500      a 500 Internal Server Error, a line of text/plain
 *   http-302      a 302 Found to http://127.0.0.1:9/elsewhere, no body
 *   http-huge     a 200 of 10 MiB: a DER SEQUENCE header that announces
 *                 them, then zeros, as fast as the client takes them
 *   http-garbage  a 200 application/ocsp-response of a line of text
 *   http-type     a 200 of FILE's bytes, but as text/html
 *   http-file     a 200 of FILE's bytes as application/ocsp-response, as a
 *                 responder should answer; with MAX-AGE (seconds), with
 *                 Cache-Control: max-age=MAX-AGE, public, no-transform,
 *                 must-revalidate
 *   http-cut      a 200 that announces FILE's length, then half of its
 *                 bytes and a clean close
 *   http-flood    a 200 status line, then header lines without end, as
 *                 fast as the client takes them
 */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "loopback.h"

#define LIFETIME 120
/* What one request may take: more is the client's problem, not a reason to
 * keep the next connection waiting. */
#define HEAD_MAX     (16 * 1024)
#define BODY_MAX     (64 * 1024)
#define REQUEST_TIME 10 /* s */
#define DRIP_LEN     1000
#define HUGE_LEN     (10 * 1024 * 1024)

/* A TLS 1.2 handshake record that announces a 74-byte ServerHello; only
 * its first bytes are ever sent. */
static const unsigned char server_hello_start[] = {
	0x16, 0x03, 0x03, 0x00, 0x4a,	    /* record: handshake, 74 bytes */
	0x02, 0x00, 0x00, 0x46, 0x03, 0x03, /* ServerHello, TLS 1.2 */
	0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, /* the start of random */
};
/* Alert record: level fatal (2), description handshake_failure (40). */
static const unsigned char fatal_alert[] = {0x15, 0x03, 0x03, 0x00,
					    0x02, 0x02, 0x28};
/* Alert record: level warning (1), description close_notify (0). */
static const unsigned char close_notify[] = {0x15, 0x03, 0x03, 0x00,
					     0x02, 0x01, 0x00};
/* Handshake record holding a HelloRequest (type 0, empty). */
static const unsigned char hello_request[] = {0x16, 0x03, 0x03, 0x00, 0x04,
					      0x00, 0x00, 0x00, 0x00};
static const char garbage[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
/* The start of an OCSPResponse of DRIP_LEN bytes, as http-drip sends it. */
static const unsigned char drip_response_start[] = {
	0x30, 0x82, 0x03, 0xe4, /* SEQUENCE, DRIP_LEN - 4 bytes */
	0x0a, 0x01, 0x00,	/* responseStatus successful */
	0xa0, 0x82, 0x03, 0xdd, /* [0] responseBytes, the rest */
};
/* The start of http-huge's body: a SEQUENCE of HUGE_LEN - 6 bytes. */
static const unsigned char huge_response_start[] = {0x30, 0x84, 0x00,
						    0x9f, 0xff, 0xfa};
static const char not_ocsp[] = "this is not an OCSP response\n";

#define OCSP_RESPONSE "Content-Type: application/ocsp-response\r\n"
#define TEXT_PLAIN    "Content-Type: text/plain\r\n"

enum mode {
	SILENT,
	SLOW,
	GARBAGE,
	CLOSE,
	RESET,
	ALERT,
	CLOSE_NOTIFY,
	HELLO_FLOOD,
	STAPLE,
	/* the http modes last: is_http() */
	HTTP_SILENT,
	HTTP_DRIP,
	HTTP_500,
	HTTP_302,
	HTTP_HUGE,
	HTTP_TYPE,
	HTTP_GARBAGE,
	HTTP_FILE,
	HTTP_CUT,
	HTTP_FLOOD
};

static const char *const mode_names[] = {
	[SILENT] = "silent",
	[SLOW] = "slow",
	[GARBAGE] = "garbage",
	[CLOSE] = "close",
	[RESET] = "reset",
	[ALERT] = "alert",
	[CLOSE_NOTIFY] = "close-notify",
	[HELLO_FLOOD] = "hello-flood",
	[STAPLE] = "staple",
	[HTTP_SILENT] = "http-silent",
	[HTTP_DRIP] = "http-drip",
	[HTTP_500] = "http-500",
	[HTTP_302] = "http-302",
	[HTTP_HUGE] = "http-huge",
	[HTTP_TYPE] = "http-type",
	[HTTP_GARBAGE] = "http-garbage",
	[HTTP_FILE] = "http-file",
	[HTTP_CUT] = "http-cut",
	[HTTP_FLOOD] = "http-flood",
};

/* A file's bytes, sent as they are: the staple mode's response, or the
 * body of an http mode's answer. */
struct bytes {
	unsigned char *data; /* owned */
	size_t len;
};

/* What the server sends while it waits for a client to give up: start's
 * bytes, then fill, one byte each time interval ms pass in silence. */
struct drip {
	const unsigned char *start;
	size_t len;
	unsigned char fill;
	int interval;
};

static const struct drip hello_drip = {server_hello_start,
				       sizeof(server_hello_start), 0x5a, 1000};
static const struct drip response_drip = {
	drip_response_start, sizeof(drip_response_start), 0x00, 200};

/* The http modes' state over the server's life. */
struct http {
	enum mode mode;
	const char *file;	/* argv's FILE, or NULL */
	const char *max_age;	/* argv's MAX-AGE, or NULL */
	unsigned long requests; /* requests logged so far */
};

/* A request as read: its head, then maybe the first bytes of its body. */
struct request {
	char buf[HEAD_MAX + 1]; /* NUL-terminated */
	size_t len;		/* bytes read */
	size_t head;		/* bytes of head, its blank line included */
};

static int parse_mode(const char *name)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(name, mode_names[i]) == 0)
			return (int)i;
	return -1;
}

/* Reads what the client sends first (its ClientHello), waiting at most
 * 5 s: the answer must come after it, as a server's would. */
static void read_client_hello(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	unsigned char buf[4096];

	/* What it says is not looked at; an error or an end is for the
	 * writes that follow to find. */
	if (poll(&p, 1, 5000) == 1 && read(fd, buf, sizeof(buf)) < 0)
		return;
}

static bool send_all(int fd, const void *data, size_t len)
{
	return write(fd, data, len) == (ssize_t)len;
}

/* Until the client gives up: its close makes read() return 0, or a write
 * fail. With a drip, one more byte every so often (the ServerHello's
 * random after the bytes above, say), so that the client always has news:
 * only an overall deadline, not one per read, ends the wait. */
static void drain_until_closed(int fd, const struct drip *drip)
{
	unsigned char buf[4096];
	size_t sent = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int ready = poll(&p, 1, drip != NULL ? drip->interval : 1000);
		unsigned char next;

		if (ready < 0 ||
		    (ready == 1 && read(fd, buf, sizeof(buf)) <= 0))
			return;
		if (drip != NULL && ready == 0) {
			next = sent < drip->len ? drip->start[sent]
						: drip->fill;
			if (!send_all(fd, &next, 1))
				return;
			sent++;
		}
	}
}

/* OpenSSL sends a CertificateStatus only when the response pointer is set:
 * a copy of one byte more keeps it set for an empty response. */
static int staple_bytes(SSL *ssl, void *arg)
{
	const struct bytes *st = arg;
	unsigned char *copy = OPENSSL_malloc(st->len + 1);

	if (copy == NULL)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	memcpy(copy, st->data, st->len);
	SSL_set_tlsext_status_ocsp_resp(ssl, copy, (long)st->len);
	return SSL_TLSEXT_ERR_OK;
}

static bool read_file(const char *path, struct bytes *st)
{
	FILE *f = fopen(path, "rb");
	long n;

	st->data = NULL;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (st->data = malloc((size_t)n + 1)) == NULL ||
	    fread(st->data, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		free(st->data);
		st->data = NULL;
		if (f != NULL)
			fclose(f);
		return false;
	}
	st->len = (size_t)n;
	fclose(f);
	return true;
}

/* staple 1.2|1.3 RESPONSE CHAIN KEY */
static SSL_CTX *staple_context(char **args, struct bytes *st)
{
	int version = strcmp(args[0], "1.2") == 0   ? TLS1_2_VERSION
		      : strcmp(args[0], "1.3") == 0 ? TLS1_3_VERSION
						    : 0;
	SSL_CTX *ctx;

	if (version == 0 || !read_file(args[1], st))
		return NULL;
	ctx = SSL_CTX_new(TLS_server_method());
	if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, version) ||
	    !SSL_CTX_set_max_proto_version(ctx, version) ||
	    SSL_CTX_use_certificate_chain_file(ctx, args[2]) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, args[3], SSL_FILETYPE_PEM) != 1 ||
	    !SSL_CTX_set_tlsext_status_cb(ctx, staple_bytes) ||
	    !SSL_CTX_set_tlsext_status_arg(ctx, st)) {
		ERR_print_errors_fp(stderr);
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* One handshake; whatever the client does next, the connection ends. */
static void serve_staple(int fd, SSL_CTX *ctx)
{
	struct timeval limit = {.tv_sec = 10};
	SSL *ssl = SSL_new(ctx);

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
	if (ssl != NULL && SSL_set_fd(ssl, fd) && SSL_accept(ssl) == 1)
		SSL_shutdown(ssl);
	ERR_clear_error();
	SSL_free(ssl);
}

/* HelloRequests in batches, so that the client finds the next ones
 * waiting whenever it reads: it never has to wait for data. */
static void flood_hello_requests(int fd)
{
	unsigned char batch[1000 * sizeof(hello_request)];

	for (size_t i = 0; i < sizeof(batch); i += sizeof(hello_request))
		memcpy(batch + i, hello_request, sizeof(hello_request));
	while (send_all(fd, batch, sizeof(batch)))
		;
}

static void serve(int fd, enum mode mode, SSL_CTX *ctx)
{
	struct linger reset = {.l_onoff = 1, .l_linger = 0};

	if (mode != SILENT && mode != STAPLE)
		read_client_hello(fd);
	switch (mode) {
	case SILENT: drain_until_closed(fd, NULL); break;
	case SLOW: drain_until_closed(fd, &hello_drip); break;
	case GARBAGE:
		send_all(fd, garbage, sizeof(garbage) - 1);
		drain_until_closed(fd, NULL);
		break;
	case CLOSE: send_all(fd, server_hello_start, 11); break;
	case RESET:
		send_all(fd, server_hello_start, 11);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		break;
	case ALERT:
		send_all(fd, fatal_alert, sizeof(fatal_alert));
		drain_until_closed(fd, NULL);
		break;
	case CLOSE_NOTIFY:
		send_all(fd, close_notify, sizeof(close_notify));
		break;
	case HELLO_FLOOD: flood_hello_requests(fd); break;
	case STAPLE: serve_staple(fd, ctx); break;
	default: break; /* the http modes, served by serve_http() */
	}
	close(fd);
}

static bool is_http(enum mode mode)
{
	return mode >= HTTP_SILENT;
}

/* Milliseconds until deadline, 0 once it has passed. */
static int ms_until(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* One read, if data comes before the deadline; 0 when none came, at the
 * client's close and on an error alike. */
static size_t read_before(int fd, void *buf, size_t size,
			  const struct timespec *deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	if (poll(&p, 1, ms_until(deadline)) != 1)
		return 0;
	n = read(fd, buf, size);
	return n > 0 ? (size_t)n : 0;
}

/* The length of the head up to its blank line, 0 while there is none. A
 * bare LF ends a line too, as servers accept it (nc sends it). The search
 * starts at from, a little before the bytes read last. */
static size_t head_length(const char *buf, size_t len, size_t from)
{
	for (size_t i = from; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Up to the blank line, HEAD_MAX bytes at most; a head that never ends is
 * taken as it came. */
static void read_head(int fd, struct request *req,
		      const struct timespec *deadline)
{
	size_t n;

	req->len = 0;
	req->head = 0;
	while (req->head == 0 && req->len < HEAD_MAX &&
	       (n = read_before(fd, req->buf + req->len, HEAD_MAX - req->len,
				deadline)) > 0) {
		req->head = head_length(req->buf, req->len + n,
					req->len > 2 ? req->len - 2 : 0);
		req->len += n;
	}
	if (req->head == 0)
		req->head = req->len;
	req->buf[req->len] = '\0';
}

/* A POST's Content-Length; 0 for any other request, or without one. */
static size_t body_length(const struct request *req)
{
	static const char post[] = "POST ";
	static const char field[] = "Content-Length:";
	const char *line = req->buf;

	if (strncmp(req->buf, post, sizeof(post) - 1) != 0)
		return 0;
	while ((line = strchr(line, '\n')) != NULL &&
	       (size_t)(++line - req->buf) < req->head)
		if (strncasecmp(line, field, sizeof(field) - 1) == 0)
			return strtoul(line + sizeof(field) - 1, NULL, 10);
	return 0;
}

/* The rest of a POST's body, thrown away: a client may wait until it has
 * sent it all before it reads the answer. */
static void read_body(int fd, const struct request *req,
		      const struct timespec *deadline)
{
	size_t want = body_length(req), have = req->len - req->head, n;
	char buf[4096];

	if (want > BODY_MAX)
		want = BODY_MAX;
	while (have < want &&
	       (n = read_before(fd, buf,
				want - have < sizeof(buf) ? want - have
							  : sizeof(buf),
				deadline)) > 0)
		have += n;
}

/* The request line, made printable ASCII in place, on stderr at once: the
 * tests count these lines. */
static void log_request(struct request *req, unsigned long n)
{
	char *c = req->buf;

	while (c < req->buf + req->head && *c != '\r' && *c != '\n') {
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
		c++;
	}
	*c = '\0';
	fprintf(stderr, "request %lu: %s\n", n, req->buf);
	fflush(stderr);
}

/* The head of an answer whose body is len bytes; fields holds the header
 * lines to add, each ending in CRLF. */
static bool send_head(int fd, const char *status, const char *fields,
		      size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.0 %s\r\n%sContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, fields, len);

	return n > 0 && (size_t)n < sizeof(head) &&
	       send_all(fd, head, (size_t)n);
}

static bool send_answer(int fd, const char *status, const char *fields,
			const void *body, size_t len)
{
	return send_head(fd, status, fields, len) && send_all(fd, body, len);
}

static void send_text(int fd, const char *status, const char *text)
{
	send_answer(fd, status, TEXT_PLAIN, text, strlen(text));
}

/* HUGE_LEN bytes as fast as the client takes them, until it stops. */
static void send_huge(int fd)
{
	unsigned char chunk[64 * 1024] = {0};
	size_t left = HUGE_LEN, n;

	if (!send_head(fd, "200 OK", OCSP_RESPONSE, HUGE_LEN))
		return;
	memcpy(chunk, huge_response_start, sizeof(huge_response_start));
	for (; left > 0; left -= n) {
		n = left < sizeof(chunk) ? left : sizeof(chunk);
		if (!send_all(fd, chunk, n))
			return;
		memset(chunk, 0, sizeof(huge_response_start));
	}
}

/* FILE's bytes, read again for each request, so that a test can replace
 * them; http-cut announces them all and sends half. */
static void send_file(int fd, const struct http *h)
{
	struct bytes body;
	char fields[256];
	const char *type = h->mode == HTTP_TYPE ? "Content-Type: text/html\r\n"
						: OCSP_RESPONSE;

	if (!read_file(h->file, &body)) {
		send_text(fd, "404 Not Found", "cannot read the response\n");
		return;
	}
	if (h->max_age != NULL)
		snprintf(fields, sizeof(fields),
			 "%sCache-Control: max-age=%s, public, no-transform, "
			 "must-revalidate\r\n",
			 type, h->max_age);
	else
		snprintf(fields, sizeof(fields), "%s", type);
	if (send_head(fd, "200 OK", fields, body.len))
		send_all(fd, body.data,
			 h->mode == HTTP_CUT ? body.len / 2 : body.len);
	free(body.data);
}

/* A status line, then header lines without end, as fast as the client
 * takes them: a client that waits only when a read would block never
 * waits. */
static void flood_header_lines(int fd)
{
	static const char line[] = "X-Flood: a header line without end\r\n";
	char batch[200 * (sizeof(line) - 1)];

	for (size_t i = 0; i < sizeof(batch); i += sizeof(line) - 1)
		memcpy(batch + i, line, sizeof(line) - 1);
	if (send_all(fd, "HTTP/1.0 200 OK\r\n", 17))
		while (send_all(fd, batch, sizeof(batch)))
			;
}

static void answer(int fd, const struct http *h)
{
	switch (h->mode) {
	case HTTP_SILENT: drain_until_closed(fd, NULL); break;
	case HTTP_DRIP:
		if (send_head(fd, "200 OK", OCSP_RESPONSE, DRIP_LEN))
			drain_until_closed(fd, &response_drip);
		break;
	case HTTP_500:
		send_text(fd, "500 Internal Server Error",
			  "the responder failed\n");
		break;
	case HTTP_302:
		send_head(fd, "302 Found",
			  "Location: http://127.0.0.1:9/elsewhere\r\n", 0);
		break;
	case HTTP_HUGE: send_huge(fd); break;
	case HTTP_GARBAGE:
		send_answer(fd, "200 OK", OCSP_RESPONSE, not_ocsp,
			    sizeof(not_ocsp) - 1);
		break;
	case HTTP_TYPE:
	case HTTP_FILE:
	case HTTP_CUT: send_file(fd, h); break;
	case HTTP_FLOOD: flood_header_lines(fd); break;
	default: break; /* the TLS modes, served by serve() */
	}
}

/* Closing a socket that holds unread bytes resets the connection, and the
 * reset can cost the client an answer it has not read yet: a FIN first,
 * then whatever the client sent past the caps is thrown away. */
static void close_gently(int fd)
{
	char buf[4096];

	shutdown(fd, SHUT_WR);
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	close(fd);
}

/* One request, one answer, then the connection ends. */
static void serve_http(int fd, struct http *h)
{
	struct request req;
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += REQUEST_TIME;
	read_head(fd, &req, &deadline);
	if (req.len > 0) {
		read_body(fd, &req, &deadline);
		log_request(&req, ++h->requests);
		answer(fd, h);
	}
	close_gently(fd);
}

static bool is_seconds(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* Whether the n arguments after the mode's name are what it takes. */
static bool takes_args(enum mode mode, char **args, int n)
{
	switch (mode) {
	case STAPLE: return n == 4;
	case HTTP_TYPE:
	case HTTP_CUT: return n == 1;
	case HTTP_FILE: return n == 1 || (n == 2 && is_seconds(args[1]));
	default: return n == 0;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: hostile-server [-6] "
			"silent|slow|garbage|close|reset|alert|close-notify|"
			"hello-flood\n"
			"       hostile-server [-6] staple 1.2|1.3 RESPONSE "
			"CHAIN KEY\n"
			"       hostile-server [-6] http-silent|http-drip|"
			"http-500|http-302|http-huge|http-garbage|\n"
			"       http-flood\n"
			"       hostile-server [-6] http-type|http-cut FILE\n"
			"       hostile-server [-6] http-file FILE "
			"[MAX-AGE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool six = argc > 1 && strcmp(argv[1], "-6") == 0;
	char **args = argv + 1 + six;
	int nargs = argc - 1 - six;
	int mode = nargs > 0 ? parse_mode(args[0]) : -1;
	struct bytes st = {NULL, 0};
	struct http http = {.requests = 0};
	SSL_CTX *ctx = NULL;
	unsigned port;
	int fd, conn;

	if (mode < 0 || !takes_args((enum mode)mode, args + 1, nargs - 1))
		return usage();
	if (is_http((enum mode)mode)) {
		http.mode = (enum mode)mode;
		http.file = nargs > 1 ? args[1] : NULL;
		http.max_age = nargs > 2 ? args[2] : NULL;
	}
	if (mode == STAPLE && (ctx = staple_context(args + 1, &st)) == NULL)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	alarm(LIFETIME);
	fd = loopback_socket(six, true, &port);
	if (fd < 0)
		return 1;
	printf("%u\n", port);
	fflush(stdout);
	while ((conn = accept(fd, NULL, NULL)) >= 0)
		if (is_http((enum mode)mode))
			serve_http(conn, &http);
		else
			serve(conn, (enum mode)mode, ctx);
	perror("hostile-server: accept");
	return 1;
}
