/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * options.c - the command line (SPEC section 2) into a config and a policy.
 *
 * It lives in the library so that it can be tested and fuzzed: it never
 * prints and never exits; a bad command line comes back as one sentence
 * that names the option.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/ssl.h>

#include "internal.h"

#define TIMEOUT_MAX	3600
#define SKEW_MAX	(7 * 86400)
#define RETRIES_MAX	100
#define RETRY_DELAY_MAX 3600
/* 9999-12-31 23:59:59 UTC: later times overflow the arithmetic on them
 * (now + skew) and name no year strftime can print. */
#define NOW_MAX 253402300799LL

enum long_only {
	OPT_SNI = 256,
	OPT_CA_PATH,
	OPT_AGE_WARNING,
	OPT_AGE_CRITICAL,
	OPT_EXPIRY_WARNING,
	OPT_OUTPUT_FORMAT,
	OPT_EXPIRY_CRITICAL,
	OPT_SKEW,
	OPT_RESPONSE,
	OPT_CERT,
	OPT_ISSUER,
	OPT_NOW,
	OPT_NO_STAPLE,
	OPT_NO_OCSP_URL,
	OPT_NO_NEXT_UPDATE,
	OPT_RETRIES,
	OPT_RETRY_DELAY,
	OPT_ALL_CERTIFICATES,
	OPT_HANDSHAKES,
	OPT_TLS_MIN,
	OPT_TLS_MAX,
	OPT_CIPHERS,
	OPT_CIPHERSUITES,
	OPT_GROUPS,
	OPT_CLIENT_CERT,
	OPT_CLIENT_KEY,
	OPT_RESPONDER,
	OPT_RESPONDER_URL,
	OPT_PROXY,
	OPT_LAG_WARNING,
	OPT_LAG_CRITICAL,
	OPT_RESPONDER_FAILURE,
	OPT_CACHE_DIR,
	OPT_CRL,
	OPT_CRL_FILE,
	OPT_CRL_FAILURE,
	OPT_CRL_MAX_SIZE,
};

static const char short_options[] = ":H:p:I:46S:AC:w:c:t:vVh";

