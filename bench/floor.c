/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * floor.c - the least work any correct OCSP staple check must do; bench/run
 * measures check_ocsp_staple against it.
 *
 *   floor HOST PORT CAFILE
 *
 * One TLS handshake with HOST:PORT asking for a staple (status_request),
 * the server's chain verified against CAFILE and HOST; then the staple is
 * decoded, its signature and signer checked with OCSP_basic_verify, and the
 * leaf's status and validity window read from it. Exit 0 when the staple
 * is good, 2 otherwise, with one line on stderr. No options, no output, no
 * timeouts: a floor, not a tool.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/ssl.h>

static int fail(const char *what)
{
	fprintf(stderr, "floor: %s\n", what);
	ERR_print_errors_fp(stderr);
	return 2;
}

/* The staple of a finished handshake: good, signed by someone the store
 * trusts for the leaf's issuer, and within its validity window. */
static int judge(SSL *ssl, X509_STORE *store)
{
	STACK_OF(X509) *chain = SSL_get0_verified_chain(ssl);
	const unsigned char *der = NULL, *p;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *basic = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_GENERALIZEDTIME *this_upd, *next_upd;
	int status, reason, rc = 2;
	long len;

	len = SSL_get_tlsext_status_ocsp_resp(ssl, (unsigned char **)&der);
	if (der == NULL || len <= 0)
		return fail("no staple");
	if (chain == NULL || sk_X509_num(chain) < 2)
		return fail("no verified chain");
	p = der;
	resp = d2i_OCSP_RESPONSE(NULL, &p, len);
	if (resp == NULL || p != der + len ||
	    OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
	    (basic = OCSP_response_get1_basic(resp)) == NULL)
		fail("staple is not a successful basic response");
	else if (OCSP_basic_verify(basic, chain, store, 0) != 1)
		fail("staple's signature or signer does not verify");
	else if ((id = OCSP_cert_to_id(NULL, sk_X509_value(chain, 0),
				       sk_X509_value(chain, 1))) == NULL ||
		 !OCSP_resp_find_status(basic, id, &status, &reason, NULL,
					&this_upd, &next_upd))
		fail("staple is not about the server's certificate");
	else if (!OCSP_check_validity(this_upd, next_upd, 300, -1))
		fail("staple is outside its validity window");
	else if (status != V_OCSP_CERTSTATUS_GOOD)
		fail("certificate is not good");
	else
		rc = 0;
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(basic);
	OCSP_RESPONSE_free(resp);
	return rc;
}

int main(int argc, char **argv)
{
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	BIO *bio = NULL;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: floor HOST PORT CAFILE\n");
		return 3;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL || SSL_CTX_load_verify_file(ctx, argv[3]) != 1)
		return fail("cannot load the trust anchors");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	bio = BIO_new_ssl_connect(ctx);
	if (bio == NULL || BIO_get_ssl(bio, &ssl) != 1)
		return fail("cannot make the connection");
	BIO_set_conn_hostname(bio, argv[1]);
	BIO_set_conn_port(bio, argv[2]);
	if (!SSL_set_tlsext_host_name(ssl, argv[1]) ||
	    !SSL_set1_host(ssl, argv[1]) ||
	    !SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp))
		return fail("cannot prepare the handshake");
	if (BIO_do_handshake(bio) != 1)
		rc = fail("handshake failed");
	else
		rc = judge(ssl, SSL_CTX_get_cert_store(ctx));
	BIO_free_all(bio);
	SSL_CTX_free(ctx);
	return rc;
}
