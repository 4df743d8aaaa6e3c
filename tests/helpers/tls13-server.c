/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tls13-server - test helper: a TLS 1.3 server on loopback whose
 * Certificate message holds what the test says, status extensions for the
 * intermediate that no TLS library sends: of another type, of a length that
 * does not fit, empty, twice, running past the entry, or too large to keep.
 *
 *   tls13-server CHAIN KEY LEAF-RESPONSE MODE [RESPONSE]
 *
 * (RESPONSE for every mode but empty.)
 *
 * Prints the port it listens on (first line of stdout), then serves one
 * connection after another until killed or 120 s pass. Each is one full
 * handshake (X25519, TLS_AES_128_GCM_SHA256; RSA-PSS or ECDSA P-256 with
 * SHA-256 by KEY's type), then a wait for the client to close. CHAIN (PEM,
 * the leaf first) goes into the Certificate message; the leaf's entry
 * staples LEAF-RESPONSE (DER); the second entry (the intermediate) gets,
 * by MODE:
 *
 *   good      a status_request extension stapling RESPONSE, as RFC 8446
 *             4.4.2.1 has it
 *   type      the same, but a CertificateStatus of status_type 2, not ocsp
 *   length    a CertificateStatus whose response length says one byte more
 *             than the extension holds
 *   empty     a status_request extension with no data at all
 *   twice     two status_request extensions stapling RESPONSE
 *   overrun   a status_request extension whose length runs past the
 *             entry's extensions (the message's framing is broken)
 *
 * Written on libcrypto alone: OpenSSL's server refuses a status_request
 * extension of its own making, and GnuTLS's checks what it staples. No
 * general TLS server: it accepts only what OpenSSL's client offers by
 * default (an X25519 key share, no HelloRetryRequest) and never reads past
 * the ClientHello.
 */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "loopback.h"

#define LIFETIME      120
#define RECORD_MAX    16384
#define CHAIN_MAX     4
#define HASH_LEN      32
#define EXT_STATUS    5
#define EXT_VERSIONS  43
#define EXT_KEY_SHARE 51
#define GROUP_X25519  0x001d

enum mode { GOOD, TYPE, LENGTH, EMPTY, TWICE, OVERRUN };
static const char *const mode_names[] = {
	[GOOD] = "good",   [TYPE] = "type",   [LENGTH] = "length",
	[EMPTY] = "empty", [TWICE] = "twice", [OVERRUN] = "overrun",
};

