/* ecdsa.c: ECDSA P-256 on OpenSSL 3 (EVP), raw XTT encodings, key files, X.509. */
#include "provisioning/xtt/src/ecdsa.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

int ecdsa_generate(EVP_PKEY **key)
{
	*key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	return *key ? 0 : -1;
}

int ecdsa_public(uint8_t out[XTT_ECDSA_PUB_LEN], const EVP_PKEY *key)
{
	size_t len = 0;

	if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out, XTT_ECDSA_PUB_LEN,
					    &len) != 1 || len != XTT_ECDSA_PUB_LEN || out[0] != 0x04)
		return -1;
	return 0;
}

int ecdsa_public_decode(EVP_PKEY **key, const uint8_t pub[XTT_ECDSA_PUB_LEN])
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY_CTX *check;
	int ok;

	*key = NULL;
	if (pub[0] != 0x04)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub,
						      XTT_ECDSA_PUB_LEN);
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx)
		return -1;
	ok = EVP_PKEY_fromdata_init(ctx) == 1 &&
	     EVP_PKEY_fromdata(ctx, key, EVP_PKEY_PUBLIC_KEY, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		return -1;
	/* fromdata decodes the point; the check rejects one off the curve (P-256 has cofactor 1,
	 * so on the curve and not infinity means in the group: the quick check suffices). */
	check = EVP_PKEY_CTX_new_from_pkey(NULL, *key, NULL);
	ok = check && EVP_PKEY_public_check_quick(check) == 1;
	EVP_PKEY_CTX_free(check);
	if (!ok) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return -1;
	}
	return 0;
}

int ecdsa_sign(uint8_t sig[XTT_ECDSA_SIG_LEN], EVP_PKEY *key, const uint8_t *msg, size_t len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80];
	size_t der_len = sizeof(der);
	const unsigned char *p = der;
	ECDSA_SIG *s = NULL;
	int rc = -1;

	if (!md)
		return -1;
	if (EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(md, der, &der_len, msg, len) != 1)
		goto out;
	s = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!s)
		goto out;
	if (BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, 32) != 32 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + 32, 32) != 32)
		goto out;
	rc = 0;
out:
	ECDSA_SIG_free(s);
	EVP_MD_CTX_free(md);
	return rc;
}

int ecdsa_verify(const uint8_t pub[XTT_ECDSA_PUB_LEN], const uint8_t sig[XTT_ECDSA_SIG_LEN],
		 const uint8_t *msg, size_t len)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *s = NULL;
	BIGNUM *r = NULL, *sv = NULL;
	unsigned char *der = NULL;
	int der_len, rc = -1;

	if (ecdsa_public_decode(&key, pub) < 0)
		return -1;
	s = ECDSA_SIG_new();
	r = BN_bin2bn(sig, 32, NULL);
	sv = BN_bin2bn(sig + 32, 32, NULL);
	if (!s || !r || !sv || ECDSA_SIG_set0(s, r, sv) != 1) {
		BN_free(r);
		BN_free(sv);
		goto out;
	}
	der_len = i2d_ECDSA_SIG(s, &der);
	if (der_len <= 0)
		goto out;
	md = EVP_MD_CTX_new();
	if (md && EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) == 1 &&
	    EVP_DigestVerify(md, der, (size_t)der_len, msg, len) == 1)
		rc = 0;
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(s);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return rc;
}

int ecdsa_key_encode(uint8_t **der, size_t *len, EVP_PKEY *key)
{
	OSSL_ENCODER_CTX *enc;
	int ok;

	*der = NULL;
	*len = 0;
	enc = OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_KEYPAIR, "DER", "type-specific", NULL);
	if (!enc)
		return -1;
	ok = OSSL_ENCODER_CTX_get_num_encoders(enc) > 0 && OSSL_ENCODER_to_data(enc, der, len) == 1;
	OSSL_ENCODER_CTX_free(enc);
	return ok ? 0 : -1;
}

int ecdsa_key_decode(EVP_PKEY **key, const uint8_t *buf, size_t len)
{
	static const char *const inputs[] = { "DER", "PEM" };

	*key = NULL;
	for (size_t i = 0; i < 2 && !*key; i++) {
		const unsigned char *p = buf;
		size_t left = len;
		OSSL_DECODER_CTX *dec = OSSL_DECODER_CTX_new_for_pkey(key, inputs[i], NULL, "EC",
								      EVP_PKEY_KEYPAIR, NULL, NULL);

		if (!dec)
			return -1;
		if (OSSL_DECODER_from_data(dec, &p, &left) != 1 && *key) {
			EVP_PKEY_free(*key);
			*key = NULL;
		}
		OSSL_DECODER_CTX_free(dec);
	}
	if (!*key)
		return -1;
	{
		char group[32];
		size_t glen = 0;
		uint8_t pub[XTT_ECDSA_PUB_LEN];

		if (EVP_PKEY_get_utf8_string_param(*key, OSSL_PKEY_PARAM_GROUP_NAME, group,
						   sizeof(group), &glen) != 1 ||
		    strcmp(group, "prime256v1") != 0 || ecdsa_public(pub, *key) < 0) {
			EVP_PKEY_free(*key);
			*key = NULL;
			return -1;
		}
	}
	return 0;
}

void identity_full_text(char out[40], const uint8_t id[XTT_ID_LEN])
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 5 * i, 6, "%02X%02X%s", id[2 * i], id[2 * i + 1], i < 7 ? ":" : "");
}

int x509_self_signed(uint8_t **der, size_t *len, EVP_PKEY *key, const uint8_t id[XTT_ID_LEN])
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	ASN1_INTEGER *serial = NULL;
	ASN1_TIME *from = ASN1_TIME_new(), *until = ASN1_TIME_new();
	BIGNUM *bn = NULL;
	uint8_t sbytes[20];
	char cn[40];
	unsigned char *out = NULL;
	int n, rc = -1;

	*der = NULL;
	*len = 0;
	if (!x || !name || !from || !until)
		goto out;
	identity_full_text(cn, id);
	if (RAND_bytes(sbytes, sizeof(sbytes)) != 1)
		goto out;
	sbytes[0] &= 0x7f;
	sbytes[0] |= 0x01; /* keep 20 bytes: no leading zero for DER to strip */
	bn = BN_bin2bn(sbytes, sizeof(sbytes), NULL);
	serial = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	if (!serial || X509_set_version(x, X509_VERSION_1) != 1 ||
	    X509_set_serialNumber(x, serial) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_subject_name(x, name) != 1 || X509_set_issuer_name(x, name) != 1 ||
	    ASN1_TIME_set_string(from, "00000101000000Z") != 1 ||
	    ASN1_TIME_set_string(until, "99991231235959Z") != 1 ||
	    X509_set1_notBefore(x, from) != 1 || X509_set1_notAfter(x, until) != 1 ||
	    X509_set_pubkey(x, key) != 1 || X509_sign(x, key, EVP_sha256()) <= 0)
		goto out;
	n = i2d_X509(x, &out);
	if (n <= 0)
		goto out;
	*der = out;
	*len = (size_t)n;
	rc = 0;
out:
	BN_free(bn);
	ASN1_INTEGER_free(serial);
	ASN1_TIME_free(from);
	ASN1_TIME_free(until);
	X509_NAME_free(name);
	X509_free(x);
	return rc;
}
