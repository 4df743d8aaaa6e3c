/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz.h - what the libFuzzer harnesses share: the entry points libFuzzer
 * (or replay.c, in every build) calls, the fixed test chain under
 * fuzz/pki, and the checks every report must pass.
 */
#ifndef COS_FUZZ_H
#define COS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "cos.h"

/* Where the crlindex harness's CRL is from, as its key names it. */
#define FUZZ_CRL_URL "http://127.0.0.1/fuzz.crl"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The path of a file of the fixed chain (fuzz/pki); static storage. */
const char *fuzz_pki_path(const char *file);
/* The first certificate of fuzz/pki/NAME.pem; aborts when it cannot. */
X509 *fuzz_pki_cert(const char *name);
/* The time the fixed chain's responses are judged at (fuzz/pki/now). */
time_t fuzz_pki_now(void);
/* The fixed chain's leaf and its issuer (int), and that time. */
void fuzz_pki_chain(X509 **leaf, X509 **issuer, time_t *now);
/* fuzz/pki's good.der, verified for leaf by int at now into res, as the
 * staple beside what a harness reports (the http and crl harnesses). */
void fuzz_good_staple(struct cos_result *res);

/* The report of res at verbosity, which must be well-formed. */
void fuzz_report(const struct cos_result *res, int verbosity);
/* The report of fuzz_good_staple's result beside crl's CRL verdict (its
 * status, detail and crl facts), which must be well-formed. */
void fuzz_report_crl(const struct cos_result *crl);

/* Aborts (a finding) unless out is a well-formed plugin output: a status
 * line "OCSP STAPLE <STATE> - ... | perfdata", one '|' in all, no control
 * character but the newlines. */
void fuzz_check_output(const struct cos_text *out);
/* Aborts unless text is a perfdata threshold ("", "@~:-86400.5", ...). */
void fuzz_check_threshold(const char *text);

/* Aborts with a message: a finding. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void fuzz_fail(const char *fmt, ...);

#endif
