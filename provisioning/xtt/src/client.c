/* client.c: the device side: ClientInit, check the server's certificate chain and signature,
 * prove group membership and possession of the new long-term key, check ServerFinished. */
#include <string.h>

#include <sodium.h>

#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/handshake.h"

int xtt_client_new(struct xtt_handshake **out, const struct xtt_client_config *cfg)
{
	struct xtt_handshake *hs;
	struct wire_client_init ci;

	*out = NULL;
	if (!cfg || !suite_known(cfg->suite) || !cfg->group.cred ||
	    (!cfg->group.sk == !cfg->group.tpm) || !cfg->group.basename ||
	    cfg->group.basename_len == 0 || cfg->group.basename_len > XTT_BASENAME_MAX)
		return -1;
	hs = hs_new(HS_CLIENT, cfg->transcript, &cfg->rng);
	if (!hs)
		return -1;
	hs->suite = cfg->suite;
	hs->group = cfg->group;
	memcpy(hs->requested_id, cfg->requested_id, XTT_ID_LEN);
	memcpy(hs->gid, cfg->group.gid, XTT_GID_LEN);
	if (ecdsa_generate(&hs->longterm_key) < 0 || ecdsa_public(hs->longterm_pub, hs->longterm_key) < 0) {
		xtt_handshake_free(hs);
		return -1;
	}
	ci.suite = (uint16_t)cfg->suite;
	x25519_keypair(&hs->rng, hs->dh_sk, ci.dh_pub);
	rng_fill(&hs->rng, ci.nonce, sizeof(ci.nonce));
	wire_client_init_build(hs->client_init, &ci);
	*out = hs;
	return 0;
}

static enum xtt_status received_siaa(struct xtt_handshake *hs, struct xtt_io *io)
{
	struct wire_siaa_ad ad;
	struct wire_siaa_pt pt;
	uint8_t plain[WIRE_SIAA_PT_LEN];

	if (wire_siaa_ad_parse(&ad, hs->in, hs->in_want, &hs->err) < 0)
		return hs_fail(hs, io);
	if (ad.suite != hs->suite) {
		xerr_set(&hs->err, XTT_E_SUITE,
			 "ServerInitAndAttest: field suite (offset 4) is %u, ClientInit offered %u",
			 ad.suite, hs->suite);
		return hs_fail(hs, io);
	}
	memcpy(hs->siaa_ad, hs->in, WIRE_SIAA_AD_LEN);
	if (hs_derive_keys(hs, ad.dh_pub, "ServerInitAndAttest: field dh_pub (offset 6)") < 0 ||
	    hs_open(hs, WIRE_SIAA_AD_LEN, plain) < 0)
		return hs_fail(hs, io);
	wire_siaa_pt_parse(&pt, plain, sizeof(plain), &hs->err);
	memcpy(hs->cert, pt.cert, XTT_SERVER_CERT_LEN);
	memcpy(hs->sig_s, pt.sig, XTT_ECDSA_SIG_LEN);
	hs->state = HS_WAIT_ROOT;
	return hs_want(hs, io);
}

static enum xtt_status received_finished(struct xtt_handshake *hs, struct xtt_io *io)
{
	struct wire_sf_pt pt;
	uint8_t plain[WIRE_SF_PT_LEN];
	uint16_t suite;

	if (wire_sf_ad_parse(&suite, hs->in, hs->in_want, &hs->err) < 0 ||
	    hs_suite_same(hs, suite, "Identity_ServerFinished") < 0 ||
	    hs_open(hs, WIRE_SF_AD_LEN, plain) < 0)
		return hs_fail(hs, io);
	wire_sf_pt_parse(&pt, plain, sizeof(plain), &hs->err);
	if (sodium_is_zero(pt.id, XTT_ID_LEN) ||
	    (!sodium_is_zero(hs->requested_id, XTT_ID_LEN) && memcmp(pt.id, hs->requested_id, XTT_ID_LEN))) {
		xerr_set(&hs->err, XTT_E_FINISHED_ID,
			 "Identity_ServerFinished: field id (offset %d) is %s the requested identity",
			 WIRE_SF_AD_LEN, sodium_is_zero(pt.id, XTT_ID_LEN) ? "all zero, not" : "not");
		return hs_fail(hs, io);
	}
	if (memcmp(pt.longterm_pub, hs->longterm_pub, XTT_ECDSA_PUB_LEN)) {
		xerr_set(&hs->err, XTT_E_FINISHED_KEY,
			 "Identity_ServerFinished: field longterm_pub (offset %d) is not the key this device sent",
			 WIRE_SF_AD_LEN + XTT_ID_LEN);
		return hs_fail(hs, io);
	}
	memcpy(hs->identity, pt.id, XTT_ID_LEN);
	hs->state = HS_DONE;
	hs_wipe(hs);
	return hs_want(hs, io);
}

