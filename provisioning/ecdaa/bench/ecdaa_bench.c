/* ecdaa-bench: the cost of the FP256BN primitives and of ECDAA sign / verify, with the
 * mulx/adcx/adox field multiplication and with the portable C one, measured side by side in
 * interleaved rounds (median of the rounds), in CPU time of the benchmark thread.
 *   ecdaa-bench [-r ROUNDS] [-t MILLISECONDS_PER_CASE_AND_ROUND] */
#include "provisioning/ecdaa/src/internal.h"
#include "provisioning/ecdaa/src/sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* CPU time of this thread: the machine is shared, and time slices given to other processes
 * must not count */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* fixtures shared by the cases */
static struct ecdaa_issuer_public_key ipk;
static struct ecdaa_issuer_secret_key isk;
static struct ecdaa_member_public_key pk;
static struct ecdaa_member_secret_key sk;
static struct ecdaa_credential cred;
static struct ecdaa_credential_signature cred_sig;
static struct ecdaa_signature sig, sig_nym;
static struct ecdaa_member_secret_key revoked[100];
static g1_affine_t P;
static g2_affine_t Q;
static sc_t k;
static fp_t fa, fb;
static volatile uint64_t sink;
static const uint8_t msg[64] = "a 64-byte message, like the hash XTT has its members sign";
static const uint8_t bsn[] = "BASENAME";

static void run_fp_mul(void)
{
	for (int i = 0; i < 1000; i++)
		fp_mul(&fa, &fa, &fb);
	sink += fa.v[0];
}

static void run_pairing(void)
{
	fp12_t e;
	pairing_compute(&e, &P, &Q);
	sink += e.c0.c0.c0.v[0];
}

static void run_miller(void)
{
	fp12_t e;
	pairing_miller_loop(&e, &P, &Q, 1);
	sink += e.c0.c0.c0.v[0];
}

static fp12_t miller_value;

static void run_final_exp(void)
{
	fp12_t e;
	pairing_final_exp(&e, &miller_value);
	sink += e.c0.c0.c0.v[0];
}

static void run_g1_mul(void)
{
	g1_affine_t r;
	if (g1_mul_affine(&r, &P, &k) == 0)
		sink += r.x.v[0];
}

static void run_g2_mul(void)
{
	g2_affine_t r;
	if (g2_mul_affine(&r, &Q, &k) == 0)
		sink += r.x.c0.v[0];
}

static void run_sign(void)
{
	struct ecdaa_signature s;
	if (ecdaa_signature_sign(&s, msg, sizeof(msg), NULL, 0, &sk, &cred))
		abort();
}

static void run_sign_bsn(void)
{
	struct ecdaa_signature s;
	if (ecdaa_signature_sign(&s, msg, sizeof(msg), bsn, 8, &sk, &cred))
		abort();
}

static void run_verify(void)
{
	if (ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg), NULL, 0, NULL))
		abort();
}

static void run_verify_bsn(void)
{
	if (ecdaa_signature_verify(&sig_nym, &ipk.gpk, NULL, msg, sizeof(msg), bsn, 8, NULL))
		abort();
}

static void run_verify_revoked(void)
{
	struct ecdaa_revocations rev = { .sk_list = revoked, .sk_count = 100 };

	if (ecdaa_signature_verify(&sig, &ipk.gpk, &rev, msg, sizeof(msg), NULL, 0, NULL))
		abort();
}

static void run_join(void)
{
	struct ecdaa_member_public_key p;
	struct ecdaa_member_secret_key s;
	if (ecdaa_member_key_pair_generate(&p, &s, msg, 16))
		abort();
}

static void run_issue(void)
{
	struct ecdaa_credential c;
	struct ecdaa_credential_signature cs;
	if (ecdaa_credential_generate(&c, &cs, &isk, &pk))
		abort();
}

static void run_process_credential(void)
{
	if (ecdaa_credential_validate(&cred, &cred_sig, &pk, &ipk.gpk, NULL))
		abort();
}

struct bench_case {
	const char *name;
	void (*fn)(void);
	double per_call;          /* how many of the named operation one call does */
	double samples[2][64];    /* [backend][round]: microseconds per operation */
};

