/* The prime field Fp of FP256BN, in Montgomery form on four 64-bit limbs (little-endian), and
 * integers mod the group order n.  Every fp_t is fully reduced (< p); operations run in
 * constant time unless their name says _vartime. */
#ifndef ECDAA_FIELD_H
#define ECDAA_FIELD_H

#include <stddef.h>
#include <stdint.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

typedef unsigned __int128 u128;

typedef struct { uint64_t v[4]; } fp_t;

/* p = 36u^4 + 36u^3 + 24u^2 + 6u + 1, u = -0x6882F5C030B0A801 */
#define FP_P0 0xd3292ddbaed33013ULL
#define FP_P1 0x0cdc65fb12980a82ULL
#define FP_P2 0x46e5f25eee71a49fULL
#define FP_P3 0xfffffffffffcf0cdULL
#define FP_PINV 0xad6c964e0537e5e5ULL   /* -p^-1 mod 2^64 */

extern const fp_t FP_ZERO, FP_ONE;      /* FP_ONE = R mod p (Montgomery 1) */
extern const fp_t FP_R2;                /* R^2 mod p, to enter Montgomery form */

/* Selected at ecdaa_init from CPUID: 1 when the CPU has BMI2 and ADX (mulx/adcx/adox). */
extern int fp_use_adx;

static inline uint64_t ct_mask_nonzero(uint64_t x) /* all ones if x != 0 */
{
	return (uint64_t)0 - ((x | ((uint64_t)0 - x)) >> 63);
}

/* r = a if mask is all ones, unchanged if mask is 0. */
static inline void fp_cmov(fp_t *r, const fp_t *a, uint64_t mask)
{
	for (int i = 0; i < 4; i++)
		r->v[i] ^= mask & (r->v[i] ^ a->v[i]);
}

static inline void fp_add_generic(fp_t *r, const fp_t *a, const fp_t *b)
{
	u128 t;
	uint64_t s0, s1, s2, s3, c, d0, d1, d2, d3, br;

	t = (u128)a->v[0] + b->v[0];          s0 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)a->v[1] + b->v[1] + c;      s1 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)a->v[2] + b->v[2] + c;      s2 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)a->v[3] + b->v[3] + c;      s3 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)s0 - FP_P0;                 d0 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	t = (u128)s1 - FP_P1 - br;            d1 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	t = (u128)s2 - FP_P2 - br;            d2 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	t = (u128)s3 - FP_P3 - br;            d3 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	/* keep the difference when the sum carried out or did not borrow */
	uint64_t m = (uint64_t)0 - (c | (br ^ 1));
	r->v[0] = (d0 & m) | (s0 & ~m);
	r->v[1] = (d1 & m) | (s1 & ~m);
	r->v[2] = (d2 & m) | (s2 & ~m);
	r->v[3] = (d3 & m) | (s3 & ~m);
}

static inline void fp_sub_generic(fp_t *r, const fp_t *a, const fp_t *b)
{
	u128 t;
	uint64_t d0, d1, d2, d3, br, c;

	t = (u128)a->v[0] - b->v[0];          d0 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	t = (u128)a->v[1] - b->v[1] - br;     d1 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	t = (u128)a->v[2] - b->v[2] - br;     d2 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	t = (u128)a->v[3] - b->v[3] - br;     d3 = (uint64_t)t; br = (uint64_t)(t >> 64) & 1;
	uint64_t m = (uint64_t)0 - br;        /* add p back after a borrow */
	t = (u128)d0 + (FP_P0 & m);           r->v[0] = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)d1 + (FP_P1 & m) + c;       r->v[1] = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)d2 + (FP_P2 & m) + c;       r->v[2] = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)d3 + (FP_P3 & m) + c;       r->v[3] = (uint64_t)t;
}

#if defined(__x86_64__)
/* add-with-carry chains through the intrinsics: the generic forms above compile to poor
 * code; both give the same results (tests/test_field.c checks it) */
