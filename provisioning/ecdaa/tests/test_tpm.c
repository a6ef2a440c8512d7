/* The member key in a TPM (a private swtpm): join proof made by the TPM, credential, signing
 * through TPM2_Commit + TPM2_Sign with and without basename, verified in software. */
#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/ecdaa/tests/swtpm.h"

#include <criterion/criterion.h>
#include <string.h>

static struct swtpm sw;
static struct ecdaa_tpm *tpm;
static struct ecdaa_issuer_public_key ipk;
static struct ecdaa_issuer_secret_key isk;

static const uint8_t nonce[] = "join nonce";
static const uint8_t msg[] = "signed inside the TPM";
static const uint8_t bsn[] = "BASENAME";

static void start(void)
{
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_init(), 0);
	if (swtpm_start(&sw))
		cr_skip_test("swtpm could not be started");
	cr_assert_eq(ecdaa_tpm_open(&tpm, sw.tcti, &err), 0, "tpm open: %s", err.message);
	cr_assert_eq(ecdaa_issuer_key_pair_generate(&ipk, &isk), 0);
}

static void stop(void)
{
	ecdaa_tpm_close(tpm);
	tpm = NULL;
	swtpm_stop(&sw);
}

TestSuite(tpm, .init = start, .fini = stop, .timeout = 60);

/* TPM join: the issuer checks the TPM-made proof and issues a credential the member accepts. */
static void tpm_join(struct ecdaa_member_public_key *pk, struct ecdaa_credential *cred)
{
	struct ecdaa_credential_signature cs;
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_member_key_pair_generate_tpm(pk, tpm, nonce, sizeof(nonce), &err), 0,
		     "tpm join: %s", err.message);
	cr_assert_eq(ecdaa_member_public_key_validate(pk, nonce, sizeof(nonce), &err), 0);
	cr_assert_eq(ecdaa_member_public_key_validate(pk, nonce, sizeof(nonce) - 1, &err), -1);
	cr_assert_eq(ecdaa_credential_generate(cred, &cs, &isk, pk), 0);
	cr_assert_eq(ecdaa_credential_validate(cred, &cs, pk, &ipk.gpk, &err), 0);
}

Test(tpm, transient_key_join_and_sign)
{
	struct ecdaa_member_public_key pk;
	struct ecdaa_credential cred;
	struct ecdaa_signature sig;
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_tpm_key_create(tpm, 0, NULL, 0, &err), 0, "%s", err.message);
	tpm_join(&pk, &cred);
	cr_assert_eq(ecdaa_signature_sign_tpm(&sig, msg, sizeof(msg), NULL, 0, &cred, tpm, &err),
		     0, "tpm sign: %s", err.message);
	cr_assert_eq(sig.has_nym, 0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg), NULL, 0, &err),
		     0, "verify: %s", err.message);
	cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, sizeof(msg) - 1, NULL, 0,
					    &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
}

