/* Library set-up, errors, randomness, and the group operations the scheme files share. */
#include "provisioning/ecdaa/src/internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = -1;

static void init_run(void)
{
	if (sodium_init() < 0)
		return;
	fp_select_backend(1);
	init_result = 0;
}

int ecdaa_init(void)
{
	pthread_once(&init_once, init_run);
	return init_result;
}

int ecdaa_fail(struct ecdaa_error *err, enum ecdaa_error_kind kind, const char *field,
	       size_t offset, const char *message)
{
	if (err) {
		err->kind = kind;
		err->field = field;
		err->offset = offset;
		err->message = message;
		err->tpm_rc = 0;
	}
	return -1;
}

void ecdaa_clear_error(struct ecdaa_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void ecdaa_error_format(char *buf, size_t len, const struct ecdaa_error *err)
{
	if (!len)
		return;
	if (!err || err->kind == ECDAA_E_NONE) {
		snprintf(buf, len, "no error");
		return;
	}
	const char *msg = err->message ? err->message : "error";
	if (err->kind == ECDAA_E_TPM)
		snprintf(buf, len, "%s (TPM response code 0x%x)", msg, (unsigned)err->tpm_rc);
	else if (err->kind == ECDAA_E_LENGTH)
		snprintf(buf, len, "%s: %s, got %zu bytes", err->field ? err->field : "input", msg,
			 err->offset);
	else if (err->field && err->kind != ECDAA_E_ARGUMENT)
		snprintf(buf, len, "field %s (offset %zu): %s", err->field, err->offset, msg);
	else if (err->field)
		snprintf(buf, len, "%s: %s", err->field, msg);
	else
		snprintf(buf, len, "%s", msg);
}

void ecdaa_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

void sc_random(sc_t *r)
{
	uint8_t buf[64];

	do {
		randombytes_buf(buf, sizeof(buf));
		sc_from_bytes64_reduce(r, buf);
	} while (sc_is_zero(r));
	sodium_memzero(buf, sizeof(buf));
}

int g1_mul_sub(g1_affine_t *r, const sc_t *a, const g1_affine_t *p, const sc_t *b,
	       const g1_affine_t *q)
{
	g1_t x, y;

	g1_from_affine(&x, p);
	g1_from_affine(&y, q);
	g1_neg(&y, &y);
	g1_mul2_vartime(&x, &x, a->v, &y, b->v);
	return g1_to_affine(r, &x);
}

int g2_mul_sub(g2_affine_t *r, const sc_t *a, const g2_affine_t *p, const sc_t *b,
	       const g2_affine_t *q)
{
	g2_t x, y;

	g2_from_affine(&x, p);
	g2_from_affine(&y, q);
	g2_neg(&y, &y);
	g2_mul2_vartime(&x, &x, a->v, &y, b->v);
	return g2_to_affine(r, &x);
}

int lrsw_pairings_hold(const g1_affine_t *a, const g1_affine_t *b, const g1_affine_t *c,
		       const g1_affine_t *d, const struct ecdaa_group_public_key *gpk)
{
	g1_affine_t P[3];
	g2_affine_t Q[3];
	g1_t t, u;
	sc_t rho = { { 0, 0, 0, 0 } };
	size_t n = 0;

	do
		randombytes_buf(rho.v, 16);
	while (sc_is_zero(&rho));

	/* rho A with Y (rho has 128 bits: 32 windows) */
	g1_from_affine(&t, a);
	g1_mul_ct_windows(&t, &t, rho.v, 32);
	if (g1_to_affine(&P[n], &t) == 0)
		g2_in(&Q[n++], &gpk->Y);
	/* C - rho B with P2 */
	g1_from_affine(&t, b);
	g1_mul_ct_windows(&t, &t, rho.v, 32);
	g1_neg(&t, &t);
	g1_from_affine(&u, c);
	g1_add(&t, &t, &u);
	if (g1_to_affine(&P[n], &t) == 0)
		Q[n++] = G2_GENERATOR;
	/* -(A + D) with X */
	g1_from_affine(&t, a);
	g1_add_affine(&t, &t, d);
	g1_neg(&t, &t);
	if (g1_to_affine(&P[n], &t) == 0)
		g2_in(&Q[n++], &gpk->X);
	if (n == 0)
		return 1;
	return pairing_product_is_one(P, Q, n);
}
