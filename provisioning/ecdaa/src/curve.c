/* G1 and G2 arithmetic: curve_impl.h instantiated over Fp and Fp2, plus the constants, the
 * twisted Frobenius and subgroup checks. */
#include "provisioning/ecdaa/src/curve.h"

const g1_affine_t G1_GENERATOR = {
	{ { 0x2cd6d224512ccfedULL, 0xf3239a04ed67f57dULL, 0xb91a0da1118e5b60ULL, 0x0000000000030f32ULL } },
	{ { 0x59ada448a2599fdaULL, 0xe6473409dacfeafaULL, 0x72341b42231cb6c1ULL, 0x0000000000061e65ULL } },
};

const g2_affine_t G2_GENERATOR = {
	{ { { 0xa5f72e512a58e874ULL, 0xd6af39fa50376ba1ULL, 0x75472a8601715d86ULL, 0x249126fcd8059346ULL } },
	  { { 0xd79d352ed564775bULL, 0xf18307be18559499ULL, 0x32fa3c090291ce52ULL, 0xf136c243812c839dULL } } },
	{ { { 0x5fe22b7200bbc9c4ULL, 0x7f701e818fe171ceULL, 0x39a1a6dec3e97b52ULL, 0xa1398b3f1774bf60ULL } },
	  { { 0x53b320fe69ac6026ULL, 0x330f5117400e79edULL, 0x0c31a9d2f9d1c1a5ULL, 0xd83ed9be001ca75aULL } } },
};

const fp_t G1_B = {   /* 3, Montgomery form */
	{ 0x8684766cf3866fc7ULL, 0xd96ace0ec837e077ULL, 0x2b4e28e334ab1222ULL, 0x0000000000092d98ULL }
};
static const fp2_t B_G2 = {   /* 3 xi = 3 + 3i */
	{ { 0x8684766cf3866fc7ULL, 0xd96ace0ec837e077ULL, 0x2b4e28e334ab1222ULL, 0x0000000000092d98ULL } },
	{ { 0x8684766cf3866fc7ULL, 0xd96ace0ec837e077ULL, 0x2b4e28e334ab1222ULL, 0x0000000000092d98ULL } },
};

/* pi on the twist: (x, y) -> (conj(x) xi^-((p-1)/3), conj(y) xi^-((p-1)/2)) */
static const fp2_t TWIST_FROB_X = {
	{ { 0, 0, 0, 0 } },
	{ { 0xd91ae25cd52d5c19ULL, 0x1a0b010be28cd0feULL, 0x02e65bc8c6ad0b59ULL, 0x266648723c42ac32ULL } },
};
static const fp2_t TWIST_FROB_Y = {
	{ { 0x744c3786563f0a40ULL, 0xf7c7c898470939bfULL, 0x28082a0115be16a8ULL, 0x6f2480ef7fbd4c4dULL } },
	{ { 0x5edcf655589425d3ULL, 0x15149d62cb8ed0c3ULL, 0x1eddc85dd8b38df6ULL, 0x90db7f10803fa480ULL } },
};

/* 9a = 8a + a */
static inline void fp_mul9(fp_t *r, const fp_t *a)
{
	fp_t t;
	fp_dbl(&t, a);
	fp_dbl(&t, &t);
	fp_dbl(&t, &t);
	fp_add(r, &t, a);
}

static inline void fp2_mul_b3(fp2_t *r, const fp2_t *a)   /* 3b' = 9 xi */
{
	fp2_t t;
	fp2_mul_xi(&t, a);
	fp_mul9(&r->c0, &t.c0);
	fp_mul9(&r->c1, &t.c1);
}

/* Width-5 non-adjacent form of a 256-bit k, least significant digit first: digits odd in
 * -15..15 or 0, at most one nonzero in any 5 consecutive.  Returns the number of digits. */
#define WNAF_MAX 258
static int wnaf5(int8_t out[WNAF_MAX], const uint64_t k[4])
{
	uint64_t t[5] = { k[0], k[1], k[2], k[3], 0 };
	int len = 0;

	while (t[0] | t[1] | t[2] | t[3] | t[4]) {
		int d = 0;

		if (t[0] & 1) {
			d = (int)(t[0] & 31);
			if (d > 16)
				d -= 32;
			/* t -= d */
			uint64_t sub = (uint64_t)(d > 0 ? d : -d);
			if (d > 0) {
				for (int i = 0; i < 5 && sub; i++) {
					uint64_t o = t[i];
					t[i] -= sub;
					sub = t[i] > o;
				}
			} else {
				for (int i = 0; i < 5 && sub; i++) {
					t[i] += sub;
					sub = t[i] < sub;
				}
			}
		}
		out[len++] = (int8_t)d;
		for (int i = 0; i < 4; i++)
			t[i] = (t[i] >> 1) | (t[i + 1] << 63);
		t[4] >>= 1;
	}
	return len;
}

