/* Signing and verification.
 *   sign:   R, S, T, W = l (A, B, C, D); E = k S; [B = H(bsn), K = sk B, L = k B];
 *           c' = H(E | S | W | [L | B | K | bsn |] msg) mod n; c = H(n | c') mod n;
 *           s = k + c sk
 *   verify: E = s S - c W, [L = s B - c K], the same hashes, the LRSW pairing equations on
 *           (R, S, T, W), then the revocation lists. */
#include "provisioning/ecdaa/src/sign.h"

#include <stdlib.h>

void signature_c_prime(sc_t *c_prime, const g1_affine_t *e, const g1_affine_t *s,
		       const g1_affine_t *w, const struct basename_terms *b,
		       const uint8_t *msg, size_t msg_len)
{
	uint8_t buf[6][ECDAA_G1_LEN];
	struct hash_part parts[3];
	size_t n = 0;

	g1_encode_affine(buf[0], e);
	g1_encode_affine(buf[1], s);
	g1_encode_affine(buf[2], w);
	if (b) {
		g1_encode_affine(buf[3], &b->L);
		g1_encode_affine(buf[4], &b->B);
		g1_encode_affine(buf[5], &b->K);
		parts[n++] = (struct hash_part){ buf, 6 * ECDAA_G1_LEN };
		parts[n++] = (struct hash_part){ b->bsn, b->bsn_len };
	} else {
		parts[n++] = (struct hash_part){ buf, 3 * ECDAA_G1_LEN };
	}
	parts[n++] = (struct hash_part){ msg, msg_len };
	hash_to_scalar(c_prime, parts, n);
}

int randomize_credential(g1_affine_t rstw[4], const struct ecdaa_credential *cred)
{
	const struct ecdaa_g1 *in[4] = { &cred->A, &cred->B, &cred->C, &cred->D };
	sc_t l;
	int rc = 0;

	sc_random(&l);
	for (int i = 0; i < 4 && rc == 0; i++) {
		g1_affine_t p;

		g1_in(&p, in[i]);
		rc = g1_mul_affine(&rstw[i], &p, &l);
	}
	ecdaa_wipe(&l, sizeof(l));
	return rc;
}

void signature_store(struct ecdaa_signature *sig, const sc_t *c, const sc_t *s,
		     const g1_affine_t rstw[4], const struct basename_terms *b)
{
	sc_out(&sig->c, c);
	sc_out(&sig->s, s);
	g1_out(&sig->R, &rstw[0]);
	g1_out(&sig->S, &rstw[1]);
	g1_out(&sig->T, &rstw[2]);
	g1_out(&sig->W, &rstw[3]);
	if (b) {
		g1_out(&sig->K, &b->K);
		sig->has_nym = 1;
	}
}

int ecdaa_signature_sign(struct ecdaa_signature *sig,
			 const uint8_t *msg, size_t msg_len,
			 const uint8_t *bsn, size_t bsn_len,
			 const struct ecdaa_member_secret_key *sk,
			 const struct ecdaa_credential *cred)
{
	g1_affine_t rstw[4], E;
	struct basename_terms bt;
	sc_t x, k, nonce, c_prime, c, s;
	uint32_t counter;
	int rc = -1;

	if (!sig || !sk || !cred || (msg_len && !msg) || (bsn_len && !bsn) ||
	    bsn_len > ECDAA_BASENAME_MAX || ecdaa_init())
		return -1;
	memset(sig, 0, sizeof(*sig));
	sc_in(&x, &sk->sk);
	sc_random(&k);
	if (randomize_credential(rstw, cred) || g1_mul_affine(&E, &rstw[1], &k))
		goto out;
	if (bsn_len) {
		if (hash_to_g1(&bt.B, &counter, bsn, bsn_len) || g1_mul_affine(&bt.K, &bt.B, &x) ||
		    g1_mul_affine(&bt.L, &bt.B, &k))
			goto out;
		bt.bsn = bsn;
		bt.bsn_len = bsn_len;
	}
	signature_c_prime(&c_prime, &E, &rstw[1], &rstw[3], bsn_len ? &bt : NULL, msg, msg_len);
	sc_random(&nonce);
	sc_to_bytes(sig->n, &nonce);
	hash_nonce_scalar(&c, sig->n, &c_prime);
	sc_mul(&s, &c, &x);
	sc_add(&s, &s, &k);
	signature_store(sig, &c, &s, rstw, bsn_len ? &bt : NULL);
	rc = 0;
out:
	ecdaa_wipe(&x, sizeof(x));
	ecdaa_wipe(&k, sizeof(k));
	return rc;
}

int ecdaa_signature_verify(const struct ecdaa_signature *sig,
			   const struct ecdaa_group_public_key *gpk,
			   const struct ecdaa_revocations *rev,
			   const uint8_t *msg, size_t msg_len,
			   const uint8_t *bsn, size_t bsn_len,
			   struct ecdaa_error *err)
{
	g1_affine_t R, S, T, W, E;
	struct basename_terms bt;
	sc_t c, s, c_prime, c2;
	uint32_t counter;

