/* Tower, groups and pairing: Fp12 identities (Frobenius against plain powering, cyclotomic
 * and sparse products against the generic ones), group orders and the complete formulas,
 * the pairing value of the generators (known answer from the JavaScript oracle),
 * bilinearity, non-degeneracy, order n, products of pairings, both multiplier backends. */
#include "provisioning/ecdaa/src/pairing.h"
#include "provisioning/ecdaa/src/internal.h"

#include <criterion/criterion.h>
#include <stdio.h>

/* e(P1, P2), recomputed independently by oracle/fp256bn.mjs (tests/oracle.sh) */
static const char E_GENERATORS[] =
	"dcad9925265ba3485fd0cd71b7cc0a7c92dda96c9a509e0299db97361f7274a0"
	"17b55ca56574aea9065ffe63dfba741bb62992fe6c4a146711bb0ca0f01bffd0"
	"7600f33a19cd9e2232ee44715d5c8ced17acbcb70899286bc69c9520a9060c41"
	"d5055d58eb0958e353eec92c9b09a4bdba1e9b7df09a2ab57414663e01844a64"
	"9c90253e8c3b3ab7aafaa39c7b96f7c483e63004c18acbce83ae8d77d493151f"
	"09ce0d960efe73c650a2cce3ce56a149cacd04248fe021b1b696e922a76eb960"
	"dcd92c43d63d9f8acceabe292f7fe35cf250cff0dbb1db68cbc225bf94ab28d7"
	"c3cc816536663e4940511e04d0eaa95fa3076e374b03e944b757bde644b4cdd6"
	"223b69f4df921d748ccf9c281993ba83aea5a0475264c955c6bf6d57612b9981"
	"9bcbe86bb637eade05544dce875bf6e35d2bec22324aa8a80de852ee9fe05d77"
	"d11bb134f77f807476ba028ef2b74d20cb52122ed0838646d908e69b5701d02d"
	"8899ca9a093c3b30dc46254a14eb343a330c0281b94f721877b53b27716c5dc8";

/* P2 as published (xaptum/AMCL), 0x04 | x.a | x.b | y.a | y.b */
static const char P2_ENCODED[] =
	"04"
	"fe0c3350b4c96c2028560f577c28913ace1c539a12bf843cd22616b689c09efb"
	"4ea66057738ac054db5ae1c637d813b924dd78e287d03589d269ed34a37e6a2b"
	"702046e7c542a3b376770d75124e3e51efcb24758d615848e909b481bedc27ff"
	"0554e3bcd388c29042eea649297eb29f8b4cbe80821a98b3e01281114aad049b";