/* A growing run of bytes. */
struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (n == 0)
		return; /* data may be NULL */
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		unsigned char *p = realloc(b->p, cap);

		if (p == NULL) {
			perror("tls13-server");
			exit(1);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

/* A big-endian number of octets octets. */
static void put_number(struct buf *b, size_t v, size_t octets)
{
	unsigned char out[4];

	for (size_t i = 0; i < octets; i++)
		out[i] = (unsigned char)(v >> (8 * (octets - 1 - i)));
	put(b, out, octets);
}

/* A vector: its length in octets octets, then its bytes. */
static void put_vector(struct buf *b, const struct buf *v, size_t octets)
{
	put_number(b, v->len, octets);
	put(b, v->p, v->len);
}

/* A handshake message of type over body: appended to the transcript and
 * to the flight that goes out. */
static void put_message(struct buf *flight, struct buf *transcript, int type,
			const struct buf *body)
{
	size_t start = flight->len;

	put_number(flight, (size_t)type, 1);
	put_vector(flight, body, 3);
	put(transcript, flight->p + start, flight->len - start);
}

/* What the server was given. */
struct setup {
	struct buf certs[CHAIN_MAX]; /* DER, the leaf first */
	int ncerts;
	EVP_PKEY *key;
	struct buf leaf_response, response;
	enum mode mode;
};

static bool read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	unsigned char chunk[4096];
	size_t n;

	if (f == NULL) {
		perror(path);
		return false;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		put(b, chunk, n);
	fclose(f);
	return true;
}

static bool read_chain(const char *path, struct setup *s)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	if (f == NULL) {
		perror(path);
		return false;
	}
	while (s->ncerts < CHAIN_MAX &&
	       (x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		unsigned char *der = NULL;
		int n = i2d_X509(x, &der);

		if (n > 0)
			put(&s->certs[s->ncerts++], der, (size_t)n);
		OPENSSL_free(der);
		X509_free(x);
	}
	ERR_clear_error();
	fclose(f);
	return s->ncerts >= 2;
}

/* One status_request extension of a CertificateEntry: a CertificateStatus
 * of status_type over response, its length stretched by extra. */
static void put_status(struct buf *exts, int status_type,
		       const struct buf *response, size_t extra)
{
	put_number(exts, EXT_STATUS, 2);
	put_number(exts, 1 + 3 + response->len, 2);
	put_number(exts, (size_t)status_type, 1);
	put_number(exts, response->len + extra, 3);
	put(exts, response->p, response->len);
}

/* The extensions of the intermediate's entry, as the mode has them. */
static void intermediate_extensions(const struct setup *s, struct buf *exts)
{
	switch (s->mode) {
	case GOOD:
		put_status(exts, 1, &s->response, 0);
		break;
	case TYPE:
		put_status(exts, 2, &s->response, 0);
		break;
	case LENGTH:
		put_status(exts, 1, &s->response, 1);
		break;
	case EMPTY:
		put_number(exts, EXT_STATUS, 2);
		put_number(exts, 0, 2);
		break;
	case TWICE:
		put_status(exts, 1, &s->response, 0);
		put_status(exts, 1, &s->response, 0);
		break;
	case OVERRUN: {
		size_t len;

		put_status(exts, 1, &s->response, 0);
		/* the extension's length, after its type: 8 bytes too many */
		len = ((size_t)exts->p[2] << 8 | exts->p[3]) + 8;
		exts->p[2] = (unsigned char)(len >> 8);
		exts->p[3] = (unsigned char)len;
		break;
	}
	}
}

static void certificate_body(const struct setup *s, struct buf *body)
{
	struct buf list = {0};

	for (int i = 0; i < s->ncerts; i++) {
		struct buf exts = {0};

		if (i == 0)
			put_status(&exts, 1, &s->leaf_response, 0);
		else if (i == 1)
			intermediate_extensions(s, &exts);
		put_vector(&list, &s->certs[i], 3);
		put_vector(&list, &exts, 2);
		free(exts.p);
	}
	put_number(body, 0, 1); /* certificate_request_context: empty */
	put_vector(body, &list, 3);
	free(list.p);
}

/* --- the key schedule (RFC 8446 7.1), SHA-256 only --------------------- */

static void hmac(const unsigned char *key, size_t keylen,
		 const unsigned char *data, size_t len,
		 unsigned char out[HASH_LEN])
{
	unsigned int n = HASH_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n);
}

/* HKDF-Expand-Label for at most one block of output. */
static void expand_label(const unsigned char secret[HASH_LEN],
			 const char *label, const unsigned char *context,
			 size_t context_len, unsigned char *out, size_t len)
{
	struct buf info = {0};
	unsigned char block[HASH_LEN];

	put_number(&info, len, 2);
	put_number(&info, 6 + strlen(label), 1);
	put(&info, "tls13 ", 6);
	put(&info, label, strlen(label));
	put_number(&info, context_len, 1);
	put(&info, context, context_len);
	put_number(&info, 1, 1);
	hmac(secret, HASH_LEN, info.p, info.len, block);
	memcpy(out, block, len);
	free(info.p);
}

static void transcript_hash(const struct buf *t, unsigned char out[HASH_LEN])
{
	EVP_Digest(t->p, t->len, out, NULL, EVP_sha256(), NULL);
}

/* The server's handshake traffic: key, IV and the records' sequence. */
struct traffic {
	unsigned char secret[HASH_LEN], key[16], iv[12];
	unsigned long long seq;
};

static void handshake_traffic(const unsigned char *shared, size_t shared_len,
			      const struct buf *transcript, struct traffic *t)
{
	unsigned char zeros[HASH_LEN] = {0}, early[HASH_LEN], empty[HASH_LEN];
	unsigned char derived[HASH_LEN], secret[HASH_LEN], hash[HASH_LEN];

	hmac(zeros, sizeof(zeros), zeros, sizeof(zeros), early);
	EVP_Digest("", 0, empty, NULL, EVP_sha256(), NULL);
	expand_label(early, "derived", empty, HASH_LEN, derived, HASH_LEN);
	hmac(derived, HASH_LEN, shared, shared_len, secret);
	transcript_hash(transcript, hash);
	expand_label(secret, "s hs traffic", hash, HASH_LEN, t->secret,
		     HASH_LEN);
	expand_label(t->secret, "key", NULL, 0, t->key, sizeof(t->key));
	expand_label(t->secret, "iv", NULL, 0, t->iv, sizeof(t->iv));
	t->seq = 0;
}