static const struct option long_options[] = {
	{"hostname", required_argument, NULL, 'H'},
	{"port", required_argument, NULL, 'p'},
	{"ip-address", required_argument, NULL, 'I'},
	{"sni", required_argument, NULL, OPT_SNI},
	{"ipv4", no_argument, NULL, '4'},
	{"ipv6", no_argument, NULL, '6'},
	{"starttls", required_argument, NULL, 'S'},
	{"all-addresses", no_argument, NULL, 'A'},
	{"retries", required_argument, NULL, OPT_RETRIES},
	{"retry-delay", required_argument, NULL, OPT_RETRY_DELAY},
	{"all-certificates", no_argument, NULL, OPT_ALL_CERTIFICATES},
	{"handshakes", required_argument, NULL, OPT_HANDSHAKES},
	{"tls-min", required_argument, NULL, OPT_TLS_MIN},
	{"tls-max", required_argument, NULL, OPT_TLS_MAX},
	{"ciphers", required_argument, NULL, OPT_CIPHERS},
	{"ciphersuites", required_argument, NULL, OPT_CIPHERSUITES},
	{"groups", required_argument, NULL, OPT_GROUPS},
	{"client-cert", required_argument, NULL, OPT_CLIENT_CERT},
	{"client-key", required_argument, NULL, OPT_CLIENT_KEY},
	{"ca-file", required_argument, NULL, 'C'},
	{"ca-path", required_argument, NULL, OPT_CA_PATH},
	{"warning", required_argument, NULL, 'w'},
	{"critical", required_argument, NULL, 'c'},
	{"age-warning", required_argument, NULL, OPT_AGE_WARNING},
	{"age-critical", required_argument, NULL, OPT_AGE_CRITICAL},
	{"expiry-warning", required_argument, NULL, OPT_EXPIRY_WARNING},
	{"output-format", required_argument, NULL, OPT_OUTPUT_FORMAT},
	{"expiry-critical", required_argument, NULL, OPT_EXPIRY_CRITICAL},
	{"skew", required_argument, NULL, OPT_SKEW},
	{"timeout", required_argument, NULL, 't'},
	{"response", required_argument, NULL, OPT_RESPONSE},
	{"cert", required_argument, NULL, OPT_CERT},
	{"issuer", required_argument, NULL, OPT_ISSUER},
	{"now", required_argument, NULL, OPT_NOW},
	{"no-staple", required_argument, NULL, OPT_NO_STAPLE},
	{"no-ocsp-url", required_argument, NULL, OPT_NO_OCSP_URL},
	{"no-next-update", required_argument, NULL, OPT_NO_NEXT_UPDATE},
	{"responder", no_argument, NULL, OPT_RESPONDER},
	{"responder-url", required_argument, NULL, OPT_RESPONDER_URL},
	{"proxy", required_argument, NULL, OPT_PROXY},
	{"lag-warning", required_argument, NULL, OPT_LAG_WARNING},
	{"lag-critical", required_argument, NULL, OPT_LAG_CRITICAL},
	{"responder-failure", required_argument, NULL, OPT_RESPONDER_FAILURE},
	{"cache-dir", required_argument, NULL, OPT_CACHE_DIR},
	{"crl", no_argument, NULL, OPT_CRL},
	{"crl-file", required_argument, NULL, OPT_CRL_FILE},
	{"crl-failure", required_argument, NULL, OPT_CRL_FAILURE},
	{"crl-max-size", required_argument, NULL, OPT_CRL_MAX_SIZE},
	{"verbose", no_argument, NULL, 'v'},
	{"version", no_argument, NULL, 'V'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* The message quotes the operator's words, which may hold anything: it
 * must stay one printable line. */
static void sanitize_error(struct cos_options *o)
{
	char raw[sizeof(o->error)];

	memcpy(raw, o->error, sizeof(raw));
	cos_sanitize(o->error, sizeof(o->error), raw);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool
refuse(struct cos_options *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->error, sizeof(o->error), fmt, ap);
	va_end(ap);
	sanitize_error(o);
	return false;
}

/* A whole number from min to max, and nothing after it. */
static bool whole_number(const char *text, long long min, long long max,
			 long long *n)
{
	char *end;

	errno = 0;
	*n = strtoll(text, &end, 10);
	return errno == 0 && end != text && *end == '\0' && *n >= min &&
	       *n <= max;
}

/* "-H/--hostname", or "--sni" for a long-only option: how every message
 * names an option. */
static const char *option_label(int c, char *buf, size_t len)
{
	for (const struct option *opt = long_options; opt->name != NULL; opt++)
		if (opt->val == c) {
			if (c < 256)
				snprintf(buf, len, "-%c/--%s", c, opt->name);
			else
				snprintf(buf, len, "--%s", opt->name);
			return buf;
		}
	snprintf(buf, len, "option %d", c);
	return buf;
}

/*
 * A value that names something (a host, a file) must be there. One that
 * begins with '-' is an option that getopt took as the value because the
 * real value was left out ("-H -p 443"): say so, rather than complain
 * later about an unexpected "443".
 */
static bool take_name(struct cos_options *o, const char *label,
		      const char *what, const char *arg, const char **field)
{
	if (arg[0] == '\0')
		return refuse(o, "%s: the %s is empty", label, what);
	if (arg[0] == '-')
		return refuse(o, "%s needs a value ('%s' looks like an option)",
			      label, arg);
	*field = arg;
	return true;
}

/* Host names and addresses hold no blanks and no control characters. */
static bool take_host(struct cos_options *o, const char *label,
		      const char *what, const char *arg, const char **field)
{
	if (!take_name(o, label, what, arg, field))
		return false;
	for (const char *p = arg; *p != '\0'; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return refuse(o, "%s: '%s' is not a valid %s", label,
				      arg, what);
	return true;
}

/* RFC 6066 3: a HostName is at most 2^16 - 1 bytes, but a DNS name at most
 * 255 (RFC 1035 2.3.4), and OpenSSL refuses longer ones only once it is
 * connected. */
#define HOST_NAME_MAX_BYTES 255

/* -H: one name or address; a list belongs to -I. */
static bool parse_hostname(struct cos_options *o, const char *label,
			   const char *text)
{
	if (!take_host(o, label, "host name", text, &o->cfg.host))
		return false;
	if (strchr(text, ',') != NULL)
		return refuse(o,
			      "%s: '%s' holds a comma: one name or address "
			      "here, a list of addresses with -I",
			      label, text);
	if (strlen(text) > HOST_NAME_MAX_BYTES && !cos_is_ip_literal(text))
		return refuse(o, "%s: '%.64s...' is longer than %d bytes",
			      label, text, HOST_NAME_MAX_BYTES);
	return true;
}

static bool parse_sni(struct cos_options *o, const char *label,
		      const char *text)
{
	if (!take_host(o, label, "host name", text, &o->cfg.sni))
		return false;
	if (strlen(text) > HOST_NAME_MAX_BYTES)
		return refuse(o, "%s: '%.64s...' is longer than %d bytes",
			      label, text, HOST_NAME_MAX_BYTES);
	/* RFC 6066 section 3: literal addresses are not permitted. */
	if (cos_is_ip_literal(text))
		return refuse(o,
			      "%s: '%s' is an IP address; SNI carries host "
			      "names only",
			      label, text);
	return true;
}

static bool parse_port(struct cos_options *o, const char *label,
		       const char *text)
{
	size_t len = strlen(text);
	long n;

	/* Digits only: strtol would also take blanks and a sign, which the
	 * port string, passed on as it is, must not carry. */
	if (len == 0 || len > 5 || strspn(text, "0123456789") != len ||
	    (n = strtol(text, NULL, 10)) < 1 || n > 65535)
		return refuse(o, "%s: '%s' is not a port number (1-65535)",
			      label, text);
	o->cfg.port = text;
	return true;
}

static bool parse_range(struct cos_options *o, const char *option,
			const char *text, struct cos_range *r,
			enum cos_range_sense sense)
{
	if (cos_range_parse(r, text, sense) != 0)
		return refuse(o,
			      "%s: '%s' is not a range ([@][START:][END], "
			      "numbers with an optional unit s, m, h or d)",
			      option, text);
	return true;
}

/*
 * A threshold on time left (-w, -c, --expiry-*): a bare N is seconds, where
 * check_ssl_cert's -w 20 -c 15 are days, so a copied command would never
 * warn. A bare number below 1000 is taken as given, with a line for the
 * long output that says so.
 */
static bool parse_time_left(struct cos_options *o, const char *option,
			    const char *text, struct cos_range *r)
{
	struct cos_policy *p = &o->policy;
	size_t n = strlen(p->notes);

	if (!parse_range(o, option, text, r, COS_RANGE_TIME_LEFT))
		return false;
	/* "-w/--warning" reads as "-w", the way it is usually typed. */
	if (strspn(text, "0123456789") == strlen(text) && strlen(text) <= 3)
		snprintf(p->notes + n, sizeof(p->notes) - n,
			 "%s%.*s %s means %s seconds; did you mean %sd?",
			 n ? "\n" : "", (int)strcspn(option, "/"), option, text,
			 text, text);
	return true;
}

static bool parse_format(struct cos_options *o, const char *option,
			 const char *text)
{
	if (strcmp(text, "default") == 0)
		o->policy.format = COS_FORMAT_DEFAULT;
	else if (strcmp(text, "one-line") == 0)
		o->policy.format = COS_FORMAT_ONE_LINE;
	else if (strcmp(text, "json") == 0)
		o->policy.format = COS_FORMAT_JSON;
	else
		return refuse(o,
			      "%s: '%s' is not an output format (default, "
			      "one-line or json)",
			      option, text);
	return true;
}

static bool parse_state(struct cos_options *o, const char *option,
			const char *text, enum cos_state *state)
{
	if (cos_state_parse(text, state) != 0)
		return refuse(o,
			      "%s: '%s' is not a state (OK, WARNING, CRITICAL "
			      "or UNKNOWN)",
			      option, text);
	return true;
}

/* --responder-url and --proxy: URLs OpenSSL's HTTP client can use. */
static bool parse_url(struct cos_options *o, const char *label,
		      const char *text, const char **field)
{
	int ssl = 0;
	char *host = NULL;
	bool ok;

	if (!take_name(o, label, "URL", text, field))
		return false;
	ERR_set_mark();
	ok = OSSL_HTTP_parse_url(text, &ssl, NULL, &host, NULL, NULL, NULL,
				 NULL, NULL) == 1 &&
	     host[0] != '\0';
	ERR_pop_to_mark();
	OPENSSL_free(host);
	if (!ok)
		return refuse(o, "%s: '%s' is not a URL (http://HOST[:PORT]/...)",
			      label, text);
	if (ssl)
		return refuse(o, "%s: '%s': only http:// URLs are supported",
			      label, text);
	return true;
}

/* What the options that belong to others need: the first of each kind
 * given, by its label. */
struct belongs {
	char responder[32]; /* --lag-*, --responder-failure */
	char crl[32];	    /* --crl-failure, --crl-max-size */
	char fetch[32];	    /* --proxy, --cache-dir: either */
};

static void note_belonging(int c, struct belongs *b)
{
	char *slot = c == OPT_LAG_WARNING || c == OPT_LAG_CRITICAL ||
				     c == OPT_RESPONDER_FAILURE
			     ? b->responder
		     : c == OPT_CRL_FAILURE || c == OPT_CRL_MAX_SIZE ? b->crl
		     : c == OPT_PROXY || c == OPT_CACHE_DIR	     ? b->fetch
								     : NULL;

	if (slot != NULL && slot[0] == '\0')
		option_label(c, slot, sizeof(b->responder));
}

/* The options that only make sense beside the ones they belong to. */
static bool check_belonging(struct cos_options *o, const struct belongs *b)
{
	const struct cos_config *cfg = &o->cfg;

	if (b->responder[0] != '\0' && !cfg->responder)
		return refuse(o, "%s belongs to --responder: add --responder "
				 "(or --responder-url URL)",
			      b->responder);
	if (b->crl[0] != '\0' && !cfg->crl)
		return refuse(o, "%s belongs to --crl: add --crl (or "
				 "--crl-file FILE)",
			      b->crl);
	if (b->fetch[0] != '\0' && !cfg->responder && !cfg->crl)
		return refuse(o, "%s belongs to --responder and --crl: add "
				 "one of them",
			      b->fetch);
	return true;
}

static bool parse_size(struct cos_options *o, const char *label,
		       const char *text, size_t *field)
{
	if (cos_size_parse(text, field) != 0)
		return refuse(o,
			      "%s: '%s' is not a size (bytes, or with a unit "
			      "K, M or G; at most 4G)",
			      label, text);
	return true;
}

/* -t SECONDS[:STATE] */
static bool parse_timeout(struct cos_options *o, const char *label,
			  const char *text)
{
	const char *colon = strchr(text, ':');
	size_t n = colon ? (size_t)(colon - text) : strlen(text);
	char number[64];
	double seconds;

	if (n >= sizeof(number))
		return refuse(o, "%s: '%.64s...' is too long", label, text);
	memcpy(number, text, n);
	number[n] = '\0';
	if (cos_seconds_parse(number, &seconds) != 0 || seconds <= 0 ||
	    seconds > TIMEOUT_MAX)
		return refuse(o,
			      "%s: '%s' is not a number of seconds "
			      "from 1 to %d",
			      label, text, TIMEOUT_MAX);
	if (colon != NULL &&
	    !parse_state(o, label, colon + 1, &o->policy.timeout))
		return false;
	o->cfg.timeout = seconds;
	return true;
}

/* A number of seconds (with an optional unit) from 0 to max. */
static bool seconds_within(const char *text, double max, double *seconds)
{
	return cos_seconds_parse(text, seconds) == 0 && *seconds >= 0 &&
	       *seconds <= max;
}

static bool parse_skew(struct cos_options *o, const char *label,
		       const char *text)
{
	double seconds;

	if (!seconds_within(text, SKEW_MAX, &seconds))
		return refuse(o,
			      "%s: '%s' is not a number of seconds from 0 "
			      "to 7d",
			      label, text);
	o->cfg.skew = (long)seconds;
	return true;
}

static bool parse_now(struct cos_options *o, const char *label,
		      const char *text)
{
	long long n;

	if (!whole_number(text, 0, NOW_MAX, &n))
		return refuse(o,
			      "%s: '%s' is not a time in seconds since 1970 "
			      "(up to %lld, the end of the year 9999)",
			      label, text, NOW_MAX);
	o->cfg.now = (time_t)n;
	o->cfg.has_now = true;
	return true;
}

/* -I ADDR[,ADDR...]: no empty items. */
static bool parse_addresses(struct cos_options *o, const char *label,
			    const char *text)
{
	size_t n = strlen(text);

	if (!take_host(o, label, "address", text, &o->cfg.address))
		return false;
	if (text[0] == ',' || text[n - 1] == ',' || strstr(text, ",,") != NULL)
		return refuse(o,
			      "%s: '%s' is not an address or a comma-separated "
			      "list of addresses",
			      label, text);
	return true;
}

static bool parse_starttls(struct cos_options *o, const char *label,
			   const char *text)
{
	if (cos_starttls_parse(text, &o->cfg.starttls) != 0)
		return refuse(o, "%s: '%s' is not one of %s", label, text,
			      cos_starttls_names());
	return true;
}

/* A whole number from min to max into *field (--retries, --handshakes). */
static bool parse_count(struct cos_options *o, const char *label,
			const char *text, long long min, long long max,
			int *field)
{
	long long n;

	if (!whole_number(text, min, max, &n))
		return refuse(o, "%s: '%s' is not a number from %lld to %lld",
			      label, text, min, max);
	*field = (int)n;
	return true;
}

static bool parse_retry_delay(struct cos_options *o, const char *label,
			      const char *text)
{
	double seconds;

	if (!seconds_within(text, RETRY_DELAY_MAX, &seconds))
		return refuse(o,
			      "%s: '%s' is not a number of seconds "
			      "from 0 to %d",
			      label, text, RETRY_DELAY_MAX);
	o->cfg.retry_delay = seconds;
	return true;
}

static bool parse_tls_version(struct cos_options *o, const char *option,
			      const char *text, int *version)
{
	if (strcmp(text, "1.2") == 0)
		*version = TLS1_2_VERSION;
	else if (strcmp(text, "1.3") == 0)
		*version = TLS1_3_VERSION;
	else
		return refuse(o, "%s: '%s' is not a TLS version (1.2 or 1.3)",
			      option, text);
	return true;
}

/* The TLS settings make sense together and OpenSSL understands them:
 * they are tried on a context of their own. */
static bool check_tls_settings(struct cos_options *o)
{
	const struct cos_config *cfg = &o->cfg;
	SSL_CTX *ctx;
	int rc;

	if (cfg->tls_min != 0 && cfg->tls_max != 0 &&
	    cfg->tls_min > cfg->tls_max)
		return refuse(o, "--tls-min cannot be above --tls-max");
	if (cfg->client_key != NULL && cfg->client_cert == NULL)
		return refuse(o, "--client-key needs --client-cert FILE");
	if (cfg->ciphers == NULL && cfg->ciphersuites == NULL &&
	    cfg->groups == NULL)
		return true;
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL)
		return refuse(o, "out of memory");
	rc = cos_tls_settings_apply(ctx, cfg, o->error, sizeof(o->error));
	SSL_CTX_free(ctx);
	/* The message quotes the list, which may hold a control character. */
	sanitize_error(o);
	return rc == 0;
}

static bool set_family(struct cos_options *o, int family)
{
	if (o->cfg.family != AF_UNSPEC && o->cfg.family != family)
		return refuse(o, "-4 and -6 cannot be combined");
	o->cfg.family = family;
	return true;
}

/* Options only the online check takes, besides -H, -I, --sni, -4 and -6:
 * the first one given is remembered, to be refused in offline mode. */
static bool is_online_only(int c)
{
	switch (c) {
	case 'S':
	case 'A':
	case OPT_RETRIES:
	case OPT_RETRY_DELAY:
	case OPT_ALL_CERTIFICATES:
	case OPT_HANDSHAKES:
	case OPT_TLS_MIN:
	case OPT_TLS_MAX:
	case OPT_CIPHERS:
	case OPT_CIPHERSUITES:
	case OPT_GROUPS:
	case OPT_CLIENT_CERT:
	case OPT_CLIENT_KEY: return true;
	default: return false;
	}
}

/* -4 or -6 with an address of the other family can reach nothing: say so
 * before connecting. */
static bool check_family(struct cos_options *o)
{
	const struct cos_config *cfg = &o->cfg;
	const char *where = cfg->address ? cfg->address : cfg->host;
	unsigned char buf[16];
	bool v4;

	if (cfg->family == AF_UNSPEC || where == NULL ||
	    strchr(where, ',') != NULL || !cos_is_ip_literal(where))
		return true;
	v4 = inet_pton(AF_INET, where, buf) == 1;
	if (v4 && cfg->family == AF_INET6)
		return refuse(o, "-6 cannot reach the IPv4 address %s", where);
	if (!v4 && cfg->family == AF_INET)
		return refuse(o, "-4 cannot reach the IPv6 address %s", where);
	return true;
}

/* Online and offline mode take different options; say which clash. */
static bool check_modes(struct cos_options *o, const char *online_only)
{
	const struct cos_config *cfg = &o->cfg;
	bool online = cfg->host || cfg->address || cfg->sni ||
		      cfg->family != AF_UNSPEC;

	if (cfg->response_file != NULL && online)
		return refuse(o, "--response (offline mode) cannot be combined "
				 "with -H, -I, --sni, -4 or -6");
	if (cfg->response_file != NULL && online_only[0] != '\0')
		return refuse(o,
			      "%s belongs to the online check: it cannot be "
			      "combined with --response (offline mode)",
			      online_only);
	if (cfg->response_file == NULL && (cfg->cert_file || cfg->issuer_file))
		return refuse(o, "--cert and --issuer belong to offline mode: "
				 "add --response FILE");
	if (cfg->response_file != NULL && cfg->cert_file == NULL)
		return refuse(o,
			      "--response needs --cert FILE (the certificate, "
			      "with its chain)");
	if (cfg->response_file == NULL && cfg->host == NULL)
		return refuse(o, "-H/--hostname is required (or --response and "
				 "--cert for offline mode)");
	return check_family(o);
}

static bool parse_option(struct cos_options *o, int c, const char *arg)
{
	struct cos_config *cfg = &o->cfg;
	struct cos_policy *p = &o->policy;
	char label[32];

	option_label(c, label, sizeof(label));
	switch (c) {
	case 'H': return parse_hostname(o, label, arg);
	case 'p': return parse_port(o, label, arg);
	case 'I': return parse_addresses(o, label, arg);
	case OPT_SNI: return parse_sni(o, label, arg);
	case '4': return set_family(o, AF_INET);
	case '6': return set_family(o, AF_INET6);
	case 'S': return parse_starttls(o, label, arg);
	case 'A': cfg->all_addresses = true; return true;
	case OPT_RETRIES:
		return parse_count(o, label, arg, 0, RETRIES_MAX,
				   &cfg->retries);
	case OPT_RETRY_DELAY: return parse_retry_delay(o, label, arg);
	case OPT_ALL_CERTIFICATES: cfg->all_certificates = true; return true;
	case OPT_HANDSHAKES:
		return parse_count(o, label, arg, 1, COS_POOL_MAX,
				   &cfg->handshakes);
	case OPT_TLS_MIN:
		return parse_tls_version(o, label, arg, &cfg->tls_min);
	case OPT_TLS_MAX:
		return parse_tls_version(o, label, arg, &cfg->tls_max);
	case OPT_CIPHERS: cfg->ciphers = arg; return true;
	case OPT_CIPHERSUITES: cfg->ciphersuites = arg; return true;
	case OPT_GROUPS: cfg->groups = arg; return true;
	case OPT_CLIENT_CERT:
		return take_name(o, label, "file name", arg, &cfg->client_cert);
	case OPT_CLIENT_KEY:
		return take_name(o, label, "file name", arg, &cfg->client_key);
	case 'C': return take_name(o, label, "file name", arg, &cfg->ca_file);
	case OPT_CA_PATH:
		return take_name(o, label, "directory name", arg,
				 &cfg->ca_path);
	case 'w':
		return parse_time_left(o, label, arg, &p->next_warn);
	case 'c':
		return parse_time_left(o, label, arg, &p->next_crit);
	case OPT_EXPIRY_WARNING:
		return parse_time_left(o, label, arg, &p->expiry_warn);
	case OPT_OUTPUT_FORMAT: return parse_format(o, label, arg);
	case OPT_EXPIRY_CRITICAL:
		return parse_time_left(o, label, arg, &p->expiry_crit);
	case OPT_AGE_WARNING:
		return parse_range(o, label, arg, &p->age_warn, COS_RANGE_AGE);
	case OPT_AGE_CRITICAL:
		return parse_range(o, label, arg, &p->age_crit, COS_RANGE_AGE);
	case OPT_SKEW: return parse_skew(o, label, arg);
	case 't': return parse_timeout(o, label, arg);
	case OPT_RESPONSE:
		return take_name(o, label, "file name", arg,
				 &cfg->response_file);
	case OPT_CERT:
		return take_name(o, label, "file name", arg, &cfg->cert_file);
	case OPT_ISSUER:
		return take_name(o, label, "file name", arg, &cfg->issuer_file);
	case OPT_NOW: return parse_now(o, label, arg);
	case OPT_NO_STAPLE: return parse_state(o, label, arg, &p->no_staple);
	case OPT_NO_OCSP_URL:
		return parse_state(o, label, arg, &p->no_ocsp_url);
	case OPT_NO_NEXT_UPDATE:
		return parse_state(o, label, arg, &p->no_next_update);
	case OPT_RESPONDER: cfg->responder = true; return true;
	case OPT_RESPONDER_URL:
		cfg->responder = true;
		return parse_url(o, label, arg, &cfg->responder_url);
	case OPT_PROXY: return parse_url(o, label, arg, &cfg->proxy);
	case OPT_LAG_WARNING:
		return parse_range(o, label, arg, &p->lag_warn, COS_RANGE_AGE);
	case OPT_LAG_CRITICAL:
		return parse_range(o, label, arg, &p->lag_crit, COS_RANGE_AGE);
	case OPT_RESPONDER_FAILURE:
		return parse_state(o, label, arg, &p->responder_failure);
	case OPT_CACHE_DIR:
		return take_name(o, label, "directory name", arg,
				 &cfg->cache_dir);
	case OPT_CRL: cfg->crl = true; return true;
	case OPT_CRL_FILE:
		cfg->crl = true;
		return take_name(o, label, "file name", arg, &cfg->crl_file);
	case OPT_CRL_FAILURE:
		return parse_state(o, label, arg, &p->crl_failure);
	case OPT_CRL_MAX_SIZE:
		return parse_size(o, label, arg, &cfg->crl_max_size);
	case 'v': cfg->verbosity++; return true;
	default: return refuse(o, "internal error: option %d", c);
	}
}

static bool is_option(int c)
{
	for (const struct option *opt = long_options; opt->name != NULL; opt++)
		if (opt->val == c)
			return true;
	return false;
}

/*
 * getopt_long answers '?' alike for an unknown option, an ambiguous
 * abbreviation ("--no") and a value given to an option that takes none
 * ("--ipv4=yes"); tell the operator which. c is getopt's optopt: 0 for a
 * long option it does not know, the option for one that takes no value,
 * else the unknown short option, which may sit inside a cluster ("-vx"),
 * so that only a long option's word is arg.
 */
static bool refuse_unknown(struct cos_options *o, const char *arg, int c)
{
	const struct option *match = NULL;
	const char *name = arg + 2, *eq;
	char list[256] = "", label[32];
	size_t n, used = 0;
	int matches = 0;

	if (c != 0 && !is_option(c))
		return c > 0 && c < 128 && isgraph(c)
			       ? refuse(o, "unknown option '-%c'", c)
			       : refuse(o,
					"unknown option: byte 0x%02X after '-'",
					(unsigned)(unsigned char)c);
	if (strncmp(arg, "--", 2) != 0)
		return refuse(o, "unknown option '%s'", arg);
	eq = strchr(name, '=');
	n = eq ? (size_t)(eq - name) : strlen(name);
	for (const struct option *opt = long_options; n > 0 && opt->name;
	     opt++) {
		if (strncmp(opt->name, name, n) != 0)
			continue;
		match = opt;
		if (strlen(opt->name) == n) {
			matches = 1;
			break;
		}
		matches++;
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used,
						 sizeof(list) - used, "%s--%s",
						 used ? ", " : "", opt->name);
	}
	if (matches == 1 && eq != NULL && match->has_arg == no_argument)
		return refuse(o, "%s takes no value",
			      option_label(match->val, label, sizeof(label)));
	if (matches > 1)
		return refuse(o, "option '--%.*s' is ambiguous: %s", (int)n,
			      name, list);
	return refuse(o, "unknown option '--%.*s'", (int)n, name);
}

enum cos_parse cos_options_parse(struct cos_options *o, int argc, char **argv)
{
	char online_only[32] = ""; /* the first online-only option given */
	struct belongs belongs = {"", "", ""};
	int c;

	memset(o, 0, sizeof(*o));
	cos_config_init(&o->cfg);
	cos_policy_init(&o->policy);
	/* 0, not 1: glibc then starts afresh, so a caller (a fuzzer) may
	 * parse many command lines in one process. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options,
				NULL)) != -1) {
		if (c == 'h')
			return COS_PARSE_HELP;
		if (c == 'V')
			return COS_PARSE_VERSION;
		if (c == '?') {
			refuse_unknown(o, argv[optind - 1], optopt);
			return COS_PARSE_ERROR;
		}
		if (c == ':') {
			char label[32];

			refuse(o, "%s needs a value",
			       option_label(optopt, label, sizeof(label)));
			return COS_PARSE_ERROR;
		}
		if (!parse_option(o, c, optarg))
			return COS_PARSE_ERROR;
		if (is_online_only(c) && online_only[0] == '\0')
			option_label(c, online_only, sizeof(online_only));
		note_belonging(c, &belongs);
	}
	if (optind < argc) {
		refuse(o, "unexpected argument '%s'", argv[optind]);
		return COS_PARSE_ERROR;
	}
	return check_modes(o, online_only) && check_tls_settings(o) &&
			       check_belonging(o, &belongs)
		       ? COS_PARSE_RUN
		       : COS_PARSE_ERROR;
}
