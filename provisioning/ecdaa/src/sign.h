/* Pieces of signing shared by the software and TPM paths. */
#ifndef ECDAA_SIGN_H
#define ECDAA_SIGN_H

#include "provisioning/ecdaa/src/internal.h"

struct basename_terms {
	g1_affine_t B, K, L;    /* H(bsn), sk B, k B */
	const uint8_t *bsn;
	size_t bsn_len;
};

/* c' = H(E | S | W | [L | B | K | bsn |] msg) mod n (b NULL: no basename) */
void signature_c_prime(sc_t *c_prime, const g1_affine_t *e, const g1_affine_t *s,
		       const g1_affine_t *w, const struct basename_terms *b,
		       const uint8_t *msg, size_t msg_len);
/* rstw = l (A, B, C, D) for a fresh random l */
int randomize_credential(g1_affine_t rstw[4], const struct ecdaa_credential *cred);
/* The signature's c, s and randomized credential R, S, T, W; with b, its pseudonym K. */
void signature_store(struct ecdaa_signature *sig, const sc_t *c, const sc_t *s,
		     const g1_affine_t rstw[4], const struct basename_terms *b);
/* 1 when W == sk S for some listed sk */
int revoked_key_matches(const g1_affine_t *S, const g1_affine_t *W,
			const struct ecdaa_member_secret_key *list, size_t count);

#endif
