/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * hostile-server - test helper: a TCP server on loopback that misbehaves
 * where a TLS server should answer, to prove that the plugin ends, on time
 * and with a clear message, whatever a server does.
 *
 *   hostile-server [-6] MODE
 *   hostile-server [-6] staple 1.2|1.3 RESPONSE CHAIN KEY
 *
 * Prints the port it listens on (first line of stdout), then serves one
 * connection after another until killed or 120 s pass. Every mode but
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
 */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "loopback.h"

#define LIFETIME 120

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

enum mode {
	SILENT,
	SLOW,
	GARBAGE,
	CLOSE,
	RESET,
	ALERT,
	CLOSE_NOTIFY,
	HELLO_FLOOD,
	STAPLE
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
};

/* The staple mode's response, sent as it is. */
struct staple {
	unsigned char *data;
	size_t len;
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

	if (poll(&p, 1, 5000) == 1)
		(void)read(fd, buf, sizeof(buf));
}

static bool send_all(int fd, const void *data, size_t len)
{
	return write(fd, data, len) == (ssize_t)len;
}

/* Until the client gives up: its close makes read() return 0, or a write
 * fail. With drip, one more byte of the ServerHello every second (its
 * random after the bytes above), so that the client always has news: only
 * an overall deadline, not one per read, ends the wait. */
static void drain_until_closed(int fd, bool drip)
{
	unsigned char buf[4096];
	size_t sent = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int ready = poll(&p, 1, 1000);
		unsigned char next = sent < sizeof(server_hello_start)
					     ? server_hello_start[sent]
					     : 0x5a;

		if (ready < 0 ||
		    (ready == 1 && read(fd, buf, sizeof(buf)) <= 0))
			return;
		if (drip && ready == 0) {
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
	const struct staple *st = arg;
	unsigned char *copy = OPENSSL_malloc(st->len + 1);

	if (copy == NULL)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	memcpy(copy, st->data, st->len);
	SSL_set_tlsext_status_ocsp_resp(ssl, copy, (long)st->len);
	return SSL_TLSEXT_ERR_OK;
}

static bool read_file(const char *path, struct staple *st)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (st->data = malloc((size_t)n + 1)) == NULL ||
	    fread(st->data, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return false;
	}
	st->len = (size_t)n;
	fclose(f);
	return true;
}

/* staple 1.2|1.3 RESPONSE CHAIN KEY */
static SSL_CTX *staple_context(char **args, struct staple *st)
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
	case SILENT: drain_until_closed(fd, false); break;
	case SLOW: drain_until_closed(fd, true); break;
	case GARBAGE:
		send_all(fd, garbage, sizeof(garbage) - 1);
		drain_until_closed(fd, false);
		break;
	case CLOSE: send_all(fd, server_hello_start, 11); break;
	case RESET:
		send_all(fd, server_hello_start, 11);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		break;
	case ALERT:
		send_all(fd, fatal_alert, sizeof(fatal_alert));
		drain_until_closed(fd, false);
		break;
	case CLOSE_NOTIFY:
		send_all(fd, close_notify, sizeof(close_notify));
		break;
	case HELLO_FLOOD: flood_hello_requests(fd); break;
	case STAPLE: serve_staple(fd, ctx); break;
	}
	close(fd);
}

static int usage(void)
{
	fprintf(stderr, "usage: hostile-server [-6] "
			"silent|slow|garbage|close|reset|alert|close-notify|"
			"hello-flood\n"
			"       hostile-server [-6] staple 1.2|1.3 RESPONSE "
			"CHAIN KEY\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool six = argc > 1 && strcmp(argv[1], "-6") == 0;
	char **args = argv + 1 + six;
	int nargs = argc - 1 - six;
	int mode = nargs > 0 ? parse_mode(args[0]) : -1;
	struct staple st = {NULL, 0};
	SSL_CTX *ctx = NULL;
	unsigned port;
	int fd, conn;

	if (mode < 0 || nargs != (mode == STAPLE ? 5 : 1))
		return usage();
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
		serve(conn, (enum mode)mode, ctx);
	perror("hostile-server: accept");
	return 1;
}
