/* Member join: key pair with a proof of knowledge of sk bound to the issuer's nonce, and the
 * issuer's check of that proof. */
#include "provisioning/ecdaa/src/internal.h"

/* c' = H(U | P1 | Q | nonce) mod n, then c = H(n | c') mod n */
static void join_proof_hash(sc_t *c, const g1_affine_t *u, const g1_affine_t *q,
			    const uint8_t *nonce, size_t nonce_len, const uint8_t n[32])
{
	uint8_t buf[3][ECDAA_G1_LEN];
	struct hash_part parts[2] = { { buf, sizeof(buf) }, { nonce, nonce_len } };
	sc_t c_prime;

	g1_encode_affine(buf[0], u);
	g1_encode_affine(buf[1], &G1_GENERATOR);
	g1_encode_affine(buf[2], q);
	hash_to_scalar(&c_prime, parts, 2);
	hash_nonce_scalar(c, n, &c_prime);
}

int ecdaa_member_key_pair_generate(struct ecdaa_member_public_key *pk,
				   struct ecdaa_member_secret_key *sk,
				   const uint8_t *nonce, size_t nonce_len)
{
	sc_t x, k, n, c, s;
	g1_affine_t Q, U;
	int rc = -1;

	if (!pk || !sk || (nonce_len && !nonce) || ecdaa_init())
		return -1;
	sc_random(&x);
	sc_random(&k);
	sc_random(&n);
	if (g1_mul_affine(&Q, &G1_GENERATOR, &x) || g1_mul_affine(&U, &G1_GENERATOR, &k))
		goto out;
	g1_out(&pk->Q, &Q);
	sc_to_bytes(pk->n, &n);
	join_proof_hash(&c, &U, &Q, nonce, nonce_len, pk->n);
	sc_mul(&s, &c, &x);
	sc_add(&s, &s, &k);
	sc_out(&pk->c, &c);
	sc_out(&pk->s, &s);
	sc_out(&sk->sk, &x);
	rc = 0;
out:
	ecdaa_wipe(&x, sizeof(x));
	ecdaa_wipe(&k, sizeof(k));
	return rc;
}

int ecdaa_member_public_key_validate(const struct ecdaa_member_public_key *pk,
				     const uint8_t *nonce, size_t nonce_len,
				     struct ecdaa_error *err)
{
	g1_affine_t Q, U;
	sc_t c, s, c2;

	ecdaa_clear_error(err);
	if (!pk || (nonce_len && !nonce))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	g1_in(&Q, &pk->Q);
	sc_in(&c, &pk->c);
	sc_in(&s, &pk->s);
	/* U = s P1 - c Q */
	if (g1_mul_sub(&U, &s, &G1_GENERATOR, &c, &Q))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 65,
				  "member proof does not verify (wrong key or nonce)");
	join_proof_hash(&c2, &U, &Q, nonce, nonce_len, pk->n);
	if (!sc_equal(&c, &c2))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 65,
				  "member proof does not verify (wrong key or nonce)");
	return 0;
}
