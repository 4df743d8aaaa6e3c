/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ocsp-forge - build OCSP responses that `openssl ocsp` cannot make.
 *
 * Test helper only (used by tests/mkpki.sh): arbitrary thisUpdate,
 * nextUpdate and producedAt (or an unreadable one), several SingleResponses
 * for one CertID, SHA-1 or SHA-256 CertID, one whose hash algorithm nobody
 * knows or that names another issuer, critical extensions (in the response
 * or in its SingleResponse), a nonce, any revocation reason code, an MD5
 * signature. Every OFFSET is signed seconds relative to now.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define MAX_STATUSES	    8
#define DEFAULT_NEXT_UPDATE (7L * 24 * 3600)
/* 2024-01-15 12:00:00 UTC, the revocation time mkpki.sh writes to index.txt */
#define REVOCATION_TIME ((time_t)1705320000)

struct options {
	const char *issuer, *cert, *signer, *key, *embed, *out;
	int statuses[MAX_STATUSES];
	int n_statuses;
	long this_update, next_update, produced_at;
	bool has_next_update, sha256, unknown_hash;
	const char *critical_ext, *single_critical_ext, *issuer_name, *crl_url;
	bool nonce, md5, bad_produced_at;
	long reason;
};

static void usage(FILE *f)
{
	fputs("usage: ocsp-forge --issuer FILE --cert FILE --signer FILE --key "
	      "FILE\n"
	      "         [--status good|revoked|unknown]... [--this-update "
	      "OFFSET]\n"
	      "         [--next-update OFFSET|none] [--produced-at OFFSET]\n"
	      "         [--embed FILE] [--sha256|--unknown-hash] --out "
	      "FILE.der\n"
	      "         [--critical-ext OID] [--single-critical-ext OID] "
	      "[--nonce]\n"
	      "         [--reason CODE] [--issuer-name CERT] [--md5] "
	      "[--bad-produced-at]\n"
	      "         [--crl-url TEXT] (a CrlID response extension)\n"
	      "OFFSET: signed seconds relative to now. Defaults: status good,\n"
	      "this-update 0, next-update 604800, produced-at 0, no "
	      "certificates\n"
	      "embedded. Each --status adds one SingleResponse for the same "
	      "CertID.\n",
	      f);
}

static bool parse_offset(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0';
}

static bool parse_status(const char *s, int *out)
{
	if (strcmp(s, "good") == 0)
		*out = V_OCSP_CERTSTATUS_GOOD;
	else if (strcmp(s, "revoked") == 0)
		*out = V_OCSP_CERTSTATUS_REVOKED;
	else if (strcmp(s, "unknown") == 0)
		*out = V_OCSP_CERTSTATUS_UNKNOWN;
	else
		return false;
	return true;
}

