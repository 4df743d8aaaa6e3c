/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * starttls.c - -S: what a client says to a mail, news, chat or directory
 * server before it may start TLS on the same connection. Each protocol's
 * function reads the greeting, checks that the server offers STARTTLS,
 * asks for it and returns once the server said yes: the next bytes on the
 * wire are the TLS handshake. A server that does not offer it, or says no,
 * is COS_E_NO_STARTTLS; anything else unexpected is COS_E_STARTTLS.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

typedef enum cos_status (*preamble_fn)(struct cos_conversation *c);

struct protocol {
	const char *name;
	const char *port;
	preamble_fn run;
};

/* --- replies ------------------------------------------------------------ */

static enum cos_status unexpected(struct cos_conversation *c, const char *when)
{
	return cos_fail(c->res, COS_E_STARTTLS, "%s: %s: %.160s", c->proto,
			when, c->line);
}

static enum cos_status refused(struct cos_conversation *c)
{
	return cos_fail(c->res, COS_E_NO_STARTTLS, "%s: refused: %.160s",
			c->proto, c->line);
}

/* Whether text starts with word, followed by nothing or a blank. */
static bool starts_with_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(text, word, n) == 0 &&
	       (text[n] == '\0' || isspace((unsigned char)text[n]));
}

/* Whether word is one of the blank-separated tokens of text. */
static bool has_token(const char *text, const char *word)
{
	for (const char *p = text; *p != '\0'; p++)
		if ((p == text || p[-1] == ' ') && starts_with_word(p, word))
			return true;
	return false;
}

/* The three-digit code a line starts with, or 0. */
static int reply_code(const char *line)
{
	for (int i = 0; i < 3; i++)
		if (!isdigit((unsigned char)line[i]))
			return 0;
	return atoi(line);
}

/*
 * An SMTP, FTP or NNTP reply: one line "250 text", or "250-first", ...,
 * "250 last" (FTP allows anything between). Sets *code (0 when the first
 * line has none) and, with a keyword, whether a line's text starts with it
 * (an EHLO capability).
 */
static enum cos_status numeric_reply(struct cos_conversation *c, int *code,
				     const char *keyword, bool *found)
{
	char first[4];

	if (cos_conv_read_until(c, '\n') != COS_GOOD)
		return c->res->status;
	*code = reply_code(c->line);
	if (*code == 0)
		return COS_GOOD;
	memcpy(first, c->line, 3);
	first[3] = '\0';
	for (;;) {
		if (keyword != NULL && c->len > 4 &&
		    starts_with_word(c->line + 4, keyword))
			*found = true;
		if (strncmp(c->line, first, 3) == 0 &&
		    (c->line[3] == ' ' || c->line[3] == '\0'))
			return COS_GOOD;
		if (cos_conv_read_until(c, '\n') != COS_GOOD)
			return c->res->status;
	}
}

/* The name a client greets with: this machine's. */
static void client_name(char *buf, size_t len)
{
	if (gethostname(buf, len) != 0 || buf[0] == '\0')
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0';
}

/* --- the protocols ------------------------------------------------------ */

/* RFC 3207 (SMTP, submission) and RFC 2033 (LMTP, which says LHLO). */
static enum cos_status smtp(struct cos_conversation *c)
{
	const char *hello =
		c->cfg->starttls == COS_STARTTLS_LMTP ? "LHLO" : "EHLO";
	char me[256];
	bool offered = false;
	int code;

	if (numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	if (code != 220)
		return unexpected(c, "greeting");
	client_name(me, sizeof(me));
	if (cos_conv_printf(c, "%s %s\r\n", hello, me) != COS_GOOD ||
	    numeric_reply(c, &code, "STARTTLS", &offered) != COS_GOOD)
		return c->res->status;
	if (code != 250)
		return unexpected(c, hello);
	if (!offered)
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"%s: the %s reply does not list STARTTLS",
				c->proto, hello);
	if (cos_conv_printf(c, "STARTTLS\r\n") != COS_GOOD ||
	    numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	return code == 220 ? COS_GOOD : refused(c);
}

/* RFC 4217: AUTH TLS, answered 234. */
static enum cos_status ftp(struct cos_conversation *c)
{
	int code;