enum xtt_status client_received(struct xtt_handshake *hs, struct xtt_io *io)
{
	if (hs->want_type == WIRE_SERVER_INIT_AND_ATTEST)
		return received_siaa(hs, io);
	return received_finished(hs, io);
}

const uint8_t *xtt_client_claimed_root_id(const struct xtt_handshake *hs)
{
	return server_cert_root_id(hs->cert);
}

enum xtt_status xtt_client_set_root(struct xtt_handshake *hs, const struct xtt_root_cert *root,
				    struct xtt_io *io)
{
	uint8_t h[SUITE_HASH_LEN], plain[WIRE_CA_PT_LEN];
	struct wire_ca_pt pt;

	if (hs->role != HS_CLIENT || hs->state != HS_WAIT_ROOT)
		return hs_out_of_turn(hs, "xtt_client_set_root", io);
	if (!root) {
		xerr_set(&hs->err, XTT_E_UNKNOWN_ROOT, "server certificate: no root certificate for its root_id");
		return hs_fail(hs, io);
	}
	if (server_cert_check(hs->cert, root, &hs->err) < 0)
		return hs_fail(hs, io);
	if (schedule_server_sig_hash(h, hs->suite, hs->client_init, hs->siaa_ad, hs->cert) < 0 ||
	    ecdsa_verify(server_cert_pub(hs->cert), hs->sig_s, h, sizeof(h)) < 0) {
		xerr_set(&hs->err, XTT_E_SERVER_SIGNATURE,
			 "ServerInitAndAttest: field signature (offset %d) does not verify under the server certificate's key",
			 WIRE_SIAA_AD_LEN + XTT_SERVER_CERT_LEN);
		return hs_fail(hs, io);
	}

	/* The body up to the signatures, as both signatures' transcripts see it. */
	wire_ca_ad_build(hs->ca_signed, (uint16_t)hs->suite, hs->siaa_ad + WIRE_SIAA_KEYED_LEN);
	memcpy(hs->ca_signed + WIRE_CA_AD_LEN, hs->longterm_pub, XTT_ECDSA_PUB_LEN);
	memcpy(hs->ca_signed + WIRE_CA_AD_LEN + WIRE_CA_PT_GID, hs->gid, XTT_GID_LEN);
	memcpy(hs->ca_signed + WIRE_CA_AD_LEN + WIRE_CA_PT_ID, hs->requested_id, XTT_ID_LEN);
	if (schedule_client_sig_hash(h, hs->suite, hs->transcript, CLIENT_SIG_LONGTERM, hs->keys.inner,
				     hs->siaa_ad + WIRE_SIAA_KEYED_LEN, hs->cert, hs->sig_s,
				     hs->ca_signed, NULL) < 0 ||
	    ecdsa_sign(hs->longterm_sig, hs->longterm_key, h, sizeof(h)) < 0) {
		xerr_set(&hs->err, XTT_E_CRYPTO, "signing with the long-term key failed");
		return hs_fail(hs, io);
	}
	if (hs_group_sig_hash(hs, h) < 0 ||
	    group_sign(hs->daa_sig, &hs->group, h, sizeof(h), &hs->err) < 0)
		return hs_fail(hs, io);

	memcpy(pt.longterm_pub, hs->longterm_pub, XTT_ECDSA_PUB_LEN);
	memcpy(pt.gid, hs->gid, XTT_GID_LEN);
	memcpy(pt.id, hs->requested_id, XTT_ID_LEN);
	memcpy(pt.longterm_sig, hs->longterm_sig, XTT_ECDSA_SIG_LEN);
	memcpy(pt.daa_sig, hs->daa_sig, XTT_GROUP_SIG_LEN);
	wire_ca_pt_build(plain, &pt);
	memcpy(hs->out, hs->ca_signed, WIRE_CA_AD_LEN);
	if (hs_seal(hs, WIRE_CA_AD_LEN, plain, sizeof(plain)) < 0) {
		xerr_set(&hs->err, XTT_E_CRYPTO, "Identity_ClientAttest: encryption failed");
		return hs_fail(hs, io);
	}
	return hs_send(hs, WIRE_CA_LEN, WIRE_ID_SERVER_FINISHED, io);
}

struct evp_pkey_st *xtt_client_longterm_key(const struct xtt_handshake *hs)
{
	return hs->longterm_key;
}
