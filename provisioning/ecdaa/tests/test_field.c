/* Fp and scalars mod n: known answers (computed with Python integers), algebraic
 * properties, canonical encodings, and the ADX assembly against the portable C. */
#include "provisioning/ecdaa/src/field.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static void hex_to_bytes(uint8_t *out, const char *hex, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned int v;
		cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static fp_t fp_hex(const char *hex)
{
	uint8_t b[32];
	fp_t r;

	hex_to_bytes(b, hex, 32);
	cr_assert_eq(fp_from_bytes(&r, b), 0, "%s not below p", hex);
	return r;
}

static void assert_fp(const fp_t *a, const char *hex)
{
	uint8_t b[32], want[32];

	fp_to_bytes(b, a);
	hex_to_bytes(want, hex, 32);
	cr_assert_arr_eq(b, want, 32, "expected %s", hex);
}

static const char A[] = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
static const char B[] = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
static const char PM1[] = "fffffffffffcf0cd46e5f25eee71a49f0cdc65fb12980a82d3292ddbaed33012";
static const char P[] = "fffffffffffcf0cd46e5f25eee71a49f0cdc65fb12980a82d3292ddbaed33013";

/* deterministic xorshift for reproducible random inputs */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static fp_t fp_random(void)
{
	uint8_t b[32];

	for (int i = 0; i < 32; i += 8) {
		uint64_t r = rnd();
		memcpy(b + i, &r, 8);
	}
	fp_t r;
	fp_from_bytes_reduce(&r, b);
	return r;
}

static void both_backends(void (*check)(void))
{
	fp_select_backend(0);
	check();
	if (fp_cpu_has_adx()) {
		fp_select_backend(1);
		check();
	}
}

static void known_answers(void)
{
	fp_t a = fp_hex(A), b = fp_hex(B), r, pm1 = fp_hex(PM1);

	fp_mul(&r, &a, &b);
	assert_fp(&r, "953eb67a6aa33e674184f56994f9748f112f56f62ac371ea3d8bb5715c5ca706");
	fp_add(&r, &a, &b);
	assert_fp(&r, "08bb6928ca582647e7658eba1093e8e3266803fd8ab8703ab1cb3858d6b71945");
	fp_sub(&r, &a, &b);
	assert_fp(&r, "8c7398fcc9e26480c738e24e35422b191bc975f78ba82227ee0c88d6da52481e");
	fp_inv(&r, &a);
	assert_fp(&r, "0255ffef282c704c484962e45b8a5846bea7b5529f97393e7b3cc05390861e4a");
	fp_sqr(&r, &pm1);   /* (-1)^2 */
	assert_fp(&r, "0000000000000000000000000000000000000000000000000000000000000001");
	fp_add(&r, &pm1, &pm1);
	assert_fp(&r, "fffffffffffcf0cd46e5f25eee71a49f0cdc65fb12980a82d3292ddbaed33011");
}

Test(field, known_answers_both_backends)
{
	both_backends(known_answers);
}

static void properties(void)
{
	for (int i = 0; i < 300; i++) {
		fp_t a = fp_random(), b = fp_random(), c = fp_random(), x, y, z;

		fp_mul(&x, &a, &b);                      /* commutative */
		fp_mul(&y, &b, &a);
		cr_assert(fp_equal(&x, &y));
		fp_add(&x, &b, &c);                      /* distributive */
		fp_mul(&x, &a, &x);
		fp_mul(&y, &a, &b);
		fp_mul(&z, &a, &c);
		fp_add(&y, &y, &z);
		cr_assert(fp_equal(&x, &y));
		fp_sqr(&x, &a);                          /* sqr = mul */
		fp_mul(&y, &a, &a);
		cr_assert(fp_equal(&x, &y));
		fp_inv(&x, &a);                          /* inverse */
		fp_mul(&x, &x, &a);
		cr_assert(fp_equal(&x, &FP_ONE) || fp_is_zero(&a));
		fp_sub(&x, &a, &b);                      /* (a - b) + b = a */
		fp_add(&x, &x, &b);
		cr_assert(fp_equal(&x, &a));
		fp_half(&x, &a);                         /* 2 (a / 2) = a */
		fp_dbl(&x, &x);
		cr_assert(fp_equal(&x, &a));
		fp_neg(&x, &a);                          /* a + (-a) = 0 */
		fp_add(&x, &x, &a);
		cr_assert(fp_is_zero(&x));
		fp_sqr(&x, &a);                          /* sqrt(a^2) = +-a */
		cr_assert_eq(fp_sqrt(&y, &x), 0);
		fp_neg(&z, &a);
		cr_assert(fp_equal(&y, &a) || fp_equal(&y, &z));
		cr_assert_eq(fp_is_square_vartime(&x), 1);
	}
}

Test(field, algebraic_properties_both_backends)
{
	both_backends(properties);
}

Test(field, square_roots_of_non_squares_fail)
{
	fp_t a = fp_hex(A), b = fp_hex(B), r;

	cr_assert_eq(fp_sqrt(&r, &a), -1);
	cr_assert_eq(fp_sqrt(&r, &b), -1);
	cr_assert_eq(fp_is_square_vartime(&a), 0);
}