	if (numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	if (code != 220)
		return unexpected(c, "greeting");
	if (cos_conv_printf(c, "AUTH TLS\r\n") != COS_GOOD ||
	    numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	return code == 234 ? COS_GOOD : refused(c);
}

/* Reads IMAP lines up to the tagged one; notes a STARTTLS capability. */
static enum cos_status imap_tagged(struct cos_conversation *c, const char *tag,
				   bool *offered)
{
	size_t n = strlen(tag);

	for (;;) {
		if (cos_conv_read_until(c, '\n') != COS_GOOD)
			return c->res->status;
		if (strncasecmp(c->line, "* CAPABILITY ", 13) == 0 &&
		    has_token(c->line + 13, "STARTTLS"))
			*offered = true;
		if (strncmp(c->line, tag, n) == 0 && c->line[n] == ' ')
			return COS_GOOD;
	}
}

static bool imap_ok(const struct cos_conversation *c, const char *tag)
{
	size_t n = strlen(tag);

	return strncasecmp(c->line + n, " OK", 3) == 0;
}

/* RFC 3501 6.2.1: CAPABILITY must list STARTTLS before it is sent. */
static enum cos_status imap(struct cos_conversation *c)
{
	bool offered = false;

	if (cos_conv_read_until(c, '\n') != COS_GOOD)
		return c->res->status;
	if (strncasecmp(c->line, "* PREAUTH", 9) == 0)
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"%s: the greeting is PREAUTH, after which "
				"STARTTLS is not allowed",
				c->proto);
	if (strncasecmp(c->line, "* OK", 4) != 0)
		return unexpected(c, "greeting");
	if (cos_conv_printf(c, "C1 CAPABILITY\r\n") != COS_GOOD ||
	    imap_tagged(c, "C1", &offered) != COS_GOOD)
		return c->res->status;
	if (!imap_ok(c, "C1"))
		return unexpected(c, "CAPABILITY");
	if (!offered)
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"%s: CAPABILITY does not list STARTTLS",
				c->proto);
	if (cos_conv_printf(c, "C2 STARTTLS\r\n") != COS_GOOD ||
	    imap_tagged(c, "C2", &offered) != COS_GOOD)
		return c->res->status;
	return imap_ok(c, "C2") ? COS_GOOD : refused(c);
}

/* A multi-line list ending in ".", as POP3 CAPA and NNTP CAPABILITIES
 * send it; notes whether a line starts with word. */
static enum cos_status dot_list(struct cos_conversation *c, const char *word,
				bool *found)
{
	for (;;) {
		if (cos_conv_read_until(c, '\n') != COS_GOOD)
			return c->res->status;
		if (strcmp(c->line, ".") == 0)
			return COS_GOOD;
		if (starts_with_word(c->line, word))
			*found = true;
	}
}

/* RFC 2595 4: STLS. CAPA is optional in POP3: without it, just ask. */
static enum cos_status pop3(struct cos_conversation *c)
{
	bool offered = false;

	if (cos_conv_read_until(c, '\n') != COS_GOOD)
		return c->res->status;
	if (strncmp(c->line, "+OK", 3) != 0)
		return unexpected(c, "greeting");
	if (cos_conv_printf(c, "CAPA\r\n") != COS_GOOD ||
	    cos_conv_read_until(c, '\n') != COS_GOOD)
		return c->res->status;
	if (strncmp(c->line, "+OK", 3) == 0) {
		if (dot_list(c, "STLS", &offered) != COS_GOOD)
			return c->res->status;
		if (!offered)
			return cos_fail(c->res, COS_E_NO_STARTTLS,
					"%s: CAPA does not list STLS",
					c->proto);
	}
	if (cos_conv_printf(c, "STLS\r\n") != COS_GOOD ||
	    cos_conv_read_until(c, '\n') != COS_GOOD)
		return c->res->status;
	return strncmp(c->line, "+OK", 3) == 0 ? COS_GOOD : refused(c);
}

/* RFC 4642: CAPABILITIES (101 and a list), then STARTTLS, answered 382. */
static enum cos_status nntp(struct cos_conversation *c)
{
	bool offered = false;
	int code;

