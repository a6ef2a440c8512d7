/* Shared by the scheme files: conversions between the public opaque structs and the internal
 * types, error reporting, hashing, randomness and the pairing checks of the scheme. */
#ifndef ECDAA_INTERNAL_H
#define ECDAA_INTERNAL_H

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/ecdaa/src/pairing.h"

#include <string.h>

_Static_assert(sizeof(struct ecdaa_g1) == sizeof(g1_affine_t), "G1 layout");
_Static_assert(sizeof(struct ecdaa_g2) == sizeof(g2_affine_t), "G2 layout");
_Static_assert(sizeof(struct ecdaa_scalar) == sizeof(sc_t), "scalar layout");

static inline void g1_in(g1_affine_t *r, const struct ecdaa_g1 *p) { memcpy(r, p, sizeof(*r)); }
static inline void g1_out(struct ecdaa_g1 *r, const g1_affine_t *p) { memcpy(r, p, sizeof(*r)); }
static inline void g2_in(g2_affine_t *r, const struct ecdaa_g2 *p) { memcpy(r, p, sizeof(*r)); }
static inline void g2_out(struct ecdaa_g2 *r, const g2_affine_t *p) { memcpy(r, p, sizeof(*r)); }
static inline void sc_in(sc_t *r, const struct ecdaa_scalar *s) { memcpy(r, s, sizeof(*r)); }
static inline void sc_out(struct ecdaa_scalar *r, const sc_t *s) { memcpy(r, s, sizeof(*r)); }

/* Fill err (when not NULL) and return -1. */
int ecdaa_fail(struct ecdaa_error *err, enum ecdaa_error_kind kind, const char *field,
	       size_t offset, const char *message);
void ecdaa_clear_error(struct ecdaa_error *err);
void ecdaa_wipe(void *p, size_t len);

/* SHA-256 over the concatenation of parts, as a big-endian integer reduced mod n. */
struct hash_part { const void *data; size_t len; };
void hash_to_scalar(sc_t *r, const struct hash_part *parts, size_t count);
/* c = H(n | c') mod n, both 32-byte big-endian: the nonce step of the signature hash. */
void hash_nonce_scalar(sc_t *c, const uint8_t nonce[32], const sc_t *c_prime);
/* Try-and-increment as the TPM does it: x = SHA-256(LE32(i) | bsn) mod p for i = 0..231,
 * the first x with x^3 + 3 a square, y its even root.  *counter receives i.  -1 if none. */
int hash_to_g1(g1_affine_t *r, uint32_t *counter, const uint8_t *bsn, size_t bsn_len);


void g1_encode_affine(uint8_t out[ECDAA_G1_LEN], const g1_affine_t *p);
void g2_encode_affine(uint8_t out[ECDAA_G2_LEN], const g2_affine_t *p);

/* a * P - b * Q for public scalars and points (variable time); -1 when the result is the
 * identity. */
int g1_mul_sub(g1_affine_t *r, const sc_t *a, const g1_affine_t *p, const sc_t *b,
	       const g1_affine_t *q);
int g2_mul_sub(g2_affine_t *r, const sc_t *a, const g2_affine_t *p, const sc_t *b,
	       const g2_affine_t *q);

/* The LRSW credential equations e(A, Y) = e(B, P2) and e(C, P2) = e(A + D, X), checked
 * together as e(rho A, Y) e(C - rho B, P2) e(-(A + D), X) = 1 for a random 128-bit rho. */
int lrsw_pairings_hold(const g1_affine_t *a, const g1_affine_t *b, const g1_affine_t *c,
		       const g1_affine_t *d, const struct ecdaa_group_public_key *gpk);

#endif