static bool parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"issuer", required_argument, NULL, 'i'},
		{"cert", required_argument, NULL, 'c'},
		{"signer", required_argument, NULL, 's'},
		{"key", required_argument, NULL, 'k'},
		{"status", required_argument, NULL, 'S'},
		{"this-update", required_argument, NULL, 't'},
		{"next-update", required_argument, NULL, 'n'},
		{"produced-at", required_argument, NULL, 'p'},
		{"embed", required_argument, NULL, 'e'},
		{"sha256", no_argument, NULL, '2'},
		{"unknown-hash", no_argument, NULL, 'u'},
		{"out", required_argument, NULL, 'o'},
		{"critical-ext", required_argument, NULL, 'x'},
		{"single-critical-ext", required_argument, NULL, 'X'},
		{"nonce", no_argument, NULL, 'N'},
		{"reason", required_argument, NULL, 'r'},
		{"issuer-name", required_argument, NULL, 'I'},
		{"md5", no_argument, NULL, '5'},
		{"bad-produced-at", no_argument, NULL, 'B'},
		{"crl-url", required_argument, NULL, 'U'},
		{NULL, 0, NULL, 0},
	};
	int opt, idx = 0;

	memset(o, 0, sizeof(*o));
	o->next_update = DEFAULT_NEXT_UPDATE;
	o->reason = OCSP_REVOKED_STATUS_KEYCOMPROMISE;
	o->has_next_update = true;
	while ((opt = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
		bool ok = true;

		switch (opt) {
		case 'i': o->issuer = optarg; break;
		case 'c': o->cert = optarg; break;
		case 's': o->signer = optarg; break;
		case 'k': o->key = optarg; break;
		case 'e': o->embed = optarg; break;
		case 'o': o->out = optarg; break;
		case '2': o->sha256 = true; break;
		case 'u': o->unknown_hash = true; break;
		case 'x': o->critical_ext = optarg; break;
		case 'X': o->single_critical_ext = optarg; break;
		case 'N': o->nonce = true; break;
		case 'r': ok = parse_offset(optarg, &o->reason); break;
		case 'I': o->issuer_name = optarg; break;
		case '5': o->md5 = true; break;
		case 'B': o->bad_produced_at = true; break;
		case 'U': o->crl_url = optarg; break;
		case 't': ok = parse_offset(optarg, &o->this_update); break;
		case 'p': ok = parse_offset(optarg, &o->produced_at); break;
		case 'n':
			o->has_next_update = strcmp(optarg, "none") != 0;
			ok = !o->has_next_update ||
			     parse_offset(optarg, &o->next_update);
			break;
		case 'S':
			ok = o->n_statuses < MAX_STATUSES &&
			     parse_status(optarg,
					  &o->statuses[o->n_statuses++]);
			break;
		default: return false;
		}
		if (!ok) {
			fprintf(stderr, "ocsp-forge: bad value for --%s: %s\n",
				longopts[idx].name, optarg);
			return false;
		}
	}
	if (optind != argc || !o->issuer || !o->cert || !o->signer || !o->key ||
	    !o->out) {
		fputs("ocsp-forge: --issuer, --cert, --signer, --key and --out "
		      "are required\n",
		      stderr);
		return false;
	}
	if (o->n_statuses == 0)
		o->statuses[o->n_statuses++] = V_OCSP_CERTSTATUS_GOOD;
	return true;
}

static X509 *load_cert(const char *path)
{
	X509 *cert = NULL;
	BIO *in = BIO_new_file(path, "r");

	if (in != NULL)
		cert = PEM_read_bio_X509(in, NULL, NULL, NULL);
	BIO_free(in);
	if (cert == NULL)
		fprintf(stderr,
			"ocsp-forge: cannot read a certificate from %s\n",
			path);
	return cert;
}

static EVP_PKEY *load_key(const char *path)
{
	EVP_PKEY *key = NULL;
	BIO *in = BIO_new_file(path, "r");

	if (in != NULL)
		key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
	BIO_free(in);
	if (key == NULL)
		fprintf(stderr,
			"ocsp-forge: cannot read a private key from %s\n",
			path);
	return key;
}

