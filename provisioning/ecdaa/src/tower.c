/* Fp2, Fp6 and Fp12 arithmetic: Karatsuba products, Chung-Hasan squaring in Fp6, sparse
 * products by Miller-loop lines, Frobenius maps and Granger-Scott cyclotomic squaring. */
#include "provisioning/ecdaa/src/tower.h"

const fp2_t FP2_ZERO = { { { 0, 0, 0, 0 } }, { { 0, 0, 0, 0 } } };
const fp2_t FP2_ONE = { { { 0x2cd6d224512ccfedULL, 0xf3239a04ed67f57dULL, 0xb91a0da1118e5b60ULL,
			    0x0000000000030f32ULL } }, { { 0, 0, 0, 0 } } };

/* gamma[j-1][k-1] = xi^(k (p^j - 1) / 6), Montgomery form */
static const fp2_t FROB_GAMMA[3][5] = {
	{
		{ { { 0x77f4336c9f5752e0ULL, 0xe3bdb82d415ee3e9ULL, 0x1db98d9447e2e741ULL, 0x18511e53c29f09a5ULL } },
		  { { 0x5b34fa6f0f7bdd33ULL, 0x291eadcdd1392699ULL, 0x292c64caa68ebd5dULL, 0xe7aee1ac3d5de728ULL } } },
		{ { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } },
		  { { 0xac44103884008c2cULL, 0x26e76706f524db81ULL, 0x49cc4e27b51eaff8ULL, 0x266648723c3f9cffULL } } },
		{ { { 0x5edcf655589425d3ULL, 0x15149d62cb8ed0c3ULL, 0x1eddc85dd8b38df6ULL, 0x90db7f10803fa480ULL } },
		  { { 0x5edcf655589425d3ULL, 0x15149d62cb8ed0c3ULL, 0x1eddc85dd8b38df6ULL, 0x90db7f10803fa480ULL } } },
		{ { { 0xd91ae25cd52d5c19ULL, 0x1a0b010be28cd0feULL, 0x02e65bc8c6ad0b59ULL, 0x266648723c42ac32ULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
		{ { { 0xd6d129c1f7eb78b3ULL, 0xf8d255900cedb4acULL, 0x3c9755f220967537ULL, 0xa92c9d6442deae25ULL } },
		  { { 0xfc580419b6e7b760ULL, 0x140a106b05aa55d5ULL, 0x0a4e9c6ccddb2f67ULL, 0x56d3629bbd1e42a8ULL } } },
	},
	{
		{ { { 0x26e51da32ad2a3e7ULL, 0xe5f4fef41d732f01ULL, 0xfd19a4373952f4a6ULL, 0xd999b78dc3bd53cdULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
		{ { { 0xfa0e4b7ed9a5d3faULL, 0xf2d164ef300b3983ULL, 0x43ff969627c49945ULL, 0xd999b78dc3ba449bULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
		{ { { 0xa6525bb75da66026ULL, 0x19b8cbf625301505ULL, 0x8dcbe4bddce3493eULL, 0xfffffffffff9e19aULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
		{ { { 0xac44103884008c2cULL, 0x26e76706f524db81ULL, 0x49cc4e27b51eaff8ULL, 0x266648723c3f9cffULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
		{ { { 0xd91ae25cd52d5c19ULL, 0x1a0b010be28cd0feULL, 0x02e65bc8c6ad0b59ULL, 0x266648723c42ac32ULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
	},
	{
		{ { { 0x744c3786563f0a40ULL, 0xf7c7c898470939bfULL, 0x28082a0115be16a8ULL, 0x6f2480ef7fbd4c4dULL } },
		  { { 0x5edcf655589425d3ULL, 0x15149d62cb8ed0c3ULL, 0x1eddc85dd8b38df6ULL, 0x90db7f10803fa480ULL } } },
		{ { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } },
		  { { 0x2cd6d224512ccfedULL, 0xf3239a04ed67f57dULL, 0xb91a0da1118e5b60ULL, 0x0000000000030f32ULL } } },
		{ { { 0x744c3786563f0a40ULL, 0xf7c7c898470939bfULL, 0x28082a0115be16a8ULL, 0x6f2480ef7fbd4c4dULL } },
		  { { 0x744c3786563f0a40ULL, 0xf7c7c898470939bfULL, 0x28082a0115be16a8ULL, 0x6f2480ef7fbd4c4dULL } } },
		{ { { 0xa6525bb75da66026ULL, 0x19b8cbf625301505ULL, 0x8dcbe4bddce3493eULL, 0xfffffffffff9e19aULL } },
		  { { 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } } },
		{ { { 0x5edcf655589425d3ULL, 0x15149d62cb8ed0c3ULL, 0x1eddc85dd8b38df6ULL, 0x90db7f10803fa480ULL } },
		  { { 0x744c3786563f0a40ULL, 0xf7c7c898470939bfULL, 0x28082a0115be16a8ULL, 0x6f2480ef7fbd4c4dULL } } },
	},
};

/* ---- Fp2 ---- */

void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b)
{
	fp_t t0, t1, s, u;

	fp_mul(&t0, &a->c0, &b->c0);
	fp_mul(&t1, &a->c1, &b->c1);
	fp_add(&s, &a->c0, &a->c1);
	fp_add(&u, &b->c0, &b->c1);
	fp_mul(&s, &s, &u);
	fp_sub(&r->c0, &t0, &t1);
	fp_sub(&s, &s, &t0);
	fp_sub(&r->c1, &s, &t1);
}

void fp2_sqr(fp2_t *r, const fp2_t *a)
{
	fp_t s, d, m;

	fp_add(&s, &a->c0, &a->c1);
	fp_sub(&d, &a->c0, &a->c1);
	fp_mul(&m, &a->c0, &a->c1);
	fp_mul(&r->c0, &s, &d);
	fp_dbl(&r->c1, &m);
}

void fp2_inv(fp2_t *r, const fp2_t *a)
{
	fp_t n, t;

	fp_sqr(&n, &a->c0);
	fp_sqr(&t, &a->c1);
	fp_add(&n, &n, &t);
	fp_inv(&n, &n);
	fp_mul(&r->c0, &a->c0, &n);
	fp_mul(&t, &a->c1, &n);
	fp_neg(&r->c1, &t);
}

/* ---- Fp6 ---- */

void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b)
{
	fp2_add(&r->c0, &a->c0, &b->c0);
	fp2_add(&r->c1, &a->c1, &b->c1);
	fp2_add(&r->c2, &a->c2, &b->c2);
}

void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b)
{
	fp2_sub(&r->c0, &a->c0, &b->c0);
	fp2_sub(&r->c1, &a->c1, &b->c1);
	fp2_sub(&r->c2, &a->c2, &b->c2);
}

void fp6_neg(fp6_t *r, const fp6_t *a)
{
	fp2_neg(&r->c0, &a->c0);
	fp2_neg(&r->c1, &a->c1);
	fp2_neg(&r->c2, &a->c2);
}

void fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b)
{
	fp2_t t0, t1, t2, s, u, c0, c1, c2;

	fp2_mul(&t0, &a->c0, &b->c0);
	fp2_mul(&t1, &a->c1, &b->c1);
	fp2_mul(&t2, &a->c2, &b->c2);
	/* c0 = t0 + xi ((a1 + a2)(b1 + b2) - t1 - t2) */
	fp2_add(&s, &a->c1, &a->c2);
	fp2_add(&u, &b->c1, &b->c2);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t1);
	fp2_sub(&s, &s, &t2);
	fp2_mul_xi(&s, &s);
	fp2_add(&c0, &s, &t0);
	/* c1 = (a0 + a1)(b0 + b1) - t0 - t1 + xi t2 */
	fp2_add(&s, &a->c0, &a->c1);
	fp2_add(&u, &b->c0, &b->c1);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t0);
	fp2_sub(&s, &s, &t1);
	fp2_mul_xi(&u, &t2);
	fp2_add(&c1, &s, &u);
	/* c2 = (a0 + a2)(b0 + b2) - t0 - t2 + t1 */
	fp2_add(&s, &a->c0, &a->c2);
	fp2_add(&u, &b->c0, &b->c2);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t0);
	fp2_sub(&s, &s, &t2);
	fp2_add(&c2, &s, &t1);
	r->c0 = c0;
	r->c1 = c1;
	r->c2 = c2;
}

void fp6_sqr(fp6_t *r, const fp6_t *a)
{
	fp2_t s0, s1, s2, s3, s4, t;

	fp2_sqr(&s0, &a->c0);
	fp2_mul(&s1, &a->c0, &a->c1);
	fp2_dbl(&s1, &s1);
	fp2_sub(&t, &a->c0, &a->c1);
	fp2_add(&t, &t, &a->c2);
	fp2_sqr(&s2, &t);
	fp2_mul(&s3, &a->c1, &a->c2);
	fp2_dbl(&s3, &s3);
	fp2_sqr(&s4, &a->c2);
	/* c0 = s0 + xi s3, c1 = s1 + xi s4, c2 = s1 + s2 + s3 - s0 - s4 */
	fp2_mul_xi(&t, &s3);
	fp2_add(&r->c0, &s0, &t);
	fp2_mul_xi(&t, &s4);
	fp2_add(&r->c2, &s1, &s2);
	fp2_add(&r->c2, &r->c2, &s3);
	fp2_sub(&r->c2, &r->c2, &s0);
	fp2_sub(&r->c2, &r->c2, &s4);
	fp2_add(&r->c1, &s1, &t);
}

void fp6_mul_v(fp6_t *r, const fp6_t *a)
{
	fp2_t t;

	fp2_mul_xi(&t, &a->c2);
	r->c2 = a->c1;
	r->c1 = a->c0;
	r->c0 = t;
}

void fp6_inv(fp6_t *r, const fp6_t *a)
{
	fp2_t t0, t1, t2, s, d;

	/* t0 = a0^2 - xi a1 a2, t1 = xi a2^2 - a0 a1, t2 = a1^2 - a0 a2 */
	fp2_sqr(&t0, &a->c0);
	fp2_mul(&s, &a->c1, &a->c2);
	fp2_mul_xi(&s, &s);
	fp2_sub(&t0, &t0, &s);
	fp2_sqr(&t1, &a->c2);
	fp2_mul_xi(&t1, &t1);
	fp2_mul(&s, &a->c0, &a->c1);
	fp2_sub(&t1, &t1, &s);
	fp2_sqr(&t2, &a->c1);
	fp2_mul(&s, &a->c0, &a->c2);
	fp2_sub(&t2, &t2, &s);
	/* d = a0 t0 + xi (a2 t1 + a1 t2) */
	fp2_mul(&d, &a->c2, &t1);
	fp2_mul(&s, &a->c1, &t2);
	fp2_add(&d, &d, &s);
	fp2_mul_xi(&d, &d);
	fp2_mul(&s, &a->c0, &t0);
	fp2_add(&d, &d, &s);
	fp2_inv(&d, &d);
	fp2_mul(&r->c0, &t0, &d);
	fp2_mul(&r->c1, &t1, &d);
	fp2_mul(&r->c2, &t2, &d);
}

/* a * (b0 + b1 v) */
static void fp6_mul_01(fp6_t *r, const fp6_t *a, const fp2_t *b0, const fp2_t *b1)
{
	fp2_t t0, t1, s, u, c0, c1, c2;

	fp2_mul(&t0, &a->c0, b0);
	fp2_mul(&t1, &a->c1, b1);
	/* c0 = t0 + xi a2 b1 */
	fp2_mul(&s, &a->c2, b1);
	fp2_mul_xi(&s, &s);
	fp2_add(&c0, &s, &t0);
	/* c1 = (a0 + a1)(b0 + b1) - t0 - t1 */
	fp2_add(&s, &a->c0, &a->c1);
	fp2_add(&u, b0, b1);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t0);
	fp2_sub(&c1, &s, &t1);
	/* c2 = a2 b0 + t1 */
	fp2_mul(&s, &a->c2, b0);
	fp2_add(&c2, &s, &t1);
	r->c0 = c0;
	r->c1 = c1;
	r->c2 = c2;
}

/* a * (b1 v) */
static void fp6_mul_1(fp6_t *r, const fp6_t *a, const fp2_t *b1)
{
	fp2_t c0, c1, c2;

	fp2_mul(&c0, &a->c2, b1);
	fp2_mul_xi(&c0, &c0);
	fp2_mul(&c1, &a->c0, b1);
	fp2_mul(&c2, &a->c1, b1);
	r->c0 = c0;
	r->c1 = c1;
	r->c2 = c2;
}

/* ---- Fp12 ---- */

void fp12_set_one(fp12_t *r)
{
	r->c0.c0 = FP2_ONE;
	r->c0.c1 = FP2_ZERO;
	r->c0.c2 = FP2_ZERO;
	r->c1.c0 = FP2_ZERO;
	r->c1.c1 = FP2_ZERO;
	r->c1.c2 = FP2_ZERO;
}

int fp12_equal(const fp12_t *a, const fp12_t *b)
{
	return (int)(fp2_equal(&a->c0.c0, &b->c0.c0) & fp2_equal(&a->c0.c1, &b->c0.c1) &
		     fp2_equal(&a->c0.c2, &b->c0.c2) & fp2_equal(&a->c1.c0, &b->c1.c0) &
		     fp2_equal(&a->c1.c1, &b->c1.c1) & fp2_equal(&a->c1.c2, &b->c1.c2));
}

int fp12_is_one(const fp12_t *a)
{
	fp12_t one;

	fp12_set_one(&one);
	return fp12_equal(a, &one);
}

void fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b)
{
	fp6_t t0, t1, s, u;

	fp6_mul(&t0, &a->c0, &b->c0);
	fp6_mul(&t1, &a->c1, &b->c1);
	fp6_add(&s, &a->c0, &a->c1);
	fp6_add(&u, &b->c0, &b->c1);
	fp6_mul(&s, &s, &u);
	fp6_sub(&s, &s, &t0);
	fp6_sub(&r->c1, &s, &t1);
	fp6_mul_v(&t1, &t1);
	fp6_add(&r->c0, &t0, &t1);
}

void fp12_sqr(fp12_t *r, const fp12_t *a)
{
	fp6_t t, s, u;

	/* c0 = (a0 + a1)(a0 + v a1) - t - v t, c1 = 2t, t = a0 a1 */
	fp6_mul(&t, &a->c0, &a->c1);
	fp6_add(&s, &a->c0, &a->c1);
	fp6_mul_v(&u, &a->c1);
	fp6_add(&u, &u, &a->c0);
	fp6_mul(&s, &s, &u);
	fp6_sub(&s, &s, &t);
	fp6_mul_v(&u, &t);
	fp6_sub(&r->c0, &s, &u);
	fp6_add(&r->c1, &t, &t);
}

void fp12_conj(fp12_t *r, const fp12_t *a)
{
	r->c0 = a->c0;
	fp6_neg(&r->c1, &a->c1);
}

void fp12_inv(fp12_t *r, const fp12_t *a)
{
	fp6_t t0, t1;

	/* (a0 - a1 w) / (a0^2 - v a1^2) */
	fp6_sqr(&t0, &a->c0);
	fp6_sqr(&t1, &a->c1);
	fp6_mul_v(&t1, &t1);
	fp6_sub(&t0, &t0, &t1);
	fp6_inv(&t0, &t0);
	fp6_mul(&r->c0, &a->c0, &t0);
	fp6_mul(&r->c1, &a->c1, &t0);
	fp6_neg(&r->c1, &r->c1);
}

void fp12_frob(fp12_t *r, const fp12_t *a, int power)
{
	const fp2_t *g = FROB_GAMMA[power - 1];
	fp2_t *out[6] = { &r->c0.c0, &r->c1.c0, &r->c0.c1, &r->c1.c1, &r->c0.c2, &r->c1.c2 };
	const fp2_t *in[6] = { &a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2 };
	fp2_t t[6];

	for (int k = 0; k < 6; k++) {
		if (power & 1)
			fp2_conj(&t[k], in[k]);
		else
			t[k] = *in[k];
		if (k > 0)
			fp2_mul(&t[k], &t[k], &g[k - 1]);
	}
	for (int k = 0; k < 6; k++)
		*out[k] = t[k];
}

void fp12_mul_line(fp12_t *r, const fp12_t *a, const fp2_t *l0, const fp2_t *l1,
		   const fp2_t *l2)
{
	fp6_t t0, t1, s;
	fp2_t m;

	/* line = (l0 + l1 v) + (l2 v) w */
	fp6_mul_01(&t0, &a->c0, l0, l1);
	fp6_mul_1(&t1, &a->c1, l2);
	fp6_add(&s, &a->c0, &a->c1);
	fp2_add(&m, l1, l2);
	fp6_mul_01(&s, &s, l0, &m);
	fp6_sub(&s, &s, &t0);
	fp6_sub(&r->c1, &s, &t1);
	fp6_mul_v(&t1, &t1);
	fp6_add(&r->c0, &t0, &t1);
}

/* (x + y s)^2 in Fp4 = Fp2[s] / (s^2 - xi) */
static void fp4_sqr(fp2_t *rx, fp2_t *ry, const fp2_t *x, const fp2_t *y)
{
	fp2_t x2, y2, s;

	fp2_sqr(&x2, x);
	fp2_sqr(&y2, y);
	fp2_add(&s, x, y);
	fp2_sqr(&s, &s);
	fp2_sub(&s, &s, &x2);
	fp2_sub(ry, &s, &y2);
	fp2_mul_xi(&y2, &y2);
	fp2_add(rx, &x2, &y2);
}

/* Fp12 = Fp4[w] / (w^3 - s), s = w^3: a = A + B w + C w^2 with A = g0 + g3 s, B = g1 + g4 s,
 * C = g2 + g5 s.  For a in the cyclotomic subgroup,
 * a^2 = (3A^2 - 2 conj A) + (3 s C^2 + 2 conj B) w + (3B^2 - 2 conj C) w^2. */
void fp12_cyclotomic_sqr(fp12_t *r, const fp12_t *a)
{
	fp2_t t0, t1, u0, u1, z0, z1, x;

	fp4_sqr(&t0, &t1, &a->c0.c0, &a->c1.c1);   /* A^2 */
	fp4_sqr(&u0, &u1, &a->c1.c0, &a->c0.c2);   /* B^2 */
	fp4_sqr(&z0, &z1, &a->c0.c1, &a->c1.c2);   /* C^2 */

	/* A' = (3 t0 - 2 A0, 3 t1 + 2 A1) */
	fp2_sub(&x, &t0, &a->c0.c0);
	fp2_dbl(&x, &x);
	fp2_add(&r->c0.c0, &x, &t0);
	fp2_add(&x, &t1, &a->c1.c1);
	fp2_dbl(&x, &x);
	fp2_add(&r->c1.c1, &x, &t1);
	/* B' = (3 xi z1 + 2 B0, 3 z0 - 2 B1) */
	fp2_mul_xi(&z1, &z1);
	fp2_add(&x, &z1, &a->c1.c0);
	fp2_dbl(&x, &x);
	fp2_add(&r->c1.c0, &x, &z1);
	fp2_sub(&x, &z0, &a->c0.c2);
	fp2_dbl(&x, &x);
	fp2_add(&r->c0.c2, &x, &z0);
	/* C' = (3 u0 - 2 C0, 3 u1 + 2 C1) */
	fp2_sub(&x, &u0, &a->c0.c1);
	fp2_dbl(&x, &x);
	fp2_add(&r->c0.c1, &x, &u0);
	fp2_add(&x, &u1, &a->c1.c2);
	fp2_dbl(&x, &x);
	fp2_add(&r->c1.c2, &x, &u1);
}

void fp12_pow_vartime(fp12_t *r, const fp12_t *a, const uint64_t *e, size_t nlimbs)
{
	fp12_t acc;
	int started = 0;

	fp12_set_one(&acc);
	for (size_t i = nlimbs; i-- > 0;) {
		for (int bit = 63; bit >= 0; bit--) {
			if (started)
				fp12_sqr(&acc, &acc);
			if ((e[i] >> bit) & 1) {
				fp12_mul(&acc, &acc, a);
				started = 1;
			}
		}
	}
	*r = acc;
}

void fp12_to_bytes(uint8_t out[384], const fp12_t *a)
{
	const fp2_t *c[6] = { &a->c0.c0, &a->c0.c1, &a->c0.c2, &a->c1.c0, &a->c1.c1, &a->c1.c2 };

	for (int k = 0; k < 6; k++) {
		fp_to_bytes(out + 64 * k, &c[k]->c0);
		fp_to_bytes(out + 64 * k + 32, &c[k]->c1);
	}
}
