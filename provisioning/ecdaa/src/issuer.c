/* Issuer: key generation with its proof of knowledge, proof check, credential issue. */
#include "provisioning/ecdaa/src/internal.h"

/* c = H(Ux | Uy | P2 | X | Y) mod n, G2 points serialized with their 0x04 prefix */
static void issuer_proof_hash(sc_t *c, const g2_affine_t *ux, const g2_affine_t *uy,
			      const g2_affine_t *x, const g2_affine_t *y)
{
	uint8_t buf[5][ECDAA_G2_LEN];
	struct hash_part parts[1] = { { buf, sizeof(buf) } };

	g2_encode_affine(buf[0], ux);
	g2_encode_affine(buf[1], uy);
	g2_encode_affine(buf[2], &G2_GENERATOR);
	g2_encode_affine(buf[3], x);
	g2_encode_affine(buf[4], y);
	hash_to_scalar(c, parts, 1);
}

int ecdaa_issuer_key_pair_generate(struct ecdaa_issuer_public_key *ipk,
				   struct ecdaa_issuer_secret_key *isk)
{
	sc_t x, y, rx, ry, c, s;
	g2_affine_t X, Y, Ux, Uy;
	int rc = -1;

	if (!ipk || !isk || ecdaa_init())
		return -1;
	sc_random(&x);
	sc_random(&y);
	sc_random(&rx);
	sc_random(&ry);
	if (g2_mul_affine(&X, &G2_GENERATOR, &x) || g2_mul_affine(&Y, &G2_GENERATOR, &y) ||
	    g2_mul_affine(&Ux, &G2_GENERATOR, &rx) || g2_mul_affine(&Uy, &G2_GENERATOR, &ry))
		goto out;   /* nonzero scalars below n: never the identity */
	issuer_proof_hash(&c, &Ux, &Uy, &X, &Y);
	g2_out(&ipk->gpk.X, &X);
	g2_out(&ipk->gpk.Y, &Y);
	sc_out(&ipk->c, &c);
	sc_mul(&s, &c, &x);
	sc_add(&s, &s, &rx);
	sc_out(&ipk->sx, &s);
	sc_mul(&s, &c, &y);
	sc_add(&s, &s, &ry);
	sc_out(&ipk->sy, &s);
	sc_out(&isk->x, &x);
	sc_out(&isk->y, &y);
	rc = 0;
out:
	ecdaa_wipe(&x, sizeof(x));
	ecdaa_wipe(&y, sizeof(y));
	ecdaa_wipe(&rx, sizeof(rx));
	ecdaa_wipe(&ry, sizeof(ry));
	ecdaa_wipe(&s, sizeof(s));
	return rc;
}

int ecdaa_issuer_public_key_validate(const struct ecdaa_issuer_public_key *ipk,
				     struct ecdaa_error *err)
{
	sc_t c, sx, sy, c2;
	g2_affine_t X, Y, Ux, Uy;

	ecdaa_clear_error(err);
	if (!ipk)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	g2_in(&X, &ipk->gpk.X);
	g2_in(&Y, &ipk->gpk.Y);
	sc_in(&c, &ipk->c);
	sc_in(&sx, &ipk->sx);
	sc_in(&sy, &ipk->sy);
	/* Ux = sx P2 - c X, Uy = sy P2 - c Y; the identity fails the hash comparison anyway */
	if (g2_mul_sub(&Ux, &sx, &G2_GENERATOR, &c, &X) ||
	    g2_mul_sub(&Uy, &sy, &G2_GENERATOR, &c, &Y))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 258, "issuer proof does not verify");
	issuer_proof_hash(&c2, &Ux, &Uy, &X, &Y);
	if (!sc_equal(&c, &c2))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 258, "issuer proof does not verify");
	return 0;
}

