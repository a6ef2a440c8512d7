/* server.c: the provisioning server side: answer ClientInit with its certificate and a
 * cookie, check the echo, the long-term key's signature and (with the application's group)
 * the group signature, then confirm the identity the application chose. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/handshake.h"

int xtt_server_new(struct xtt_handshake **out, const struct xtt_server_config *cfg)
{
	struct xtt_handshake *hs;

	*out = NULL;
	if (!cfg || !cfg->cert || !cfg->cert->key)
		return -1;
	hs = hs_new(HS_SERVER, cfg->transcript, &cfg->rng);
	if (!hs)
		return -1;
	hs->allowed_suites = cfg->suites ? cfg->suites : 0x1e;
	hs->server_cert = cfg->cert;
	*out = hs;
	return 0;
}

static enum xtt_status received_client_init(struct xtt_handshake *hs, struct xtt_io *io)
{
	struct wire_client_init ci;
	struct wire_siaa_ad ad;
	struct wire_siaa_pt pt;
	uint8_t h[SUITE_HASH_LEN], plain[WIRE_SIAA_PT_LEN];

	if (wire_client_init_parse(&ci, hs->in, hs->in_want, &hs->err) < 0)
		return hs_fail(hs, io);
	if (hs_suite_usable(hs, ci.suite, "ClientInit") < 0)
		return hs_fail(hs, io);
	if (!(hs->allowed_suites & (1u << ci.suite))) {
		xerr_set(&hs->err, XTT_E_SUITE, "ClientInit: field suite (offset 4) is %s, not allowed here",
			 xtt_suite_name((enum xtt_suite)ci.suite));
		return hs_fail(hs, io);
	}
	hs->suite = (enum xtt_suite)ci.suite;
	memcpy(hs->client_init, hs->in, WIRE_CI_LEN);

	ad.suite = ci.suite;
	x25519_keypair(&hs->rng, hs->dh_sk, ad.dh_pub);
	rng_fill(&hs->rng, ad.cookie, sizeof(ad.cookie));
	wire_siaa_ad_build(hs->siaa_ad, &ad);
	if (hs_derive_keys(hs, ci.dh_pub, "ClientInit: field dh_pub (offset 38)") < 0)
		return hs_fail(hs, io);
	if (schedule_server_sig_hash(h, hs->suite, hs->client_init, hs->siaa_ad, hs->server_cert->cert) < 0 ||
	    ecdsa_sign(pt.sig, hs->server_cert->key, h, sizeof(h)) < 0) {
		xerr_set(&hs->err, XTT_E_CRYPTO, "ServerInitAndAttest: signing failed");
		return hs_fail(hs, io);
	}
	memcpy(pt.cert, hs->server_cert->cert, XTT_SERVER_CERT_LEN);
	memcpy(hs->cert, pt.cert, XTT_SERVER_CERT_LEN);
	memcpy(hs->sig_s, pt.sig, XTT_ECDSA_SIG_LEN);
	wire_siaa_pt_build(plain, &pt);
	memcpy(hs->out, hs->siaa_ad, WIRE_SIAA_AD_LEN);
	if (hs_seal(hs, WIRE_SIAA_AD_LEN, plain, sizeof(plain)) < 0) {
		xerr_set(&hs->err, XTT_E_CRYPTO, "ServerInitAndAttest: encryption failed");
		return hs_fail(hs, io);
	}
	return hs_send(hs, WIRE_SIAA_LEN, WIRE_ID_CLIENT_ATTEST, io);
}

static enum xtt_status received_client_attest(struct xtt_handshake *hs, struct xtt_io *io)
{
	uint8_t cookie[XTT_COOKIE_LEN], plain[WIRE_CA_PT_LEN], h[SUITE_HASH_LEN];
	struct wire_ca_pt pt;
	EVP_PKEY *key;
	uint16_t suite;

	if (wire_ca_ad_parse(&suite, cookie, hs->in, hs->in_want, &hs->err) < 0 ||
	    hs_suite_same(hs, suite, "Identity_ClientAttest") < 0)
		return hs_fail(hs, io);
	if (sodium_memcmp(cookie, hs->siaa_ad + WIRE_SIAA_KEYED_LEN, XTT_COOKIE_LEN) != 0) {
		xerr_set(&hs->err, XTT_E_COOKIE,
			 "Identity_ClientAttest: field server_cookie (offset 6) is not the cookie this server sent");
		return hs_fail(hs, io);
	}
	if (hs_open(hs, WIRE_CA_AD_LEN, plain) < 0)
		return hs_fail(hs, io);
	if (wire_ca_pt_parse(&pt, plain, sizeof(plain), &hs->err) < 0)
		return hs_fail(hs, io);
	memcpy(hs->ca_signed, hs->in, WIRE_CA_AD_LEN);
	memcpy(hs->ca_signed + WIRE_CA_AD_LEN, plain, WIRE_CA_SIGNED_LEN - WIRE_CA_AD_LEN);
	if (schedule_client_sig_hash(h, hs->suite, hs->transcript, CLIENT_SIG_LONGTERM, hs->keys.inner,
				     cookie, hs->cert, hs->sig_s, hs->ca_signed, NULL) < 0 ||
	    ecdsa_verify(pt.longterm_pub, pt.longterm_sig, h, sizeof(h)) < 0) {
		/* Which one: a key that is no point, or a signature that does not verify. */
		if (ecdsa_public_decode(&key, pt.longterm_pub) < 0) {
			xerr_set(&hs->err, XTT_E_LONGTERM_KEY,
				 "Identity_ClientAttest: field longterm_pub (offset %d) is not a P-256 point",
				 WIRE_CA_AD_LEN + WIRE_CA_PT_PUB);
			return hs_fail(hs, io);
		}
		EVP_PKEY_free(key);
		xerr_set(&hs->err, XTT_E_LONGTERM_SIGNATURE,
			 "Identity_ClientAttest: field longterm_sig (offset %d) does not verify under longterm_pub%s",
			 WIRE_CA_AD_LEN + WIRE_CA_PT_LTSIG,
			 hs->transcript == XTT_TRANSCRIPT_FULL ? " (a peer on xtt 0.12 needs --compat xtt-0.12)" : "");
		return hs_fail(hs, io);
	}
	memcpy(hs->longterm_pub, pt.longterm_pub, XTT_ECDSA_PUB_LEN);
	memcpy(hs->gid, pt.gid, XTT_GID_LEN);
	memcpy(hs->requested_id, pt.id, XTT_ID_LEN);
	memcpy(hs->longterm_sig, pt.longterm_sig, XTT_ECDSA_SIG_LEN);
	memcpy(hs->daa_sig, pt.daa_sig, XTT_GROUP_SIG_LEN);
	hs->state = HS_WAIT_GROUP;
	return hs_want(hs, io);
}

