/*
 * check_ocsp_staple - does a TLS server staple a valid, fresh OCSP response
 * for its certificate? Reads the options, runs the library's check, prints
 * its report and exits with its state.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cos.h"
#include "usage.h"

#define TIMEOUT_MAX 3600
#define SKEW_MAX    (7 * 86400)

struct options {
	struct cos_config cfg;
	struct cos_policy policy;
	const char *timeout_text; /* -t as given, for the alarm message */
};

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

/* A bad command line: one line on stdout, as every plugin output, and
 * UNKNOWN. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
static void
usage_error(const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	printf("OCSP STAPLE UNKNOWN - %s (see '%s --help')\n", reason,
	       PACKAGE_NAME);
	exit(COS_UNKNOWN);
}

static void parse_port(const char *text, const char **port)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || n < 1 || n > 65535)
		usage_error("-p/--port: '%s' is not a port number (1-65535)",
			    text);
	*port = text;
}

static void parse_range(const char *option, const char *text,
			struct cos_range *r, enum cos_range_sense sense)
{
	if (cos_range_parse(r, text, sense) != 0)
		usage_error(
			"%s: '%s' is not a range ([@][START:][END], numbers "
			"with an optional unit s, m, h or d)",
			option, text);
}

static void parse_state(const char *option, const char *text,
			enum cos_state *state)
{
	if (cos_state_parse(text, state) != 0)
		usage_error("%s: '%s' is not a state (OK, WARNING, CRITICAL or "
			    "UNKNOWN)",
			    option, text);
}

/* -t SECONDS[:STATE] */
static void parse_timeout(const char *text, struct options *o)
{
	char number[64];
	const char *colon = strchr(text, ':');
	size_t n = colon ? (size_t)(colon - text) : strlen(text);
	double seconds;

	if (n >= sizeof(number))
		usage_error("-t/--timeout: '%s' is too long", text);
	memcpy(number, text, n);
	number[n] = '\0';
	if (cos_seconds_parse(number, &seconds) != 0 || seconds <= 0 ||
	    seconds > TIMEOUT_MAX)
		usage_error("-t/--timeout: '%s' is not a number of seconds "
			    "from 1 to %d",
			    text, TIMEOUT_MAX);
	if (colon != NULL)
		parse_state("-t/--timeout", colon + 1, &o->policy.timeout);
	o->cfg.timeout = seconds;
	o->timeout_text = text;
}

static void parse_skew(const char *text, long *skew)
{
	double seconds;

	if (cos_seconds_parse(text, &seconds) != 0 || seconds < 0 ||
	    seconds > SKEW_MAX)
		usage_error("--skew: '%s' is not a number of seconds from 0 to "
			    "7d",
			    text);
	*skew = (long)seconds;
}

static void parse_now(const char *text, struct cos_config *cfg)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno || end == text || *end != '\0' || n < 0)
		usage_error("--now: '%s' is not a time in seconds since 1970",
			    text);
	cfg->now = (time_t)n;
	cfg->has_now = true;
}

/* Online and offline mode take different options; say which clash. */
static void check_modes(const struct cos_config *cfg)
{
	bool online = cfg->host || cfg->address || cfg->sni ||
		      cfg->family != AF_UNSPEC;

	if (cfg->response_file != NULL && online)
		usage_error("--response (offline mode) cannot be combined with "
			    "-H, -I, --sni, -4 or -6");
	if (cfg->response_file == NULL && (cfg->cert_file || cfg->issuer_file))
		usage_error("--cert and --issuer belong to offline mode: add "
			    "--response FILE");
	if (cfg->response_file != NULL && cfg->cert_file == NULL)
		usage_error("--response needs --cert FILE (the certificate, "
			    "with its chain)");
	if (cfg->response_file == NULL && cfg->host == NULL)
		usage_error("-H/--hostname is required (or --response and "
			    "--cert for offline mode)");
	if (cfg->host != NULL && cfg->host[0] == '\0')
		usage_error("-H/--hostname: the host name is empty");
}

static void set_family(struct cos_config *cfg, int family)
{
	if (cfg->family != AF_UNSPEC && cfg->family != family)
		usage_error("-4 and -6 cannot be combined");
	cfg->family = family;
}

