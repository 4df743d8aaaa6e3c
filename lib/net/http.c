/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * http.c - one HTTP exchange (GET, or POST of an ASN.1 value) on OpenSSL's
 * own HTTP client, bounded by the check's deadline: the connection is this
 * library's (cos_resolve, cos_connect: non-blocking, -4/-6), the protocol
 * is OpenSSL's (OSSL_HTTP_REQ_CTX_nbio), driven here one step at a time
 * with a wait on the socket between steps, so a silent, dripping or
 * flooding server ends at the deadline. Redirects are not followed, bodies
 * are capped before they are read (OpenSSL refuses a Content-Length or an
 * ASN.1 length above the cap), and the proxy is the one --proxy names, or
 * the environment's (http_proxy, no_proxy) as OSSL_HTTP_adapt_proxy reads
 * it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/httperr.h>

#include "internal.h"

/* The start of what the server sent, for its Cache-Control header: the
 * socket's reads are copied here by the read callback. */
#define HEAD_MAX 4096

struct exchange {
	const struct cos_deadline *d;
	bool conditional; /* a 304 is an answer */
	char head[HEAD_MAX + 1];
	size_t head_len;
};

/* Called around every read of the socket: a read past the deadline fails
 * (a server that never stops sending never makes the socket wait), and the
 * first bytes read are kept for the cache headers. */
static long on_read(BIO *bio, int oper, const char *argp, size_t len, int argi,
		    long argl, int ret, size_t *processed)
{
	struct exchange *x = (void *)BIO_get_callback_arg(bio);
	size_t n;

	(void)len, (void)argi, (void)argl;
	if (oper == BIO_CB_READ && cos_deadline_left_ms(x->d) == 0)
		return -1;
	if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 &&
	    processed != NULL && x->head_len < HEAD_MAX) {
		n = *processed < HEAD_MAX - x->head_len
			    ? *processed
			    : HEAD_MAX - x->head_len;
		memcpy(x->head + x->head_len, argp, n);
		x->head_len += n;
		x->head[x->head_len] = '\0';
	}
	return ret;
}

/*
 * The value of the header field name in the kept headers, trimmed, in buf;
 * false when the headers (as far as kept) have none. Only single fields
 * are read here; OpenSSL parses the response itself.
 */
