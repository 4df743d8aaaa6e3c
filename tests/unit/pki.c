/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pki.c - the test PKI for unit tests (see pki.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "pki.h"

static char pki_dir[256];

void pki_make(void)
{
	const char *mkpki = getenv("MKPKI");
	char cmd[1024];

	if (mkpki == NULL)
		ck_abort_msg("MKPKI is not set: run the tests with make check");
	snprintf(pki_dir, sizeof(pki_dir), "%s/cos-unit.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(pki_dir) == NULL)
		ck_abort_msg("mkdtemp failed");
	snprintf(cmd, sizeof(cmd), "'%s' '%s/pki'", mkpki, pki_dir);
	if (system(cmd) != 0)
		ck_abort_msg("%s failed", cmd);
}

void pki_remove(void)
{
	char cmd[512];

	if (pki_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", pki_dir);
}

static FILE *open_pki_file(const char *file)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pki/%s", pki_dir, file);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	return f;
}

X509 *pki_cert(const char *name)
{
	char file[128];
	FILE *f;
	X509 *cert;

	snprintf(file, sizeof(file), "%s.pem", name);
	f = open_pki_file(file);
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_msg(cert != NULL, "no certificate in %s", file);
	return cert;
}

unsigned char *pki_bytes(const char *file, size_t *len)
{
	FILE *f = open_pki_file(file);
	unsigned char *buf = malloc(1 << 20);

	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}
