/* ecdsa.h: ECDSA P-256 keys and signatures in XTT's raw forms (65-byte X9.62 public keys,
 * 64-byte r | s signatures, SHA-256 inside), key files and the device's self-signed X.509
 * certificate, on OpenSSL libcrypto. */
#ifndef SR6_XTT_ECDSA_H
#define SR6_XTT_ECDSA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "provisioning/xtt/include/xtt.h"

int ecdsa_generate(EVP_PKEY **key);
int ecdsa_public(uint8_t out[XTT_ECDSA_PUB_LEN], const EVP_PKEY *key);
/* A public key from its 65 bytes; -1 unless it is a point of P-256. */
int ecdsa_public_decode(EVP_PKEY **key, const uint8_t pub[XTT_ECDSA_PUB_LEN]);
/* ECDSA-SHA256 over msg. */
int ecdsa_sign(uint8_t sig[XTT_ECDSA_SIG_LEN], EVP_PKEY *key, const uint8_t *msg, size_t len);
/* 0 if sig is pub's ECDSA-SHA256 signature of msg, -1 otherwise. */
int ecdsa_verify(const uint8_t pub[XTT_ECDSA_PUB_LEN], const uint8_t sig[XTT_ECDSA_SIG_LEN],
		 const uint8_t *msg, size_t len);

/* Private key as DER SEC1 ECPrivateKey (121 bytes: with curve and public key), the format of
 * xtt's key files.  *der is OPENSSL_malloc'd. */
int ecdsa_key_encode(uint8_t **der, size_t *len, EVP_PKEY *key);
/* A P-256 private key from DER (SEC1 or PKCS#8) or PEM. */
int ecdsa_key_decode(EVP_PKEY **key, const uint8_t *buf, size_t len);

/* "2001:0DB8:0000:...:0001": 39 characters, upper case, every group written out. */
void identity_full_text(char out[40], const uint8_t id[XTT_ID_LEN]);
/* Self-signed X.509 v1 certificate (DER) for the device: subject = issuer CN = the identity
 * in full form, serial 20 random bytes (top bit clear), ECDSA-SHA256, validity
 * 00000101000000Z .. 99991231235959Z (devices often boot without a clock).  OPENSSL_malloc'd. */
int x509_self_signed(uint8_t **der, size_t *len, EVP_PKEY *key, const uint8_t id[XTT_ID_LEN]);

#endif
