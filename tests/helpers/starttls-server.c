/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * starttls-server - test helper: a TLS server on loopback that speaks the
 * server side of a STARTTLS preamble, then does the TLS handshake with
 * OpenSSL and staples a response file. One connection at a time, until
 * killed (or 600 s pass).
 *
 *   starttls-server --listen ADDR --port PORT --cert CHAIN --key KEY
 *       [--proto PROTO]       none (TLS at once, the default), smtp,
 *                             submission, lmtp, imap, pop3, ftp, xmpp,
 *                             xmpp-server, ldap, postgres, sieve, nntp
 *       [--status FILE]       staple FILE (DER); without it, no staple
 *       [--staple-from K]     staple only from the K-th handshake on that
 *                             asks for one (a lazy stapler like nginx)
 *       [--no-starttls]       do not offer STARTTLS (refuse it if asked)
 *       [--refuse-starttls]   offer it, but refuse it when asked
 *       [--domain NAME]       the XMPP domain to expect (localhost)
 *       [--client-ca FILE]    require a client certificate from FILE's CAs
 *       [--tls-max 1.2]       speak TLS 1.2 at the most
 *       [--silent]            accept, then never answer: a server that hangs
 *       [--delay MS]          wait MS milliseconds after accepting, then
 *                             answer: a slow server that answers in time
 *       [--hello-name NAME]   SMTP/LMTP: refuse an EHLO/LHLO for another name
 *       [--no-capa]           POP3: refuse CAPA (RFC 2449 is optional),
 *                             then accept STLS
 *       [--preauth]           IMAP: greet with PREAUTH
 *       [--banner TEXT]       smtp, lmtp, submission: TEXT (any bytes) in
 *                             the greeting's first line; xmpp: in the
 *                             stream header's id
 *       [--flood]             never stop: the preamble's multi-line reply
 *                             goes on without end (a 220- greeting for
 *                             smtp, lmtp, submission and ftp; untagged
 *                             lines after CAPABILITY for imap; list lines
 *                             after CAPA or CAPABILITIES for pop3 and
 *                             nntp; capability lines for sieve; elements
 *                             after the stream header for xmpp)
 *
 * PORT 0 lets the kernel choose; the port listened on is the first line of
 * standard output either way.
 *
 * The preambles are strict where the client's side is what a test checks:
 * LMTP must say LHLO, XMPP must address the stream to the domain in the
 * right namespace, LDAP must send the StartTLS OID, PostgreSQL the
 * SSLRequest code. Anything else ends the connection without TLS.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define LDAP_STARTTLS_OID "1.3.6.1.4.1.1466.20037"

struct opts {
	const char *listen;
	const char *port;
	const char *cert;
	const char *key;
	const char *proto;
	const char *status;
	const char *domain;
	const char *client_ca;
	long staple_from;
	bool offer;  /* STARTTLS is advertised */
	bool accept; /* STARTTLS is accepted when asked */
	bool tls12;
	bool silent;
	long delay_ms;
	const char *hello_name;
	bool no_capa;
	bool preauth;
	bool flood;
	const char *banner;
};

struct staple {
	unsigned char *der;
	long len;
	long from;
	long asked; /* handshakes that asked for a staple so far */
};

static void die(const char *what)
{
	fprintf(stderr, "starttls-server: %s: %s\n", what, strerror(errno));
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* --- plain text on a blocking socket with timeouts --------------------- */

static bool say(int fd, const char *text)
{
	size_t len = strlen(text);

	while (len > 0) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		if (n <= 0)
			return false;
		text += n;
		len -= (size_t)n;
	}
	return true;
}