/* Adds every certificate in the PEM file at path to the response's certs. */
static bool embed_certs(OCSP_BASICRESP *bs, const char *path)
{
	BIO *in = BIO_new_file(path, "r");
	X509 *cert;
	int n = 0;
	bool ok = in != NULL;

	while (ok && (cert = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL) {
		ok = OCSP_basic_add1_cert(bs, cert) == 1;
		X509_free(cert);
		n++;
	}
	BIO_free(in);
	if (ok && n > 0) {
		/* Reading stops with a "no start line" error at end of file. */
		ERR_clear_error();
		return true;
	}
	fprintf(stderr, "ocsp-forge: cannot embed certificates from %s\n",
		path);
	return false;
}

/* Turns a SHA-1 CertID's algorithm (1.3.14.3.2.26) into the unassigned
 * 1.3.14.3.2.99, so that no verifier can recompute it. Frees id. */
static OCSP_CERTID *with_unknown_hash(OCSP_CERTID *id)
{
	static const unsigned char sha1_oid[] = {0x06, 0x05, 0x2b, 0x0e,
						 0x03, 0x02, 0x1a};
	unsigned char *der = NULL, *hit;
	const unsigned char *p;
	OCSP_CERTID *patched = NULL;
	int len = i2d_OCSP_CERTID(id, &der);

	if (len > 0 && (hit = memmem(der, (size_t)len, sha1_oid,
				     sizeof(sha1_oid))) != NULL) {
		hit[sizeof(sha1_oid) - 1] = 0x63;
		p = der;
		patched = d2i_OCSP_CERTID(NULL, &p, len);
	}
	OPENSSL_free(der);
	OCSP_CERTID_free(id);
	return patched;
}

/* A critical extension OID (its value a DER NULL) on the response, or on
 * single when bs is NULL. The nonce's OID gets a nonce's value. */
static bool add_critical(OCSP_BASICRESP *bs, OCSP_SINGLERESP *single,
			 const char *oid)
{
	static const unsigned char null_der[] = {0x05, 0x00};
	static const unsigned char nonce_der[] = {0x04, 0x04, 1, 2, 3, 4};
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext = NULL;
	bool nonce = obj != NULL && OBJ_obj2nid(obj) == NID_id_pkix_OCSP_Nonce;
	bool ok = obj != NULL && value != NULL &&
		  ASN1_OCTET_STRING_set(value, nonce ? nonce_der : null_der,
					nonce ? sizeof(nonce_der)
					      : sizeof(null_der)) &&
		  (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 1, value)) !=
			  NULL &&
		  (bs != NULL ? OCSP_BASICRESP_add_ext(bs, ext, -1)
			      : OCSP_SINGLERESP_add_ext(single, ext, -1)) == 1;

	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(value);
	ASN1_OBJECT_free(obj);
	return ok;
}

/* A CrlID extension (RFC 6960 4.4.2) whose crlUrl holds any bytes. */
static bool add_crlid(OCSP_BASICRESP *bs, const char *url)
{
	X509_EXTENSION *ext = OCSP_crlID_new(url, NULL, NULL);
	bool ok = ext != NULL && OCSP_BASICRESP_add_ext(bs, ext, -1) == 1;

	X509_EXTENSION_free(ext);
	return ok;
}

static bool add_single_responses(OCSP_BASICRESP *bs, OCSP_CERTID *id,
				 const struct options *o, time_t now)
{
	ASN1_GENERALIZEDTIME *this_update =
		ASN1_GENERALIZEDTIME_adj(NULL, now, 0, o->this_update);
	ASN1_GENERALIZEDTIME *next_update = NULL;
	ASN1_GENERALIZEDTIME *revoked_at =
		ASN1_GENERALIZEDTIME_set(NULL, REVOCATION_TIME);
	bool ok = false;

	if (o->has_next_update &&
	    (next_update = ASN1_GENERALIZEDTIME_adj(NULL, now, 0,
						    o->next_update)) == NULL)
		goto err;
	if (this_update == NULL || revoked_at == NULL)
		goto err;
	for (int i = 0; i < o->n_statuses; i++) {
		bool revoked = o->statuses[i] == V_OCSP_CERTSTATUS_REVOKED;

		OCSP_SINGLERESP *single = OCSP_basic_add1_status(
			bs, id, o->statuses[i], revoked ? (int)o->reason : 0,
			revoked ? revoked_at : NULL, this_update, next_update);

		if (single == NULL ||
		    (o->single_critical_ext != NULL &&
		     !add_critical(NULL, single, o->single_critical_ext)))
			goto err;
	}
	ok = true;
err:
	ASN1_GENERALIZEDTIME_free(this_update);
	ASN1_GENERALIZEDTIME_free(next_update);
	ASN1_GENERALIZEDTIME_free(revoked_at);
	return ok;
}

/*
 * OCSP_basic_sign() always stamps producedAt with the wall clock and OpenSSL
 * has no setter for it, so the field is changed in place and the response
 * data signed again, with the same key and digest.
 */
