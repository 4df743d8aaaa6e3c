/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_options.c - what the reach options put into the config: STARTTLS
 * protocols and their ports, address lists, -A, retries and the TLS
 * settings. (tests/cli.sh covers what a bad command line says.)
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "runner.h"

/* Parses a NULL-terminated argument list after the program name. */
static enum cos_parse parse(struct cos_options *o, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"check_ocsp_staple";
	while (*args != NULL && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return cos_options_parse(o, argc, argv);
}

struct port_case {
	const char *proto;
	const char *port;
};

static const struct port_case ports[] = {
	{"smtp", "25"},	      {"submission", "587"},   {"lmtp", "24"},
	{"imap", "143"},      {"pop3", "110"},	       {"ftp", "21"},
	{"xmpp", "5222"},     {"xmpp-server", "5269"}, {"ldap", "389"},
	{"postgres", "5432"}, {"sieve", "4190"},       {"nntp", "119"},
};

START_TEST(starttls_sets_the_protocol_and_its_port)
{
	const char *args[] = {"-H", "h", "-S", ports[_i].proto, NULL};
	struct cos_options o;

	ck_assert_int_eq(parse(&o, args), COS_PARSE_RUN);
	ck_assert_int_ne(o.cfg.starttls, COS_STARTTLS_NONE);
	ck_assert_str_eq(cos_starttls_name(o.cfg.starttls), ports[_i].proto);
	ck_assert_str_eq(cos_config_port(&o.cfg), ports[_i].port);
}
END_TEST

START_TEST(every_protocol_is_covered)
{
	ck_assert_int_eq(sizeof(ports) / sizeof(ports[0]),
			 COS_STARTTLS_COUNT - 1);
}
END_TEST

/* The list --help and messages give: every protocol, in the table's
 * order, written out here rather than built from the table under test. */
START_TEST(names_list_every_protocol_in_order)
{
	ck_assert_str_eq(cos_starttls_names(),
			 "smtp, submission, lmtp, imap, pop3, ftp, xmpp, "
			 "xmpp-server, ldap, postgres, sieve, nntp");
	for (int p = COS_STARTTLS_SMTP; p < COS_STARTTLS_COUNT; p++)
		ck_assert_str_eq(cos_starttls_name((enum cos_starttls)p),
				 ports[p - 1].proto);
}
END_TEST

START_TEST(port_defaults_and_overrides)
{
	const char *plain[] = {"-H", "h", NULL};
	const char *both[] = {"-H", "h", "-S", "IMAP", "-p", "1143", NULL};
	struct cos_options o;

	ck_assert_int_eq(parse(&o, plain), COS_PARSE_RUN);
	ck_assert_int_eq(o.cfg.starttls, COS_STARTTLS_NONE);
	ck_assert_str_eq(cos_config_port(&o.cfg), "443");
	ck_assert_int_eq(parse(&o, both), COS_PARSE_RUN);
	ck_assert_int_eq(o.cfg.starttls, COS_STARTTLS_IMAP);
	ck_assert_str_eq(cos_config_port(&o.cfg), "1143");
}
END_TEST

START_TEST(starttls_names_are_exact)
{
	enum cos_starttls p = COS_STARTTLS_NONE;

	ck_assert_int_eq(cos_starttls_parse("none", &p), -1);
	ck_assert_int_eq(cos_starttls_parse("smtps", &p), -1);
	ck_assert_int_eq(cos_starttls_parse("xmpp-", &p), -1);
	ck_assert_int_eq(cos_starttls_parse("", &p), -1);
	ck_assert_int_eq(p, COS_STARTTLS_NONE);
	ck_assert_int_eq(cos_starttls_parse("Xmpp-Server", &p), 0);
	ck_assert_int_eq(p, COS_STARTTLS_XMPP_SERVER);
}
END_TEST

START_TEST(pool_options)
{
	const char *args[] = {"-H", "www.example",	     "-A",
			      "-I", "192.0.2.7,2001:db8::7", "--retries",
			      "3",  "--retry-delay",	     "0.5",
			      NULL};
	struct cos_options o;

	ck_assert_int_eq(parse(&o, args), COS_PARSE_RUN);
	ck_assert(o.cfg.all_addresses);
	ck_assert_str_eq(o.cfg.address, "192.0.2.7,2001:db8::7");
	ck_assert_int_eq(o.cfg.retries, 3);
	ck_assert(o.cfg.retry_delay == 0.5);
}
END_TEST

START_TEST(retry_defaults)
{
	const char *args[] = {"-H", "h", NULL};
	struct cos_options o;

	ck_assert_int_eq(parse(&o, args), COS_PARSE_RUN);
	ck_assert(!o.cfg.all_addresses);
	ck_assert_int_eq(o.cfg.retries, 0);
	ck_assert(o.cfg.retry_delay == 1);
}
END_TEST

START_TEST(tls_settings)
{
	const char *args[] = {"-H",
			      "h",
			      "--tls-min",
			      "1.2",
			      "--tls-max",
			      "1.3",
			      "--ciphers",
			      "ECDHE-ECDSA-AES128-GCM-SHA256",
			      "--ciphersuites",
			      "TLS_AES_128_GCM_SHA256",
			      "--groups",
			      "X25519:P-256",
			      "--client-cert",
			      "c.pem",
			      "--client-key",
			      "k.pem",
			      NULL};
	const char *same[] = {"-H",	   "h",	  "--tls-min", "1.3",
			      "--tls-max", "1.3", NULL};
	struct cos_options o;

	ck_assert_int_eq(parse(&o, args), COS_PARSE_RUN);
	ck_assert_int_eq(o.cfg.tls_min, TLS1_2_VERSION);
	ck_assert_int_eq(o.cfg.tls_max, TLS1_3_VERSION);
	ck_assert_str_eq(o.cfg.ciphers, "ECDHE-ECDSA-AES128-GCM-SHA256");
	ck_assert_str_eq(o.cfg.ciphersuites, "TLS_AES_128_GCM_SHA256");
	ck_assert_str_eq(o.cfg.groups, "X25519:P-256");
	ck_assert_str_eq(o.cfg.client_cert, "c.pem");
	ck_assert_str_eq(o.cfg.client_key, "k.pem");
	ck_assert_int_eq(parse(&o, same), COS_PARSE_RUN);
}
END_TEST

/* What the parser checks, the context applies the same way. */
START_TEST(settings_reach_the_context)
{
	struct cos_config cfg;
	char why[256] = "";
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	cos_config_init(&cfg);
	cfg.tls_min = TLS1_3_VERSION;
	cfg.groups = "P-384";
	ck_assert_int_eq(cos_tls_settings_apply(ctx, &cfg, why, sizeof(why)),
			 0);
	ck_assert_int_eq(SSL_CTX_get_min_proto_version(ctx), TLS1_3_VERSION);
	ck_assert_int_eq(SSL_CTX_get_max_proto_version(ctx), 0);
	cfg.groups = "P-385";
	ck_assert_int_eq(cos_tls_settings_apply(ctx, &cfg, why, sizeof(why)),
			 -1);
	ck_assert_msg(strncmp(why, "--groups: OpenSSL does not accept 'P-385'",
			      40) == 0,
		      "%s", why);
	SSL_CTX_free(ctx);
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("reach");

	tcase_add_loop_test(tc, starttls_sets_the_protocol_and_its_port, 0,
			    (int)(sizeof(ports) / sizeof(ports[0])));
	tcase_add_test(tc, every_protocol_is_covered);
	tcase_add_test(tc, names_list_every_protocol_in_order);
	tcase_add_test(tc, port_defaults_and_overrides);
	tcase_add_test(tc, starttls_names_are_exact);
	tcase_add_test(tc, pool_options);
	tcase_add_test(tc, retry_defaults);
	tcase_add_test(tc, tls_settings);
	tcase_add_test(tc, settings_reach_the_context);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(options_suite());
}