/* Reads up to and including end, a byte at a time (nothing past it). */
static bool hear(int fd, char *buf, size_t size, char end)
{
	size_t n = 0;

	while (n + 1 < size) {
		if (recv(fd, buf + n, 1, 0) != 1)
			return false;
		if (buf[n++] == end)
			break;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return true;
}

static bool hear_exact(int fd, unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = recv(fd, buf, len, 0);

		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* --- the preambles: true when TLS is to start -------------------------- */

static bool smtp(int fd, const struct opts *o, const char *hello)
{
	char line[512], greeting[1024];

	snprintf(greeting, sizeof(greeting),
		 "220-localhost ESMTP %s\r\n220 ready\r\n",
		 o->banner ? o->banner : "starttls-server");
	if (!say(fd, greeting) || !hear(fd, line, sizeof(line), '\n'))
		return false;
	if (strncasecmp(line, hello, 4) != 0 || line[4] != ' ') {
		say(fd, "500 5.5.1 say the right hello\r\n");
		return false;
	}
	if (o->hello_name != NULL && strcmp(line + 5, o->hello_name) != 0) {
		say(fd, "501 5.5.4 not the name expected\r\n");
		return false;
	}
	if (!say(fd, "250-localhost\r\n250-PIPELINING\r\n250-SIZE 10240\r\n") ||
	    (o->offer && !say(fd, "250-STARTTLS\r\n")) ||
	    !say(fd, "250 8BITMIME\r\n") || !hear(fd, line, sizeof(line), '\n'))
		return false;
	if (strcasecmp(line, "STARTTLS") != 0 || !o->accept) {
		say(fd, "454 4.7.0 TLS not available\r\n");
		return false;
	}
	return say(fd, "220 2.0.0 go ahead\r\n");
}

/* Splits "TAG COMMAND" at its first blank; false when the command is not
 * the one expected. */
static bool imap_command(char *line, const char *want, const char **tag)
{
	char *blank = strchr(line, ' ');

	if (blank == NULL)
		return false;
	*blank = '\0';
	*tag = line;
	return strcasecmp(blank + 1, want) == 0;
}

static bool imap(int fd, const struct opts *o)
{
	char line[512], reply[1200];
	const char *tag;

	if (o->preauth) {
		say(fd, "* PREAUTH [CAPABILITY IMAP4rev1] starttls-server\r\n");
		return false;
	}
	if (!say(fd, "* OK [CAPABILITY IMAP4rev1] starttls-server\r\n") ||
	    !hear(fd, line, sizeof(line), '\n') ||
	    !imap_command(line, "CAPABILITY", &tag))
		return false;
	snprintf(reply, sizeof(reply),
		 "* CAPABILITY IMAP4rev1 LITERAL+%s LOGINDISABLED\r\n%s OK "
		 "done\r\n",
		 o->offer ? " STARTTLS" : "", tag);
	if (!say(fd, reply) || !hear(fd, line, sizeof(line), '\n') ||
	    !imap_command(line, "STARTTLS", &tag))
		return false;
	snprintf(reply, sizeof(reply), "%s %s\r\n", tag,
		 o->accept ? "OK begin TLS now" : "BAD not now");
	return say(fd, reply) && o->accept;
}

static bool pop3(int fd, const struct opts *o)
{
	char line[512];

	if (!say(fd, "+OK starttls-server\r\n") ||
	    !hear(fd, line, sizeof(line), '\n') || strcmp(line, "CAPA") != 0)
		return false;
	if (o->no_capa ? !say(fd, "-ERR unknown command\r\n")
		       : !say(fd, "+OK capabilities\r\nTOP\r\nUSER\r\n") ||
				 (o->offer && !say(fd, "STLS\r\n")) ||
				 !say(fd, "UIDL\r\n.\r\n"))
		return false;
	if (!hear(fd, line, sizeof(line), '\n') || strcmp(line, "STLS") != 0)
		return false;
	return say(fd, o->accept ? "+OK begin TLS\r\n" : "-ERR not now\r\n") &&
	       o->accept;
}

static bool ftp(int fd, const struct opts *o)
{
	char line[512];

	if (!say(fd, "220-starttls-server\r\n220 ready\r\n") ||
	    !hear(fd, line, sizeof(line), '\n') ||
	    strcasecmp(line, "AUTH TLS") != 0)
		return false;
	return say(fd,
		   o->accept ? "234 AUTH TLS ok\r\n" : "534 no TLS here\r\n") &&
	       o->accept;
}

static bool nntp(int fd, const struct opts *o)
{
	char line[512];

	if (!say(fd, "200 starttls-server ready\r\n") ||
	    !hear(fd, line, sizeof(line), '\n') ||
	    strcmp(line, "CAPABILITIES") != 0 ||
	    !say(fd, "101 Capability list:\r\nVERSION 2\r\nREADER\r\n") ||
	    (o->offer && !say(fd, "STARTTLS\r\n")) || !say(fd, ".\r\n") ||
	    !hear(fd, line, sizeof(line), '\n') ||
	    strcmp(line, "STARTTLS") != 0)
		return false;
	return say(fd, o->accept ? "382 Continue with TLS negotiation\r\n"
				 : "580 Can not initiate TLS\r\n") &&
	       o->accept;
}

static bool sieve(int fd, const struct opts *o)
{
	char line[512];

	if (!say(fd, "\"IMPLEMENTATION\" \"starttls-server\"\r\n"
		     "\"SASL\" \"PLAIN\"\r\n") ||
	    (o->offer && !say(fd, "\"STARTTLS\"\r\n")) ||
	    !say(fd, "\"VERSION\" \"1.0\"\r\nOK \"ready\"\r\n") ||
	    !hear(fd, line, sizeof(line), '\n') ||
	    strcmp(line, "STARTTLS") != 0)
		return false;
	return say(fd,
		   o->accept ? "OK \"begin TLS\"\r\n" : "NO \"not now\"\r\n") &&
	       o->accept;
}

static bool xmpp(int fd, const struct opts *o, const char *ns)
{
	char tag[1024], want_ns[64], want_to[300], reply[1024];

	snprintf(want_ns, sizeof(want_ns), "xmlns='jabber:%s'", ns);
	snprintf(want_to, sizeof(want_to), "to='%s'", o->domain);
	do {
		if (!hear(fd, tag, sizeof(tag), '>'))
			return false;
	} while (strstr(tag, "<stream:stream") == NULL);
	snprintf(reply, sizeof(reply),
		 "<?xml version='1.0'?><stream:stream xmlns='jabber:%s' "
		 "xmlns:stream='http://etherx.jabber.org/streams' id='%s' "
		 "from='%s' version='1.0'>",
		 ns, o->banner ? o->banner : "s1", o->domain);
	if (!say(fd, reply))
		return false;
	if (strstr(tag, want_ns) == NULL || strstr(tag, want_to) == NULL) {
		say(fd, "<stream:error><host-unknown "
			"xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
			"</stream:error></stream:stream>");
		return false;
	}
	if (!say(fd, "<stream:features>") ||
	    (o->offer &&
	     !say(fd, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
		      "<required/></starttls>")) ||
	    !say(fd, "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
		     "<mechanism>PLAIN</mechanism></mechanisms>"
		     "</stream:features>") ||
	    !hear(fd, tag, sizeof(tag), '>') ||
	    strstr(tag, "<starttls") == NULL)
		return false;
	return say(fd, o->accept ? "<proceed "
				   "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
				 : "<failure "
				   "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
				   "</stream:stream>") &&
	       o->accept;
}

/* The client's ExtendedRequest must carry the StartTLS OID; the answer is
 * an ExtendedResponse, success or protocolError. */
static bool ldap(int fd, const struct opts *o)
{
	static const char diag[] = "unsupported extended operation";
	unsigned char head[2], body[256], reply[128];
	size_t oid = strlen(LDAP_STARTTLS_OID), n = 0, diag_len;

	if (!hear_exact(fd, head, 2) || head[0] != 0x30 || head[1] > 127 ||
	    !hear_exact(fd, body, head[1]) || head[1] < 7 + oid ||
	    body[0] != 0x02 || body[1] != 1 || body[3] != 0x77 ||
	    memmem(body, head[1], LDAP_STARTTLS_OID, oid) == NULL)
		return false;
	diag_len = o->accept ? 0 : sizeof(diag) - 1;
	reply[n++] = 0x30;
	reply[n++] = 0; /* the length, set below */
	reply[n++] = 0x02;
	reply[n++] = 1;
	reply[n++] = body[2]; /* the client's messageID */
	reply[n++] = 0x78;
	reply[n++] = (unsigned char)(3 + 2 + 2 + diag_len +
				     (o->accept ? 2 + oid : 0));
	reply[n++] = 0x0a;
	reply[n++] = 1;
	reply[n++] = o->accept ? 0 : 2;
	reply[n++] = 0x04;
	reply[n++] = 0;
	reply[n++] = 0x04;
	reply[n++] = (unsigned char)diag_len;
	memcpy(reply + n, diag, diag_len);
	n += diag_len;
	if (o->accept) {
		reply[n++] = 0x8a;
		reply[n++] = (unsigned char)oid;
		memcpy(reply + n, LDAP_STARTTLS_OID, oid);
		n += oid;
	}
	reply[1] = (unsigned char)(n - 2);
	return send(fd, reply, n, MSG_NOSIGNAL) == (ssize_t)n && o->accept;
}

static bool postgres(int fd, const struct opts *o)
{
	static const unsigned char want[8] = {0,    0,	  0,	8,
					      0x04, 0xd2, 0x16, 0x2f};
	unsigned char req[8];

	if (!hear_exact(fd, req, 8) || memcmp(req, want, 8) != 0)
		return false;
	return send(fd, o->accept ? "S" : "N", 1, MSG_NOSIGNAL) == 1 &&
	       o->accept;
}

/* Reads whatever comes until the client leaves, answering nothing. */
static bool hang(int fd)
{
	char buf[256];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return false;
	}
}

/* Says opening then line until the client leaves; false, as no TLS is to
 * start. */
static bool say_forever(int fd, const char *opening, const char *line)
{
	if (opening != NULL && !say(fd, opening))
		return false;
	while (say(fd, line))
		;
	return false;
}

/* --flood: the preamble up to its multi-line reply, which never ends. */
static bool flood(int fd, const char *p)
{
	char line[1024];

	if (strcmp(p, "smtp") == 0 || strcmp(p, "submission") == 0 ||
	    strcmp(p, "lmtp") == 0 || strcmp(p, "ftp") == 0)
		return say_forever(fd, NULL, "220-flood\r\n");
	if (strcmp(p, "sieve") == 0)
		return say_forever(fd, NULL, "\"FLOOD\" \"flood\"\r\n");
	if (strcmp(p, "xmpp") == 0 || strcmp(p, "xmpp-server") == 0)
		return hear(fd, line, sizeof(line), '>') &&
		       say_forever(fd,
				   "<?xml version='1.0'?><stream:stream "
				   "xmlns='jabber:client' xmlns:stream="
				   "'http://etherx.jabber.org/streams' "
				   "version='1.0'>",
				   "<flood/>");
	if (strcmp(p, "imap") == 0)
		return say(fd, "* OK ready\r\n") &&
		       hear(fd, line, sizeof(line), '\n') &&
		       say_forever(fd, NULL, "* FLOOD\r\n");
	if (strcmp(p, "pop3") == 0)
		return say(fd, "+OK ready\r\n") &&
		       hear(fd, line, sizeof(line), '\n') &&
		       say_forever(fd, "+OK\r\n", "FLOOD\r\n");
	if (strcmp(p, "nntp") == 0)
		return say(fd, "200 ready\r\n") &&
		       hear(fd, line, sizeof(line), '\n') &&
		       say_forever(fd, "101 list\r\n", "FLOOD\r\n");
	fprintf(stderr, "starttls-server: no --flood for %s\n", p);
	exit(2);
}

static bool preamble(int fd, const struct opts *o)
{
	const char *p = o->proto;

	if (o->silent)
		return hang(fd);
	if (o->delay_ms > 0)
		usleep((useconds_t)o->delay_ms * 1000);
	if (o->flood)
		return flood(fd, p);
	if (strcmp(p, "none") == 0)
		return true;
	if (strcmp(p, "smtp") == 0 || strcmp(p, "submission") == 0)
		return smtp(fd, o, "EHLO");
	if (strcmp(p, "lmtp") == 0)
		return smtp(fd, o, "LHLO");
	if (strcmp(p, "imap") == 0)
		return imap(fd, o);
	if (strcmp(p, "pop3") == 0)
		return pop3(fd, o);
	if (strcmp(p, "ftp") == 0)
		return ftp(fd, o);
	if (strcmp(p, "nntp") == 0)
		return nntp(fd, o);
	if (strcmp(p, "sieve") == 0)
		return sieve(fd, o);
	if (strcmp(p, "xmpp") == 0)
		return xmpp(fd, o, "client");
	if (strcmp(p, "xmpp-server") == 0)
		return xmpp(fd, o, "server");
	if (strcmp(p, "ldap") == 0)
		return ldap(fd, o);
	if (strcmp(p, "postgres") == 0)
		return postgres(fd, o);
	fprintf(stderr, "starttls-server: unknown protocol %s\n", p);
	exit(2);
}

/* --- TLS --------------------------------------------------------------- */

/* OpenSSL asks this during every handshake whose client wants a staple. */
static int give_staple(SSL *ssl, void *arg)
{
	struct staple *s = arg;
	unsigned char *copy;

	s->asked++;
	if (s->der == NULL || s->asked < s->from)
		return SSL_TLSEXT_ERR_NOACK;
	copy = OPENSSL_memdup(s->der, (size_t)s->len);
	if (copy == NULL || !SSL_set_tlsext_status_ocsp_resp(ssl, copy, s->len))
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	return SSL_TLSEXT_ERR_OK;
}

static void load_staple(struct staple *s, const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die(path);
	s->der = malloc(65536);
	if (s->der == NULL)
		die("malloc");
	s->len = (long)fread(s->der, 1, 65536, f);
	fclose(f);
}

static SSL_CTX *server_context(const struct opts *o, struct staple *s)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL ||
	    SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1)
		die(o->cert);
	if (o->tls12 && !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION))
		die("--tls-max");
	if (o->client_ca != NULL) {
		if (SSL_CTX_load_verify_file(ctx, o->client_ca) != 1)
			die(o->client_ca);
		SSL_CTX_set_verify(
			ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
			NULL);
	}
	SSL_CTX_set_tlsext_status_cb(ctx, give_staple);
	SSL_CTX_set_tlsext_status_arg(ctx, s);
	return ctx;
}

