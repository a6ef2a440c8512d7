/* Fp arithmetic: Montgomery multiplication (portable C on 64x64->128 multiplies, and x86-64
 * mulx/adcx/adox assembly chosen at run time), inversion, square roots, byte conversions. */
#include "provisioning/ecdaa/src/field.h"

#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

const fp_t FP_ZERO = { { 0, 0, 0, 0 } };
const fp_t FP_ONE = { { 0x2cd6d224512ccfedULL, 0xf3239a04ed67f57dULL,
			0xb91a0da1118e5b60ULL, 0x0000000000030f32ULL } };
const fp_t FP_R2 = { { 0xfac8c6101092b98fULL, 0xdb90d49cd7f91154ULL,
		       0x4f325fc732bf3141ULL, 0x4de578ea0e56a005ULL } };
static const uint64_t FP_MOD[4] = { FP_P0, FP_P1, FP_P2, FP_P3 };

int fp_use_adx;

/* r = t4:t[0..3] - m when that value (below 2m) is >= m, else t: constant time. */
static inline void cond_sub(uint64_t r[4], const uint64_t t[4], uint64_t t4, const uint64_t m[4])
{
	u128 x;
	uint64_t d[4], br = 0;

	for (int i = 0; i < 4; i++) {
		x = (u128)t[i] - m[i] - br;
		d[i] = (uint64_t)x;
		br = (uint64_t)(x >> 64) & 1;
	}
	/* t >= m unless the subtraction borrowed past t4 */
	uint64_t keep_t = (uint64_t)0 - (br & (t4 ^ 1));
	for (int i = 0; i < 4; i++)
		r[i] = (t[i] & keep_t) | (d[i] & ~keep_t);
}

/* CIOS Montgomery multiplication a b / 2^256 mod m, minv = -m^-1 mod 2^64; for p and for n
 * (inlined with each modulus as a constant).  Neither has a spare top bit, so the running
 * value needs a fifth word and, while adding q m, a sixth. */
static inline void mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
			    const uint64_t m[4], uint64_t minv)
{
	uint64_t t[4] = { 0, 0, 0, 0 }, t4 = 0;

	for (int i = 0; i < 4; i++) {
		u128 x;
		uint64_t c = 0, bi = b[i];

		for (int j = 0; j < 4; j++) {
			x = (u128)a[j] * bi + t[j] + c;
			t[j] = (uint64_t)x;
			c = (uint64_t)(x >> 64);
		}
		x = (u128)t4 + c;
		t4 = (uint64_t)x;
		uint64_t t5 = (uint64_t)(x >> 64);

		uint64_t q = t[0] * minv;
		x = (u128)q * m[0] + t[0];
		c = (uint64_t)(x >> 64);
		for (int j = 1; j < 4; j++) {
			x = (u128)q * m[j] + t[j] + c;
			t[j - 1] = (uint64_t)x;
			c = (uint64_t)(x >> 64);
		}
		x = (u128)t4 + c;
		t[3] = (uint64_t)x;
		t4 = t5 + (uint64_t)(x >> 64);
	}
	cond_sub(r, t, t4, m);
}

void fp_mul_portable(fp_t *r, const fp_t *a, const fp_t *b)
{
	mont_mul(r->v, a->v, b->v, FP_MOD, FP_PINV);
}

void fp_sqr_portable(fp_t *r, const fp_t *a)
{
	fp_mul_portable(r, a, a);
}

#if defined(__x86_64__)
/* One multiply-accumulate row t += a * b[i] on the OF (low halves) and CF (high halves) carry
 * chains; t4 is at most 1 before and the sum stays below 2^320, so nothing leaves t4. */
#define MULROW(off, t0, t1, t2, t3, t4, t5) \
	"movq " #off "(%%rcx), %%rdx\n\t" \
	"xorl %%eax, %%eax\n\t" \
	"mulxq 0(%%rsi), %%r14, %%r15\n\t" \
	"adoxq %%r14, " t0 "\n\t" \
	"adcxq %%r15, " t1 "\n\t" \
	"mulxq 8(%%rsi), %%r14, %%r15\n\t" \
	"adoxq %%r14, " t1 "\n\t" \
	"adcxq %%r15, " t2 "\n\t" \
	"mulxq 16(%%rsi), %%r14, %%r15\n\t" \
	"adoxq %%r14, " t2 "\n\t" \
	"adcxq %%r15, " t3 "\n\t" \
	"mulxq 24(%%rsi), %%r14, %%r15\n\t" \
	"adoxq %%r14, " t3 "\n\t" \
	"adcxq %%r15, " t4 "\n\t" \
	"adoxq %%rax, " t4 "\n\t" \
	"movq %%rax, " t5 "\n\t"

