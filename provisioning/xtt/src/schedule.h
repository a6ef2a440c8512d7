/* schedule.h: the XTT v1 key schedule and the transcript hashes that the signatures cover. */
#ifndef SR6_XTT_SCHEDULE_H
#define SR6_XTT_SCHEDULE_H

#include <stdint.h>

#include "provisioning/xtt/src/suite.h"
#include "provisioning/xtt/src/wire.h"

struct xtt_keys {
	uint8_t inner[SUITE_HASH_LEN];      /* hash_ext(ClientInit || SIAA[0..38)) */
	uint8_t hkh[SUITE_HASH_LEN];        /* HandshakeKeyHash = hash_ext(inner || cookie) */
	uint8_t hs_secret[SUITE_HASH_LEN];  /* prf(0^64, shared, 64) */
	uint8_t client_key[SUITE_KEY_LEN], client_iv[SUITE_IV_LEN];
	uint8_t server_key[SUITE_KEY_LEN], server_iv[SUITE_IV_LEN];
};

/* siaa_ad: the first 168 bytes of ServerInitAndAttest (header, suite, dh_pub_s, cookie). */
int schedule_derive(struct xtt_keys *k, enum xtt_suite suite,
		    const uint8_t client_init[WIRE_CI_LEN],
		    const uint8_t siaa_ad[WIRE_SIAA_AD_LEN],
		    const uint8_t shared[X25519_LEN]);

/* ServerSigHash = hash_ext(ClientInit || SIAA_AD || certificate); the server signs it. */
int schedule_server_sig_hash(uint8_t out[SUITE_HASH_LEN], enum xtt_suite suite,
			     const uint8_t client_init[WIRE_CI_LEN],
			     const uint8_t siaa_ad[WIRE_SIAA_AD_LEN],
			     const uint8_t cert[XTT_SERVER_CERT_LEN]);

enum client_sig { CLIENT_SIG_LONGTERM, CLIENT_SIG_GROUP };

/* What the long-term (or, with the long-term signature appended, the group) signature of
 * Identity_ClientAttest covers.  ca_signed is the ClientAttest plaintext layout up to the
 * signatures: AD (header, suite, cookie echo) | longterm_pub | gid | id, and longterm_sig
 * is needed only for CLIENT_SIG_GROUP.
 *   XTT_TRANSCRIPT_FULL:     hash_ext(inner | cookie[130] | cert | sig_s | ca_signed[249]
 *                                     [| longterm_sig])
 *   XTT_TRANSCRIPT_XTT_0_12: xtt v0.12's buffer: inner | cookie[0] | cert | sig_s |
 *                            ca_signed[0..16) (longterm) or [0..80) (group), under a length
 *                            prefix of 314 / 378. */
int schedule_client_sig_hash(uint8_t out[SUITE_HASH_LEN], enum xtt_suite suite,
			     enum xtt_transcript transcript, enum client_sig which,
			     const uint8_t inner[SUITE_HASH_LEN],
			     const uint8_t cookie[XTT_COOKIE_LEN],
			     const uint8_t cert[XTT_SERVER_CERT_LEN],
			     const uint8_t sig_s[XTT_ECDSA_SIG_LEN],
			     const uint8_t ca_signed[WIRE_CA_SIGNED_LEN],
			     const uint8_t longterm_sig[XTT_ECDSA_SIG_LEN]);

#endif