	if (numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	if (code != 200 && code != 201)
		return unexpected(c, "greeting");
	if (cos_conv_printf(c, "CAPABILITIES\r\n") != COS_GOOD ||
	    numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	if (code == 101) {
		if (dot_list(c, "STARTTLS", &offered) != COS_GOOD)
			return c->res->status;
		if (!offered)
			return cos_fail(c->res, COS_E_NO_STARTTLS,
					"%s: CAPABILITIES does not list "
					"STARTTLS",
					c->proto);
	}
	if (cos_conv_printf(c, "STARTTLS\r\n") != COS_GOOD ||
	    numeric_reply(c, &code, NULL, NULL) != COS_GOOD)
		return c->res->status;
	return code == 382 ? COS_GOOD : refused(c);
}

/* ManageSieve (RFC 5804): the greeting is the capability list, one quoted
 * name a line, ended by OK. */
static enum cos_status sieve(struct cos_conversation *c)
{
	bool offered = false;

	for (;;) {
		if (cos_conv_read_until(c, '\n') != COS_GOOD)
			return c->res->status;
		if (c->line[0] != '"')
			break;
		if (strncasecmp(c->line, "\"STARTTLS\"", 10) == 0)
			offered = true;
	}
	if (strncasecmp(c->line, "OK", 2) != 0)
		return unexpected(c, "greeting");
	if (!offered)
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"%s: the capabilities do not list STARTTLS",
				c->proto);
	if (cos_conv_printf(c, "STARTTLS\r\n") != COS_GOOD ||
	    cos_conv_read_until(c, '\n') != COS_GOOD)
		return c->res->status;
	return strncasecmp(c->line, "OK", 2) == 0 ? COS_GOOD : refused(c);
}

/* The name the XMPP stream is addressed to: the service's domain. */
static const char *xmpp_domain(const struct cos_config *cfg)
{
	return cfg->sni != NULL ? cfg->sni : cfg->host;
}

/* Reads XMPP tags until one contains one of the words; returns its index,
 * or -1 after a failure. */
static int xmpp_until(struct cos_conversation *c, const char *const *words,
		      int count)
{
	for (;;) {
		if (cos_conv_read_until(c, '>') != COS_GOOD)
			return -1;
		if (strstr(c->line, "<stream:error") != NULL) {
			/* The condition is the next element. */
			if (cos_conv_read_until(c, '>') == COS_GOOD)
				unexpected(c, "stream error");
			return -1;
		}
		if (strstr(c->line, "</stream:stream>") != NULL) {
			unexpected(c, "the server closed the stream");
			return -1;
		}
		for (int i = 0; i < count; i++)
			if (strstr(c->line, words[i]) != NULL)
				return i;
	}
}

/* RFC 6120 5.4: the stream header, the features, <starttls/>, <proceed/>.
 * xmpp speaks as a client (jabber:client), xmpp-server as a server. */
static enum cos_status xmpp(struct cos_conversation *c)
{
	static const char *const features[] = {
		"<starttls", "</stream:features>", "<stream:features/>"};
	static const char *const answer[] = {"<proceed", "<failure"};
	bool server = c->cfg->starttls == COS_STARTTLS_XMPP_SERVER;
	bool offered = false;
	int seen;

