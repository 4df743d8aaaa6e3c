/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_offline.c - the offline mode's file readers: arbitrary bytes as the
 * --response file (DER, or PEM around it), the --cert file (PEM chain or
 * one DER certificate) or the --issuer file; the first byte chooses which.
 * What is read is then judged as the offline check would, against the
 * fixed chain (fuzz/pki) at a fixed time: the response as the leaf's
 * staple, a certificate as the leaf (or the issuer) of good.der. The
 * report of it must stay well-formed, whatever names the certificate
 * holds. The file lives in memory (memfd) and is read by path through
 * /proc/self/fd, as the plugin reads any file.
 *
 * (cos_check() in offline mode would also verify the certificate chain,
 * which is OpenSSL's work and ten times slower per input.)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>

#include "fuzz.h"
#include "internal.h"

enum file { RESPONSE, CERT, ISSUER };

static int fd = -1;
static char fd_path[64];
static X509 *leaf, *issuer;
static unsigned char *good;
static size_t good_len;
static time_t now;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cos_result res;

	(void)argc;
	(void)argv;
	fd = memfd_create("cos-fuzz-offline", 0);
	if (fd < 0)
		fuzz_fail("memfd_create failed");
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	leaf = fuzz_pki_cert("leaf");
	issuer = fuzz_pki_cert("int");
	now = fuzz_pki_now();
	memset(&res, 0, sizeof(res));
	if (cos_read_response_file(fuzz_pki_path("good.der"), &good, &good_len,
				   &res) != COS_GOOD)
		fuzz_fail("cannot read good.der");
	return 0;
}

static void set_file(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		fuzz_fail("cannot write the memfd");
}

/* Judges der as the staple of cert by its issuer, and reports it. */
static void judge(const unsigned char *der, size_t len, X509 *cert, X509 *by,
		  struct cos_result *res)
{
	res->now = now;
	res->offline = true;
	res->have_staple = true;
	cos_cert_describe(cert, &res->cert);
	cos_staple_verify(der, len, cert, by, now, 300, res);
	fuzz_report(res, 3);
}

static void read_response(struct cos_result *res)
{
	unsigned char *der = NULL;
	size_t len = 0;

	if (cos_read_response_file(fd_path, &der, &len, res) == COS_GOOD)
		judge(der, len, leaf, issuer, res);
	else
		fuzz_report(res, 0); /* the message quotes the file */
	free(der);
}

static void read_cert(enum file which, struct cos_result *res)
{
	STACK_OF(X509) *certs = NULL;
	const char *option = which == CERT ? "--cert" : "--issuer";

	if (cos_read_cert_file(option, fd_path, &certs, res) != COS_GOOD) {
		fuzz_report(res, 0); /* the message quotes the file */
		return;
	}
	for (int i = 1; i < sk_X509_num(certs); i++) {
		struct cos_cert_info info;

		cos_cert_describe(sk_X509_value(certs, i), &info);
	}
	if (which == CERT)
		judge(good, good_len, sk_X509_value(certs, 0), issuer, res);
	else
		judge(good, good_len, leaf, sk_X509_value(certs, 0), res);
	sk_X509_pop_free(certs, X509_free);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cos_result res;

	if (size == 0)
		return 0;
	set_file(data + 1, size - 1);
	memset(&res, 0, sizeof(res));
	res.verbosity = 3;
	res.staple.revocation_reason = -1;
	switch (data[0] % 3) {
	case RESPONSE: read_response(&res); break;
	case CERT: read_cert(CERT, &res); break;
	case ISSUER: read_cert(ISSUER, &res); break;
	}
	cos_result_free(&res);
	ERR_clear_error();
	return 0;
}
