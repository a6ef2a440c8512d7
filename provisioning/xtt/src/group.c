/* group.c: the ECDAA group signature of Identity_ClientAttest (provisioning/ecdaa): signed
 * with a basename so it carries the device's pseudonym for that basename. */
#include <string.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/src/handshake.h"

#define DAA_SIG_OFFSET (WIRE_CA_AD_LEN + WIRE_CA_PT_DAASIG)

int group_sign(uint8_t sig[XTT_GROUP_SIG_LEN], const struct xtt_client_group *g,
	       const uint8_t *msg, size_t len, struct xerr *e)
{
	struct ecdaa_signature s;
	struct ecdaa_error err = { 0 };
	int rc;

	if (g->tpm)
		rc = ecdaa_signature_sign_tpm(&s, msg, len, g->basename, g->basename_len, g->cred,
					      g->tpm, &err);
	else
		rc = ecdaa_signature_sign(&s, msg, len, g->basename, g->basename_len, g->sk, g->cred);
	if (rc < 0) {
		char why[160];

		ecdaa_error_format(why, sizeof(why), &err);
		return xerr_set(e, XTT_E_CRYPTO, "group signature (%s): %s", g->tpm ? "TPM" : "software",
				err.kind == ECDAA_E_NONE ? "failed" : why);
	}
	if (ecdaa_signature_encode(sig, &s) != XTT_GROUP_SIG_LEN)
		return xerr_set(e, XTT_E_CRYPTO, "group signature has no pseudonym");
	return 0;
}

int group_verify(const uint8_t sig[XTT_GROUP_SIG_LEN], const struct xtt_server_group *g,
		 const uint8_t *msg, size_t len, struct xerr *e)
{
	struct ecdaa_signature s;
	struct ecdaa_error err = { 0 };
	char why[160];

	if (ecdaa_signature_decode(&s, sig, XTT_GROUP_SIG_LEN, &err) < 0) {
		ecdaa_error_format(why, sizeof(why), &err);
		return xerr_set(e, XTT_E_GROUP_SIGNATURE,
				"Identity_ClientAttest: field daa_sig (offset %d): %s", DAA_SIG_OFFSET, why);
	}
	if (ecdaa_signature_verify(&s, g->gpk, g->revocations, msg, len, g->basename,
				   g->basename_len, &err) < 0) {
		ecdaa_error_format(why, sizeof(why), &err);
		return xerr_set(e, XTT_E_GROUP_SIGNATURE,
				"Identity_ClientAttest: field daa_sig (offset %d) does not verify: %s",
				DAA_SIG_OFFSET, why);
	}
	return 0;
}