/* One application_data record sealing n bytes of handshake with
 * AES-128-GCM: the content, then its type, then the tag. */
static bool send_record(int fd, const unsigned char *data, size_t n,
			struct traffic *t)
{
	size_t sealed = n + 1 + 16;
	unsigned char head[5] = {0x17, 0x03, 0x03, (unsigned char)(sealed >> 8),
				 (unsigned char)sealed};
	unsigned char nonce[12], *out = malloc(5 + sealed), *at;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len;
	bool ok;

	memcpy(nonce, t->iv, sizeof(nonce));
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (unsigned char)(t->seq >> (8 * i));
	t->seq++;
	ok = out != NULL && c != NULL &&
	     EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, t->key, nonce) &&
	     EVP_EncryptUpdate(c, NULL, &len, head, 5);
	at = out + 5;
	ok = ok && EVP_EncryptUpdate(c, at, &len, data, (int)n);
	at += ok ? len : 0;
	ok = ok && EVP_EncryptUpdate(c, at, &len, (const unsigned char *)"\x16",
				     1);
	at += ok ? len : 0;
	ok = ok && EVP_EncryptFinal_ex(c, at, &len) &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + 5 + n + 1);
	EVP_CIPHER_CTX_free(c);
	if (ok) {
		memcpy(out, head, 5);
		ok = write(fd, out, 5 + sealed) == (ssize_t)(5 + sealed);
	}
	free(out);
	return ok;
}

/* The flight in records of at most RECORD_MAX bytes of handshake each. */
static bool send_sealed(int fd, const struct buf *flight, struct traffic *t)
{
	for (size_t off = 0; off < flight->len; off += RECORD_MAX) {
		size_t n = flight->len - off;

		if (!send_record(fd, flight->p + off,
				 n < RECORD_MAX ? n : RECORD_MAX, t))
			return false;
	}
	return true;
}

/* --- the client's first flight ----------------------------------------- */

/* Exactly n bytes, or false. */
static bool read_exactly(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t got = read(fd, p, n);

		if (got <= 0)
			return false;
		p += got;
		n -= (size_t)got;
	}
	return true;
}

/* A cursor over the ClientHello; reads past the end make it bad. */
struct cursor {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static size_t take(struct cursor *c, size_t octets)
{
	size_t v = 0;

	if (c->bad || c->left < octets) {
		c->bad = true;
		return 0;
	}
	for (size_t i = 0; i < octets; i++)
		v = v << 8 | c->p[i];
	c->p += octets;
	c->left -= octets;
	return v;
}

static void skip(struct cursor *c, size_t n)
{
	if (c->bad || c->left < n)
		c->bad = true;
	else {
		c->p += n;
		c->left -= n;
	}
}

static struct cursor take_vector(struct cursor *c, size_t octets)
{
	size_t n = take(c, octets);
	struct cursor v = {c->p, n, c->bad || c->left < n};