/* c = H(U | V | P1 | B | Q | D) mod n */
static void credential_proof_hash(sc_t *c, const g1_affine_t *u, const g1_affine_t *v,
				  const g1_affine_t *b, const g1_affine_t *q, const g1_affine_t *d)
{
	uint8_t buf[6][ECDAA_G1_LEN];
	struct hash_part parts[1] = { { buf, sizeof(buf) } };

	g1_encode_affine(buf[0], u);
	g1_encode_affine(buf[1], v);
	g1_encode_affine(buf[2], &G1_GENERATOR);
	g1_encode_affine(buf[3], b);
	g1_encode_affine(buf[4], q);
	g1_encode_affine(buf[5], d);
	hash_to_scalar(c, parts, 1);
}

int ecdaa_credential_generate(struct ecdaa_credential *cred,
			      struct ecdaa_credential_signature *cred_sig,
			      const struct ecdaa_issuer_secret_key *isk,
			      const struct ecdaa_member_public_key *pk)
{
	sc_t x, y, l, ly, r, c, s;
	g1_affine_t Q, A, B, C, D, U, V;
	g1_t t, u;
	int rc = -1;

	if (!cred || !cred_sig || !isk || !pk || ecdaa_init())
		return -1;
	sc_in(&x, &isk->x);
	sc_in(&y, &isk->y);
	g1_in(&Q, &pk->Q);
	sc_random(&l);
	sc_random(&r);
	sc_mul(&ly, &l, &y);
	/* A = l P1, B = y A = (l y) P1, D = (l y) Q, C = x (A + D) */
	if (g1_mul_affine(&A, &G1_GENERATOR, &l) || g1_mul_affine(&B, &G1_GENERATOR, &ly) ||
	    g1_mul_affine(&D, &Q, &ly))
		goto out;
	g1_from_affine(&t, &A);
	g1_add_affine(&t, &t, &D);
	g1_mul_ct(&u, &t, x.v);
	if (g1_to_affine(&C, &u))
		goto out;
	/* proof of l y: U = r P1, V = r Q, s = r + c l y */
	if (g1_mul_affine(&U, &G1_GENERATOR, &r) || g1_mul_affine(&V, &Q, &r))
		goto out;
	credential_proof_hash(&c, &U, &V, &B, &Q, &D);
	sc_mul(&s, &c, &ly);
	sc_add(&s, &s, &r);
	g1_out(&cred->A, &A);
	g1_out(&cred->B, &B);
	g1_out(&cred->C, &C);
	g1_out(&cred->D, &D);
	sc_out(&cred_sig->c, &c);
	sc_out(&cred_sig->s, &s);
	rc = 0;
out:
	ecdaa_wipe(&x, sizeof(x));
	ecdaa_wipe(&y, sizeof(y));
	ecdaa_wipe(&l, sizeof(l));
	ecdaa_wipe(&ly, sizeof(ly));
	ecdaa_wipe(&r, sizeof(r));
	return rc;
}

int ecdaa_credential_validate(const struct ecdaa_credential *cred,
			      const struct ecdaa_credential_signature *cred_sig,
			      const struct ecdaa_member_public_key *pk,
			      const struct ecdaa_group_public_key *gpk,
			      struct ecdaa_error *err)
{
	g1_affine_t A, B, C, D, Q, U, V;
	sc_t c, s, c2;

	ecdaa_clear_error(err);
	if (!cred || !cred_sig || !pk || !gpk)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	g1_in(&A, &cred->A);
	g1_in(&B, &cred->B);
	g1_in(&C, &cred->C);
	g1_in(&D, &cred->D);
	g1_in(&Q, &pk->Q);
	sc_in(&c, &cred_sig->c);
	sc_in(&s, &cred_sig->s);
	/* U = s P1 - c B, V = s Q - c D */
	if (g1_mul_sub(&U, &s, &G1_GENERATOR, &c, &B) || g1_mul_sub(&V, &s, &Q, &c, &D))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 0, "credential proof does not verify");
	credential_proof_hash(&c2, &U, &V, &B, &Q, &D);
	if (!sc_equal(&c, &c2))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 0, "credential proof does not verify");
	if (!lrsw_pairings_hold(&A, &B, &C, &D, gpk))
		return ecdaa_fail(err, ECDAA_E_PAIRING, "credential", 0,
				  "credential does not match the group public key");
	return 0;
}
