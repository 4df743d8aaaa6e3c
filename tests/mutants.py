#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""mutants.py - does the test suite notice when a verification step is gone?

Removes one step of SPEC section 3 (or one rule of the exit matrix) from
the library at a time, rebuilds, runs the tests that judge staples, and
reports whether any test failed ("caught") or none did ("SURVIVED"). Every
file is restored after each mutant. A developer's tool, not part of make
check (it rebuilds the tree some thirty times): run it from a configured
build tree, `python3 tests/mutants.py`, and expect every line to say
"caught". A mutant whose code is no longer there says "not found": update
its pattern to the code's new shape.
"""
import subprocess
import sys

TESTS = "unit/check_staple unit/check_report offline.sh s_server.sh hostile.sh"

# (what is removed, file, the code, what it becomes)
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
]


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True)


def run_tests():
    if sh("make -j2 >/dev/null 2>&1").returncode != 0:
        return "caught (does not build)"
    rc = sh(f"make -j2 -C tests check TESTS='{TESTS}' >/dev/null 2>&1").returncode
    return "caught" if rc != 0 else "SURVIVED"


def main():
    survived = 0
    for what, path, code, mutant in MUTANTS:
        original = open(path).read()
        if code not in original:
            print(f"not found  {what} ({path})")
            survived += 1
            continue
        open(path, "w").write(original.replace(code, mutant, 1))
        try:
            verdict = run_tests()
        finally:
            open(path, "w").write(original)
        survived += verdict == "SURVIVED"
        print(f"{verdict:10} {what}", flush=True)
    sh("make -j2 >/dev/null 2>&1")
    print(f"{len(MUTANTS)} mutants, {survived} not caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
