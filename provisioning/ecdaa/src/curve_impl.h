/* One implementation of short-Weierstrass arithmetic (y^2 = x^3 + b, a = 0) for both groups:
 * curve.c includes this file twice, once over Fp (G1) and once over Fp2 (G2).  Before each
 * inclusion it defines
 *   F          the field type (fp_t or fp2_t)     PT, AFF    the point types
 *   G(name)    the function name for the group    F_*        the field operations
 *   F_MUL_B3   r = 3b * a                          B_AFFINE  b for the affine curve check
 *
 * Points are homogeneous projective (X:Y:Z), the identity is (0:1:0).  Addition and doubling
 * use the complete formulas of Renes, Costello and Batina (2016, algorithms 7-9): no branch on
 * the identity or on equal inputs, which the constant-time scalar multiplication needs.  They
 * are complete on these curves because neither group has a point of order 2. */

void G(set_identity)(PT *r)
{
	r->x = F_ZERO;
	r->y = F_ONE;
	r->z = F_ZERO;
}

int G(is_identity)(const PT *p)
{
	return (int)F_IS_ZERO(&p->z);
}

void G(from_affine)(PT *r, const AFF *a)
{
	r->x = a->x;
	r->y = a->y;
	r->z = F_ONE;
}

/* The identity has no affine form: returns -1 for it. */
int G(to_affine)(AFF *r, const PT *p)
{
	F zi;

	if (F_IS_ZERO(&p->z))
		return -1;
	F_INV(&zi, &p->z);
	F_MUL(&r->x, &p->x, &zi);
	F_MUL(&r->y, &p->y, &zi);
	return 0;
}

void G(neg)(PT *r, const PT *p)
{
	r->x = p->x;
	F_NEG(&r->y, &p->y);
	r->z = p->z;
}

/* The common end of both additions, from t0 = X1 X2, t1 = Y1 Y2, t2 = Z1 Z2,
 * t3 = X1 Y2 + X2 Y1, t4 = Y1 Z2 + Y2 Z1, y3 = X1 Z2 + X2 Z1. */
static inline __attribute__((always_inline)) void G(add_finish)(PT *r, F *t0, F *t1, F *t2,
								  const F *t3, const F *t4, F *y3)
{
	F x3, z3;

	F_ADD(&x3, t0, t0);
	F_ADD(t0, &x3, t0);            /* 3 X1 X2 */
	F_MUL_B3(t2, t2);
	F_ADD(&z3, t1, t2);
	F_SUB(t1, t1, t2);
	F_MUL_B3(y3, y3);
	F_MUL(&x3, t4, y3);
	F_MUL(t2, t3, t1);
	F_SUB(&x3, t2, &x3);
	F_MUL(y3, y3, t0);
	F_MUL(t1, t1, &z3);
	F_ADD(y3, t1, y3);
	F_MUL(t0, t0, t3);
	F_MUL(&z3, &z3, t4);
	F_ADD(&z3, &z3, t0);
	r->x = x3;
	r->y = *y3;
	r->z = z3;
}

void G(add)(PT *r, const PT *p, const PT *q)
{
	F t0, t1, t2, t3, t4, x3, y3;

	F_MUL(&t0, &p->x, &q->x);
	F_MUL(&t1, &p->y, &q->y);
	F_MUL(&t2, &p->z, &q->z);
	F_ADD(&t3, &p->x, &p->y);
	F_ADD(&t4, &q->x, &q->y);
	F_MUL(&t3, &t3, &t4);
	F_ADD(&t4, &t0, &t1);
	F_SUB(&t3, &t3, &t4);          /* X1 Y2 + X2 Y1 */
	F_ADD(&t4, &p->y, &p->z);
	F_ADD(&x3, &q->y, &q->z);
	F_MUL(&t4, &t4, &x3);
	F_ADD(&x3, &t1, &t2);
	F_SUB(&t4, &t4, &x3);          /* Y1 Z2 + Y2 Z1 */
	F_ADD(&x3, &p->x, &p->z);
	F_ADD(&y3, &q->x, &q->z);
	F_MUL(&x3, &x3, &y3);
	F_ADD(&y3, &t0, &t2);
	F_SUB(&y3, &x3, &y3);          /* X1 Z2 + X2 Z1 */
	G(add_finish)(r, &t0, &t1, &t2, &t3, &t4, &y3);
}

/* p + q with q affine (q is never the identity): Z2 = 1. */
void G(add_affine)(PT *r, const PT *p, const AFF *q)
{
	F t0, t1, t2, t3, t4, y3;

	F_MUL(&t0, &p->x, &q->x);
	F_MUL(&t1, &p->y, &q->y);
	F_ADD(&t3, &q->x, &q->y);
	F_ADD(&t4, &p->x, &p->y);
	F_MUL(&t3, &t3, &t4);
	F_ADD(&t4, &t0, &t1);
	F_SUB(&t3, &t3, &t4);
	F_MUL(&t4, &q->y, &p->z);
	F_ADD(&t4, &t4, &p->y);
	F_MUL(&y3, &q->x, &p->z);
	F_ADD(&y3, &y3, &p->x);
	t2 = p->z;
	G(add_finish)(r, &t0, &t1, &t2, &t3, &t4, &y3);
}