	if (v.bad)
		c->bad = true;
	else {
		c->p += n;
		c->left -= n;
	}
	return v;
}

/* The client's session id and X25519 share, from its ClientHello. */
struct hello {
	unsigned char session_id[32], share[32];
	size_t session_id_len;
	bool has_share;
};

static bool parse_hello(const unsigned char *msg, size_t len, struct hello *h)
{
	struct cursor c = {msg, len, false}, sid, exts;

	if (take(&c, 1) != 1) /* not a ClientHello */
		return false;
	take(&c, 3); /* its length */
	take(&c, 2); /* legacy_version */
	skip(&c, 32); /* random */
	sid = take_vector(&c, 1);
	take_vector(&c, 2); /* cipher_suites: 0x1301 is among OpenSSL's */
	take_vector(&c, 1); /* compression methods */
	exts = take_vector(&c, 2);
	if (c.bad || sid.left > sizeof(h->session_id))
		return false;
	memcpy(h->session_id, sid.p, sid.left);
	h->session_id_len = sid.left;
	h->has_share = false;
	while (exts.left > 0 && !exts.bad) {
		size_t type = take(&exts, 2);
		struct cursor data = take_vector(&exts, 2), shares;

		if (type != EXT_KEY_SHARE)
			continue;
		shares = take_vector(&data, 2);
		while (shares.left > 0 && !shares.bad) {
			size_t group = take(&shares, 2);
			struct cursor key = take_vector(&shares, 2);

			if (group == GROUP_X25519 && key.left == 32) {
				memcpy(h->share, key.p, 32);
				h->has_share = true;
			}
		}
	}
	return !exts.bad && h->has_share;
}

/* The ClientHello, whole in its first record as OpenSSL's client sends it,
 * appended to the transcript. */
static bool read_hello(int fd, struct buf *transcript, struct hello *h)
{
	unsigned char head[5], body[RECORD_MAX];
	size_t n;

	if (!read_exactly(fd, head, 5) || head[0] != 0x16)
		return false;
	n = (size_t)head[3] << 8 | head[4];
	if (n > sizeof(body) || !read_exactly(fd, body, n) ||
	    !parse_hello(body, n, h))
		return false;
	put(transcript, body, n);
	return true;
}

/* --- the server's flight ------------------------------------------------ */

static bool server_hello(int fd, const struct hello *h, EVP_PKEY *mine,
			 struct buf *transcript)
{
	static const unsigned char change_cipher_spec[] = {0x14, 0x03, 0x03,
							   0x00, 0x01, 0x01};
	unsigned char random[32], pub[32];
	size_t pub_len = sizeof(pub);
	struct buf body = {0}, exts = {0}, flight = {0}, record = {0};
	bool ok;

	if (RAND_bytes(random, sizeof(random)) != 1 ||
	    EVP_PKEY_get_raw_public_key(mine, pub, &pub_len) != 1)
		return false;
	put_number(&body, 0x0303, 2);
	put(&body, random, sizeof(random));
	put_number(&body, h->session_id_len, 1);
	put(&body, h->session_id, h->session_id_len);
	put_number(&body, 0x1301, 2); /* TLS_AES_128_GCM_SHA256 */
	put_number(&body, 0, 1);      /* no compression */
	put_number(&exts, EXT_VERSIONS, 2);
	put_number(&exts, 2, 2);
	put_number(&exts, 0x0304, 2);
	put_number(&exts, EXT_KEY_SHARE, 2);
	put_number(&exts, 2 + 2 + pub_len, 2);
	put_number(&exts, GROUP_X25519, 2);
	put_number(&exts, pub_len, 2);
	put(&exts, pub, pub_len);
	put_vector(&body, &exts, 2);
	put_message(&flight, transcript, 2, &body);
	put(&record, "\x16\x03\x03", 3);
	put_vector(&record, &flight, 2);
	put(&record, change_cipher_spec, sizeof(change_cipher_spec));
	ok = write(fd, record.p, record.len) == (ssize_t)record.len;
	free(body.p);
	free(exts.p);
	free(flight.p);
	free(record.p);
	return ok;
}

/* CertificateVerify's signature over the transcript so far. */
static bool sign_transcript(EVP_PKEY *key, const struct buf *transcript,
			    struct buf *body)
{
	static const char context[] = "TLS 1.3, server CertificateVerify";
	unsigned char hash[HASH_LEN], sig[1024];
	size_t sig_len = sizeof(sig);
	bool rsa = EVP_PKEY_is_a(key, "RSA");
	struct buf content = {0};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok;

	for (int i = 0; i < 64; i++)
		put(&content, " ", 1);
	put(&content, context, sizeof(context)); /* its NUL included */
	transcript_hash(transcript, hash);
	put(&content, hash, sizeof(hash));
	ok = md != NULL &&
	     EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, key) == 1 &&
	     (!rsa ||
	      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) ==
		       1)) &&
	     EVP_DigestSign(md, sig, &sig_len, content.p, content.len) == 1;
	EVP_MD_CTX_free(md);
	free(content.p);
	if (!ok)
		return false;
	put_number(body, rsa ? 0x0804 : 0x0403, 2);
	put_number(body, sig_len, 2);
	put(body, sig, sig_len);
	return true;
}

