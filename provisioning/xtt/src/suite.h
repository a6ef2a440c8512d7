/* suite.h: the primitives of an XTT suite: hash (SHA-512 or BLAKE2b-512), prf (HMAC-SHA-512
 * or keyed BLAKE2b of the requested length), AEAD (ChaCha20-Poly1305 IETF or AES-256-GCM),
 * X25519, and the random source. */
#ifndef SR6_XTT_SUITE_H
#define SR6_XTT_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/xtt/include/xtt.h"

#define SUITE_HASH_LEN  64
#define SUITE_KEY_LEN   32
#define SUITE_IV_LEN    12
#define SUITE_TAG_LEN   16
#define X25519_LEN      32

/* 1 for suites 1..4. */
int suite_known(unsigned suite);
/* 1 for the BLAKE2b suites, 0 for SHA-512. */
int suite_uses_blake2b(enum xtt_suite suite);
/* 1 for the AES-256-GCM suites. */
int suite_uses_aesgcm(enum xtt_suite suite);

/* hash(in) */
int suite_hash(enum xtt_suite suite, uint8_t out[SUITE_HASH_LEN], const uint8_t *in, size_t len);
/* hash(BE16(len) || in): the "length-prepended" hash of the transcript. */
int suite_hash_ext(enum xtt_suite suite, uint8_t out[SUITE_HASH_LEN], const uint8_t *in, size_t len);
/* prf(key, in) with n output bytes (1..64). */
int suite_prf(enum xtt_suite suite, uint8_t *out, size_t n, const uint8_t *key, size_t key_len,
	      const uint8_t *in, size_t in_len);

/* nonce = iv XOR (0^8 || BE32(seq)) */
void suite_nonce(uint8_t out[SUITE_IV_LEN], const uint8_t iv[SUITE_IV_LEN], uint32_t seq);
/* out = ciphertext || tag (len + 16 bytes). */
int suite_seal(enum xtt_suite suite, uint8_t *out, const uint8_t *pt, size_t len,
	       const uint8_t *ad, size_t ad_len, const uint8_t key[SUITE_KEY_LEN],
	       const uint8_t nonce[SUITE_IV_LEN]);
/* in = ciphertext || tag (len bytes, len >= 16); out gets len - 16 bytes.  -1 on a bad tag. */
int suite_open(enum xtt_suite suite, uint8_t *out, const uint8_t *in, size_t len,
	       const uint8_t *ad, size_t ad_len, const uint8_t key[SUITE_KEY_LEN],
	       const uint8_t nonce[SUITE_IV_LEN]);

void rng_fill(const struct xtt_rng *rng, uint8_t *buf, size_t len);
/* A fresh X25519 key pair from the random source. */
void x25519_keypair(const struct xtt_rng *rng, uint8_t sk[X25519_LEN], uint8_t pub[X25519_LEN]);
/* -1 if the shared secret is all zero (low-order peer key). */
int x25519_shared(uint8_t out[X25519_LEN], const uint8_t sk[X25519_LEN], const uint8_t pub[X25519_LEN]);

/* libsodium and the OpenSSL BLAKE2b MAC; 0 or -1. */
int suite_init(void);

#endif