enum xtt_status server_received(struct xtt_handshake *hs, struct xtt_io *io)
{
	if (hs->want_type == WIRE_CLIENT_INIT)
		return received_client_init(hs, io);
	return received_client_attest(hs, io);
}

const uint8_t *xtt_server_claimed_gid(const struct xtt_handshake *hs)
{
	return hs->gid;
}

const uint8_t *xtt_server_requested_id(const struct xtt_handshake *hs)
{
	return hs->requested_id;
}

enum xtt_status xtt_server_set_group(struct xtt_handshake *hs, const struct xtt_server_group *g,
				     struct xtt_io *io)
{
	uint8_t h[SUITE_HASH_LEN];

	if (hs->role != HS_SERVER || hs->state != HS_WAIT_GROUP)
		return hs_out_of_turn(hs, "xtt_server_set_group", io);
	if (!g || !g->gpk) {
		xerr_set(&hs->err, XTT_E_UNKNOWN_GROUP,
			 "Identity_ClientAttest: field gid (offset %d) names no known group",
			 WIRE_CA_AD_LEN + WIRE_CA_PT_GID);
		return hs_fail(hs, io);
	}
	if (hs_group_sig_hash(hs, h) < 0 ||
	    group_verify(hs->daa_sig, g, h, sizeof(h), &hs->err) < 0)
		return hs_fail(hs, io);
	hs->state = HS_WAIT_IDENTITY;
	return hs_want(hs, io);
}

enum xtt_status xtt_server_set_identity(struct xtt_handshake *hs, const uint8_t id[XTT_ID_LEN],
					struct xtt_io *io)
{
	uint8_t plain[WIRE_SF_PT_LEN];
	struct wire_sf_pt pt;

	if (hs->role != HS_SERVER || hs->state != HS_WAIT_IDENTITY)
		return hs_out_of_turn(hs, "xtt_server_set_identity", io);
	if (!id || sodium_is_zero(id, XTT_ID_LEN)) {
		xerr_set(&hs->err, XTT_E_IDENTITY, "no identity assigned (all zero)");
		return hs_fail(hs, io);
	}
	if (!sodium_is_zero(hs->requested_id, XTT_ID_LEN) && memcmp(id, hs->requested_id, XTT_ID_LEN)) {
		xerr_set(&hs->err, XTT_E_IDENTITY,
			 "the device requested another identity: grant it or refuse the handshake");
		return hs_fail(hs, io);
	}
	memcpy(hs->identity, id, XTT_ID_LEN);
	memcpy(pt.id, id, XTT_ID_LEN);
	memcpy(pt.longterm_pub, hs->longterm_pub, XTT_ECDSA_PUB_LEN);
	wire_sf_pt_build(plain, &pt);
	wire_sf_ad_build(hs->out, (uint16_t)hs->suite);
	if (hs_seal(hs, WIRE_SF_AD_LEN, plain, sizeof(plain)) < 0) {
		xerr_set(&hs->err, XTT_E_CRYPTO, "Identity_ServerFinished: encryption failed");
		return hs_fail(hs, io);
	}
	return hs_send(hs, WIRE_SF_LEN, 0, io);
}
