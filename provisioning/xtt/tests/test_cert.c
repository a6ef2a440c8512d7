/* ECDSA P-256 encodings, key files, server certificates and the device's X.509 certificate. */
#include <string.h>

#include <criterion/criterion.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *k;

	cr_assert_eq(ecdsa_generate(&k), 0);
	return k;
}

Test(cert, ecdsa_sign_verify_and_tamper)
{
	EVP_PKEY *k = new_key();
	uint8_t pub[65], sig[64], sig2[64];
	const uint8_t msg[] = "this is a test msg to be signed";

	cr_assert_eq(ecdsa_public(pub, k), 0);
	cr_assert_eq(pub[0], 0x04);
	cr_assert_eq(ecdsa_sign(sig, k, msg, sizeof(msg)), 0);
	cr_assert_eq(ecdsa_verify(pub, sig, msg, sizeof(msg)), 0);
	cr_assert_eq(ecdsa_sign(sig2, k, msg, sizeof(msg)), 0);
	cr_assert(memcmp(sig, sig2, 64) != 0, "k is random, signatures differ");
	cr_assert_eq(ecdsa_verify(pub, sig, msg, sizeof(msg) - 1), -1);
	sig[10] ^= 1;
	cr_assert_eq(ecdsa_verify(pub, sig, msg, sizeof(msg)), -1);
	pub[64] ^= 1; /* off the curve */
	cr_assert_eq(ecdsa_verify(pub, sig2, msg, sizeof(msg)), -1);
	EVP_PKEY_free(k);
}

Test(cert, key_file_is_121_byte_sec1_der)
{
	EVP_PKEY *k = new_key(), *back;
	uint8_t *der, pub[65], pub2[65];
	size_t len;

	cr_assert_eq(ecdsa_key_encode(&der, &len, k), 0);
	cr_assert_eq(len, 121);
	cr_assert_eq(der[0], 0x30);
	cr_assert_eq(der[7 - 2], 0x04); /* OCTET STRING tag of the private key */
	cr_assert_eq(ecdsa_key_decode(&back, der, len), 0);
	ecdsa_public(pub, k);
	ecdsa_public(pub2, back);
	cr_assert(memcmp(pub, pub2, 65) == 0);
	cr_assert(memcmp(der + 56, pub, 65) == 0, "public key at offset 56");
	cr_assert_eq(ecdsa_key_decode(&back, der, len - 1) == 0 ? 0 : -1, -1);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
}

static void make_root(struct xtt_root_cert *root, EVP_PKEY **root_key)
{
	*root_key = new_key();
	memset(root->id, 0, sizeof(root->id));
	root->id[15] = 1;
	cr_assert_eq(ecdsa_public(root->pub, *root_key), 0);
}

Test(cert, server_certificate_chain)
{
	struct xtt_root_cert root, other;
	EVP_PKEY *root_key, *other_key, *server_key = new_key();
	uint8_t cert[XTT_SERVER_CERT_LEN], spub[65], enc[XTT_ROOT_CERT_LEN];
	struct xerr e;

	make_root(&root, &root_key);
	make_root(&other, &other_key);
	other.id[15] = 2;
	ecdsa_public(spub, server_key);
	cr_assert_eq(server_cert_build(cert, (const uint8_t *)CERT_RESERVED_DEFAULT, &root, root_key, spub), 0);
	cr_assert(memcmp(cert, CERT_RESERVED_DEFAULT, 24) == 0);
	cr_assert(memcmp(cert + 24, root.id, 16) == 0);
	cr_assert(memcmp(cert + 40, spub, 65) == 0);
	cr_assert_eq(server_cert_check(cert, &root, &e), 0);
	cr_assert_eq(server_cert_matches_key(cert, server_key), 0);
	cr_assert_eq(server_cert_matches_key(cert, root_key), -1);
	/* Signing with a key that is not the root's is refused. */
	cr_assert_eq(server_cert_build(cert, (const uint8_t *)CERT_RESERVED_DEFAULT, &root, other_key, spub), -1);
	cr_assert_eq(server_cert_build(cert, (const uint8_t *)CERT_RESERVED_DEFAULT, &root, root_key, spub), 0);
	/* Another root id: unknown root; same id but another key: bad certificate. */
	cr_assert_eq(server_cert_check(cert, &other, &e), -1);
	cr_assert_eq(e.code, XTT_E_UNKNOWN_ROOT);
	memcpy(other.id, root.id, 16);
	cr_assert_eq(server_cert_check(cert, &other, &e), -1);
	cr_assert_eq(e.code, XTT_E_SERVER_CERT);
	/* Any signed byte changed breaks the root signature. */
	cert[50] ^= 1;
	cr_assert_eq(server_cert_check(cert, &root, &e), -1);
	cr_assert_eq(e.code, XTT_E_SERVER_CERT);
	cr_assert(strstr(e.text, "root_sig (offset 105)"), "%s", e.text);
	root_cert_encode(enc, &root);
	cr_assert_eq(root_cert_decode(&other, enc, sizeof(enc), &e), 0);
	cr_assert(memcmp(&other, &root, sizeof(root)) == 0);
	enc[80] ^= 1;
	cr_assert_eq(root_cert_decode(&other, enc, sizeof(enc), &e), -1);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(server_key);
}

Test(cert, identity_text_full_form)
{
	uint8_t id[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0, 1 };
	char text[40];

	identity_full_text(text, id);
	cr_assert_str_eq(text, "2001:0DB8:0000:0000:0000:0000:ABCD:0001");
}

Test(cert, self_signed_x509)
{
	EVP_PKEY *k = new_key();
	uint8_t id[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0, 1 };
	uint8_t *der;
	const unsigned char *p;
	size_t len;
	X509 *x;
	char cn[64];
	const ASN1_INTEGER *serial;

	cr_assert_eq(x509_self_signed(&der, &len, k, id), 0);
	cr_assert(len >= 358 && len <= 360, "DER length %zu", len);
	p = der;
	x = d2i_X509(NULL, &p, (long)len);
	cr_assert_not_null(x);
	cr_assert_eq(X509_get_version(x), X509_VERSION_1);
	cr_assert_eq(X509_verify(x, k), 1, "self-signature verifies");
	cr_assert_eq(X509_check_issued(x, x), X509_V_OK, "issuer == subject");
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
	cr_assert_str_eq(cn, "2001:0DB8:0000:0000:0000:0000:ABCD:0001");
	serial = X509_get0_serialNumber(x);
	cr_assert_eq(serial->length, 20);
	cr_assert_eq(serial->data[0] & 0x80, 0);
	cr_assert_eq(ASN1_TIME_check(X509_get0_notBefore(x)), 1);
	cr_assert_eq(ASN1_TIME_check(X509_get0_notAfter(x)), 1);
	X509_free(x);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
}