	if (cos_conv_printf(
		    c,
		    "<?xml version='1.0'?><stream:stream xmlns='jabber:%s' "
		    "xmlns:stream='http://etherx.jabber.org/streams' "
		    "to='%s' version='1.0'>",
		    server ? "server" : "client",
		    xmpp_domain(c->cfg)) != COS_GOOD)
		return c->res->status;
	while ((seen = xmpp_until(c, features, 3)) == 0)
		offered = true;
	if (seen < 0)
		return c->res->status;
	if (!offered)
		return cos_fail(c->res, COS_E_NO_STARTTLS,
				"%s: the stream features do not list starttls",
				c->proto);
	if (cos_conv_printf(
		    c, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>") !=
	    COS_GOOD)
		return c->res->status;
	seen = xmpp_until(c, answer, 2);
	if (seen < 0)
		return c->res->status;
	return seen == 0 ? COS_GOOD : refused(c);
}

/* --- the table ---------------------------------------------------------- */

static const struct protocol protocols[COS_STARTTLS_COUNT] = {
	[COS_STARTTLS_NONE] = {"none", "443", NULL},
	[COS_STARTTLS_SMTP] = {"smtp", "25", smtp},
	[COS_STARTTLS_SUBMISSION] = {"submission", "587", smtp},
	[COS_STARTTLS_LMTP] = {"lmtp", "24", smtp},
	[COS_STARTTLS_IMAP] = {"imap", "143", imap},
	[COS_STARTTLS_POP3] = {"pop3", "110", pop3},
	[COS_STARTTLS_FTP] = {"ftp", "21", ftp},
	[COS_STARTTLS_XMPP] = {"xmpp", "5222", xmpp},
	[COS_STARTTLS_XMPP_SERVER] = {"xmpp-server", "5269", xmpp},
	[COS_STARTTLS_LDAP] = {"ldap", "389", cos_starttls_ldap},
	[COS_STARTTLS_POSTGRES] = {"postgres", "5432", cos_starttls_postgres},
	[COS_STARTTLS_SIEVE] = {"sieve", "4190", sieve},
	[COS_STARTTLS_NNTP] = {"nntp", "119", nntp},
};

int cos_starttls_parse(const char *name, enum cos_starttls *proto)
{
	for (int p = COS_STARTTLS_SMTP; p < COS_STARTTLS_COUNT; p++)
		if (strcasecmp(name, protocols[p].name) == 0) {
			*proto = (enum cos_starttls)p;
			return 0;
		}
	return -1;
}

const char *cos_starttls_name(enum cos_starttls proto)
{
	return (unsigned)proto < COS_STARTTLS_COUNT ? protocols[proto].name
						    : "?";
}

const char *cos_starttls_port(enum cos_starttls proto)
{
	return (unsigned)proto < COS_STARTTLS_COUNT ? protocols[proto].port
						    : "443";
}

const char *cos_config_port(const struct cos_config *cfg)
{
	return cfg->port ? cfg->port : cos_starttls_port(cfg->starttls);
}

const char *cos_starttls_names(void)
{
	return "smtp, submission, lmtp, imap, pop3, ftp, xmpp, xmpp-server, "
	       "ldap, postgres, sieve, nntp";
}

enum cos_status cos_starttls_run(int fd, const struct cos_config *cfg,
				 const struct cos_deadline *d,
				 struct cos_result *res)
{
	struct cos_conversation c = {.fd = fd, .d = d, .res = res, .cfg = cfg};
	const struct protocol *p;

	if (cfg->starttls == COS_STARTTLS_NONE ||
	    (unsigned)cfg->starttls >= COS_STARTTLS_COUNT)
		return COS_GOOD;
	p = &protocols[cfg->starttls];
	c.proto = p->name;
	if (p->run(&c) != COS_GOOD)
		return res->status;
	/* Only now: the long output says a connection was made after
	 * STARTTLS. */
	res->starttls = p->name;
	cos_trace(res, 2, "STARTTLS (%s) accepted by %s", p->name, res->peer);
	return COS_GOOD;
}
