/* The optimal ate pairing e: G1 x G2 -> GT on FP256BN (loop 6u+2, u = -0x6882F5C030B0A801),
 * e(P, Q) = (f_{6u+2,Q}(P) l_{[6u+2]Q, pi(Q)}(P) l_{[6u+2]Q + pi(Q), -pi^2(Q)}(P))^((p^12-1)/n).
 * Products of pairings share the squarings of the Miller loop and one final exponentiation. */
#ifndef ECDAA_PAIRING_H
#define ECDAA_PAIRING_H

#include "provisioning/ecdaa/src/curve.h"

#define PAIRING_MAX_PAIRS 4

/* f = prod_j f_j(P_j, Q_j) before the final exponentiation; 1 <= count <= PAIRING_MAX_PAIRS,
 * no point may be the identity. */
void pairing_miller_loop(fp12_t *f, const g1_affine_t *P, const g2_affine_t *Q, size_t count);
void pairing_final_exp(fp12_t *r, const fp12_t *f);
void pairing_compute(fp12_t *r, const g1_affine_t *P, const g2_affine_t *Q);
/* 1 when prod_j e(P_j, Q_j) == 1. */
int pairing_product_is_one(const g1_affine_t *P, const g2_affine_t *Q, size_t count);

#endif