	ecdaa_clear_error(err);
	if (!sig || !gpk || (msg_len && !msg) || (bsn_len && !bsn) ||
	    (rev && ((rev->sk_count && !rev->sk_list) || (rev->bsn_count && !rev->bsn_list))))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (bsn_len > ECDAA_BASENAME_MAX)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "basename", 0, "basename too long");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	if (bsn_len && !sig->has_nym)
		return ecdaa_fail(err, ECDAA_E_BASENAME, "K", ECDAA_PSEUDONYM_OFFSET,
				  "a basename was given but the signature has no pseudonym");
	if (!bsn_len && sig->has_nym)
		return ecdaa_fail(err, ECDAA_E_BASENAME, "K", ECDAA_PSEUDONYM_OFFSET,
				  "the signature has a pseudonym but no basename was given");
	g1_in(&R, &sig->R);
	g1_in(&S, &sig->S);
	g1_in(&T, &sig->T);
	g1_in(&W, &sig->W);
	sc_in(&c, &sig->c);
	sc_in(&s, &sig->s);

	/* Schnorr proof of sk: E = s S - c W (and L = s B - c K) */
	if (g1_mul_sub(&E, &s, &S, &c, &W))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 0, "signature proof does not verify");
	if (bsn_len) {
		if (hash_to_g1(&bt.B, &counter, bsn, bsn_len))
			return ecdaa_fail(err, ECDAA_E_BASENAME, "basename", 0,
					  "basename does not hash to the curve");
		g1_in(&bt.K, &sig->K);
		if (g1_mul_sub(&bt.L, &s, &bt.B, &c, &bt.K))
			return ecdaa_fail(err, ECDAA_E_PROOF, "c", 0,
					  "signature proof does not verify");
		bt.bsn = bsn;
		bt.bsn_len = bsn_len;
	}
	signature_c_prime(&c_prime, &E, &S, &W, bsn_len ? &bt : NULL, msg, msg_len);
	hash_nonce_scalar(&c2, sig->n, &c_prime);
	if (!sc_equal(&c, &c2))
		return ecdaa_fail(err, ECDAA_E_PROOF, "c", 0,
				  "signature proof does not verify (message, basename or "
				  "signature altered)");

	/* the randomized credential satisfies the LRSW equations under the group key */
	if (!lrsw_pairings_hold(&R, &S, &T, &W, gpk))
		return ecdaa_fail(err, ECDAA_E_PAIRING, "R", 64,
				  "signature does not match the group public key");

	if (!rev)
		return 0;
	if (rev->bsn_count && sig->has_nym) {
		for (size_t i = 0; i < rev->bsn_count; i++)
			if (ecdaa_g1_equal(&rev->bsn_list[i], &sig->K))
				return ecdaa_fail(err, ECDAA_E_REVOKED_NYM, "K",
						  ECDAA_PSEUDONYM_OFFSET, "pseudonym is revoked");
	}
	if (rev->sk_count && revoked_key_matches(&S, &W, rev->sk_list, rev->sk_count))
		return ecdaa_fail(err, ECDAA_E_REVOKED_KEY, "W", 259,
				  "signed with a revoked secret key");
	return 0;
}

/* Below this many revoked keys, one multiplication per key beats building the table. */
#define REVOCATION_TABLE_MIN 8
#define TABLE_WINDOWS 64

/* W == sk S for some listed sk.  With many keys: a table of d 16^j S (j < 64, d < 16, affine)
 * makes each sk S 64 mixed additions and no doublings. */
int revoked_key_matches(const g1_affine_t *S, const g1_affine_t *W,
			const struct ecdaa_member_secret_key *list, size_t count)
{
	g1_t base, t, w;
	g1_affine_t *tab = NULL;
	g1_t *proj = NULL;
	fp_t *scratch = NULL;
	int found = 0;

	g1_from_affine(&base, S);
	g1_from_affine(&w, W);
	if (count >= REVOCATION_TABLE_MIN) {
		tab = malloc(TABLE_WINDOWS * 15 * sizeof(*tab));
		proj = malloc(TABLE_WINDOWS * 15 * sizeof(*proj));
		scratch = malloc(TABLE_WINDOWS * 15 * sizeof(*scratch));
	}
	if (!tab || !proj || !scratch) {   /* few keys, or no memory: the plain way */
		for (size_t i = 0; i < count && !found; i++) {
			sc_t k;

			sc_in(&k, &list[i].sk);
			g1_mul_ct(&t, &base, k.v);
			found = g1_equal(&t, &w);
		}
		goto out;
	}
	for (int j = 0; j < TABLE_WINDOWS; j++) {
		g1_t *row = proj + 15 * j;

		row[0] = base;
		for (int d = 1; d < 15; d++)
			g1_add(&row[d], &row[d - 1], &base);
		g1_dbl(&base, &row[7]);                  /* 16 * base = 2 * (8 * base) */
	}
	g1_batch_to_affine(tab, proj, TABLE_WINDOWS * 15, scratch);
	for (size_t i = 0; i < count && !found; i++) {
		sc_t k;

		sc_in(&k, &list[i].sk);
		g1_set_identity(&t);
		for (int j = 0; j < TABLE_WINDOWS; j++) {
			unsigned int d = (unsigned int)(k.v[j / 16] >> (4 * (j % 16))) & 15;

			if (d)
				g1_add_affine(&t, &t, &tab[15 * j + d - 1]);
		}
		found = g1_equal(&t, &w);
	}
out:
	free(tab);
	free(proj);
	free(scratch);
	return found;
}