/* The assembly must give the portable result bit for bit, at the edges too. */
Test(field, adx_matches_portable)
{
	if (!fp_cpu_has_adx())
		cr_skip_test("CPU without BMI2/ADX");
	fp_t edge[6] = { FP_ZERO, FP_ONE, fp_hex(PM1), fp_hex(A), fp_hex(B), FP_R2 };
	fp_t r1, r2;

	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 6; j++) {
			fp_mul_portable(&r1, &edge[i], &edge[j]);
			fp_mul_adx(&r2, &edge[i], &edge[j]);
			cr_assert_arr_eq(r1.v, r2.v, sizeof(r1.v));
		}
	for (int i = 0; i < 20000; i++) {
		fp_t a = fp_random(), b = fp_random();

		/* values near p exercise the carries out of the top limb */
		if (i % 4 == 1)
			a.v[3] = FP_P3, a.v[2] = FP_P2 - (rnd() & 1);
		if (i % 4 == 2)
			b = fp_hex(PM1), b.v[0] -= rnd() & 0xffff;
		fp_mul_portable(&r1, &a, &b);
		fp_mul_adx(&r2, &a, &b);
		cr_assert_arr_eq(r1.v, r2.v, sizeof(r1.v), "mismatch at %d", i);
		fp_sqr_portable(&r1, &a);
		fp_sqr_adx(&r2, &a);
		cr_assert_arr_eq(r1.v, r2.v, sizeof(r1.v), "square mismatch at %d", i);
	}
}

/* The x86-64 add/sub (carry intrinsics) against the generic 128-bit code. */
Test(field, add_sub_match_generic)
{
	fp_t pm1 = fp_hex(PM1), r1, r2;

	for (int i = 0; i < 20000; i++) {
		fp_t a = fp_random(), b = fp_random();

		if (i % 3 == 1)
			a = pm1;
		if (i % 5 == 2)
			b = FP_ZERO;
		fp_add(&r1, &a, &b);
		fp_add_generic(&r2, &a, &b);
		cr_assert_arr_eq(r1.v, r2.v, sizeof(r1.v), "add %d", i);
		fp_sub(&r1, &a, &b);
		fp_sub_generic(&r2, &a, &b);
		cr_assert_arr_eq(r1.v, r2.v, sizeof(r1.v), "sub %d", i);
		fp_sub(&r1, &b, &a);
		fp_sub_generic(&r2, &b, &a);
		cr_assert_arr_eq(r1.v, r2.v, sizeof(r1.v), "sub %d", i);
	}
}

Test(field, encodings_are_canonical)
{
	uint8_t b[32], out[32];
	fp_t r;

	hex_to_bytes(b, P, 32);
	cr_assert_eq(fp_from_bytes(&r, b), -1, "p accepted");
	memset(b, 0xff, 32);
	cr_assert_eq(fp_from_bytes(&r, b), -1, "2^256 - 1 accepted");
	hex_to_bytes(b, PM1, 32);
	cr_assert_eq(fp_from_bytes(&r, b), 0);
	fp_to_bytes(out, &r);
	cr_assert_arr_eq(out, b, 32);
	/* the reducing form takes any 256-bit value: 2^256 - 1 mod p */
	memset(b, 0xff, 32);
	fp_from_bytes_reduce(&r, b);
	assert_fp(&r, "0000000000030f32b91a0da1118e5b60f3239a04ed67f57d2cd6d224512ccfec");
}

Test(field, scalars_mod_n)
{
	uint8_t ab[32], bb[32], x64[64], out[32], want[32];
	sc_t a, b, r;

	hex_to_bytes(ab, A, 32);
	hex_to_bytes(bb, B, 32);
	sc_from_bytes_reduce(&a, ab);
	sc_from_bytes_reduce(&b, bb);
	sc_mul(&r, &a, &b);
	sc_to_bytes(out, &r);
	hex_to_bytes(want, "c380eca59510d53bc4a2d4d13b0deb877dbb92f774fc9659b853f751dd63c746", 32);
	cr_assert_arr_eq(out, want, 32);
	sc_sub(&r, &b, &a);
	sc_to_bytes(out, &r);
	hex_to_bytes(want, "738c6703361a8c4c7fad1010b92f7984f112f00386f16ff30820ca95f6b907ef", 32);
	cr_assert_arr_eq(out, want, 32);
	sc_add(&r, &a, &b);
	sc_to_bytes(out, &r);
	hex_to_bytes(want, "08bb6928ca582647e7658eba1093e8e4266803fd8ab6e8a28ec712c7b47ef94b", 32);
	cr_assert_arr_eq(out, want, 32);
	hex_to_bytes(x64, "a4abd4448c49562d828115d13a1fccea927f52b4d5459297f8b43e42da89238b"
			  "c13626e43dcb38ddb082488927ec904fb42057443983e88585179d50551afe62", 64);
	sc_from_bytes64_reduce(&r, x64);
	sc_to_bytes(out, &r);
	hex_to_bytes(want, "36406ad1d7b38ed9c2907992f50c87a575bd3a730c9296acc73120bebe3e31a3", 32);
	cr_assert_arr_eq(out, want, 32);
	/* n itself is not a canonical scalar, n - 1 is */
	sc_to_bytes(out, &SC_N);
	cr_assert_eq(sc_from_bytes(&r, out), -1);
	out[31] -= 1;
	cr_assert_eq(sc_from_bytes(&r, out), 0);
	sc_neg(&a, &r);                 /* -(n - 1) = 1 */
	cr_assert_eq(a.v[0], 1);
	cr_assert_eq(a.v[1] | a.v[2] | a.v[3], 0);
}