static bool set_produced_at(OCSP_BASICRESP *bs, EVP_PKEY *key, time_t when,
			    const EVP_MD *md, bool unreadable)
{
	ASN1_GENERALIZEDTIME *produced =
		(ASN1_GENERALIZEDTIME *)OCSP_resp_get0_produced_at(bs);
	X509_ALGOR *alg = (X509_ALGOR *)OCSP_resp_get0_tbs_sigalg(bs);
	ASN1_BIT_STRING *sig = (ASN1_BIT_STRING *)OCSP_resp_get0_signature(bs);

	/* Month 13: the syntax of a GeneralizedTime, no time at all. */
	static const char bad[] = "20261301000000Z";

	return (unreadable
			? ASN1_STRING_set(produced, bad, sizeof(bad) - 1) == 1
			: ASN1_GENERALIZEDTIME_set(produced, when) != NULL) &&
	       ASN1_item_sign(ASN1_ITEM_rptr(OCSP_RESPDATA), alg, NULL, sig,
			      OCSP_resp_get0_respdata(bs), key, md) > 0;
}

static bool write_response(OCSP_BASICRESP *bs, const char *path)
{
	OCSP_RESPONSE *resp =
		OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	BIO *out = resp != NULL ? BIO_new_file(path, "wb") : NULL;
	bool ok = out != NULL && i2d_OCSP_RESPONSE_bio(out, resp) > 0;

	if (BIO_free(out) != 1)
		ok = false;
	OCSP_RESPONSE_free(resp);
	return ok;
}

int main(int argc, char **argv)
{
	struct options o;
	X509 *issuer = NULL, *cert = NULL, *signer = NULL, *other = NULL;
	EVP_PKEY *key = NULL;
	OCSP_CERTID *id = NULL;
	OCSP_BASICRESP *bs = NULL;
	time_t now = time(NULL);
	const EVP_MD *md;
	int status = EXIT_FAILURE;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	if (!parse_args(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	if ((issuer = load_cert(o.issuer)) == NULL ||
	    (cert = load_cert(o.cert)) == NULL ||
	    (signer = load_cert(o.signer)) == NULL ||
	    (key = load_key(o.key)) == NULL)
		goto err;
	if (o.issuer_name != NULL && (other = load_cert(o.issuer_name)) == NULL)
		goto err;
	/* The right serial and issuer key, another issuer's name. */
	id = other != NULL
		     ? OCSP_cert_id_new(o.sha256 ? EVP_sha256() : EVP_sha1(),
					X509_get_subject_name(other),
					X509_get0_pubkey_bitstr(issuer),
					X509_get_serialNumber(cert))
		     : OCSP_cert_to_id(o.sha256 ? EVP_sha256() : EVP_sha1(),
				       cert, issuer);
	if (id == NULL ||
	    (o.unknown_hash && (id = with_unknown_hash(id)) == NULL) ||
	    (bs = OCSP_BASICRESP_new()) == NULL)
		goto err;
	md = o.md5 ? EVP_md5() : EVP_sha256();
	if (!add_single_responses(bs, id, &o, now) ||
	    (o.nonce && !OCSP_basic_add1_nonce(bs, NULL, 16)) ||
	    (o.critical_ext != NULL &&
	     !add_critical(bs, NULL, o.critical_ext)) ||
	    (o.crl_url != NULL && !add_crlid(bs, o.crl_url)) ||
	    !OCSP_basic_sign(bs, signer, key, md, NULL, OCSP_NOCERTS) ||
	    !set_produced_at(bs, key, now + o.produced_at, md,
			     o.bad_produced_at)) {
		fputs("ocsp-forge: cannot build and sign the response\n",
		      stderr);
		goto err;
	}
	if (o.embed != NULL && !embed_certs(bs, o.embed))
		goto err;
	if (!write_response(bs, o.out)) {
		fprintf(stderr, "ocsp-forge: cannot write %s\n", o.out);
		goto err;
	}
	status = EXIT_SUCCESS;
err:
	if (status != EXIT_SUCCESS)
		ERR_print_errors_fp(stderr);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	EVP_PKEY_free(key);
	X509_free(signer);
	X509_free(other);
	X509_free(cert);
	X509_free(issuer);
	return status;
}
