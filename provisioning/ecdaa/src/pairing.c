/* Optimal ate pairing: projective Miller loop on the twist with lines evaluated in place
 * (Costello-Lange-Naehrig doubling, mixed addition), final exponentiation as the easy part
 * (p^6 - 1)(p^2 + 1) and the hard part (p^4 - p^2 + 1)/n by the addition chain of Scott et
 * al. (2009) over f^u, f^(u^2), f^(u^3) with cyclotomic squarings. */
#include "provisioning/ecdaa/src/pairing.h"

/* |6u + 2| in non-adjacent form, most significant digit first (6u + 2 < 0) */
static const int8_t ATE_NAF[66] = {
	1, 0, 1, 0, 0, -1, 0, 1, 0, -1, 0, 0, 0, 1, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 1, 0, 1, 0,
	0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
};

/* |u| = 0x6882F5C030B0A801 in non-adjacent form, most significant digit first */
static const int8_t U_NAF[64] = {
	1, 0, -1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -1, 0, 0, 0, 0, -1, 0, -1, 0, 0, -1, 0, 0,
	0, 0, 0, 0, 0, 1, 0, -1, 0, 0, 0, 1, 0, -1, 0, -1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 1
};

/* Doubling step: T <- 2T and the tangent line at T evaluated at P, scaled into
 * l0 + l1 v + l2 v w with l0 = Y^2 - 3b'Z^2, l1 = -3 X^2 xP, l2 = 2 Y Z yP. */
static void dbl_step(g2_t *t, fp2_t *l0, fp2_t *l1, fp2_t *l2, const fp_t *neg_xp,
		     const fp_t *yp)
{
	fp2_t a, b, c, e, f, g, h, x2;

	fp2_mul(&a, &t->x, &t->y);
	fp2_half(&a, &a);                 /* X Y / 2 */
	fp2_sqr(&b, &t->y);               /* Y^2 */
	fp2_sqr(&c, &t->z);               /* Z^2 */
	fp2_mul_xi(&e, &c);               /* xi Z^2 */
	fp2_add(&f, &e, &e);
	fp2_add(&e, &f, &e);              /* 3 xi Z^2 = b' Z^2 */
	fp2_add(&f, &e, &e);
	fp2_add(&e, &f, &e);              /* E = 3 b' Z^2 */
	fp2_add(&f, &e, &e);
	fp2_add(&f, &f, &e);              /* F = 3E */
	fp2_add(&g, &b, &f);
	fp2_half(&g, &g);                 /* G = (B + F) / 2 */
	fp2_add(&h, &t->y, &t->z);
	fp2_sqr(&h, &h);
	fp2_sub(&h, &h, &b);
	fp2_sub(&h, &h, &c);              /* H = 2 Y Z */
	fp2_sqr(&x2, &t->x);              /* X^2 */

	fp2_sub(l0, &b, &e);
	fp2_add(l1, &x2, &x2);
	fp2_add(l1, l1, &x2);
	fp2_mul_fp(l1, l1, neg_xp);
	fp2_mul_fp(l2, &h, yp);

	fp2_sub(&x2, &b, &f);
	fp2_mul(&t->x, &a, &x2);          /* X3 = A (B - F) */
	fp2_sqr(&g, &g);
	fp2_sqr(&x2, &e);
	fp2_sub(&g, &g, &x2);
	fp2_add(&x2, &x2, &x2);
	fp2_sub(&t->y, &g, &x2);          /* Y3 = G^2 - 3 E^2 */
	fp2_mul(&t->z, &b, &h);           /* Z3 = B H */
}

/* Addition step: T <- T + Q (Q affine) and the line through T and Q evaluated at P:
 * l0 = theta xQ - lambda yQ, l1 = -theta xP, l2 = lambda yP with theta = Y - yQ Z,
 * lambda = X - xQ Z. */
static void add_step(g2_t *t, fp2_t *l0, fp2_t *l1, fp2_t *l2, const g2_affine_t *q,
		     const fp_t *neg_xp, const fp_t *yp)
{
	fp2_t theta, lambda, c, d, e, f, g, h, s;

	fp2_mul(&theta, &q->y, &t->z);
	fp2_sub(&theta, &t->y, &theta);
	fp2_mul(&lambda, &q->x, &t->z);
	fp2_sub(&lambda, &t->x, &lambda);

	fp2_mul(l0, &theta, &q->x);
	fp2_mul(&s, &lambda, &q->y);
	fp2_sub(l0, l0, &s);
	fp2_mul_fp(l1, &theta, neg_xp);
	fp2_mul_fp(l2, &lambda, yp);

	fp2_sqr(&c, &theta);
	fp2_sqr(&d, &lambda);
	fp2_mul(&e, &lambda, &d);
	fp2_mul(&f, &t->z, &c);
	fp2_mul(&g, &t->x, &d);
	fp2_add(&h, &e, &f);
	fp2_sub(&h, &h, &g);
	fp2_sub(&h, &h, &g);
	fp2_mul(&t->x, &lambda, &h);
	fp2_sub(&s, &g, &h);
	fp2_mul(&s, &theta, &s);
	fp2_mul(&c, &t->y, &e);
	fp2_sub(&t->y, &s, &c);
	fp2_mul(&t->z, &t->z, &e);
}