static bool header_field(const char *head, const char *name, char *buf,
			 size_t len)
{
	const char *end = strstr(head, "\r\n\r\n");
	const char *line = strchr(head, '\n');
	size_t n = strlen(name);

	while (line != NULL && (end == NULL || line < end)) {
		const char *v = ++line, *stop;

		line = strchr(line, '\n');
		if (strncasecmp(v, name, n) != 0 || v[n] != ':')
			continue;
		for (v += n + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (stop = v; *stop != '\0' && *stop != '\r' && *stop != '\n';
		     stop++)
			;
		snprintf(buf, len, "%.*s", (int)(stop - v), v);
		return true;
	}
	return false;
}

/* A validator to send back in a conditional request, or "": one too long
 * to keep whole is not kept. */
static void validator(const char *head, const char *name, char *buf,
		      size_t len)
{
	if (!header_field(head, name, buf, len) || strlen(buf) + 1 >= len)
		buf[0] = '\0';
}

/* Seconds the answer may be kept, from Cache-Control: max-age, 0 for
 * no-store or no-cache, -1 when silent. */
static long cache_seconds(const char *head)
{
	char field[256];
	const char *v;

	if (!header_field(head, "Cache-Control", field, sizeof(field)))
		return -1;
	if (strstr(field, "no-store") != NULL ||
	    strstr(field, "no-cache") != NULL)
		return 0;
	if ((v = strstr(field, "max-age=")) != NULL)
		return strtol(v + 8, NULL, 10);
	return -1;
}

/*
 * The answer's content type is the one asked for (parameters after ';'
 * aside). Checked here, not by OpenSSL 3.0: its client forgets a
 * Content-Type it read when the headers arrive in more than one read (a
 * proxy writes its Via line first), and would refuse a good answer.
 */
static enum cos_status check_content_type(const struct exchange *x,
					  const char *want, const char *where,
					  struct cos_result *res)
{
	char type[128];
	size_t n;

	if (want == NULL) /* any type will do */
		return COS_GOOD;
	if (!header_field(x->head, "Content-Type", type, sizeof(type)))
		return cos_fail(res, COS_E_HTTP_CONTENT_TYPE,
				"%s: expected=%s, none given", where, want);
	n = strcspn(type, ";");
	while (n > 0 && (type[n - 1] == ' ' || type[n - 1] == '\t'))
		n--;
	if (n != strlen(want) || strncasecmp(type, want, n) != 0)
		return cos_fail(res, COS_E_HTTP_CONTENT_TYPE,
				"%s: expected=%s, actual=%s", where, want,
				type);
	return COS_GOOD;
}

/* What OpenSSL's client said when an exchange failed, as a status. */
static enum cos_status http_failure(const struct exchange *x, bool post,
				    enum cos_status not_der, const char *where,
				    struct cos_result *res)
{
	const char *data = NULL, *reason;
	unsigned long e = 0, http = 0;
	const char *http_data = "";
	int flags = 0;
	char buf[COS_TEXT_MAX];

	if (cos_deadline_left_ms(x->d) == 0) {
		ERR_clear_error();
		return cos_fail(res, COS_E_TIMEOUT, "waiting for %s", where);
	}
	if (cos_openssl_out_of_memory())
		return cos_fail(res, cos_openssl_error(COS_E_HTTP, buf,
						       sizeof(buf)),
				"%s: %s", where, buf);
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0)
		if (ERR_GET_LIB(e) == ERR_LIB_HTTP && http == 0) {
			http = e;
			snprintf(buf, sizeof(buf), "%s",
				 (flags & ERR_TXT_STRING) && data ? data : "");
			http_data = buf;
		}
	/* A 301 or 302 to a GET: OpenSSL stops at the Location it would
	 * follow, and says nothing. */
	if (http == 0 && !post)
		return cos_fail(res, COS_E_HTTP_REDIRECT, "%s", where);
	reason = http ? ERR_reason_error_string(http) : NULL;
	switch (ERR_GET_REASON(http)) {
	case HTTP_R_RECEIVED_ERROR:
		return cos_fail(res, COS_E_HTTP_STATUS, "%s: %s", where,
				http_data);
	case HTTP_R_STATUS_CODE_UNSUPPORTED:
		if (strncmp(http_data, "code=3", 6) == 0)
			return cos_fail(res, COS_E_HTTP_REDIRECT, "%s: %s",
					where, http_data);
		return cos_fail(res, COS_E_HTTP_STATUS, "%s: %s", where,
				http_data);
	case HTTP_R_REDIRECTION_NOT_ENABLED:
		return cos_fail(res, COS_E_HTTP_REDIRECT, "%s", where);
	case HTTP_R_MAX_RESP_LEN_EXCEEDED:
	case HTTP_R_ASN1_LEN_EXCEEDS_MAX_RESP_LEN:
		return cos_fail(res, COS_E_TOO_LARGE, "%s: %s", where,
				http_data[0] ? http_data : reason);
	case HTTP_R_FAILED_READING_DATA:
		return cos_fail(res, COS_E_HTTP,
				"%s: the connection ended before the whole "
				"answer came",
				where);
	case HTTP_R_MISSING_ASN1_ENCODING:
	case HTTP_R_ERROR_PARSING_ASN1_LENGTH:
		return cos_fail(res, not_der,
				"%s: the body is not an ASN.1 SEQUENCE", where);
	default:
		return cos_fail(res, COS_E_HTTP, "%s: %s%s%s", where,
				reason ? reason : "the exchange failed",
				http_data[0] ? ", " : "", http_data);
	}
}

/* The status code of the kept status line, or 0. OpenSSL 3.0 takes a 304
 * for an error, as it knows no conditional requests. */
