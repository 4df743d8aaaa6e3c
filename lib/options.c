/*
 * options.c - the command line (SPEC section 2) into a config and a policy.
 *
 * It lives in the library so that it can be tested and fuzzed: it never
 * prints and never exits; a bad command line comes back as one sentence
 * that names the option.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cos.h"

#define TIMEOUT_MAX 3600
#define SKEW_MAX    (7 * 86400)
/* 9999-12-31 23:59:59 UTC: later times overflow the arithmetic on them
 * (now + skew) and name no year strftime can print. */
#define NOW_MAX 253402300799LL

enum long_only {
	OPT_SNI = 256,
	OPT_CA_PATH,
	OPT_AGE_WARNING,
	OPT_AGE_CRITICAL,
	OPT_SKEW,
	OPT_RESPONSE,
	OPT_CERT,
	OPT_ISSUER,
	OPT_NOW,
	OPT_NO_STAPLE,
	OPT_NO_OCSP_URL,
	OPT_NO_NEXT_UPDATE,
};

static const char short_options[] = ":H:p:I:46C:w:c:t:vVh";

static const struct option long_options[] = {
	{"hostname", required_argument, NULL, 'H'},
	{"port", required_argument, NULL, 'p'},
	{"ip-address", required_argument, NULL, 'I'},
	{"sni", required_argument, NULL, OPT_SNI},
	{"ipv4", no_argument, NULL, '4'},
	{"ipv6", no_argument, NULL, '6'},
	{"ca-file", required_argument, NULL, 'C'},
	{"ca-path", required_argument, NULL, OPT_CA_PATH},
	{"warning", required_argument, NULL, 'w'},
	{"critical", required_argument, NULL, 'c'},
	{"age-warning", required_argument, NULL, OPT_AGE_WARNING},
	{"age-critical", required_argument, NULL, OPT_AGE_CRITICAL},
	{"skew", required_argument, NULL, OPT_SKEW},
	{"timeout", required_argument, NULL, 't'},
	{"response", required_argument, NULL, OPT_RESPONSE},
	{"cert", required_argument, NULL, OPT_CERT},
	{"issuer", required_argument, NULL, OPT_ISSUER},
	{"now", required_argument, NULL, OPT_NOW},
	{"no-staple", required_argument, NULL, OPT_NO_STAPLE},
	{"no-ocsp-url", required_argument, NULL, OPT_NO_OCSP_URL},
	{"no-next-update", required_argument, NULL, OPT_NO_NEXT_UPDATE},
	{"verbose", no_argument, NULL, 'v'},
	{"version", no_argument, NULL, 'V'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

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
	/* The message quotes the operator's words, which may hold a newline:
	 * it must stay one line. */
	cos_sanitize(o->error, sizeof(o->error), o->error);
	return false;
}

static bool parse_port(struct cos_options *o, const char *text)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || n < 1 || n > 65535)
		return refuse(o,
			      "-p/--port: '%s' is not a port number (1-65535)",
			      text);
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

/* -t SECONDS[:STATE] */
static bool parse_timeout(struct cos_options *o, const char *text)
{
	const char *colon = strchr(text, ':');
	size_t n = colon ? (size_t)(colon - text) : strlen(text);
	char number[64];
	double seconds;

	if (n >= sizeof(number))
		return refuse(o, "-t/--timeout: '%.64s...' is too long", text);
	memcpy(number, text, n);
	number[n] = '\0';
	if (cos_seconds_parse(number, &seconds) != 0 || seconds <= 0 ||
	    seconds > TIMEOUT_MAX)
		return refuse(o,
			      "-t/--timeout: '%s' is not a number of seconds "
			      "from 1 to %d",
			      text, TIMEOUT_MAX);
	if (colon != NULL &&
	    !parse_state(o, "-t/--timeout", colon + 1, &o->policy.timeout))
		return false;
	o->cfg.timeout = seconds;
	return true;
}

static bool parse_skew(struct cos_options *o, const char *text)
{
	double seconds;

	if (cos_seconds_parse(text, &seconds) != 0 || seconds < 0 ||
	    seconds > SKEW_MAX)
		return refuse(o,
			      "--skew: '%s' is not a number of seconds from 0 "
			      "to 7d",
			      text);
	o->cfg.skew = (long)seconds;
	return true;
}