/* t += m * p with m = t0 * (-p^-1): t0 becomes 0 and the carries out of t4 land in t5. */
#define REDROW(t0, t1, t2, t3, t4, t5) \
	"movq " t0 ", %%rdx\n\t" \
	"imulq %[pinv], %%rdx\n\t" \
	"xorl %%eax, %%eax\n\t" \
	"mulxq %[p0], %%r14, %%r15\n\t" \
	"adoxq %%r14, " t0 "\n\t" \
	"adcxq %%r15, " t1 "\n\t" \
	"mulxq %[p1], %%r14, %%r15\n\t" \
	"adoxq %%r14, " t1 "\n\t" \
	"adcxq %%r15, " t2 "\n\t" \
	"mulxq %[p2], %%r14, %%r15\n\t" \
	"adoxq %%r14, " t2 "\n\t" \
	"adcxq %%r15, " t3 "\n\t" \
	"mulxq %[p3], %%r14, %%r15\n\t" \
	"adoxq %%r14, " t3 "\n\t" \
	"adcxq %%r15, " t4 "\n\t" \
	"adoxq %%rax, " t4 "\n\t" \
	"adcxq %%rax, " t5 "\n\t" \
	"adoxq %%rax, " t5 "\n\t"

static const uint64_t fp_pinv_mem = FP_PINV;