static inline void fp_add(fp_t *r, const fp_t *a, const fp_t *b)
{
	unsigned long long s0, s1, s2, s3, d0, d1, d2, d3, top;
	unsigned char c, br;

	c = _addcarry_u64(0, a->v[0], b->v[0], &s0);
	c = _addcarry_u64(c, a->v[1], b->v[1], &s1);
	c = _addcarry_u64(c, a->v[2], b->v[2], &s2);
	c = _addcarry_u64(c, a->v[3], b->v[3], &s3);
	br = _subborrow_u64(0, s0, FP_P0, &d0);
	br = _subborrow_u64(br, s1, FP_P1, &d1);
	br = _subborrow_u64(br, s2, FP_P2, &d2);
	br = _subborrow_u64(br, s3, FP_P3, &d3);
	br = _subborrow_u64(br, c, 0, &top);
	/* keep the sum when subtracting p borrowed past the carry word */
	uint64_t m = (uint64_t)0 - br;
	r->v[0] = (s0 & m) | (d0 & ~m);
	r->v[1] = (s1 & m) | (d1 & ~m);
	r->v[2] = (s2 & m) | (d2 & ~m);
	r->v[3] = (s3 & m) | (d3 & ~m);
}

static inline void fp_sub(fp_t *r, const fp_t *a, const fp_t *b)
{
	unsigned long long d0, d1, d2, d3, r0, r1, r2, r3;
	unsigned char br, c;

	br = _subborrow_u64(0, a->v[0], b->v[0], &d0);
	br = _subborrow_u64(br, a->v[1], b->v[1], &d1);
	br = _subborrow_u64(br, a->v[2], b->v[2], &d2);
	br = _subborrow_u64(br, a->v[3], b->v[3], &d3);
	uint64_t m = (uint64_t)0 - br;     /* add p back after a borrow */
	c = _addcarry_u64(0, d0, FP_P0 & m, &r0);
	c = _addcarry_u64(c, d1, FP_P1 & m, &r1);
	c = _addcarry_u64(c, d2, FP_P2 & m, &r2);
	(void)_addcarry_u64(c, d3, FP_P3 & m, &r3);
	r->v[0] = r0;
	r->v[1] = r1;
	r->v[2] = r2;
	r->v[3] = r3;
}
#else
static inline void fp_add(fp_t *r, const fp_t *a, const fp_t *b) { fp_add_generic(r, a, b); }
static inline void fp_sub(fp_t *r, const fp_t *a, const fp_t *b) { fp_sub_generic(r, a, b); }
#endif

static inline void fp_dbl(fp_t *r, const fp_t *a) { fp_add(r, a, a); }

static inline void fp_neg(fp_t *r, const fp_t *a) { fp_sub(r, &FP_ZERO, a); }

/* r = a / 2: add p when a is odd (p is odd, so the sum is even), then shift right. */
static inline void fp_half(fp_t *r, const fp_t *a)
{
	u128 t;
	uint64_t m = (uint64_t)0 - (a->v[0] & 1), c, s0, s1, s2, s3;

	t = (u128)a->v[0] + (FP_P0 & m);      s0 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)a->v[1] + (FP_P1 & m) + c;  s1 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)a->v[2] + (FP_P2 & m) + c;  s2 = (uint64_t)t; c = (uint64_t)(t >> 64);
	t = (u128)a->v[3] + (FP_P3 & m) + c;  s3 = (uint64_t)t; c = (uint64_t)(t >> 64);
	r->v[0] = (s0 >> 1) | (s1 << 63);
	r->v[1] = (s1 >> 1) | (s2 << 63);
	r->v[2] = (s2 >> 1) | (s3 << 63);
	r->v[3] = (s3 >> 1) | (c << 63);
}

static inline uint64_t fp_is_zero(const fp_t *a) /* 1 or 0 */
{
	return 1 & ~(ct_mask_nonzero(a->v[0] | a->v[1] | a->v[2] | a->v[3]));
}