static struct bench_case cases[] = {
	{ "Fp multiplication", run_fp_mul, 1000 },
	{ "pairing (Miller loop + final exp.)", run_pairing, 1 },
	{ "  Miller loop", run_miller, 1 },
	{ "  final exponentiation", run_final_exp, 1 },
	{ "G1 scalar multiplication (ct)", run_g1_mul, 1 },
	{ "G2 scalar multiplication (ct)", run_g2_mul, 1 },
	{ "sign", run_sign, 1 },
	{ "sign with basename", run_sign_bsn, 1 },
	{ "verify", run_verify, 1 },
	{ "verify with basename", run_verify_bsn, 1 },
	{ "verify, 100 revoked keys", run_verify_revoked, 1 },
	{ "member join (key + proof)", run_join, 1 },
	{ "issue credential", run_issue, 1 },
	{ "process credential", run_process_credential, 1 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	double t[64];

	memcpy(t, v, (size_t)n * sizeof(double));
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* time fn for at least budget seconds; microseconds per call */
static double measure(void (*fn)(void), double budget)
{
	double t0 = now(), t;
	long calls = 0;

	do {
		fn();
		calls++;
		t = now();
	} while (t - t0 < budget);
	return (t - t0) * 1e6 / (double)calls;
}

int main(int argc, char **argv)
{
	int rounds = 7, opt, backends = fp_cpu_has_adx() ? 2 : 1;
	double budget = 0.15;

	while ((opt = getopt(argc, argv, "r:t:")) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 't')
			budget = atof(optarg) / 1000.0;
		else
			return 2;
	}
	if (rounds < 1 || rounds > 64 || budget <= 0)
		return 2;
	if (ecdaa_init() || ecdaa_issuer_key_pair_generate(&ipk, &isk) ||
	    ecdaa_member_key_pair_generate(&pk, &sk, msg, 16) ||
	    ecdaa_credential_generate(&cred, &cred_sig, &isk, &pk) ||
	    ecdaa_signature_sign(&sig, msg, sizeof(msg), NULL, 0, &sk, &cred) ||
	    ecdaa_signature_sign(&sig_nym, msg, sizeof(msg), bsn, 8, &sk, &cred))
		return 1;
	for (int i = 0; i < 100; i++) {
		struct ecdaa_member_public_key p;
		if (ecdaa_member_key_pair_generate(&p, &revoked[i], msg, 1))
			return 1;
	}
	sc_random(&k);
	if (g1_mul_affine(&P, &G1_GENERATOR, &k) || g2_mul_affine(&Q, &G2_GENERATOR, &k))
		return 1;
	pairing_miller_loop(&miller_value, &P, &Q, 1);
	fa = P.x;
	fb = P.y;

	/* rounds interleave every case and both backends, so drift in machine load hits all */
	for (int r = 0; r < rounds; r++)
		for (size_t c = 0; c < NCASES; c++)
			for (int b = backends - 1; b >= 0; b--) {
				fp_select_backend(b);
				cases[c].samples[b][r] =
					measure(cases[c].fn, budget) / cases[c].per_call;
			}
	fp_select_backend(1);

	printf("ECDAA on FP256BN, thread CPU time, median of %d interleaved rounds (%s)\n", rounds,
	       backends == 2 ? "x86-64 mulx/adcx/adox vs portable C" : "portable C only");
	printf("%-38s %12s %12s %12s %8s\n", "operation", "us", "ops/s", "portable us", "ratio");
	for (size_t c = 0; c < NCASES; c++) {
		double fast = median(cases[c].samples[backends - 1], rounds);
		double slow = median(cases[c].samples[0], rounds);

		if (cases[c].per_call > 1)
			printf("%-38s %12.4f %12.0f %12.4f %7.2fx\n", cases[c].name, fast, 1e6 / fast,
			       slow, slow / fast);
		else
			printf("%-38s %12.1f %12.1f %12.1f %7.2fx\n", cases[c].name, fast, 1e6 / fast,
			       slow, slow / fast);
	}
	printf("goals on this machine: pairing <= 500 us, verify <= 2500 us\n");
	return 0;
}