__attribute__((target("bmi2,adx")))
void fp_mul_adx(fp_t *r, const fp_t *a, const fp_t *b)
{
	const uint64_t *pa = a->v, *pb = b->v;

	__asm__ volatile(
		/* row 0: t = a * b[0] */
		"movq 0(%%rcx), %%rdx\n\t"
		"xorl %%eax, %%eax\n\t"
		"mulxq 0(%%rsi), %%r8, %%r9\n\t"
		"mulxq 8(%%rsi), %%r14, %%r10\n\t"
		"adcxq %%r14, %%r9\n\t"
		"mulxq 16(%%rsi), %%r14, %%r11\n\t"
		"adcxq %%r14, %%r10\n\t"
		"mulxq 24(%%rsi), %%r14, %%r12\n\t"
		"adcxq %%r14, %%r11\n\t"
		"adcxq %%rax, %%r12\n\t"
		"movq %%rax, %%r13\n\t"
		REDROW("%%r8", "%%r9", "%%r10", "%%r11", "%%r12", "%%r13")
		MULROW(8, "%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r8")
		REDROW("%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r8")
		MULROW(16, "%%r10", "%%r11", "%%r12", "%%r13", "%%r8", "%%r9")
		REDROW("%%r10", "%%r11", "%%r12", "%%r13", "%%r8", "%%r9")
		MULROW(24, "%%r11", "%%r12", "%%r13", "%%r8", "%%r9", "%%r10")
		REDROW("%%r11", "%%r12", "%%r13", "%%r8", "%%r9", "%%r10")
		/* t = r10:r9:r8:r13:r12 < 2p: subtract p unless that borrows past r10 */
		"movq %%r12, %%rax\n\t"
		"subq %[p0], %%rax\n\t"
		"movq %%r13, %%rdx\n\t"
		"sbbq %[p1], %%rdx\n\t"
		"movq %%r8, %%r14\n\t"
		"sbbq %[p2], %%r14\n\t"
		"movq %%r9, %%r15\n\t"
		"sbbq %[p3], %%r15\n\t"
		"sbbq $0, %%r10\n\t"
		"cmovcq %%r12, %%rax\n\t"
		"cmovcq %%r13, %%rdx\n\t"
		"cmovcq %%r8, %%r14\n\t"
		"cmovcq %%r9, %%r15\n\t"
		"movq %%rax, 0(%%rdi)\n\t"
		"movq %%rdx, 8(%%rdi)\n\t"
		"movq %%r14, 16(%%rdi)\n\t"
		"movq %%r15, 24(%%rdi)\n\t"
		: "+S"(pa), "+c"(pb)
		: "D"(r->v), [pinv] "m"(fp_pinv_mem),
		  [p0] "m"(FP_MOD[0]), [p1] "m"(FP_MOD[1]), [p2] "m"(FP_MOD[2]), [p3] "m"(FP_MOD[3])
		: "rax", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
}

__attribute__((target("bmi2,adx")))
void fp_sqr_adx(fp_t *r, const fp_t *a)
{
	fp_mul_adx(r, a, a);
}

int fp_cpu_has_adx(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return 0;
	return (ebx & (1u << 8)) && (ebx & (1u << 19));   /* BMI2, ADX */
}
#else
int fp_cpu_has_adx(void)
{
	return 0;
}
#endif

void fp_select_backend(int adx)
{
	fp_use_adx = adx && fp_cpu_has_adx();
}

void fp_to_mont(fp_t *r, const fp_t *a)
{
	fp_mul(r, a, &FP_R2);
}

void fp_from_mont(fp_t *r, const fp_t *a)
{
	static const fp_t one = { { 1, 0, 0, 0 } };
	fp_mul(r, a, &one);
}

/* Left-to-right square and multiply; e is public (a fixed exponent), so this is
 * constant time in a. */
void fp_pow_vartime(fp_t *r, const fp_t *a, const uint64_t *e, size_t nlimbs)
{
	fp_t acc = FP_ONE;
	int started = 0;

	for (size_t i = nlimbs; i-- > 0;) {
		for (int bit = 63; bit >= 0; bit--) {
			if (started)
				fp_sqr(&acc, &acc);
			if ((e[i] >> bit) & 1) {
				fp_mul(&acc, &acc, a);
				started = 1;
			}
		}
	}
	*r = acc;
}

void fp_inv(fp_t *r, const fp_t *a)
{
	static const uint64_t pm2[4] = { FP_P0 - 2, FP_P1, FP_P2, FP_P3 };
	fp_pow_vartime(r, a, pm2, 4);
}

int fp_sqrt(fp_t *r, const fp_t *a)
{
	/* p = 3 mod 4: a^((p+1)/4) is a root when a is a square */
	static const uint64_t e[4] = {
		(FP_P0 >> 2) | (FP_P1 << 62) /* + 1, added below */, (FP_P1 >> 2) | (FP_P2 << 62),
		(FP_P2 >> 2) | (FP_P3 << 62), FP_P3 >> 2,
	};
	uint64_t e1[4];
	fp_t s, chk;

	/* (p+1)/4 = (p >> 2) + 1 since p = 3 mod 4 */
	memcpy(e1, e, sizeof(e1));
	e1[0] += 1;   /* p >> 2 ends in ...11 in binary, no carry */
	fp_pow_vartime(&s, a, e1, 4);
	fp_sqr(&chk, &s);
	if (!fp_equal(&chk, a))
		return -1;
	*r = s;
	return 0;
}

int fp_is_square_vartime(const fp_t *a)
{
	static const uint64_t e[4] = {
		(FP_P0 >> 1) | (FP_P1 << 63), (FP_P1 >> 1) | (FP_P2 << 63),
		(FP_P2 >> 1) | (FP_P3 << 63), FP_P3 >> 1,
	};   /* (p-1)/2 */
	fp_t t;

	if (fp_is_zero(a))
		return 1;
	fp_pow_vartime(&t, a, e, 4);
	return fp_equal(&t, &FP_ONE) ? 1 : 0;
}

static void load_be(uint64_t v[4], const uint8_t in[32])
{
	for (int i = 0; i < 4; i++) {
		uint64_t w = 0;
		for (int j = 0; j < 8; j++)
			w = (w << 8) | in[(3 - i) * 8 + j];
		v[i] = w;
	}
}

static void store_be(uint8_t out[32], const uint64_t v[4])
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 8; j++)
			out[(3 - i) * 8 + j] = (uint8_t)(v[i] >> (56 - 8 * j));
}

/* 1 if v < m (constant time) */
static uint64_t lt_mod(const uint64_t v[4], const uint64_t m[4])
{
	u128 x;
	uint64_t br = 0;

	for (int i = 0; i < 4; i++) {
		x = (u128)v[i] - m[i] - br;
		br = (uint64_t)(x >> 64) & 1;
	}
	return br;
}

/* v - m when v >= m, else v (v < 2m) */
static void reduce_once(uint64_t v[4], const uint64_t m[4])
{
	cond_sub(v, v, 0, m);
}

int fp_from_bytes(fp_t *r, const uint8_t in[32])
{
	fp_t t = { { 0, 0, 0, 0 } };

	load_be(t.v, in);
	if (!lt_mod(t.v, FP_MOD))
		return -1;
	fp_to_mont(r, &t);
	return 0;
}

