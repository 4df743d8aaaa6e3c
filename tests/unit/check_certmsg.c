/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_certmsg.c - the TLS 1.3 Certificate message reader (certmsg.c) on
 * messages built here byte by byte: a staple per entry, none, and what a
 * hostile server can send that no real one will (a malformed, oversized
 * or duplicated status extension, lengths that do not fit), each with its
 * own words and never a read past the message (an answer longer than its
 * extension is the oversized one: the extension's own length field caps
 * it at 64 KiB).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "runner.h"

/* A message under construction. */
struct msg {
	unsigned char b[16384];
	size_t n;
};

static void put(struct msg *m, size_t v, size_t octets)
{
	for (size_t i = octets; i-- > 0;)
		m->b[m->n++] = (unsigned char)(v >> (8 * i));
}

static void put_bytes(struct msg *m, const void *p, size_t len)
{
	memcpy(m->b + m->n, p, len);
	m->n += len;
}

/* An extension's bytes: a status_request carrying an OCSP answer of
 * ocsp_len bytes (0x30 ...), or of another status type. */
static size_t status_ext(unsigned char *out, size_t ocsp_len, int type)
{
	struct msg e = {.n = 0};

	put(&e, 5, 2);
	put(&e, 1 + 3 + ocsp_len, 2);
	put(&e, (size_t)type, 1);
	put(&e, ocsp_len, 3);
	for (size_t i = 0; i < ocsp_len; i++)
		put(&e, i == 0 ? 0x30 : 0xab, 1);
	memcpy(out, e.b, e.n);
	return e.n;
}

/* A Certificate message of entries, each a certificate of cert_len bytes
 * and the given extension bytes. */
static void build(struct msg *m, size_t count, const unsigned char **exts,
		  const size_t *ext_lens)
{
	struct msg list = {.n = 0};

	for (size_t i = 0; i < count; i++) {
		put(&list, 4, 3);
		put_bytes(&list, "CERT", 4);
		put(&list, ext_lens[i], 2);
		put_bytes(&list, exts[i], ext_lens[i]);
	}
	m->n = 0;
	put(m, 11, 1);
	put(m, 1 + 3 + list.n, 3);
	put(m, 0, 1); /* an empty certificate_request_context */
	put(m, list.n, 3);
	put_bytes(m, list.b, list.n);
}

static unsigned char ext_a[4096], ext_b[4096];
static struct msg m;

START_TEST(a_staple_per_entry)
{
	const unsigned char *exts[2] = {ext_a, ext_b};
	size_t lens[2] = {status_ext(ext_a, 10, 1), status_ext(ext_b, 20, 1)};
	struct cos_cert_entry e[4];
	const char *why = "unset";

	build(&m, 2, exts, lens);
	ck_assert_int_eq(cos_cert_msg_read(m.b, m.n, e, 4, &why), 2);
	ck_assert_ptr_null(why);
	ck_assert_uint_eq(e[1].index, 1);
	ck_assert_uint_eq(e[1].cert_len, 4);
	ck_assert_int_eq(memcmp(e[1].cert, "CERT", 4), 0);
	ck_assert_uint_eq(e[1].ocsp_len, 20);
	ck_assert_int_eq(e[1].ocsp[0], 0x30);
	ck_assert_ptr_null(e[1].problem);
}
END_TEST

START_TEST(no_staple_is_no_problem)
{
	const unsigned char *exts[2] = {ext_a, ext_b};
	size_t lens[2] = {status_ext(ext_a, 10, 1), 0};
	struct cos_cert_entry e[4];
	const char *why;

	build(&m, 2, exts, lens);
	ck_assert_int_eq(cos_cert_msg_read(m.b, m.n, e, 4, &why), 2);
	ck_assert_ptr_null(e[1].ocsp);
	ck_assert_ptr_null(e[1].problem);
}
END_TEST

/* Each bad status extension of the second entry, and its words. */
static const struct {
	const char *name;
	int kind;
	const char *problem;
} bad_status[] = {
	{"another status type", 0, "another type than ocsp"},
	{"an empty one", 1, "an empty CertificateStatus"},
	{"an inner length past its end", 2, "length does not fit"},
	{"two of them", 4, "two status_request extensions"},
};

START_TEST(names_a_bad_status)
{
	const unsigned char *exts[2] = {ext_a, ext_b};
	size_t lens[2] = {status_ext(ext_a, 10, 1), 0};
	struct cos_cert_entry e[4];
	const char *why;

	switch (bad_status[_i].kind) {
	case 0: lens[1] = status_ext(ext_b, 10, 2); break;
	case 1:
		memcpy(ext_b, "\0\5\0\0", 4);
		lens[1] = 4;
		break;
	case 2:
		lens[1] = status_ext(ext_b, 10, 1);
		ext_b[6] = 0x7f; /* the answer's length, now beyond the end */
		break;
	case 4:
		lens[1] = status_ext(ext_b, 10, 1);
		lens[1] += status_ext(ext_b + lens[1], 10, 1);
		break;
	}
	build(&m, 2, exts, lens);
	ck_assert_int_eq(cos_cert_msg_read(m.b, m.n, e, 4, &why), 2);
	ck_assert_ptr_nonnull(e[1].problem);
	ck_assert_msg(strstr(e[1].problem, bad_status[_i].problem) != NULL,
		      "%s: %s", bad_status[_i].name, e[1].problem);
	ck_assert_ptr_null(e[1].ocsp);
	ck_assert_ptr_null(e[0].problem);
}
END_TEST

/* A message whose lengths do not hold together is refused whole, at every
 * length it could be cut to. */
START_TEST(refuses_what_does_not_fit)
{
	const unsigned char *exts[2] = {ext_a, ext_b};
	size_t lens[2] = {status_ext(ext_a, 10, 1), status_ext(ext_b, 20, 1)};
	struct cos_cert_entry e[4];
	const char *why;
	size_t whole;

	build(&m, 2, exts, lens);
	whole = m.n;
	for (size_t cut = 0; cut < whole; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);

		memcpy(copy, m.b, cut);
		ck_assert_int_eq(cos_cert_msg_read(copy, cut, e, 4, &why), -1);
		ck_assert_ptr_nonnull(why);
		free(copy);
	}
	m.b[0] = 2; /* a ServerHello */
	ck_assert_int_eq(cos_cert_msg_read(m.b, whole, e, 4, &why), -1);
	ck_assert_str_eq(why, "not a Certificate message");
}
END_TEST

START_TEST(keeps_at_most_max)
{
	const unsigned char *exts[3] = {ext_a, ext_a, ext_a};
	size_t lens[3] = {0, 0, 0};
	struct cos_cert_entry e[2];
	const char *why;

	build(&m, 3, exts, lens);
	ck_assert_int_eq(cos_cert_msg_read(m.b, m.n, e, 2, &why), 2);
}
END_TEST

static Suite *certmsg_suite(void)
{
	Suite *s = suite_create("certmsg");
	TCase *tc = tcase_create("read");

	tcase_add_test(tc, a_staple_per_entry);
	tcase_add_test(tc, no_staple_is_no_problem);
	tcase_add_loop_test(tc, names_a_bad_status, 0,
			    (int)(sizeof(bad_status) / sizeof(bad_status[0])));
	tcase_add_test(tc, refuses_what_does_not_fit);
	tcase_add_test(tc, keeps_at_most_max);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(certmsg_suite());
}
