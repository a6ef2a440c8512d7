/* The scheme end to end: issuer keys, join, credential, sign and verify with and without a
 * basename, revocation lists, and every way a signature must fail. */
#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/ecdaa/src/field.h"

#include <criterion/criterion.h>
#include <string.h>

static struct ecdaa_issuer_public_key ipk;
static struct ecdaa_issuer_secret_key isk;
static struct ecdaa_member_public_key pk;
static struct ecdaa_member_secret_key sk;
static struct ecdaa_credential cred;
static struct ecdaa_credential_signature cred_sig;

static const uint8_t nonce[] = "issuer nonce";
static const uint8_t msg[] = "a message to sign";
static const uint8_t bsn[] = "BASENAME";

static void join(void)
{
	cr_assert_eq(ecdaa_init(), 0);
	cr_assert_eq(ecdaa_issuer_key_pair_generate(&ipk, &isk), 0);
	cr_assert_eq(ecdaa_member_key_pair_generate(&pk, &sk, nonce, sizeof(nonce)), 0);
	cr_assert_eq(ecdaa_member_public_key_validate(&pk, nonce, sizeof(nonce), NULL), 0);
	cr_assert_eq(ecdaa_credential_generate(&cred, &cred_sig, &isk, &pk), 0);
}

TestSuite(scheme, .init = join);

Test(scheme, issuer_proof_verifies)
{
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_issuer_public_key_validate(&ipk, &err), 0);
}

Test(scheme, credential_verifies)
{
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_credential_validate(&cred, &cred_sig, &pk, &ipk.gpk, &err), 0);
}

/* sign msg (with a pseudonym exactly when b_len > 0) and verify it with the same basename */
static void sign_and_verify(const uint8_t *b, size_t b_len)
{
	struct ecdaa_signature sig;
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), b, b_len, &sk, &cred), 0);
	cr_assert_eq(sig.has_nym, b_len > 0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg), b, b_len,
					    &err), 0);
}

Test(scheme, sign_verify_without_basename)
{
	sign_and_verify(NULL, 0);
}

Test(scheme, sign_verify_with_basename)
{
	sign_and_verify(bsn, 8);
}

Test(scheme, wrong_message_fails)
{
	struct ecdaa_signature sig;
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), NULL, 0, &sk, &cred), 0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg) - 1, NULL, 0,
					    &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
}

Test(scheme, revoked_key_fails)
{
	struct ecdaa_signature sig;
	struct ecdaa_error err;
	struct ecdaa_revocations rev = { .sk_list = &sk, .sk_count = 1 };

	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), NULL, 0, &sk, &cred), 0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, &rev, msg, sizeof(msg), NULL, 0,
					    &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_REVOKED_KEY);
}

/* the whole scheme on the portable multiplier (each test runs in its own process) */
Test(scheme, portable_multiplier_end_to_end)
{
	struct ecdaa_signature sig;
	struct ecdaa_credential c2;
	struct ecdaa_credential_signature cs2;
	struct ecdaa_error err;

	fp_select_backend(0);
	cr_assert_eq(fp_use_adx, 0);
	cr_assert_eq(ecdaa_credential_generate(&c2, &cs2, &isk, &pk), 0);
	cr_assert_eq(ecdaa_credential_validate(&c2, &cs2, &pk, &ipk.gpk, &err), 0);
	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), bsn, 8, &sk, &c2), 0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg), bsn, 8, &err),
		     0);
	/* a signature made with the assembly verifies on the portable code */
	fp_select_backend(1);
	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), NULL, 0, &sk, &cred), 0);
	fp_select_backend(0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg), NULL, 0, &err),
		     0);
}