static void parse_option(int c, const char *arg, struct options *o)
{
	struct cos_config *cfg = &o->cfg;
	struct cos_policy *p = &o->policy;

	switch (c) {
	case 'H': cfg->host = arg; break;
	case 'p': parse_port(arg, &cfg->port); break;
	case 'I': cfg->address = arg; break;
	case OPT_SNI: cfg->sni = arg; break;
	case '4': set_family(cfg, AF_INET); break;
	case '6': set_family(cfg, AF_INET6); break;
	case 'C': cfg->ca_file = arg; break;
	case OPT_CA_PATH: cfg->ca_path = arg; break;
	case 'w':
		parse_range("-w/--warning", arg, &p->next_warn,
			    COS_RANGE_TIME_LEFT);
		break;
	case 'c':
		parse_range("-c/--critical", arg, &p->next_crit,
			    COS_RANGE_TIME_LEFT);
		break;
	case OPT_AGE_WARNING:
		parse_range("--age-warning", arg, &p->age_warn, COS_RANGE_AGE);
		break;
	case OPT_AGE_CRITICAL:
		parse_range("--age-critical", arg, &p->age_crit, COS_RANGE_AGE);
		break;
	case OPT_SKEW: parse_skew(arg, &cfg->skew); break;
	case 't': parse_timeout(arg, o); break;
	case OPT_RESPONSE: cfg->response_file = arg; break;
	case OPT_CERT: cfg->cert_file = arg; break;
	case OPT_ISSUER: cfg->issuer_file = arg; break;
	case OPT_NOW: parse_now(arg, cfg); break;
	case OPT_NO_STAPLE:
		parse_state("--no-staple", arg, &p->no_staple);
		break;
	case OPT_NO_OCSP_URL:
		parse_state("--no-ocsp-url", arg, &p->no_ocsp_url);
		break;
	case OPT_NO_NEXT_UPDATE:
		parse_state("--no-next-update", arg, &p->no_next_update);
		break;
	case 'v': cfg->verbosity++; break;
	case 'V': print_version(); exit(COS_OK);
	case 'h': print_help(); exit(COS_OK);
	default: break;
	}
}

static void parse_arguments(int argc, char **argv, struct options *o)
{
	int c;

	cos_config_init(&o->cfg);
	cos_policy_init(&o->policy);
	o->timeout_text = "10";
	opterr = 0; /* getopt would complain on stderr; usage_error says it */
	while ((c = getopt_long(argc, argv, ":H:p:I:46C:w:c:t:vVh",
				long_options, NULL)) != -1) {
		if (c == '?')
			usage_error("unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			usage_error("option '%s' needs a value",
				    argv[optind - 1]);
		parse_option(c, optarg, o);
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	check_modes(&o->cfg);
}

/* The library bounds every step by the -t deadline; this alarm is only the
 * backstop for what it cannot reach, so that the plugin always ends. */
static enum cos_state backstop_state;
static char backstop_message[160];

static void backstop(int sig)
{
	ssize_t ignored;

	(void)sig;
	ignored = write(STDOUT_FILENO, backstop_message,
			strlen(backstop_message));
	(void)ignored;
	_exit(backstop_state);
}

static void arm_backstop(const struct options *o)
{
	backstop_state = o->policy.timeout;
	snprintf(
		backstop_message, sizeof(backstop_message),
		"OCSP STAPLE %s - timeout: the check did not end within %s s\n",
		cos_state_name(o->policy.timeout), o->timeout_text);
	signal(SIGALRM, backstop);
	alarm((unsigned)o->cfg.timeout + 2);
}

int main(int argc, char **argv)
{
	struct options o;
	struct cos_result res;
	struct cos_text out = {NULL, 0, 0, false};
	enum cos_state state;

	parse_arguments(argc, argv, &o);
	/* A server that resets the connection must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);
	arm_backstop(&o);
	cos_check(&o.cfg, &res);
	state = cos_report(&res, &o.policy, o.cfg.verbosity, &out);
	alarm(0);
	if (out.failed) {
		printf("OCSP STAPLE UNKNOWN - out of memory\n");
		state = COS_UNKNOWN;
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
	cos_text_free(&out);
	cos_result_free(&res);
	return state;
}
