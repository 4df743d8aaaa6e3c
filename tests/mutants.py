#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""mutants.py - does the test suite notice when a piece of the plugin is gone?

Removes one thing at a time from the library (a verification step of SPEC
section 3, a rule of the exit matrix, or the plumbing behind an option or
a documented default), rebuilds, runs the tests that should notice, and
reports whether any failed ("caught") or none did ("SURVIVED"). A mutant
that does not compile is its own verdict ("does not build") and counts as
not caught: it proves nothing. Mutants are built with warnings allowed
(WARN_CFLAGS=-w), so that -Werror cannot pass for a test.

First it builds the unmutated tree and runs every test that any mutant
names: if that baseline fails, nothing after it would mean anything, and
it stops. Every file is restored after each mutant. A developer's tool,
not part of make check (it rebuilds the tree for every mutant): run it
from a configured build tree, `python3 tests/mutants.py [NAME-PART]`
(only the mutants whose name contains NAME-PART), and expect every line
to say "caught". A mutant whose code is no longer there says "not
found": update its pattern to the code's new shape.
"""
import subprocess
import sys

# What judges staples: the default tests of a mutant.
TESTS = "unit/check_staple unit/check_report offline.sh s_server.sh hostile.sh"

# (what is removed, file, the code, what it becomes[, the tests to run])
MUTANTS = [
    ("1 staple not requested", "lib/net/tls.c",
     "!SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp)", "0"),
    ("1 no status callback", "lib/net/tls.c",
     "SSL_CTX_set_tlsext_status_cb(ctx, on_status);", ""),
    ("2 chain verify result ignored", "lib/net/tls.c",
     "if (verify != X509_V_OK) {", "if (0) {"),
    ("2 host name not checked", "lib/net/tls.c",
     "!SSL_set1_host(ssl, name)", "0"),
    ("2 offline chain not verified", "lib/verify/offline.c",
     "if (X509_verify_cert(ctx) == 1) {",
     "if (X509_verify_cert(ctx) == 1 || 1) {"),
    ("2 issuer not from the verified chain", "lib/verify/staple.c",
     "sk_X509_value(verified_chain, 1), now",
     "sk_X509_value(verified_chain, 0), now"),
    ("3 absent staple judged good", "lib/verify/staple.c",
     "if (der == NULL || len < 0)\n\t\treturn cos_fail(res, COS_E_NO_STAPLE, NULL);",
     "if (der == NULL || len < 0)\n\t\treturn COS_GOOD;"),
    ("4 trailing bytes accepted", "lib/verify/staple.c",
     "if (p != der + len)", "if (0)"),
    ("4 empty staple not its own failure", "lib/verify/staple.c",
     "if (len == 0)\n\t\treturn cos_fail(res, COS_E_EMPTY", "if (0)\n\t\treturn cos_fail(res, COS_E_EMPTY"),
    ("5 responseStatus not checked", "lib/verify/staple.c",
     "if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL)", "if (0)"),
    ("6 non-basic response not told apart", "lib/verify/staple.c",
     "ERR_GET_REASON(e) == OCSP_R_NOT_BASIC_RESPONSE)", "0)"),
    ("7 OCSP_basic_verify skipped", "lib/verify/staple.c",
     "if (OCSP_basic_verify(s->basic, known, anchor, 0) != 1) {", "if (0) {"),
    ("7 OCSP_NOCHECKS", "lib/verify/staple.c",
     "OCSP_basic_verify(s->basic, known, anchor, 0)",
     "OCSP_basic_verify(s->basic, known, anchor, OCSP_NOCHECKS)"),
    ("7 server's certificates trusted (OCSP_TRUSTOTHER)", "lib/verify/staple.c",
     "OCSP_basic_verify(s->basic, known, anchor, 0)",
     "OCSP_basic_verify(s->basic, sk_X509_num(OCSP_resp_get0_certs(s->basic)) > 0 ? "
     "(STACK_OF(X509) *)OCSP_resp_get0_certs(s->basic) : known, anchor, OCSP_TRUSTOTHER)"),
    ("7 signature not checked", "lib/verify/staple.c",
     "OCSP_basic_verify(s->basic, known, anchor, 0)",
     "OCSP_basic_verify(s->basic, known, anchor, OCSP_NOSIGS)"),
    ("7 missing OCSPSigning not told apart", "lib/verify/staple.c",
     "status = COS_E_SIGNER_NO_EKU;", "status = COS_E_SIGNER_NOT_AUTHORIZED;"),
    ("7 responder certificate checked at the wall clock", "lib/verify/staple.c",
     "X509_VERIFY_PARAM_set_time(param, now);", ""),
    ("8 CertID not compared", "lib/verify/staple.c",
     "same = OCSP_id_cmp(ours, theirs) == 0;", "same = true;"),
    ("8 CertID always SHA-1", "lib/verify/staple.c",
     "ours = OCSP_cert_to_id(md, leaf, issuer);",
     "ours = OCSP_cert_to_id(EVP_sha1(), leaf, issuer);"),
    ("8 conflicting statuses accepted", "lib/verify/staple.c",
     "} else if (status != first_status) {", "} else if (0) {"),
    ("9 thisUpdate in the future accepted", "lib/verify/staple.c",
     "if (info->this_update > now + skew) {", "if (0) {"),
    ("9 nextUpdate before thisUpdate accepted", "lib/verify/staple.c",
     "if (info->has_next_update && info->next_update < info->this_update)",
     "if (0)"),
    ("9 expired staple accepted", "lib/verify/staple.c",
     "if (info->has_next_update && info->next_update < now - skew) {",
     "if (0) {"),
    ("9 producedAt in the future accepted", "lib/verify/staple.c",
     "if (info->produced_at > now + skew) {", "if (0) {"),
    ("9 skew ignored", "lib/verify/staple.c",
     "check_times(now, skew, res)", "check_times(now, 0, res)"),
    ("9 --now ignored", "lib/check/check.c",
     "cfg->has_now ? cfg->now : time(NULL)", "time(NULL)"),
    ("10 revoked accepted", "lib/verify/staple.c",
     "case COS_CERT_REVOKED:\n\t\tcos_time_format",
     "case COS_CERT_REVOKED:\n\t\tcos_pass(res, 10);\n\t\treturn COS_GOOD;\n\t\tcos_time_format"),
    ("10 unknown accepted", "lib/verify/staple.c",
     "default: return cos_fail(res, COS_E_STATUS_UNKNOWN, NULL);",
     "default: return COS_GOOD;"),
    ("SPEC 4 must-staple not enforced", "lib/report/judge.c",
     "if (res->cert.must_staple)\n\t\t\treturn COS_CRITICAL;", ""),
    ("SPEC 4 thresholds not applied", "lib/report/judge.c",
     "if (cos_range_alerts(crit, value)) {", "if (0) {"),
    # --- the plumbing: every option reaches the check, every default
    # holds (issue 16). The tests named are those that use the option.
    ("-H ignored", "lib/check/options.c",
     "case 'H': return parse_hostname(", "case 'H': return true || parse_hostname(", "cli.sh"),
    ("-p ignored", "lib/check/options.c",
     "\to->cfg.port = text;", "", "s_server.sh"),
    ("-I ignored", "lib/check/targets.c",
     "cfg->address ? cfg->address : cfg->host", "cfg->host", "pool.sh"),
    ("--sni ignored", "lib/net/tls.c",
     "if (cfg->sni != NULL)\n\t\treturn cfg->sni;", "", "s_server.sh"),
    ("-4/-6 ignored", "lib/net/resolve.c",
     "hints.ai_family = family;", "hints.ai_family = AF_UNSPEC;", "s_server.sh pool.sh"),
    ("-S ignored", "lib/check/options.c",
     "case 'S': return parse_starttls(", "case 'S': return true || parse_starttls(", "starttls.sh"),
    ("-S default ports ignored", "lib/net/starttls.c",
     "return cfg->port ? cfg->port : cos_starttls_port(cfg->starttls);",
     "return cfg->port ? cfg->port : \"443\";", "unit/check_options"),
    ("-A ignored", "lib/check/options.c",
     "case 'A': cfg->all_addresses = true; return true;", "case 'A': return true;", "pool.sh"),
    ("-A cap of 32 addresses gone", "lib/check/pool.c",
     "i < per_address && n < COS_POOL_MAX;", "i < per_address;", "pool.sh"),
    ("--retries ignored", "lib/check/options.c",
     "return parse_count(o, label, arg, 0, RETRIES_MAX,\n\t\t\t\t   &cfg->retries);",
     "return true;", "retries.sh"),
    ("--retry-delay ignored", "lib/check/options.c",
     "\to->cfg.retry_delay = seconds;", "", "retries.sh"),
    ("--retry-delay default not 1 s", "lib/cos.h",
     "#define COS_RETRY_DELAY_DEFAULT 1", "#define COS_RETRY_DELAY_DEFAULT 0.1", "retries.sh"),
    ("--tls-min/--tls-max ignored", "lib/net/tlsconf.c",
     "if (!SSL_CTX_set_min_proto_version(ctx, cfg->tls_min) ||\n\t    !SSL_CTX_set_max_proto_version(ctx, cfg->tls_max)) {",
     "if (0) {", "tls_settings.sh"),
    ("--ciphers ignored", "lib/net/tlsconf.c",
     "if (cfg->ciphers != NULL && !SSL_CTX_set_cipher_list(ctx, cfg->ciphers))",
     "if (0)", "tls_settings.sh"),
    ("--ciphersuites ignored", "lib/net/tlsconf.c",
     "if (cfg->ciphersuites != NULL &&\n\t    !SSL_CTX_set_ciphersuites(ctx, cfg->ciphersuites))",
     "if (0)", "tls_settings.sh"),
    ("--groups ignored", "lib/net/tlsconf.c",
     "if (cfg->groups != NULL && !SSL_CTX_set1_groups_list(ctx, cfg->groups))",
     "if (0)", "tls_settings.sh"),
    ("--client-cert ignored", "lib/net/tlsconf.c",
     "if (cfg->client_cert == NULL)", "if (1)", "tls_settings.sh"),
    ("--client-key ignored", "lib/net/tlsconf.c",
     "cfg->client_key ? cfg->client_key : cfg->client_cert", "cfg->client_cert", "tls_settings.sh"),
    ("-C ignored", "lib/check/options.c",
     "case 'C': return take_name(", "case 'C': return true || take_name(", "trust.sh"),
    ("--ca-path never loaded", "lib/verify/trust.c",
     "if (!is_directory(cfg->ca_path) ||\n\t\t    X509_STORE_load_path(st, cfg->ca_path) != 1)",
     "if (!is_directory(cfg->ca_path))", "trust.sh"),
    ("SSL_CERT_DIR ignored", "lib/verify/trust.c",
     "const char *dir = getenv(X509_get_default_cert_dir_env());",
     "const char *dir = NULL;", "trust.sh"),
    ("SSL_CERT_FILE ignored", "lib/verify/trust.c",
     "const char *file = getenv(X509_get_default_cert_file_env());",
     "const char *file = NULL;", "trust.sh"),
    ("no default directory", "lib/verify/trust.c",
     "if (dir == NULL && file == NULL)\n\t\tdir = X509_get_default_cert_dir();", "", "trust.sh"),
    ("no bundle fallback", "lib/verify/trust.c",
     "if (file == NULL)\n\t\tfile = X509_get_default_cert_file();",
     "if (file == NULL)\n\t\treturn COS_GOOD;", "trust.sh"),
    ("-w ignored", "lib/check/options.c",
     "case 'w':\n\t\treturn parse_time_left(", "case 'w':\n\t\treturn true || parse_time_left(",
     "s_server.sh"),
    ("-c ignored", "lib/check/options.c",
     "case 'c':\n\t\treturn parse_time_left(", "case 'c':\n\t\treturn true || parse_time_left(",
     "s_server.sh"),
    ("-w default not 1d", "lib/report/judge.c",
     "cos_range_parse(&policy->next_warn, \"1d\"", "cos_range_parse(&policy->next_warn, \"11h\"",
     "offline.sh"),
    ("-c default not 4h", "lib/report/judge.c",
     "cos_range_parse(&policy->next_crit, \"4h\"", "cos_range_parse(&policy->next_crit, \"1h\"",
     "offline.sh"),
    ("WARNING branch of the thresholds gone", "lib/report/judge.c",
     "} else if (cos_range_alerts(warn, value)) {", "} else if (0) {", "offline.sh"),
    ("--age-warning ignored", "lib/check/options.c",
     "case OPT_AGE_WARNING:\n\t\treturn parse_range(",
     "case OPT_AGE_WARNING:\n\t\treturn true || parse_range(", "s_server.sh"),
    ("--age-critical ignored", "lib/check/options.c",
     "case OPT_AGE_CRITICAL:\n\t\treturn parse_range(",
     "case OPT_AGE_CRITICAL:\n\t\treturn true || parse_range(", "offline.sh"),
    ("age thresholds not applied", "lib/report/judge.c",
     "apply_thresholds(&policy->age_warn, &policy->age_crit, \"staple_age\",",
     "if (0) apply_thresholds(&policy->age_warn, &policy->age_crit, \"staple_age\",",
     "offline.sh s_server.sh"),
    ("--skew never reaches the config", "lib/check/options.c",
     "\to->cfg.skew = (long)seconds;", "", "offline.sh"),
    ("--skew default not 300 s", "lib/cos.h",
     "#define COS_SKEW_DEFAULT 300", "#define COS_SKEW_DEFAULT 100", "offline.sh"),
    ("-t ignored", "lib/check/options.c",
     "\to->cfg.timeout = seconds;", "", "s_server.sh"),
    ("-t deadline ten times shorter", "lib/net/deadline.c",
     "\tclock_gettime(CLOCK_MONOTONIC, &d->at);\n\tif (d->none)\n\t\treturn;",
     "\tclock_gettime(CLOCK_MONOTONIC, &d->at);\n\tif (d->none)\n\t\treturn;\n\tseconds /= 10;",
     "s_server.sh starttls.sh"),
    ("-t default not 10 s", "lib/cos.h",
     "#define COS_TIMEOUT_DEFAULT 10", "#define COS_TIMEOUT_DEFAULT 20", "s_server.sh"),
    ("-t STATE ignored", "lib/check/options.c",
     "!parse_state(o, label, colon + 1, &o->policy.timeout)", "false", "s_server.sh"),
    ("--no-staple ignored", "lib/check/options.c",
     "case OPT_NO_STAPLE: return parse_state(", "case OPT_NO_STAPLE: return true || parse_state(",
     "s_server.sh"),
    ("--no-ocsp-url ignored", "lib/check/options.c",
     "case OPT_NO_OCSP_URL:\n\t\treturn parse_state(",
     "case OPT_NO_OCSP_URL:\n\t\treturn true || parse_state(", "s_server.sh"),
    ("--no-next-update ignored", "lib/check/options.c",
     "case OPT_NO_NEXT_UPDATE:\n\t\treturn parse_state(",
     "case OPT_NO_NEXT_UPDATE:\n\t\treturn true || parse_state(", "offline.sh"),
    ("no-staple default not CRITICAL", "lib/report/judge.c",
     "policy->no_staple = COS_CRITICAL;", "policy->no_staple = COS_WARNING;", "s_server.sh"),
    ("no-ocsp-url default not OK", "lib/report/judge.c",
     "policy->no_ocsp_url = COS_OK;", "policy->no_ocsp_url = COS_WARNING;", "s_server.sh"),
    ("no-next-update default not WARNING", "lib/report/judge.c",
     "policy->no_next_update = COS_WARNING;", "policy->no_next_update = COS_OK;", "offline.sh"),
    ("timeout default not CRITICAL", "lib/report/judge.c",
     "policy->timeout = COS_CRITICAL;", "policy->timeout = COS_WARNING;", "s_server.sh"),
    ("--issuer ignored", "lib/check/options.c",
     "return take_name(o, label, \"file name\", arg, &cfg->issuer_file);",
     "return true;", "offline.sh"),
    ("--now ignored by the options", "lib/check/options.c",
     "\to->cfg.has_now = true;", "", "offline.sh"),
    ("-v ignored", "lib/check/options.c",
     "case 'v': cfg->verbosity++; return true;", "case 'v': return true;", "retries.sh"),
    # --- the rules every path obeys (SPEC 9, issue 11).
    ("4 BER accepted", "lib/verify/staple.c",
     "if (!encodes_to(s->resp, der, len))", "if (0)", "offline.sh unit/check_staple"),
    ("4 explicit DEFAULT version accepted", "lib/verify/staple.c",
     "if (explicit_default_version(der, len))", "if (0)", "offline.sh unit/check_staple"),
    ("8 unknown critical extensions ignored", "lib/verify/staple.c",
     "if (!X509_EXTENSION_get_critical(ext) || understood(obj))", "if (1)",
     "offline.sh unit/check_staple"),
    ("8 the nonce not understood", "lib/verify/staple.c",
     "static const int nids[] = {NID_id_pkix_OCSP_Nonce,", "static const int nids[] = {",
     "offline.sh unit/check_staple"),
    ("7 MD5 signatures accepted", "lib/verify/staple.c",
     "if (signed_with_md5(s->basic)) {", "if (0) {", "offline.sh unit/check_staple"),
    ("9 unreadable times accepted", "lib/verify/staple.c",
     "if (s->unreadable != NULL)", "if (0)", "offline.sh unit/check_staple"),
    ("8 another issuer called another certificate", "lib/verify/staple.c",
     "return COS_E_OTHER_ISSUER;", "return COS_E_OTHER_CERT;", "offline.sh unit/check_staple"),
    ("--issuer adds to the system store", "lib/verify/trust.c",
     "else if (cfg->issuer_file != NULL)\n\t\tstatus = COS_GOOD;\n", "", "trust.sh"),
    ("local: OpenSSL's failed allocations a verdict", "lib/status.c",
     "if (malloc_failed) {", "if (0) {", "local.sh unit/check_report"),
    ("local: no descriptor left a verdict", "lib/net/connect.c",
     "if (cos_errno_is_local(err))\n\t\t\treturn cos_fail(res, COS_E_LOCAL,",
     "if (0)\n\t\t\treturn cos_fail(res, COS_E_LOCAL,", "local.sh"),
    ("local: a server key lost for want of memory a verdict", "lib/net/tls.c",
     "(key_missing(ssl) && cos_memory_short())", "0", "local.sh"),
    ("local: the resolver's ENOMEM a verdict", "lib/net/resolve.c",
     "\tif (cos_errno_is_local(err))\n", "\tif (0)\n", "local.sh"),
    ("a century's missing leap day counted", "lib/report/timefmt.c",
     "doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;", "doe = yoe * 365 + yoe / 4 + doy;",
     "unit/check_report"),
    ("local: stdout closed ignored", "plugins/check_ocsp_staple.c",
     "if (!open_standard_descriptors()) {", "if (!open_standard_descriptors() && 0) {",
     "s_server.sh"),
    ("local: closed descriptors not reopened", "plugins/check_ocsp_staple.c",
     "if (open(\"/dev/null\", fd == 0 ? O_RDONLY : O_WRONLY) != fd)", "if (0)",
     "s_server.sh"),
    ("an IPv6 zone makes a host name", "lib/net/resolve.c",
     "const char *zone = strchr(host, '%');", "const char *zone = NULL;", "resolve.sh"),
    ("a comma in -H accepted", "lib/check/options.c",
     "if (strchr(text, ',') != NULL)", "if (0)", "cli.sh"),
    ("-4/-6 against a literal of the other family not refused", "lib/check/options.c",
     "return check_family(o);", "return true;", "cli.sh"),
    ("Icinga 2: -H's default gone", "contrib/icinga2/check_ocsp_staple.conf",
     "\tvars.ocsp_staple_hostname = \"$host.name$\"\n", "", "icinga2.sh"),
    ("Icinga 2: a second copy of the command not skipped", "contrib/icinga2/check_ocsp_staple.conf",
     "if (globals.contains(\"OcspStapleCommand\")) {", "if (false) {", "icinga2.sh"),
    ("Icinga 2: -I's default gone", "contrib/icinga2/check_ocsp_staple.conf",
     "\tvars.ocsp_staple_address = \"$check_address$\"\n", "", "icinga2.sh"),

    # SPEC 7: the live responder (responder.sh; the judgement also unit/check_report).
    ("R live answer not verified", "lib/check/live.c",
     "if (f->res.status == COS_GOOD)\n\t\tcos_staple_verify(reply.body",
     "if (0)\n\t\tcos_staple_verify(reply.body", "responder.sh"),
    ("R kept answer's key not compared", "lib/check/live.c",
     "strcmp(key, f->q.key) != 0", "0", "responder.sh"),
    ("R kept entry's digest not compared", "lib/cache.c",
     "strcmp(got, want) != 0", "0", "responder.sh"),
    ("R kept answer's window not judged at this run's clock", "lib/check/live.c",
     "a->this_update <= f->live->now + cfg->skew &&", "", "responder.sh"),
    ("R revoked by the responder not judged", "lib/report/judge.c",
     "case COS_E_REVOKED: judge_live_revoked(res, j); return;",
     "case COS_E_REVOKED: return;", "unit/check_report responder.sh"),
    ("R responder failure ignored", "lib/report/judge.c",
     "default: judge_live_failure(res, policy, j); return;", "default: return;",
     "unit/check_report responder.sh"),
    ("R responder failure hides the staple's state", "lib/report/judge.c",
     "enum cos_state worst = cos_state_worst(j->state, failure);",
     "enum cos_state worst = failure;",
     "unit/check_report responder.sh"),
    ("R --responder-failure default not WARNING", "lib/report/judge.c",
     "policy->responder_failure = COS_WARNING;", "policy->responder_failure = COS_CRITICAL;",
     "responder.sh"),
    ("R --responder-failure ignored", "lib/check/options.c",
     "return parse_state(o, label, arg, &p->responder_failure);",
     "return true || parse_state(o, label, arg, &p->responder_failure);", "responder.sh"),
    ("R lag thresholds not applied", "lib/report/judge.c",
     "\tif (cos_has_lag(res)) {\n\t\tapply_thresholds(", "\tif (0) {\n\t\tapply_thresholds(",
     "unit/check_report responder.sh"),
    ("R tryLater beside a good answer not named", "lib/report/judge.c",
     "strcmp(res->staple.response_status, \"tryLater\") == 0)",
     "strcmp(res->staple.response_status, \"tryLater\") == 1)", "unit/check_report"),
    ("R --responder-url ignored", "lib/check/live.c",
     "if (cfg->responder_url != NULL) {", "if (0) {", "responder.sh"),
    ("R never GET", "lib/verify/responder.c",
     "if ((size_t)len <= room * 3 / 4) {", "if (0) {", "responder.sh"),
    ("R GET whatever the length", "lib/verify/responder.c",
     "if ((size_t)len <= room * 3 / 4) {", "if (1) { room = GET_MAX;", "responder.sh"),
    ("R --proxy ignored", "lib/net/http.c",
     "proxy = OSSL_HTTP_adapt_proxy(req->proxy, req->proxy ? \"\" : NULL,",
     "proxy = OSSL_HTTP_adapt_proxy(NULL, req->proxy ? \"\" : NULL,", "responder.sh"),
    ("R no_proxy never consulted", "lib/net/http.c",
     "OSSL_HTTP_adapt_proxy(req->proxy, req->proxy ? \"\" : NULL,",
     "OSSL_HTTP_adapt_proxy(req->proxy, \"\",", "responder.sh"),
    ("R content type not checked", "lib/net/http.c",
     "check_content_type(&x, req->accept, where, res) ==\n\t\t\t    COS_GOOD &&", "1 &&",
     "responder.sh"),
    ("R body not capped", "lib/net/http.c",
     "OSSL_HTTP_REQ_CTX_set_max_response_length(rctx, req->max_len);",
     "OSSL_HTTP_REQ_CTX_set_max_response_length(rctx, 1UL << 30);", "responder.sh"),
    ("R redirect not named", "lib/net/http.c",
     "if (http == 0 && !post)\n\t\treturn cos_fail(res, COS_E_HTTP_REDIRECT, \"%s\", where);",
     "", "responder.sh"),
    # Not here: the deadline check on every read of the HTTP socket. A
    # responder that floods header lines (hostile-server http-flood) still
    # lets the socket run dry now and then on loopback (TCP's window
    # updates pause the sender), and the wait between reads then ends the
    # fetch at the deadline anyway: no test can tell the check is gone.
    ("R one fetch per address", "lib/check/live.c",
     "if ((f = find_fetch(live, kind, leaf, issuer)) == NULL &&",
     "if ((f = NULL) == NULL &&", "responder.sh"),
    ("R cache entry's time ignored", "lib/cache.c",
     "if (expires <= (long long)now) {", "if (0) {", "responder.sh"),
    ("R HTTP max-age ignored", "lib/check/live.c",
     "if (max_age >= 0 && (until == 0 || f->live->now + max_age < until))", "if (0)",
     "responder.sh"),
    ("R foreign-owned entry trusted", "lib/cache.c",
     "if (st->st_uid != geteuid() || (st->st_mode & (S_IWGRP | S_IWOTH)))", "if (0)",
     "responder.sh crl.sh"),
    ("R cache directory writable by others accepted", "lib/cache.c",
     "if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)", "if (0)", "responder.sh"),
    ("R cache directory of another user accepted", "lib/cache.c",
     "if (!safe_owner(&st))", "if (0)", "responder.sh"),
    ("R nothing kept", "lib/check/live.c",
     "\t\tkeep(f, until);", "\t\t;", "responder.sh"),

    # SPEC 8: every certificate, every handshake.
    ("8 --handshakes makes one", "lib/check/pool.c",
     "size_t per_address = keys * (size_t)cfg->handshakes;", "size_t per_address = keys;",
     "handshakes.sh"),
    ("8 stapled handshakes not counted", "lib/report/judge.c",
     "stapled += a->have_staple;", "stapled += 1;", "handshakes.sh"),
    ("8 key type not asked for", "lib/net/tls.c",
     "\tif (ask_for_key_type(ssl, hs) != COS_GOOD)\n\t\treturn res->status;", "",
     "certificates.sh"),
    ("8 a lacking key type is a failure", "lib/net/tls.c",
     "if (err == SSL_ERROR_SSL && lacks_key_type(res)) {", "if (0) {",
     "certificates.sh"),
    ("8 a lacking key type judged", "lib/report/judge.c",
     "\t\tif (a->status == COS_E_NO_SUCH_CERT)\n\t\t\tcontinue;\n\t\tcos_judge(a, policy, &each);",
     "\t\tcos_judge(a, policy, &each);", "certificates.sh"),

    ("8 TLS 1.3 chain staples not read", "lib/net/tls.c",
     "\tjudge_chain_staples(ssl, hs);\n", "", "chainstaples.sh"),
    ("8 chain staple judged by the wrong issuer", "lib/verify/chainstaple.c",
     "sk_X509_value(chain, depth + 1), now, skew, &v);",
     "sk_X509_value(chain, depth), now, skew, &v);", "chainstaples.sh"),
    ("8 a bad chain staple not CRITICAL", "lib/report/judge.c",
     "\t\tmemcpy(j->summary, text, sizeof(j->summary));\n\t\tj->state = COS_CRITICAL;",
     "\t\tmemcpy(j->summary, text, sizeof(j->summary));", "chainstaples.sh unit/check_report"),
    ("8 two status extensions in an entry accepted", "lib/net/certmsg.c",
     "\t\tif (seen) {", "\t\tif (0) {", "unit/check_certmsg chainstaples.sh"),
    ("8 a status extension's inner length not checked", "lib/net/certmsg.c",
     "if (ext.bad || ext.left != 0 || ocsp.left == 0)", "if (0)",
     "unit/check_certmsg chainstaples.sh"),
    ("8 a refused Certificate message not read for why", "lib/net/tls.c",
     "fault = certmsg_fault(hs, buf, sizeof(buf));", "fault = NULL;", "chainstaples.sh"),
    ("8 a Certificate message too large to keep unsaid", "lib/net/tls.c",
     "hs->res->certmsg_unread = len;", "", "chainstaples.sh"),

    # Issue 15: the certificate's expiry, and bare numbers meant as days.
    ("15 expiry thresholds not applied", "lib/report/judge.c",
     "\tjudge_expiry(res, policy, j);\n", "", "expiry.sh"),
    ("15 no note for a bare number", "lib/check/options.c",
     "if (strspn(text, \"0123456789\") == strlen(text) && strlen(text) <= 3)",
     "if (0)", "expiry.sh"),

    ("15 an unchecked host name not on the status line", "lib/report/judge.c",
     "if (!res->offline && res->cert.present && !res->name_checked)", "if (0)",
     "s_server.sh"),

    ("15 JSON strings not escaped", "lib/report/json.c",
     "if (*p == '\"' || *p == '\\\\')", "if (0)", "formats.sh"),
    ("15 the default long output gives every detail", "lib/report/output.c",
     "\tif (verbosity == 0) {\n\t\twrite_summary(out, res);", "\tif (0) {\n\t\twrite_summary(out, res);",
     "unit/check_report crl.sh"),
    ("15 one-line prints the long output", "lib/report/output.c",
     "\tif (policy->format != COS_FORMAT_DEFAULT)\n\t\treturn report_other(res, policy, out);\n", "",
     "formats.sh"),

    # SPEC 7: CRLs (crl.sh).
    ("C CRL signature not checked", "lib/verify/crl.c",
     "if (X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1)", "if (0)", "crl.sh"),
    ("C CRL issuer name not compared", "lib/verify/crl.c",
     "X509_NAME_cmp(X509_CRL_get_issuer(crl),\n\t\t\t       X509_get_issuer_name(leaf)) != 0",
     "0", "crl.sh"),
    ("C another partition accepted", "lib/verify/crl.c",
     "names != NULL && url != NULL && !names_uri(names, url)", "0", "crl.sh"),
    ("C expired CRL accepted", "lib/verify/crl.c",
     "if (h->next_update < now - skew) {", "if (0) {", "crl.sh"),
    ("C critical CRL extension accepted", "lib/verify/crl.c",
     "if (X509_EXTENSION_get_critical(ext) &&\n\t\t    !understood_crl_ext(nid))",
     "if (0)", "crl.sh"),
    ("C hold read as revoked", "lib/verify/crl.c",
     "if (info->reason == REASON_HOLD)", "if (0)", "crl.sh"),
    # check_ssl_cert's bug, in the index's terms: 01 == 0100, 80 == 8000.
    ("C serial compared without its length", "lib/verify/crlindex.c",
     "return memcmp(x->serial, y->serial, sizeof(x->serial));",
     "return memcmp(x->serial + 2, y->serial + 2, sizeof(x->serial) - 2);",
     "crl.sh"),
    ("C index not sorted", "lib/verify/crlindex.c",
     "\tif (i < n)\n\t\tqsort(", "\tif (0)\n\t\tqsort(", "crl.sh"),
    ("C delta CRL not applied", "lib/check/crlfetch.c",
     "\t\t\tapply_delta(job, &base, info, res);", "\t\t\t;", "crl.sh"),
    ("C removeFromCRL ignored", "lib/check/crlfetch.c",
     "\t\tif (info->removed)\n\t\t\tcos_result_restart(res);", "\t\t;", "crl.sh"),
    ("C delta's BaseCRLNumber not compared", "lib/verify/crl.c",
     "if (memcmp(delta->base_number, base->number, 32) > 0)", "if (0)", "crl.sh"),
    ("C delta's own number not compared", "lib/verify/crl.c",
     "if (memcmp(delta->number, base->number, 32) <= 0)", "if (0)", "crl.sh"),
    ("C full CRL taken as delta", "lib/verify/crl.c",
     "\tif (!delta->delta)\n", "\tif (0)\n", "crl.sh"),
    ("C delta's window not checked", "lib/verify/crl.c",
     "check_window(delta->head, now, skew, res) != COS_GOOD)", "0)", "crl.sh"),
    ("C kept CRL index not used", "lib/check/crlfetch.c",
     "if (s->ix.head->keep_until > (int64_t)job->now) {", "if (0) {", "crl.sh"),
    ("C no conditional request", "lib/check/crlfetch.c",
     "\t\treq.if_none_match = s->ix.head->etag;\n\t\treq.if_modified_since = s->ix.head->last_modified;",
     "\t\t;", "crl.sh"),
    ("C a 304 taken for an error", "lib/net/http.c",
     "if (rc == 0 && x->conditional && status_code(x->head) == 304) {", "if (0) {", "crl.sh"),
    ("C index header digest not checked", "lib/verify/crlindex.c",
     "if (!head_digest(h, want) || memcmp(want, h->digest, 32) != 0)", "if (0)", "crl.sh"),
    ("C index size not checked", "lib/verify/crlindex.c",
     "if (h->count > (len - sizeof(*h)) / sizeof(struct cos_crlix_record) ||\n\t    len != sizeof(*h) + h->count * sizeof(struct cos_crlix_record))",
     "if (0)", "crl.sh"),
    ("C index of another CRL accepted", "lib/verify/crlindex.c",
     "if (strcmp(h->key, key) != 0)", "if (0)", "crl.sh"),
    ("C listed by the CRL not judged", "lib/report/judge.c",
     "case COS_E_ON_HOLD: judge_listed(res, &l, j); return;", "case COS_E_ON_HOLD: return;",
     "crl.sh"),
    ("C no CRL verdict for a certificate without OCSP", "lib/report/judge.c",
     "case COS_GOOD: judge_crl_good(res, j); return;", "case COS_GOOD: return;", "crl.sh"),
    ("C --crl-failure default not WARNING", "lib/report/judge.c",
     "policy->crl_failure = COS_WARNING;", "policy->crl_failure = COS_CRITICAL;", "crl.sh"),
    ("C ldap:// not skipped", "lib/check/live.c",
     "if (strncmp(uris[i], \"http://\", 7) != 0)", "if (0)", "crl.sh"),
    ("C --crl-max-size ignored", "lib/check/crlfetch.c",
     ".max_len = job->cfg->crl_max_size,", ".max_len = (size_t)1 << 30,", "crl.sh"),

]


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True)


def tests_of(mutant):
    return mutant[4] if len(mutant) > 4 else TESTS


def run(tests, flags=""):
    """Builds (with flags) and runs tests: None when the build fails, else
    whether every test passed."""
    if sh(f"make -j2 {flags} >/dev/null 2>&1").returncode != 0:
        return None
    return sh(f"make -j2 -C tests check TESTS='{tests}' >/dev/null 2>&1").returncode == 0


def baseline(mutants):
    tests = sorted({t for m in mutants for t in tests_of(m).split()})
    passed = run(" ".join(tests))
    if passed:
        print(f"baseline   {len(tests)} tests pass on the unmutated tree", flush=True)
        return True
    print("baseline   " + ("the unmutated tree does not build" if passed is None else
                           "a test fails on the unmutated tree: " + " ".join(tests)))
    return False


def main():
    if sh("test -f Makefile && test -f tests/Makefile").returncode != 0:
        print("mutants.py: run it from a configured build tree (./configure first)")
        return 2
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    mutants = [m for m in MUTANTS if only in m[0]]
    if not baseline(mutants):
        return 2
    not_caught = 0
    for mutant in mutants:
        what, path, code, replacement = mutant[:4]
        original = open(path).read()
        if code not in original:
            print(f"not found  {what} ({path})")
            not_caught += 1
            continue
        open(path, "w").write(original.replace(code, replacement, 1))
        try:
            passed = run(tests_of(mutant), "WARN_CFLAGS=-w")
        finally:
            open(path, "w").write(original)
        verdict = {None: "does not build", True: "SURVIVED", False: "caught"}[passed]
        not_caught += verdict != "caught"
        print(f"{verdict:10} {what}", flush=True)
    sh("make -j2 >/dev/null 2>&1")
    print(f"{len(mutants)} mutants, {not_caught} not caught")
    return 1 if not_caught else 0


if __name__ == "__main__":
    sys.exit(main())