/* ---- G1 over Fp ---- */
#define F fp_t
#define PT g1_t
#define AFF g1_affine_t
#define G(name) g1_##name
#define F_ZERO FP_ZERO
#define F_ONE FP_ONE
#define F_ADD fp_add
#define F_SUB fp_sub
#define F_NEG fp_neg
#define F_MUL fp_mul
#define F_SQR fp_sqr
#define F_INV fp_inv
#define F_CMOV fp_cmov
#define F_IS_ZERO fp_is_zero
#define F_EQUAL fp_equal
#define F_MUL_B3 fp_mul9
#define B_AFFINE G1_B
#include "provisioning/ecdaa/src/curve_impl.h"
#undef F
#undef PT
#undef AFF
#undef G
#undef F_ZERO
#undef F_ONE
#undef F_ADD
#undef F_SUB
#undef F_NEG
#undef F_MUL
#undef F_SQR
#undef F_INV
#undef F_CMOV
#undef F_IS_ZERO
#undef F_EQUAL
#undef F_MUL_B3
#undef B_AFFINE

/* ---- G2 over Fp2 ---- */
#define F fp2_t
#define PT g2_t
#define AFF g2_affine_t
#define G(name) g2_##name
#define F_ZERO FP2_ZERO
#define F_ONE FP2_ONE
#define F_ADD fp2_add
#define F_SUB fp2_sub
#define F_NEG fp2_neg
#define F_MUL fp2_mul
#define F_SQR fp2_sqr
#define F_INV fp2_inv
#define F_CMOV fp2_cmov
#define F_IS_ZERO fp2_is_zero
#define F_EQUAL fp2_equal
#define F_MUL_B3 fp2_mul_b3
#define B_AFFINE B_G2
#include "provisioning/ecdaa/src/curve_impl.h"

int g1_affine_equal(const g1_affine_t *a, const g1_affine_t *b)
{
	return (int)(fp_equal(&a->x, &b->x) & fp_equal(&a->y, &b->y));
}

void g2_affine_frobenius(g2_affine_t *r, const g2_affine_t *a)
{
	fp2_conj(&r->x, &a->x);
	fp2_mul(&r->x, &r->x, &TWIST_FROB_X);
	fp2_conj(&r->y, &a->y);
	fp2_mul(&r->y, &r->y, &TWIST_FROB_Y);
}

int g2_affine_in_subgroup(const g2_affine_t *a)
{
	g2_t p, r;

	g2_from_affine(&p, a);
	g2_mul_ct(&r, &p, SC_N.v);
	return g2_is_identity(&r);
}

int g1_mul_affine(g1_affine_t *r, const g1_affine_t *p, const sc_t *k)
{
	g1_t t;

	g1_from_affine(&t, p);
	g1_mul_ct(&t, &t, k->v);
	return g1_to_affine(r, &t);
}

int g2_mul_affine(g2_affine_t *r, const g2_affine_t *p, const sc_t *k)
{
	g2_t t;

	g2_from_affine(&t, p);
	g2_mul_ct(&t, &t, k->v);
	return g2_to_affine(r, &t);
}

void g1_batch_to_affine(g1_affine_t *out, const g1_t *in, size_t count, fp_t *scratch)
{
	fp_t acc = FP_ONE, inv, t;

	/* scratch[i] = z_0 ... z_(i-1); one inversion for all */
	for (size_t i = 0; i < count; i++) {
		scratch[i] = acc;
		fp_mul(&acc, &acc, &in[i].z);
	}
	fp_inv(&inv, &acc);
	for (size_t i = count; i-- > 0;) {
		fp_mul(&t, &inv, &scratch[i]);          /* 1 / z_i */
		fp_mul(&inv, &inv, &in[i].z);
		fp_mul(&out[i].x, &in[i].x, &t);
		fp_mul(&out[i].y, &in[i].y, &t);
	}
}