static int status_code(const char *head)
{
	int code = 0;

	return sscanf(head, "HTTP/%*d.%*d %3d", &code) == 1 ? code : 0;
}

/* Runs the exchange on the connected socket, one step at a time. */
static enum cos_status exchange(OSSL_HTTP_REQ_CTX *rctx, int fd, BIO *sock,
				struct exchange *x,
				const struct cos_http_request *req,
				const char *where, struct cos_result *res)
{
	for (;;) {
		int rc, ready;

		ERR_clear_error();
		rc = OSSL_HTTP_REQ_CTX_nbio(rctx);
		if (rc == 1)
			return COS_GOOD;
		if (rc == 0 && x->conditional && status_code(x->head) == 304) {
			ERR_clear_error();
			return COS_GOOD;
		}
		if (rc == 0)
			return http_failure(x, req->item != NULL, req->not_der,
					    where, res);
		if (fd < 0) /* memory BIOs: nothing more will come */
			return cos_fail(res, COS_E_HTTP,
					"%s: the answer ends early", where);
		ready = cos_wait_fd(fd,
				    BIO_should_write(sock) ? POLLOUT : POLLIN,
				    x->d);
		if (ready == 0)
			return cos_fail(res, COS_E_TIMEOUT, "waiting for %s",
					where);
		if (ready < 0)
			return cos_fail(res, COS_E_HTTP, "%s: %s", where,
					strerror(errno));
	}
}

/* The parts of the URL; freed with OPENSSL_free. */
struct url {
	char *host;
	char *port;
	char *path;
	char *query;
};

static void url_free(struct url *u)
{
	OPENSSL_free(u->host);
	OPENSSL_free(u->port);
	OPENSSL_free(u->path);
	OPENSSL_free(u->query);
}

static enum cos_status url_parse(const char *text, const char *what,
				 struct url *u, struct cos_result *res)
{
	int ssl = 0;
	size_t n;

	ERR_set_mark();
	if (!OSSL_HTTP_parse_url(text, &ssl, NULL, &u->host, &u->port, NULL,
				 &u->path, &u->query, NULL)) {
		ERR_pop_to_mark();
		return cos_fail(res, COS_E_HTTP, "cannot use %s %s", what,
				text);
	}
	ERR_pop_to_mark();
	if (ssl)
		return cos_fail(res, COS_E_HTTP,
				"cannot use %s %s: only http:// is fetched",
				what, text);
	/* OpenSSL 3.0 leaves an IPv6 literal in its brackets. */
	n = strlen(u->host);
	if (n >= 2 && u->host[0] == '[' && u->host[n - 1] == ']') {
		memmove(u->host, u->host + 1, n - 2);
		u->host[n - 2] = '\0';
	}
	return COS_GOOD;
}

/* The request's target: the URL's path, the GET suffix after a slash, and
 * the query. */
static char *request_path(const struct url *u, const char *suffix)
{
	const char *path = u->path ? u->path : "/";
	size_t n = strlen(path);
	bool slash = suffix != NULL && (n == 0 || path[n - 1] != '/');
	struct cos_text t = {NULL, 0, 0, false};

	bool query = u->query != NULL && u->query[0] != '\0';

	cos_text_printf(&t, "%s%s%s%s%s", path, slash ? "/" : "",
			suffix ? suffix : "", query ? "?" : "",
			query ? u->query : "");
	if (t.failed) {
		cos_text_free(&t);
		return NULL;
	}
	return t.buf;
}

static enum cos_status connect_to(const char *host, const char *port,
				  int family, const struct cos_deadline *d,
				  int *fd, struct cos_result *res)
{
	struct addrinfo *ai = NULL;

	if (cos_resolve(host, port, family, d, &ai, res) == COS_GOOD)
		cos_connect(ai, d, fd, res);
	if (ai != NULL)
		freeaddrinfo(ai);
	return res->status;
}