void G(dbl)(PT *r, const PT *p)
{
	F t0, t1, t2, x3, y3, z3;

	F_SQR(&t0, &p->y);
	F_ADD(&z3, &t0, &t0);
	F_ADD(&z3, &z3, &z3);
	F_ADD(&z3, &z3, &z3);          /* 8 Y^2 */
	F_MUL(&t1, &p->y, &p->z);
	F_SQR(&t2, &p->z);
	F_MUL_B3(&t2, &t2);
	F_MUL(&x3, &t2, &z3);
	F_ADD(&y3, &t0, &t2);
	F_MUL(&z3, &t1, &z3);
	F_ADD(&t1, &t2, &t2);
	F_ADD(&t2, &t1, &t2);
	F_SUB(&t0, &t0, &t2);
	F_MUL(&y3, &t0, &y3);
	F_ADD(&y3, &x3, &y3);
	F_MUL(&t1, &p->x, &p->y);
	F_MUL(&x3, &t0, &t1);
	F_ADD(&x3, &x3, &x3);
	r->x = x3;
	r->y = y3;
	r->z = z3;
}

static void G(cmov)(PT *r, const PT *a, uint64_t mask)
{
	F_CMOV(&r->x, &a->x, mask);
	F_CMOV(&r->y, &a->y, mask);
	F_CMOV(&r->z, &a->z, mask);
}

/* X1 Z2 == X2 Z1 and Y1 Z2 == Y2 Z1 (both identities compare equal). */
int G(equal)(const PT *p, const PT *q)
{
	F a, b, c, d;

	F_MUL(&a, &p->x, &q->z);
	F_MUL(&b, &q->x, &p->z);
	F_MUL(&c, &p->y, &q->z);
	F_MUL(&d, &q->y, &p->z);
	return (int)(F_EQUAL(&a, &b) & F_EQUAL(&c, &d));
}

/* r = k * p for k < 2^(4 windows), k as four little-endian limbs: fixed 4-bit windows, the
 * same additions and doublings whatever k is, table entries read with masks. */
void G(mul_ct_windows)(PT *r, const PT *p, const uint64_t k[4], int windows)
{
	PT table[16], acc, sel;

	G(set_identity)(&table[0]);
	table[1] = *p;
	for (int i = 2; i < 16; i++) {
		if (i & 1)
			G(add)(&table[i], &table[i - 1], p);
		else
			G(dbl)(&table[i], &table[i / 2]);
	}
	G(set_identity)(&acc);
	for (int w = windows - 1; w >= 0; w--) {
		uint64_t digit = (k[w / 16] >> (4 * (w % 16))) & 15;

		if (w != windows - 1)
			for (int j = 0; j < 4; j++)
				G(dbl)(&acc, &acc);
		sel = table[0];
		for (uint64_t i = 1; i < 16; i++)
			G(cmov)(&sel, &table[i], ~ct_mask_nonzero(i ^ digit));
		G(add)(&acc, &acc, &sel);
	}
	*r = acc;
}

void G(mul_ct)(PT *r, const PT *p, const uint64_t k[4])
{
	G(mul_ct_windows)(r, p, k, 64);
}

/* r += d * base for an odd NAF digit d (tab[i] = (2i + 1) base), nothing for 0 */
static void G(add_digit)(PT *r, const PT tab[8], int d)
{
	PT t;

	if (d > 0) {
		G(add)(r, r, &tab[d / 2]);
	} else if (d < 0) {
		G(neg)(&t, &tab[-d / 2]);
		G(add)(r, r, &t);
	}
}

/* tab[i] = (2i + 1) base: the odd multiples 1, 3, ..., 15 that add_digit reads */
static void G(odd_multiples)(PT tab[8], const PT *base)
{
	PT two;

	tab[0] = *base;
	G(dbl)(&two, base);
	for (int i = 1; i < 8; i++)
		G(add)(&tab[i], &tab[i - 1], &two);
}

/* r = a P + b Q for public scalars (verification): width-5 NAF of both scalars, one shared
 * chain of doublings.  Variable time: never use it with secrets. */
void G(mul2_vartime)(PT *r, const PT *p, const uint64_t a[4], const PT *q, const uint64_t b[4])
{
	PT tp[8], tq[8];
	int8_t na[WNAF_MAX], nb[WNAF_MAX];
	int la = wnaf5(na, a), lb = wnaf5(nb, b), len = la > lb ? la : lb;

	G(odd_multiples)(tp, p);
	G(odd_multiples)(tq, q);
	G(set_identity)(r);
	for (int i = len - 1; i >= 0; i--) {
		G(dbl)(r, r);
		if (i < la)
			G(add_digit)(r, tp, na[i]);
		if (i < lb)
			G(add_digit)(r, tq, nb[i]);
	}
}

/* On the curve y^2 = x^3 + b (affine coordinates). */
int G(affine_on_curve)(const AFF *a)
{
	F l, rhs;

	F_SQR(&l, &a->y);
	F_SQR(&rhs, &a->x);
	F_MUL(&rhs, &rhs, &a->x);
	F_ADD(&rhs, &rhs, &B_AFFINE);
	return (int)F_EQUAL(&l, &rhs);
}