static void serve_tls(SSL_CTX *ctx, int fd)
{
	SSL *ssl = SSL_new(ctx);
	char buf[256];

	if (ssl == NULL || !SSL_set_fd(ssl, fd))
		die("SSL_new");
	if (SSL_accept(ssl) == 1) {
		/* Until the client leaves (or the socket's timeout). */
		while (SSL_read(ssl, buf, sizeof(buf)) > 0)
			;
		SSL_shutdown(ssl);
	} else {
		ERR_print_errors_fp(stderr);
	}
	SSL_free(ssl);
	ERR_clear_error();
}

/* --- the listener ------------------------------------------------------ */

static int listen_on(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (strchr(o->listen, ':') != NULL) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(o->port));
		if (inet_pton(AF_INET6, o->listen, &in6->sin6_addr) != 1)
			die(o->listen);
		len = sizeof(*in6);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)atoi(o->port));
		if (inet_pton(AF_INET, o->listen, &in->sin_addr) != 1)
			die(o->listen);
		len = sizeof(*in);
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len))
		die("listen");
	printf("%u\n", ntohs(ss.ss_family == AF_INET6
				     ? ((struct sockaddr_in6 *)&ss)->sin6_port
				     : ((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	return fd;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.proto = "none",
			   .domain = "localhost",
			   .staple_from = 1,
			   .offer = true,
			   .accept = true};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		if (strcmp(a, "--listen") == 0 && v)
			o->listen = v;
		else if (strcmp(a, "--port") == 0 && v)
			o->port = v;
		else if (strcmp(a, "--cert") == 0 && v)
			o->cert = v;
		else if (strcmp(a, "--key") == 0 && v)
			o->key = v;
		else if (strcmp(a, "--proto") == 0 && v)
			o->proto = v;
		else if (strcmp(a, "--status") == 0 && v)
			o->status = v;
		else if (strcmp(a, "--staple-from") == 0 && v)
			o->staple_from = atol(v);
		else if (strcmp(a, "--domain") == 0 && v)
			o->domain = v;
		else if (strcmp(a, "--client-ca") == 0 && v)
			o->client_ca = v;
		else if (strcmp(a, "--delay") == 0 && v)
			o->delay_ms = atol(v);
		else if (strcmp(a, "--banner") == 0 && v)
			o->banner = v;
		else if (strcmp(a, "--hello-name") == 0 && v)
			o->hello_name = v;
		else if (strcmp(a, "--tls-max") == 0 && v &&
			 strcmp(v, "1.2") == 0)
			o->tls12 = true;
		else if ((takes = false, strcmp(a, "--no-starttls") == 0))
			o->offer = o->accept = false;
		else if (strcmp(a, "--refuse-starttls") == 0)
			o->accept = false;
		else if (strcmp(a, "--silent") == 0)
			o->silent = true;
		else if (strcmp(a, "--no-capa") == 0)
			o->no_capa = true;
		else if (strcmp(a, "--preauth") == 0)
			o->preauth = true;
		else if (strcmp(a, "--flood") == 0)
			o->flood = true;
		else {
			fprintf(stderr,
				"starttls-server: bad argument %s "
				"(see the header of starttls-server.c)\n",
				a);
			exit(2);
		}
		i += takes;
	}
	if (!o->listen || !o->port || !o->cert || !o->key) {
		fprintf(stderr, "starttls-server: --listen, --port, --cert and "
				"--key are needed\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct timeval patience = {10, 0};
	struct staple staple = {NULL, 0, 1, 0};
	struct opts o;
	SSL_CTX *ctx;
	int lfd, one = 1;

	parse_args(argc, argv, &o);
	signal(SIGPIPE, SIG_IGN);
	alarm(600); /* a test that forgets to stop it */
	if (o.status != NULL)
		load_staple(&staple, o.status);
	staple.from = o.staple_from;
	ctx = server_context(&o, &staple);
	lfd = listen_on(&o);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience,
			   sizeof(patience));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &patience,
			   sizeof(patience));
		/* Replies go out in pieces: no waiting for delayed ACKs. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (preamble(fd, &o))
			serve_tls(ctx, fd);
		close(fd);
	}
}