static enum cos_status build(OSSL_HTTP_REQ_CTX *rctx,
			     const struct cos_http_request *req,
			     const struct url *u, const char *path,
			     bool proxied, struct cos_result *res)
{
	/* An IPv6 literal goes in brackets, in Host and in a proxy's
	 * absolute URI alike (RFC 3986 3.2.2). */
	bool v6 = strchr(u->host, ':') != NULL;
	char name[COS_TEXT_MAX], host[COS_TEXT_MAX + 8];

	snprintf(name, sizeof(name), "%s%s%s", v6 ? "[" : "", u->host,
		 v6 ? "]" : "");
	snprintf(host, sizeof(host), "%s%s%s", name,
		 strcmp(u->port, "80") ? ":" : "",
		 strcmp(u->port, "80") ? u->port : "");
	if (!OSSL_HTTP_REQ_CTX_set_request_line(rctx, req->item != NULL,
						proxied ? name : NULL,
						proxied ? u->port : NULL,
						path) ||
	    !OSSL_HTTP_REQ_CTX_add1_header(rctx, "Host", host) ||
	    (req->if_none_match && req->if_none_match[0] &&
	     !OSSL_HTTP_REQ_CTX_add1_header(rctx, "If-None-Match",
					    req->if_none_match)) ||
	    (req->if_modified_since && req->if_modified_since[0] &&
	     !OSSL_HTTP_REQ_CTX_add1_header(rctx, "If-Modified-Since",
					    req->if_modified_since)) ||
	    !OSSL_HTTP_REQ_CTX_set_expected(rctx, NULL, 1, 0, 0) ||
	    (req->item != NULL &&
	     !OSSL_HTTP_REQ_CTX_set1_req(rctx, req->content_type, req->item,
					 req->value)))
		return cos_fail(res, COS_E_NOMEM, "building the HTTP request");
	OSSL_HTTP_REQ_CTX_set_max_response_length(rctx, req->max_len);
	return COS_GOOD;
}

/* The body OpenSSL collected, copied out. */
static enum cos_status take_body(OSSL_HTTP_REQ_CTX *rctx,
				 struct cos_http_reply *reply,
				 struct cos_result *res)
{
	char *data = NULL;
	long n = BIO_get_mem_data(OSSL_HTTP_REQ_CTX_get0_mem_bio(rctx), &data);

	if (n <= 0)
		return cos_fail(res, COS_E_EMPTY, "an empty body");
	if ((reply->body = malloc((size_t)n)) == NULL)
		return cos_fail(res, COS_E_NOMEM, "keeping the HTTP answer");
	memcpy(reply->body, data, (size_t)n);
	reply->len = (size_t)n;
	return COS_GOOD;
}

/*
 * The request written to wbio and the answer read from rbio, whose bottom
 * BIO watched has its reads watched (the deadline, the headers kept); fd
 * is waited on between steps, or -1 for memory BIOs.
 */
static enum cos_status converse(BIO *wbio, BIO *rbio, BIO *watched, int fd,
				const struct cos_http_request *req,
				const struct url *u, const char *path,
				bool proxied, const char *where,
				const struct cos_deadline *d,
				struct cos_http_reply *reply,
				struct cos_result *res)
{
	struct exchange x = {
		.d = d,
		.conditional = (req->if_none_match && req->if_none_match[0]) ||
			       (req->if_modified_since &&
				req->if_modified_since[0]),
	};
	OSSL_HTTP_REQ_CTX *rctx = OSSL_HTTP_REQ_CTX_new(wbio, rbio, 0);

	if (rctx == NULL)
		return cos_fail(res, COS_E_NOMEM, "starting the HTTP exchange");
	BIO_set_callback_ex(watched, on_read);
	BIO_set_callback_arg(watched, (char *)(void *)&x);
	if (build(rctx, req, u, path, proxied, res) == COS_GOOD &&
	    exchange(rctx, fd, watched, &x, req, where, res) == COS_GOOD) {
		reply->max_age = cache_seconds(x.head);
		reply->not_modified =
			x.conditional && status_code(x.head) == 304;
		if (!reply->not_modified &&
		    check_content_type(&x, req->accept, where, res) ==
			    COS_GOOD &&
		    take_body(rctx, reply, res) == COS_GOOD) {
			validator(x.head, "ETag", reply->etag,
				  sizeof(reply->etag));
			validator(x.head, "Last-Modified",
				  reply->last_modified,
				  sizeof(reply->last_modified));
		}
	}
	BIO_set_callback_ex(watched, NULL);
	OSSL_HTTP_REQ_CTX_free(rctx);
	return res->status;
}