void pairing_miller_loop(fp12_t *f, const g1_affine_t *P, const g2_affine_t *Q, size_t count)
{
	g2_t t[PAIRING_MAX_PAIRS];
	g2_affine_t neg_q[PAIRING_MAX_PAIRS];
	fp_t neg_xp[PAIRING_MAX_PAIRS];
	fp2_t l0, l1, l2;

	fp12_set_one(f);
	for (size_t j = 0; j < count; j++) {
		g2_from_affine(&t[j], &Q[j]);
		neg_q[j].x = Q[j].x;
		fp2_neg(&neg_q[j].y, &Q[j].y);
		fp_neg(&neg_xp[j], &P[j].x);
	}
	for (size_t i = 1; i < sizeof(ATE_NAF); i++) {
		if (i > 1)
			fp12_sqr(f, f);
		for (size_t j = 0; j < count; j++) {
			dbl_step(&t[j], &l0, &l1, &l2, &neg_xp[j], &P[j].y);
			fp12_mul_line(f, f, &l0, &l1, &l2);
			if (ATE_NAF[i]) {
				add_step(&t[j], &l0, &l1, &l2, ATE_NAF[i] > 0 ? &Q[j] : &neg_q[j],
					 &neg_xp[j], &P[j].y);
				fp12_mul_line(f, f, &l0, &l1, &l2);
			}
		}
	}
	/* 6u + 2 < 0: f_{6u+2} = 1 / f_{|6u+2|} up to factors the final exponentiation kills,
	 * and the inverse of a unitary element is its conjugate after that exponentiation. */
	fp12_conj(f, f);
	for (size_t j = 0; j < count; j++) {
		g2_affine_t q1, q2;

		g2_neg(&t[j], &t[j]);
		g2_affine_frobenius(&q1, &Q[j]);
		g2_affine_frobenius(&q2, &q1);
		fp2_neg(&q2.y, &q2.y);
		add_step(&t[j], &l0, &l1, &l2, &q1, &neg_xp[j], &P[j].y);
		fp12_mul_line(f, f, &l0, &l1, &l2);
		add_step(&t[j], &l0, &l1, &l2, &q2, &neg_xp[j], &P[j].y);
		fp12_mul_line(f, f, &l0, &l1, &l2);
	}
}

/* r = a^u for a in the cyclotomic subgroup (u < 0: conjugate of a^|u|) */
static void cyclotomic_pow_u(fp12_t *r, const fp12_t *a)
{
	fp12_t acc, a_inv;

	fp12_conj(&a_inv, a);
	acc = *a;
	for (size_t i = 1; i < sizeof(U_NAF); i++) {
		fp12_cyclotomic_sqr(&acc, &acc);
		if (U_NAF[i] > 0)
			fp12_mul(&acc, &acc, a);
		else if (U_NAF[i] < 0)
			fp12_mul(&acc, &acc, &a_inv);
	}
	fp12_conj(r, &acc);
}

void pairing_final_exp(fp12_t *r, const fp12_t *f)
{
	fp12_t a, t, fx, fx2, fx3, y0, y1, y2, y3, y4, y5, y6, t0, t1;

	/* easy part: a = f^((p^6 - 1)(p^2 + 1)) */
	fp12_inv(&t, f);
	fp12_conj(&a, f);
	fp12_mul(&a, &a, &t);
	fp12_frob(&t, &a, 2);
	fp12_mul(&a, &a, &t);

	/* hard part: a^(l0 + l1 p + l2 p^2 + l3 p^3) with l3 = 1, l2 = 6u^2 + 1,
	 * l1 = -36u^3 - 18u^2 - 12u + 1, l0 = -36u^3 - 30u^2 - 18u - 2, as
	 * y0 y1^2 y2^6 y3^12 y4^18 y5^30 y6^36 */
	cyclotomic_pow_u(&fx, &a);
	cyclotomic_pow_u(&fx2, &fx);
	cyclotomic_pow_u(&fx3, &fx2);

	fp12_frob(&y0, &a, 1);
	fp12_frob(&t, &a, 2);
	fp12_mul(&y0, &y0, &t);
	fp12_frob(&t, &a, 3);
	fp12_mul(&y0, &y0, &t);
	fp12_conj(&y1, &a);
	fp12_frob(&y2, &fx2, 2);
	fp12_frob(&y3, &fx, 1);
	fp12_conj(&y3, &y3);
	fp12_frob(&y4, &fx2, 1);
	fp12_mul(&y4, &y4, &fx);
	fp12_conj(&y4, &y4);
	fp12_conj(&y5, &fx2);
	fp12_frob(&y6, &fx3, 1);
	fp12_mul(&y6, &y6, &fx3);
	fp12_conj(&y6, &y6);

	fp12_cyclotomic_sqr(&t0, &y6);
	fp12_mul(&t0, &t0, &y4);
	fp12_mul(&t0, &t0, &y5);
	fp12_mul(&t1, &y3, &y5);
	fp12_mul(&t1, &t1, &t0);
	fp12_mul(&t0, &t0, &y2);
	fp12_cyclotomic_sqr(&t1, &t1);
	fp12_mul(&t1, &t1, &t0);
	fp12_cyclotomic_sqr(&t1, &t1);
	fp12_mul(&t0, &t1, &y1);
	fp12_mul(&t1, &t1, &y0);
	fp12_cyclotomic_sqr(&t0, &t0);
	fp12_mul(r, &t0, &t1);
}

void pairing_compute(fp12_t *r, const g1_affine_t *P, const g2_affine_t *Q)
{
	fp12_t f;

	pairing_miller_loop(&f, P, Q, 1);
	pairing_final_exp(r, &f);
}

int pairing_product_is_one(const g1_affine_t *P, const g2_affine_t *Q, size_t count)
{
	fp12_t f;

	pairing_miller_loop(&f, P, Q, count);
	pairing_final_exp(&f, &f);
	return fp12_is_one(&f);
}
