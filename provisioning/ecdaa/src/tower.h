/* The extension tower of FP256BN:
 *   Fp2  = Fp[i] / (i^2 + 1)
 *   Fp6  = Fp2[v] / (v^3 - xi),  xi = 1 + i
 *   Fp12 = Fp6[w] / (w^2 - v)
 * An Fp12 element c0 + c1 w is also sum g_k w^k (k = 0..5) with g0 = c0.c0, g1 = c1.c0,
 * g2 = c0.c1, g3 = c1.c1, g4 = c0.c2, g5 = c1.c2; the Frobenius maps use that basis. */
#ifndef ECDAA_TOWER_H
#define ECDAA_TOWER_H

#include "provisioning/ecdaa/src/field.h"

typedef struct { fp_t c0, c1; } fp2_t;
typedef struct { fp2_t c0, c1, c2; } fp6_t;
typedef struct { fp6_t c0, c1; } fp12_t;

extern const fp2_t FP2_ZERO, FP2_ONE;

static inline void fp2_add(fp2_t *r, const fp2_t *a, const fp2_t *b)
{
	fp_add(&r->c0, &a->c0, &b->c0);
	fp_add(&r->c1, &a->c1, &b->c1);
}

static inline void fp2_sub(fp2_t *r, const fp2_t *a, const fp2_t *b)
{
	fp_sub(&r->c0, &a->c0, &b->c0);
	fp_sub(&r->c1, &a->c1, &b->c1);
}

static inline void fp2_dbl(fp2_t *r, const fp2_t *a)
{
	fp_dbl(&r->c0, &a->c0);
	fp_dbl(&r->c1, &a->c1);
}

static inline void fp2_neg(fp2_t *r, const fp2_t *a)
{
	fp_neg(&r->c0, &a->c0);
	fp_neg(&r->c1, &a->c1);
}

static inline void fp2_conj(fp2_t *r, const fp2_t *a)
{
	r->c0 = a->c0;
	fp_neg(&r->c1, &a->c1);
}

static inline void fp2_half(fp2_t *r, const fp2_t *a)
{
	fp_half(&r->c0, &a->c0);
	fp_half(&r->c1, &a->c1);
}

/* r = a * xi = (a0 - a1) + (a0 + a1) i */
static inline void fp2_mul_xi(fp2_t *r, const fp2_t *a)
{
	fp_t t;
	fp_sub(&t, &a->c0, &a->c1);
	fp_add(&r->c1, &a->c0, &a->c1);
	r->c0 = t;
}

static inline void fp2_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b)
{
	fp_mul(&r->c0, &a->c0, b);
	fp_mul(&r->c1, &a->c1, b);
}

static inline void fp2_cmov(fp2_t *r, const fp2_t *a, uint64_t mask)
{
	fp_cmov(&r->c0, &a->c0, mask);
	fp_cmov(&r->c1, &a->c1, mask);
}

static inline uint64_t fp2_is_zero(const fp2_t *a)
{
	return fp_is_zero(&a->c0) & fp_is_zero(&a->c1);
}

static inline uint64_t fp2_equal(const fp2_t *a, const fp2_t *b)
{
	return fp_equal(&a->c0, &b->c0) & fp_equal(&a->c1, &b->c1);
}

void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b);
void fp2_sqr(fp2_t *r, const fp2_t *a);
void fp2_inv(fp2_t *r, const fp2_t *a);

void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_neg(fp6_t *r, const fp6_t *a);
void fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_sqr(fp6_t *r, const fp6_t *a);
void fp6_mul_v(fp6_t *r, const fp6_t *a);                /* r = a * v */
void fp6_inv(fp6_t *r, const fp6_t *a);

void fp12_set_one(fp12_t *r);
int fp12_is_one(const fp12_t *a);
int fp12_equal(const fp12_t *a, const fp12_t *b);
void fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b);
void fp12_sqr(fp12_t *r, const fp12_t *a);
void fp12_conj(fp12_t *r, const fp12_t *a);             /* a^(p^6) */
void fp12_inv(fp12_t *r, const fp12_t *a);
void fp12_frob(fp12_t *r, const fp12_t *a, int power);  /* a^(p^power), power 1..3 */
/* r = a * (l0 + l1 v + l2 v w): the shape of a Miller-loop line on this M-type twist. */
void fp12_mul_line(fp12_t *r, const fp12_t *a, const fp2_t *l0, const fp2_t *l1,
		   const fp2_t *l2);
/* Squaring in the cyclotomic subgroup (a^(p^6+1)(p^2-1)... = 1), Granger-Scott. */
void fp12_cyclotomic_sqr(fp12_t *r, const fp12_t *a);
void fp12_pow_vartime(fp12_t *r, const fp12_t *a, const uint64_t *e, size_t nlimbs);
/* 12 x 32 bytes big-endian in struct order: c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2, each Fp2
 * real part first. */
void fp12_to_bytes(uint8_t out[384], const fp12_t *a);

#endif
