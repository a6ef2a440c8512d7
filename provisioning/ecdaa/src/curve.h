/* The groups of FP256BN: G1 = E(Fp), y^2 = x^3 + 3, generator P1 = (1, 2), prime order n; and
 * G2, the order-n subgroup of the M-type sextic twist E'(Fp2): y^2 = x^3 + 3 xi, generator P2
 * of AMCL (used by xaptum/ecdaa).  See curve_impl.h for the formulas. */
#ifndef ECDAA_CURVE_H
#define ECDAA_CURVE_H

#include "provisioning/ecdaa/src/tower.h"

typedef struct { fp_t x, y, z; } g1_t;
typedef struct { fp_t x, y; } g1_affine_t;
typedef struct { fp2_t x, y, z; } g2_t;
typedef struct { fp2_t x, y; } g2_affine_t;

extern const g1_affine_t G1_GENERATOR;
extern const g2_affine_t G2_GENERATOR;
extern const fp_t G1_B;                /* b = 3 of y^2 = x^3 + b */

void g1_set_identity(g1_t *r);
int g1_is_identity(const g1_t *p);
void g1_from_affine(g1_t *r, const g1_affine_t *a);
int g1_to_affine(g1_affine_t *r, const g1_t *p);
void g1_neg(g1_t *r, const g1_t *p);
void g1_add(g1_t *r, const g1_t *p, const g1_t *q);
void g1_add_affine(g1_t *r, const g1_t *p, const g1_affine_t *q);
void g1_dbl(g1_t *r, const g1_t *p);
int g1_equal(const g1_t *p, const g1_t *q);
void g1_mul_ct(g1_t *r, const g1_t *p, const uint64_t k[4]);
void g1_mul_ct_windows(g1_t *r, const g1_t *p, const uint64_t k[4], int windows);
void g1_mul2_vartime(g1_t *r, const g1_t *p, const uint64_t a[4], const g1_t *q,
		     const uint64_t b[4]);
int g1_affine_on_curve(const g1_affine_t *a);
/* Affine forms of count points, none the identity, with one inversion (Montgomery's trick);
 * scratch holds count field elements. */
void g1_batch_to_affine(g1_affine_t *out, const g1_t *in, size_t count, fp_t *scratch);
int g1_affine_equal(const g1_affine_t *a, const g1_affine_t *b);

void g2_set_identity(g2_t *r);
int g2_is_identity(const g2_t *p);
void g2_from_affine(g2_t *r, const g2_affine_t *a);
int g2_to_affine(g2_affine_t *r, const g2_t *p);
void g2_neg(g2_t *r, const g2_t *p);
void g2_add(g2_t *r, const g2_t *p, const g2_t *q);
void g2_add_affine(g2_t *r, const g2_t *p, const g2_affine_t *q);
void g2_dbl(g2_t *r, const g2_t *p);
int g2_equal(const g2_t *p, const g2_t *q);
void g2_mul_ct(g2_t *r, const g2_t *p, const uint64_t k[4]);
void g2_mul_ct_windows(g2_t *r, const g2_t *p, const uint64_t k[4], int windows);
void g2_mul2_vartime(g2_t *r, const g2_t *p, const uint64_t a[4], const g2_t *q,
		     const uint64_t b[4]);
int g2_affine_on_curve(const g2_affine_t *a);
/* The p-power Frobenius endomorphism pi carried to the twist (acts as p on G2). */
void g2_affine_frobenius(g2_affine_t *r, const g2_affine_t *a);

/* Order-n subgroup membership of a point of E'(Fp2) (n * P == O).  G1 needs no such check:
 * its cofactor is 1. */
int g2_affine_in_subgroup(const g2_affine_t *a);

/* r = k * P in affine form, constant time in k; -1 when the result is the identity. */
int g1_mul_affine(g1_affine_t *r, const g1_affine_t *p, const sc_t *k);
int g2_mul_affine(g2_affine_t *r, const g2_affine_t *p, const sc_t *k);

#endif