Test(tpm, basename_signatures_link_and_revoke)
{
	struct ecdaa_member_public_key pk;
	struct ecdaa_credential cred;
	struct ecdaa_signature s1, s2, s3;
	struct ecdaa_error err;
	struct ecdaa_revocations rev = { 0 };

	cr_assert_eq(ecdaa_tpm_key_create(tpm, 0, NULL, 0, &err), 0, "%s", err.message);
	tpm_join(&pk, &cred);
	cr_assert_eq(ecdaa_signature_sign_tpm(&s1, msg, sizeof(msg), bsn, 8, &cred, tpm, &err), 0,
		     "%s", err.message);
	cr_assert_eq(ecdaa_signature_sign_tpm(&s2, msg, 5, bsn, 8, &cred, tpm, &err), 0);
	cr_assert_eq(ecdaa_signature_sign_tpm(&s3, msg, 5, bsn, 7, &cred, tpm, &err), 0);
	cr_assert_eq(ecdaa_signature_verify(&s1, &ipk.gpk, NULL, msg, sizeof(msg), bsn, 8, &err),
		     0, "verify: %s", err.message);
	cr_assert_eq(ecdaa_signature_verify(&s3, &ipk.gpk, NULL, msg, 5, bsn, 7, &err), 0);
	cr_assert_eq(ecdaa_signature_verify(&s1, &ipk.gpk, NULL, msg, sizeof(msg), bsn, 7, &err),
		     -1);
	/* same key and basename: same pseudonym; another basename: another one */
	cr_assert(ecdaa_g1_equal(&s1.K, &s2.K));
	cr_assert(!ecdaa_g1_equal(&s1.K, &s3.K));
	rev.bsn_list = &s1.K;
	rev.bsn_count = 1;
	cr_assert_eq(ecdaa_signature_verify(&s2, &ipk.gpk, &rev, msg, 5, bsn, 8, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_REVOKED_NYM);
	cr_assert_eq(ecdaa_signature_verify(&s3, &ipk.gpk, &rev, msg, 5, bsn, 7, &err), 0);

	/* the longest basename a TPM takes, and one byte more */
	uint8_t long_bsn[ECDAA_TPM_BASENAME_MAX + 1];
	memset(long_bsn, 'b', sizeof(long_bsn));
	cr_assert_eq(ecdaa_signature_sign_tpm(&s1, msg, 5, long_bsn, ECDAA_TPM_BASENAME_MAX, &cred,
					      tpm, &err), 0, "%s", err.message);
	cr_assert_eq(ecdaa_signature_verify(&s1, &ipk.gpk, NULL, msg, 5, long_bsn,
					    ECDAA_TPM_BASENAME_MAX, &err), 0);
	cr_assert_eq(ecdaa_signature_sign_tpm(&s1, msg, 5, long_bsn, sizeof(long_bsn), &cred, tpm,
					      &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_ARGUMENT);
}

Test(tpm, persistent_key_survives_reconnect)
{
	struct ecdaa_member_public_key pk;
	struct ecdaa_credential cred;
	struct ecdaa_signature sig;
	struct ecdaa_error err;
	static const uint8_t pw[] = "key password";
	const uint32_t handles[2] = { 0x81000010u, 0x81800000u };   /* owner, platform */

	for (int i = 0; i < 2; i++) {
		cr_assert_eq(ecdaa_tpm_key_create(tpm, handles[i], pw, sizeof(pw), &err), 0,
			     "create 0x%x: %s", handles[i], err.message);
		tpm_join(&pk, &cred);
		ecdaa_tpm_close(tpm);
		cr_assert_eq(ecdaa_tpm_open(&tpm, sw.tcti, &err), 0);
		/* the TPM ignores trailing zero bytes of a password: change a real one */
		cr_assert_eq(ecdaa_tpm_key_load(tpm, handles[i], pw, 3, &err), 0);
		cr_assert_eq(ecdaa_signature_sign_tpm(&sig, msg, 4, NULL, 0, &cred, tpm, &err), -1,
			     "wrong password accepted");
		cr_assert_eq(err.kind, ECDAA_E_TPM);
		cr_assert_eq(ecdaa_tpm_key_load(tpm, handles[i], pw, sizeof(pw), &err), 0,
			     "load: %s", err.message);
		cr_assert_eq(ecdaa_signature_sign_tpm(&sig, msg, 4, bsn, 8, &cred, tpm, &err), 0,
			     "sign: %s", err.message);
		cr_assert_eq(ecdaa_signature_verify(&sig, &ipk.gpk, NULL, msg, 4, bsn, 8, &err), 0);
		/* the handle is taken until evicted */
		cr_assert_eq(ecdaa_tpm_key_create(tpm, handles[i], NULL, 0, &err), -1);
		cr_assert_eq(ecdaa_tpm_key_evict(tpm, handles[i], &err), 0, "%s", err.message);
		cr_assert_eq(ecdaa_tpm_key_load(tpm, handles[i], NULL, 0, &err), -1);
	}
}

Test(tpm, signing_needs_a_key)
{
	struct ecdaa_credential cred;
	struct ecdaa_signature sig;
	struct ecdaa_error err;

	memset(&cred, 0, sizeof(cred));
	cr_assert_eq(ecdaa_signature_sign_tpm(&sig, msg, 4, NULL, 0, &cred, tpm, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_ARGUMENT);
}