static inline uint64_t fp_equal(const fp_t *a, const fp_t *b) /* 1 or 0 */
{
	return 1 & ~ct_mask_nonzero((a->v[0] ^ b->v[0]) | (a->v[1] ^ b->v[1]) |
				    (a->v[2] ^ b->v[2]) | (a->v[3] ^ b->v[3]));
}

void fp_mul_portable(fp_t *r, const fp_t *a, const fp_t *b);
void fp_sqr_portable(fp_t *r, const fp_t *a);
#if defined(__x86_64__)
void fp_mul_adx(fp_t *r, const fp_t *a, const fp_t *b);
void fp_sqr_adx(fp_t *r, const fp_t *a);
static inline void fp_mul(fp_t *r, const fp_t *a, const fp_t *b)
{
	if (__builtin_expect(fp_use_adx, 1))
		fp_mul_adx(r, a, b);
	else
		fp_mul_portable(r, a, b);
}
static inline void fp_sqr(fp_t *r, const fp_t *a)
{
	if (__builtin_expect(fp_use_adx, 1))
		fp_sqr_adx(r, a);
	else
		fp_sqr_portable(r, a);
}
#else
static inline void fp_mul(fp_t *r, const fp_t *a, const fp_t *b) { fp_mul_portable(r, a, b); }
static inline void fp_sqr(fp_t *r, const fp_t *a) { fp_sqr_portable(r, a); }
#endif

void fp_select_backend(int adx);              /* tests: 0 = portable C, 1 = ADX if the CPU has it */
int fp_cpu_has_adx(void);

void fp_to_mont(fp_t *r, const fp_t *a);      /* plain integer < p -> Montgomery */
void fp_from_mont(fp_t *r, const fp_t *a);    /* Montgomery -> plain integer */
void fp_inv(fp_t *r, const fp_t *a);          /* a^(p-2); 0 -> 0 */
int fp_sqrt(fp_t *r, const fp_t *a);          /* 0 and r^2 = a if a is a square, else -1 */
int fp_is_square_vartime(const fp_t *a);      /* Euler's criterion: 1 for squares (and 0) */
void fp_pow_vartime(fp_t *r, const fp_t *a, const uint64_t *e, size_t nlimbs);
/* Big-endian 32 bytes.  from_bytes fails (-1) when the integer is >= p. */
int fp_from_bytes(fp_t *r, const uint8_t in[32]);
void fp_to_bytes(uint8_t out[32], const fp_t *a);
/* A 32-byte big-endian integer reduced mod p (hash outputs). */
void fp_from_bytes_reduce(fp_t *r, const uint8_t in[32]);
int fp_is_odd(const fp_t *a);                 /* parity of the plain integer */

/* ---- integers mod n (the order of G1, G2, GT), plain (non-Montgomery) limbs ---- */
typedef struct { uint64_t v[4]; } sc_t;
#define SC_N0 0xf62d536cd10b500dULL
#define SC_N1 0x0cdc65fb1299921aULL
#define SC_N2 0x46e5f25eee71a49eULL
#define SC_N3 0xfffffffffffcf0cdULL
extern const sc_t SC_N;

void sc_add(sc_t *r, const sc_t *a, const sc_t *b);
void sc_sub(sc_t *r, const sc_t *a, const sc_t *b);
void sc_neg(sc_t *r, const sc_t *a);
void sc_mul(sc_t *r, const sc_t *a, const sc_t *b);
/* 32 big-endian bytes; from_bytes fails (-1) when >= n; reduce takes any 256-bit value. */
int sc_from_bytes(sc_t *r, const uint8_t in[32]);
void sc_from_bytes_reduce(sc_t *r, const uint8_t in[32]);
/* 64 big-endian bytes reduced mod n (uniform scalars from 512 random bits). */
void sc_from_bytes64_reduce(sc_t *r, const uint8_t in[64]);
void sc_to_bytes(uint8_t out[32], const sc_t *a);
int sc_is_zero(const sc_t *a);
int sc_equal(const sc_t *a, const sc_t *b);
void sc_random(sc_t *r);                      /* uniform in [1, n), from 512 random bits */

#endif