static bool encrypted_flight(int fd, const struct setup *s,
			     struct buf *transcript, struct traffic *t)
{
	struct buf flight = {0}, body = {0};
	unsigned char finished_key[HASH_LEN], hash[HASH_LEN], mac[HASH_LEN];
	bool ok;

	put_number(&body, 0, 2); /* EncryptedExtensions: none */
	put_message(&flight, transcript, 8, &body);
	body.len = 0;
	certificate_body(s, &body);
	put_message(&flight, transcript, 11, &body);
	body.len = 0;
	ok = sign_transcript(s->key, transcript, &body);
	if (ok) {
		put_message(&flight, transcript, 15, &body);
		expand_label(t->secret, "finished", NULL, 0, finished_key,
			     HASH_LEN);
		transcript_hash(transcript, hash);
		hmac(finished_key, HASH_LEN, hash, HASH_LEN, mac);
		body.len = 0;
		put(&body, mac, sizeof(mac));
		put_message(&flight, transcript, 20, &body);
		ok = send_sealed(fd, &flight, t);
	}
	free(flight.p);
	free(body.p);
	return ok;
}

static bool derive(EVP_PKEY *mine, const unsigned char share[32],
		   unsigned char shared[32])
{
	EVP_PKEY *peer =
		EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, share, 32);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(mine, NULL);
	size_t len = 32;
	bool ok = peer != NULL && c != NULL && EVP_PKEY_derive_init(c) == 1 &&
		  EVP_PKEY_derive_set_peer(c, peer) == 1 &&
		  EVP_PKEY_derive(c, shared, &len) == 1 && len == 32;

	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(peer);
	return ok;
}

/* Until the client closes, or 10 s pass without a word from it. */
static void drain(int fd)
{
	unsigned char buf[4096];
	struct pollfd p = {.fd = fd, .events = POLLIN};

	while (poll(&p, 1, 10000) == 1 && read(fd, buf, sizeof(buf)) > 0)
		;
}

static void serve(int fd, const struct setup *s)
{
	struct buf transcript = {0};
	struct hello h;
	struct traffic t;
	unsigned char shared[32];
	EVP_PKEY *mine = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");

	if (mine != NULL && read_hello(fd, &transcript, &h) &&
	    server_hello(fd, &h, mine, &transcript) &&
	    derive(mine, h.share, shared)) {
		handshake_traffic(shared, sizeof(shared), &transcript, &t);
		if (encrypted_flight(fd, s, &transcript, &t))
			drain(fd);
	}
	ERR_print_errors_fp(stderr);
	EVP_PKEY_free(mine);
	free(transcript.p);
	close(fd);
}

static int usage(void)
{
	fprintf(stderr, "usage: tls13-server CHAIN KEY LEAF-RESPONSE "
			"good|type|length|empty|twice|overrun [RESPONSE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct setup s = {.ncerts = 0};
	FILE *f;
	unsigned port;
	int fd, conn, mode = -1;

	for (int i = 0; argc > 4 && i < (int)(sizeof(mode_names) /
					      sizeof(mode_names[0]));
	     i++)
		if (strcmp(argv[4], mode_names[i]) == 0)
			mode = i;
	if (mode < 0 || argc > 6 || (argc == 5 && mode != EMPTY))
		return usage();
	s.mode = (enum mode)mode;
	if (!read_chain(argv[1], &s) || !read_file(argv[3], &s.leaf_response) ||
	    (argc == 6 && !read_file(argv[5], &s.response)))
		return 1;
	f = fopen(argv[2], "r");
	s.key = f != NULL ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f != NULL)
		fclose(f);
	if (s.key == NULL) {
		fprintf(stderr, "tls13-server: cannot read the key %s\n",
			argv[2]);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(LIFETIME);
	fd = loopback_socket(false, true, &port);
	if (fd < 0)
		return 1;
	printf("%u\n", port);
	fflush(stdout);
	while ((conn = accept(fd, NULL, NULL)) >= 0)
		serve(conn, &s);
	perror("tls13-server: accept");
	return 1;
}