enum cos_status cos_http_answer(const unsigned char *data, size_t len,
				const struct cos_http_request *req,
				struct cos_http_reply *reply,
				struct cos_result *res)
{
	struct url u = {NULL, NULL, NULL, NULL};
	struct cos_deadline none = {.none = true};
	BIO *in = BIO_new_mem_buf(data, (int)len), *out = BIO_new(BIO_s_null());
	char *path = NULL;

	memset(reply, 0, sizeof(*reply));
	reply->max_age = -1;
	if (in == NULL || out == NULL || len > INT_MAX) {
		cos_fail(res, COS_E_NOMEM, "reading the HTTP answer");
	} else if (url_parse(req->url, "the URL", &u, res) == COS_GOOD) {
		if ((path = request_path(&u, req->get_suffix)) == NULL)
			cos_fail(res, COS_E_NOMEM, "building the HTTP request");
		else
			converse(out, in, in, -1, req, &u, path, false,
				 req->url, &none, reply, res);
	}
	BIO_free(in);
	BIO_free(out);
	free(path);
	url_free(&u);
	ERR_clear_error();
	return res->status;
}

enum cos_status cos_http_fetch(const struct cos_http_request *req,
			       const struct cos_deadline *d,
			       struct cos_http_reply *reply,
			       struct cos_result *res)
{
	struct url u = {NULL, NULL, NULL, NULL}, p = {NULL, NULL, NULL, NULL};
	BIO *sock = NULL, *buffered = NULL;
	const char *proxy;
	char *path = NULL, where[2 * COS_TEXT_MAX + 16];
	int fd = -1;

	memset(reply, 0, sizeof(*reply));
	reply->max_age = -1;
	if (url_parse(req->url, "the URL", &u, res) != COS_GOOD)
		goto out;
	/* --proxy is for every fetch; without it, the environment's
	 * http_proxy, unless no_proxy names the host. */
	proxy = OSSL_HTTP_adapt_proxy(req->proxy, req->proxy ? "" : NULL,
				      u.host, 0);
	if (proxy != NULL &&
	    url_parse(proxy, "the proxy", &p, res) != COS_GOOD)
		goto out;
	if (proxy != NULL)
		snprintf(reply->via, sizeof(reply->via), "%s:%s", p.host,
			 p.port);
	snprintf(where, sizeof(where), "%s%s%s", req->url,
		 proxy ? " via proxy " : "", reply->via);
	if ((path = request_path(&u, req->get_suffix)) == NULL) {
		cos_fail(res, COS_E_NOMEM, "building the HTTP request");
		goto out;
	}
	if (connect_to(proxy ? p.host : u.host, proxy ? p.port : u.port,
		       req->family, d, &fd, res) != COS_GOOD)
		goto out;
	if ((sock = BIO_new_socket(fd, BIO_NOCLOSE)) == NULL ||
	    (buffered = BIO_new(BIO_f_buffer())) == NULL) {
		cos_fail(res, COS_E_NOMEM, "starting the HTTP exchange");
		goto out;
	}
	BIO_push(buffered, sock);
	converse(buffered, buffered, sock, fd, req, &u, path, proxy != NULL,
		 where, d, reply, res);
out:
	if (buffered != NULL)
		BIO_free_all(buffered);
	else
		BIO_free(sock);
	if (fd >= 0)
		close(fd);
	free(path);
	url_free(&u);
	url_free(&p);
	ERR_clear_error();
	return res->status;
}

void cos_http_reply_free(struct cos_http_reply *reply)
{
	free(reply->body);
	reply->body = NULL;
	reply->len = 0;
}
