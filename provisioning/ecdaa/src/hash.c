/* SHA-256 based hashes of the scheme (libsodium) and hash-to-G1. */
#include "provisioning/ecdaa/src/internal.h"

#include <sodium.h>

void hash_to_scalar(sc_t *r, const struct hash_part *parts, size_t count)
{
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < count; i++)
		if (parts[i].len)
			crypto_hash_sha256_update(&st, parts[i].data, parts[i].len);
	crypto_hash_sha256_final(&st, h);
	sc_from_bytes_reduce(r, h);
}

void hash_nonce_scalar(sc_t *c, const uint8_t nonce[32], const sc_t *c_prime)
{
	uint8_t cp[32];
	struct hash_part parts[2] = { { nonce, 32 }, { cp, 32 } };

	sc_to_bytes(cp, c_prime);
	hash_to_scalar(c, parts, 2);
}

int hash_to_g1(g1_affine_t *r, uint32_t *counter, const uint8_t *bsn, size_t bsn_len)
{
	for (uint32_t i = 0; i < 232; i++) {
		crypto_hash_sha256_state st;
		uint8_t le[4] = { (uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16),
				  (uint8_t)(i >> 24) };
		uint8_t h[32];
		fp_t x, rhs, y;

		crypto_hash_sha256_init(&st);
		crypto_hash_sha256_update(&st, le, sizeof(le));
		if (bsn_len)
			crypto_hash_sha256_update(&st, bsn, bsn_len);
		crypto_hash_sha256_final(&st, h);
		fp_from_bytes_reduce(&x, h);
		fp_sqr(&rhs, &x);
		fp_mul(&rhs, &rhs, &x);
		fp_add(&rhs, &rhs, &G1_B);
		if (fp_sqrt(&y, &rhs) != 0)
			continue;
		if (fp_is_odd(&y))
			fp_neg(&y, &y);
		r->x = x;
		r->y = y;
		*counter = i;
		return 0;
	}
	return -1;
}