static void hex_to_bytes(uint8_t *out, const char *hex, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned int v;
		cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void setup(void)
{
	cr_assert_eq(ecdaa_init(), 0);
}

TestSuite(pairing, .init = setup);

static void random_fp12(fp12_t *r)
{
	fp2_t *c[6] = { &r->c0.c0, &r->c0.c1, &r->c0.c2, &r->c1.c0, &r->c1.c1, &r->c1.c2 };
	sc_t s;

	for (int i = 0; i < 6; i++) {
		sc_random(&s);
		memcpy(c[i]->c0.v, s.v, 32);
		fp_to_mont(&c[i]->c0, &c[i]->c0);
		sc_random(&s);
		memcpy(c[i]->c1.v, s.v, 32);
		fp_to_mont(&c[i]->c1, &c[i]->c1);
	}
}

static const uint64_t P_LIMBS[4] = { FP_P0, FP_P1, FP_P2, FP_P3 };

Test(pairing, tower_identities)
{
	fp12_t a, b, x, y, inv;

	random_fp12(&a);
	random_fp12(&b);
	/* Frobenius = power p, p^2, p^3 */
	fp12_pow_vartime(&x, &a, P_LIMBS, 4);
	fp12_frob(&y, &a, 1);
	cr_assert(fp12_equal(&x, &y), "frob 1");
	fp12_pow_vartime(&x, &x, P_LIMBS, 4);
	fp12_frob(&y, &a, 2);
	cr_assert(fp12_equal(&x, &y), "frob 2");
	fp12_pow_vartime(&x, &x, P_LIMBS, 4);
	fp12_frob(&y, &a, 3);
	cr_assert(fp12_equal(&x, &y), "frob 3");
	/* inverse, squaring, commutativity */
	fp12_inv(&inv, &a);
	fp12_mul(&x, &a, &inv);
	cr_assert(fp12_is_one(&x));
	fp12_sqr(&x, &a);
	fp12_mul(&y, &a, &a);
	cr_assert(fp12_equal(&x, &y));
	fp12_mul(&x, &a, &b);
	fp12_mul(&y, &b, &a);
	cr_assert(fp12_equal(&x, &y));
	/* the sparse line product is the generic product by a line-shaped element */
	fp12_t line = { 0 };
	line.c0.c0 = b.c0.c0;
	line.c0.c1 = b.c0.c1;
	line.c1.c1 = b.c1.c1;
	fp12_mul(&x, &a, &line);
	fp12_mul_line(&y, &a, &b.c0.c0, &b.c0.c1, &b.c1.c1);
	cr_assert(fp12_equal(&x, &y), "sparse line product");
	/* cyclotomic squaring on a^((p^6 - 1)(p^2 + 1)) */
	fp12_conj(&x, &a);
	fp12_mul(&x, &x, &inv);
	fp12_frob(&y, &x, 2);
	fp12_mul(&x, &x, &y);
	fp12_sqr(&y, &x);
	fp12_cyclotomic_sqr(&b, &x);
	cr_assert(fp12_equal(&y, &b), "cyclotomic square");
}

Test(pairing, groups_have_order_n)
{
	g1_t p, r;
	g2_t q, s;
	uint8_t enc[ECDAA_G2_LEN], want[ECDAA_G2_LEN];

	cr_assert(g1_affine_on_curve(&G1_GENERATOR));
	cr_assert(g2_affine_on_curve(&G2_GENERATOR));
	g1_from_affine(&p, &G1_GENERATOR);
	g1_mul_ct(&r, &p, SC_N.v);
	cr_assert(g1_is_identity(&r));
	g2_from_affine(&q, &G2_GENERATOR);
	g2_mul_ct(&s, &q, SC_N.v);
	cr_assert(g2_is_identity(&s));
	g2_encode_affine(enc, &G2_GENERATOR);
	hex_to_bytes(want, P2_ENCODED, sizeof(want));
	cr_assert_arr_eq(enc, want, sizeof(want), "P2 differs from the published generator");
}

Test(pairing, complete_formulas_and_scalar_multiplication)
{
	g1_t p, id, a, b, t;
	g2_t q, c, d;
	sc_t k, k1, k2;

	g1_from_affine(&p, &G1_GENERATOR);
	g1_set_identity(&id);
	/* P + O = P, O + O = O, 2O = O, P + P = 2P, P - P = O */
	g1_add(&a, &p, &id);
	cr_assert(g1_equal(&a, &p));
	g1_add(&a, &id, &id);
	cr_assert(g1_is_identity(&a));
	g1_dbl(&a, &id);
	cr_assert(g1_is_identity(&a));
	g1_add(&a, &p, &p);
	g1_dbl(&b, &p);
	cr_assert(g1_equal(&a, &b));
	g1_neg(&t, &p);
	g1_add(&a, &p, &t);
	cr_assert(g1_is_identity(&a));
	/* (k1 + k2) P = k1 P + k2 P in both groups; 0 P = O; (n - 1) P = -P */
	sc_random(&k1);
	sc_random(&k2);
	sc_add(&k, &k1, &k2);
	g1_mul_ct(&a, &p, k.v);
	g1_mul_ct(&b, &p, k1.v);
	g1_mul_ct(&t, &p, k2.v);
	g1_add(&b, &b, &t);
	cr_assert(g1_equal(&a, &b));
	g2_from_affine(&q, &G2_GENERATOR);
	g2_mul_ct(&c, &q, k.v);
	g2_mul_ct(&d, &q, k1.v);
	g2_t e;
	g2_mul_ct(&e, &q, k2.v);
	g2_add(&d, &d, &e);
	cr_assert(g2_equal(&c, &d));
	memset(&k, 0, sizeof(k));
	g1_mul_ct(&a, &p, k.v);
	cr_assert(g1_is_identity(&a));
	k = SC_N;
	k.v[0] -= 1;
	g1_mul_ct(&a, &p, k.v);
	g1_neg(&t, &p);
	cr_assert(g1_equal(&a, &t));
	/* pi(Q) = p Q on G2 */
	g2_affine_t fq, pq;
	sc_t pm;
	memcpy(pm.v, P_LIMBS, 32);
	sc_sub(&pm, &pm, &SC_N);
	g2_affine_frobenius(&fq, &G2_GENERATOR);
	cr_assert_eq(g2_mul_affine(&pq, &G2_GENERATOR, &pm), 0);
	cr_assert(fp2_equal(&fq.x, &pq.x) && fp2_equal(&fq.y, &pq.y));
}

/* the variable-time double multiplication against two constant-time ones */
Test(pairing, double_scalar_multiplication)
{
	g1_t p, q, r1, r2, t;
	g2_t p2, q2, s1, s2, u;
	sc_t a, b;

	g1_from_affine(&p, &G1_GENERATOR);
	g2_from_affine(&p2, &G2_GENERATOR);
	for (int i = 0; i < 40; i++) {
		sc_random(&a);
		sc_random(&b);
		if (i == 1)
			memset(&a, 0, sizeof(a));              /* 0 P + b Q */
		if (i == 2)
			memset(&b, 0, sizeof(b));
		if (i == 3)
			a.v[1] = a.v[2] = a.v[3] = 0;          /* short scalar */
		if (i == 4)
			memset(b.v, 0xff, 32);                 /* 2^256 - 1: carries in the recoding */
		if (i == 5)
			a = SC_N, a.v[0] -= 1;
		g1_mul_ct(&q, &p, b.v);                         /* Q = b P: an unrelated base too */
		g1_dbl(&q, &q);
		g1_mul2_vartime(&r1, &p, a.v, &q, b.v);
		g1_mul_ct(&r2, &p, a.v);
		g1_mul_ct(&t, &q, b.v);
		g1_add(&r2, &r2, &t);
		cr_assert(g1_equal(&r1, &r2), "G1 case %d", i);
		g2_mul_ct(&q2, &p2, a.v);
		g2_mul2_vartime(&s1, &p2, a.v, &q2, b.v);
		g2_mul_ct(&s2, &p2, a.v);
		g2_mul_ct(&u, &q2, b.v);
		g2_add(&s2, &s2, &u);
		cr_assert(g2_equal(&s1, &s2), "G2 case %d", i);
	}
}

static void pairing_checks(void)
{
	fp12_t e, e2, e3;
	uint8_t out[384], want[384];
	g1_affine_t aP;
	g2_affine_t bQ;
	sc_t a, b, ab;

	pairing_compute(&e, &G1_GENERATOR, &G2_GENERATOR);
	fp12_to_bytes(out, &e);
	hex_to_bytes(want, E_GENERATORS, sizeof(want));
	cr_assert_arr_eq(out, want, sizeof(want), "e(P1, P2) differs from the oracle's value");
	cr_assert(!fp12_is_one(&e), "degenerate");
	fp12_pow_vartime(&e2, &e, SC_N.v, 4);
	cr_assert(fp12_is_one(&e2), "e^n != 1");

	sc_random(&a);
	sc_random(&b);
	sc_mul(&ab, &a, &b);
	cr_assert_eq(g1_mul_affine(&aP, &G1_GENERATOR, &a), 0);
	cr_assert_eq(g2_mul_affine(&bQ, &G2_GENERATOR, &b), 0);
	pairing_compute(&e2, &aP, &bQ);
	fp12_pow_vartime(&e3, &e, ab.v, 4);
	cr_assert(fp12_equal(&e2, &e3), "e(aP, bQ) != e(P, Q)^ab");

	/* e(aP, Q) e(-P, aQ) = 1 as a product with one final exponentiation */
	g1_affine_t Ps[2] = { aP, G1_GENERATOR };
	g2_affine_t Qs[2] = { G2_GENERATOR, G2_GENERATOR };
	fp_neg(&Ps[1].y, &Ps[1].y);
	cr_assert_eq(g2_mul_affine(&Qs[1], &G2_GENERATOR, &a), 0);
	cr_assert(pairing_product_is_one(Ps, Qs, 2));
	Qs[1] = bQ;
	cr_assert(!pairing_product_is_one(Ps, Qs, 2));
	/* a product of three equals the product of three pairings */
	g1_affine_t P3[3] = { aP, G1_GENERATOR, aP };
	g2_affine_t Q3[3] = { bQ, G2_GENERATOR, G2_GENERATOR };
	fp12_t f, prod, t;
	pairing_miller_loop(&f, P3, Q3, 3);
	pairing_final_exp(&prod, &f);
	pairing_compute(&e2, &aP, &bQ);
	pairing_compute(&t, &G1_GENERATOR, &G2_GENERATOR);
	fp12_mul(&e2, &e2, &t);
	pairing_compute(&t, &aP, &G2_GENERATOR);
	fp12_mul(&e2, &e2, &t);
	cr_assert(fp12_equal(&prod, &e2));
}

Test(pairing, bilinear_non_degenerate_order_n_both_backends)
{
	fp_select_backend(0);
	pairing_checks();
	if (fp_cpu_has_adx()) {
		fp_select_backend(1);
		pairing_checks();
	}
}

Test(pairing, hash_to_g1_matches_the_tpm_rule)
{
	static const uint8_t bsn[] = "BASE";
	static const char want[] =
		"042d2caa44930ddee172391bac51bebb41973540562bbd3546625c94cdc47fd4"
		"89010215f2453461b35791e0848ac6105a6635e8683284e4854f1d1897a5a24444";
	uint8_t out[ECDAA_G1_LEN], w[ECDAA_G1_LEN];
	g1_affine_t B;
	uint32_t counter = 99;

	cr_assert_eq(hash_to_g1(&B, &counter, bsn, 4), 0);
	cr_assert_eq(counter, 0);
	cr_assert(g1_affine_on_curve(&B));
	cr_assert(!fp_is_odd(&B.y), "y must be the even root");
	g1_encode_affine(out, &B);
	hex_to_bytes(w, want, sizeof(w));
	cr_assert_arr_eq(out, w, sizeof(w));
}