void fp_from_bytes_reduce(fp_t *r, const uint8_t in[32])
{
	fp_t t;

	load_be(t.v, in);
	reduce_once(t.v, FP_MOD);   /* 2^256 < 2p */
	fp_to_mont(r, &t);
}

void fp_to_bytes(uint8_t out[32], const fp_t *a)
{
	fp_t t;

	fp_from_mont(&t, a);
	store_be(out, t.v);
}

int fp_is_odd(const fp_t *a)
{
	fp_t t;

	fp_from_mont(&t, a);
	return (int)(t.v[0] & 1);
}

/* ---- integers mod n ---- */

const sc_t SC_N = { { SC_N0, SC_N1, SC_N2, SC_N3 } };
#define SC_NINV 0x09826627c9c6813bULL   /* -n^-1 mod 2^64 */
static const uint64_t SC_R2[4] = { 0xaf948aa38f4c4808ULL, 0xbd789efd26123232ULL,
				   0x117fd17ceb526be7ULL, 0x2bfc4998fb8f407aULL };

/* Montgomery product a*b/2^256 mod n. */
static void sc_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	mont_mul(r, a, b, SC_N.v, SC_NINV);
}

void sc_add(sc_t *r, const sc_t *a, const sc_t *b)
{
	u128 x;
	uint64_t s[4], c = 0, d[4], br = 0;

	for (int i = 0; i < 4; i++) {
		x = (u128)a->v[i] + b->v[i] + c;
		s[i] = (uint64_t)x;
		c = (uint64_t)(x >> 64);
	}
	for (int i = 0; i < 4; i++) {
		x = (u128)s[i] - SC_N.v[i] - br;
		d[i] = (uint64_t)x;
		br = (uint64_t)(x >> 64) & 1;
	}
	uint64_t m = (uint64_t)0 - (c | (br ^ 1));
	for (int i = 0; i < 4; i++)
		r->v[i] = (d[i] & m) | (s[i] & ~m);
}

void sc_sub(sc_t *r, const sc_t *a, const sc_t *b)
{
	u128 x;
	uint64_t d[4], br = 0, c = 0;

	for (int i = 0; i < 4; i++) {
		x = (u128)a->v[i] - b->v[i] - br;
		d[i] = (uint64_t)x;
		br = (uint64_t)(x >> 64) & 1;
	}
	uint64_t m = (uint64_t)0 - br;
	for (int i = 0; i < 4; i++) {
		x = (u128)d[i] + (SC_N.v[i] & m) + c;
		r->v[i] = (uint64_t)x;
		c = (uint64_t)(x >> 64);
	}
}

void sc_neg(sc_t *r, const sc_t *a)
{
	static const sc_t zero = { { 0, 0, 0, 0 } };
	sc_sub(r, &zero, a);
}

void sc_mul(sc_t *r, const sc_t *a, const sc_t *b)
{
	uint64_t t[4];

	sc_mont_mul(t, a->v, b->v);     /* a*b/R */
	sc_mont_mul(r->v, t, SC_R2);    /* a*b */
}

int sc_from_bytes(sc_t *r, const uint8_t in[32])
{
	sc_t t = { { 0, 0, 0, 0 } };

	load_be(t.v, in);
	if (!lt_mod(t.v, SC_N.v))
		return -1;
	*r = t;
	return 0;
}

void sc_from_bytes_reduce(sc_t *r, const uint8_t in[32])
{
	load_be(r->v, in);
	reduce_once(r->v, SC_N.v);      /* 2^256 < 2n */
}

void sc_from_bytes64_reduce(sc_t *r, const uint8_t in[64])
{
	sc_t hi, lo;

	sc_from_bytes_reduce(&hi, in);
	sc_from_bytes_reduce(&lo, in + 32);
	sc_mont_mul(hi.v, hi.v, SC_R2);  /* hi * 2^256 mod n */
	sc_add(r, &hi, &lo);
}

void sc_to_bytes(uint8_t out[32], const sc_t *a)
{
	store_be(out, a->v);
}

int sc_is_zero(const sc_t *a)
{
	return !ct_mask_nonzero(a->v[0] | a->v[1] | a->v[2] | a->v[3]);
}

int sc_equal(const sc_t *a, const sc_t *b)
{
	return !ct_mask_nonzero((a->v[0] ^ b->v[0]) | (a->v[1] ^ b->v[1]) |
				(a->v[2] ^ b->v[2]) | (a->v[3] ^ b->v[3]));
}