static bool parse_now(struct cos_options *o, const char *text)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno || end == text || *end != '\0' || n < 0 || n > NOW_MAX)
		return refuse(o,
			      "--now: '%s' is not a time in seconds since 1970 "
			      "(up to %lld, the end of the year 9999)",
			      text, NOW_MAX);
	o->cfg.now = (time_t)n;
	o->cfg.has_now = true;
	return true;
}

static bool set_family(struct cos_options *o, int family)
{
	if (o->cfg.family != AF_UNSPEC && o->cfg.family != family)
		return refuse(o, "-4 and -6 cannot be combined");
	o->cfg.family = family;
	return true;
}

/* Online and offline mode take different options; say which clash. */
static bool check_modes(struct cos_options *o)
{
	const struct cos_config *cfg = &o->cfg;
	bool online = cfg->host || cfg->address || cfg->sni ||
		      cfg->family != AF_UNSPEC;

	if (cfg->response_file != NULL && online)
		return refuse(o, "--response (offline mode) cannot be combined "
				 "with -H, -I, --sni, -4 or -6");
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
	if (cfg->host != NULL && cfg->host[0] == '\0')
		return refuse(o, "-H/--hostname: the host name is empty");
	return true;
}

static bool parse_option(struct cos_options *o, int c, const char *arg)
{
	struct cos_config *cfg = &o->cfg;
	struct cos_policy *p = &o->policy;

	switch (c) {
	case 'H': cfg->host = arg; return true;
	case 'p': return parse_port(o, arg);
	case 'I': cfg->address = arg; return true;
	case OPT_SNI: cfg->sni = arg; return true;
	case '4': return set_family(o, AF_INET);
	case '6': return set_family(o, AF_INET6);
	case 'C': cfg->ca_file = arg; return true;
	case OPT_CA_PATH: cfg->ca_path = arg; return true;
	case 'w':
		return parse_range(o, "-w/--warning", arg, &p->next_warn,
				   COS_RANGE_TIME_LEFT);
	case 'c':
		return parse_range(o, "-c/--critical", arg, &p->next_crit,
				   COS_RANGE_TIME_LEFT);
	case OPT_AGE_WARNING:
		return parse_range(o, "--age-warning", arg, &p->age_warn,
				   COS_RANGE_AGE);
	case OPT_AGE_CRITICAL:
		return parse_range(o, "--age-critical", arg, &p->age_crit,
				   COS_RANGE_AGE);
	case OPT_SKEW: return parse_skew(o, arg);
	case 't': return parse_timeout(o, arg);
	case OPT_RESPONSE: cfg->response_file = arg; return true;
	case OPT_CERT: cfg->cert_file = arg; return true;
	case OPT_ISSUER: cfg->issuer_file = arg; return true;
	case OPT_NOW: return parse_now(o, arg);
	case OPT_NO_STAPLE:
		return parse_state(o, "--no-staple", arg, &p->no_staple);
	case OPT_NO_OCSP_URL:
		return parse_state(o, "--no-ocsp-url", arg, &p->no_ocsp_url);
	case OPT_NO_NEXT_UPDATE:
		return parse_state(o, "--no-next-update", arg,
				   &p->no_next_update);
	case 'v': cfg->verbosity++; return true;
	default: return refuse(o, "internal error: option %d", c);
	}
}

enum cos_parse cos_options_parse(struct cos_options *o, int argc, char **argv)
{
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
			refuse(o, "unknown option '%s'", argv[optind - 1]);
			return COS_PARSE_ERROR;
		}
		if (c == ':') {
			refuse(o, "option '%s' needs a value",
			       argv[optind - 1]);
			return COS_PARSE_ERROR;
		}
		if (!parse_option(o, c, optarg))
			return COS_PARSE_ERROR;
	}
	if (optind < argc) {
		refuse(o, "unexpected argument '%s'", argv[optind]);
		return COS_PARSE_ERROR;
	}
	return check_modes(o) ? COS_PARSE_RUN : COS_PARSE_ERROR;
}
