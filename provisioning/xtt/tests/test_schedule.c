/* Known-answer tests of the key schedule, transcript hashes and records against the
 * independent Python model (tests/kat/xtt_kat.py -> tests/kat/vectors.h), every suite. */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sodium.h>

#include "provisioning/xtt/src/schedule.h"
#include "provisioning/xtt/src/suite.h"
#include "provisioning/xtt/src/wire.h"
#include "provisioning/xtt/tests/kat_rng.h"
#include "provisioning/xtt/tests/kat/vectors.h"

#define assert_bytes(got, want, len, what) \
	cr_assert(memcmp((got), (want), (len)) == 0, "%s differs from the model", (what))

ParameterizedTestParameters(schedule, kat)
{
	static int suites[] = { 1, 2, 3, 4 };
	return cr_make_param_array(int, suites, 4);
}

struct kat_state {
	uint8_t ci[WIRE_CI_LEN], siaa_ad[WIRE_SIAA_AD_LEN], shared[32];
	uint8_t c_sk[32], s_sk[32];
	struct xtt_keys k;
};

static void kat_setup(struct kat_state *s, enum xtt_suite suite)
{
	struct kat_rng crng, srng;
	struct xtt_rng cr = { kat_rng_fill, &crng }, sr = { kat_rng_fill, &srng };
	struct wire_client_init ci = { .suite = (uint16_t)suite };
	struct wire_siaa_ad ad = { .suite = (uint16_t)suite };
	uint8_t s_shared[32];

	cr_assert_eq(suite_init(), 0);
	kat_rng_init(&crng, "xtt kat client");
	kat_rng_init(&srng, "xtt kat server");
	x25519_keypair(&cr, s->c_sk, ci.dh_pub);
	rng_fill(&cr, ci.nonce, sizeof(ci.nonce));
	x25519_keypair(&sr, s->s_sk, ad.dh_pub);
	rng_fill(&sr, ad.cookie, sizeof(ad.cookie));
	wire_client_init_build(s->ci, &ci);
	wire_siaa_ad_build(s->siaa_ad, &ad);
	cr_assert_eq(x25519_shared(s->shared, s->c_sk, ad.dh_pub), 0);
	cr_assert_eq(x25519_shared(s_shared, s->s_sk, ci.dh_pub), 0);
	cr_assert(memcmp(s->shared, s_shared, 32) == 0, "both sides agree on the X25519 secret");
	cr_assert_eq(schedule_derive(&s->k, suite, s->ci, s->siaa_ad, s->shared), 0);
}

ParameterizedTest(int *suite_p, schedule, kat)
{
	enum xtt_suite suite = (enum xtt_suite)*suite_p;
	const struct kat_vector *v = &kat_vectors[suite];
	struct kat_state s;

	if (suite_uses_aesgcm(suite) && !xtt_suite_available(suite))
		cr_skip_test("AES-256-GCM needs the CPU's AES instructions");
	kat_setup(&s, suite);
	assert_bytes(s.ci, v->client_init, WIRE_CI_LEN, "ClientInit");
	assert_bytes(s.siaa_ad, v->siaa_ad, WIRE_SIAA_AD_LEN, "ServerInitAndAttest AD");
	assert_bytes(s.shared, v->shared, 32, "X25519 shared secret");
	assert_bytes(s.k.inner, v->inner, 64, "inner hash");
	assert_bytes(s.k.hkh, v->hkh, 64, "HandshakeKeyHash");
	assert_bytes(s.k.hs_secret, v->hs_secret, 64, "handshake secret");
	assert_bytes(s.k.client_key, v->client_key, 32, "client key");
	assert_bytes(s.k.client_iv, v->client_iv, 12, "client iv");
	assert_bytes(s.k.server_key, v->server_key, 32, "server key");
	assert_bytes(s.k.server_iv, v->server_iv, 12, "server iv");
}

ParameterizedTestParameters(schedule, transcripts)
{
	static int suites[] = { 1, 2, 3, 4 };
	return cr_make_param_array(int, suites, 4);
}

ParameterizedTest(int *suite_p, schedule, transcripts)
{
	enum xtt_suite suite = (enum xtt_suite)*suite_p;
	const struct kat_vector *v = &kat_vectors[suite];
	struct kat_state s;
	uint8_t cert[XTT_SERVER_CERT_LEN], sig_s[64], h[64];
	uint8_t ca_signed[WIRE_CA_SIGNED_LEN], lt_sig[64];
	const uint8_t *cookie;

	if (suite_uses_aesgcm(suite) && !xtt_suite_available(suite))
		cr_skip_test("AES-256-GCM needs the CPU's AES instructions");
	kat_setup(&s, suite);
	cookie = s.siaa_ad + WIRE_SIAA_KEYED_LEN;
	kat_pattern(cert, 0x31, sizeof(cert));
	kat_pattern(sig_s, 0x52, sizeof(sig_s));
	cr_assert_eq(schedule_server_sig_hash(h, suite, s.ci, s.siaa_ad, cert), 0);
	assert_bytes(h, v->server_sig_hash, 64, "ServerSigHash");

	wire_ca_ad_build(ca_signed, (uint16_t)suite, cookie);
	ca_signed[WIRE_CA_AD_LEN] = 0x04;
	kat_pattern(ca_signed + WIRE_CA_AD_LEN + 1, 0x63, 64);
	kat_pattern(ca_signed + WIRE_CA_AD_LEN + 65, 0x74, 32);
	kat_pattern(ca_signed + WIRE_CA_AD_LEN + 97, 0x85, 16);
	kat_pattern(lt_sig, 0x96, sizeof(lt_sig));
	cr_assert_eq(schedule_client_sig_hash(h, suite, XTT_TRANSCRIPT_FULL, CLIENT_SIG_LONGTERM,
					      s.k.inner, cookie, cert, sig_s, ca_signed, NULL), 0);
	assert_bytes(h, v->full_longterm, 64, "full transcript, long-term signature hash");
	cr_assert_eq(schedule_client_sig_hash(h, suite, XTT_TRANSCRIPT_FULL, CLIENT_SIG_GROUP,
					      s.k.inner, cookie, cert, sig_s, ca_signed, lt_sig), 0);
	assert_bytes(h, v->full_group, 64, "full transcript, group signature hash");
	cr_assert_eq(schedule_client_sig_hash(h, suite, XTT_TRANSCRIPT_XTT_0_12, CLIENT_SIG_LONGTERM,
					      s.k.inner, cookie, cert, sig_s, ca_signed, NULL), 0);
	assert_bytes(h, v->compat_longterm, 64, "xtt-0.12 transcript, long-term signature hash");
	cr_assert_eq(schedule_client_sig_hash(h, suite, XTT_TRANSCRIPT_XTT_0_12, CLIENT_SIG_GROUP,
					      s.k.inner, cookie, cert, sig_s, ca_signed, lt_sig), 0);
	assert_bytes(h, v->compat_group, 64, "xtt-0.12 transcript, group signature hash");

	/* The xtt-0.12 hashes ignore what the full one covers: the rest of the cookie and the
	 * body after 16 bytes; changing them must change only the full hashes. */
	{
		uint8_t h2[64], cookie2[XTT_COOKIE_LEN], ca2[WIRE_CA_SIGNED_LEN];

		memcpy(cookie2, cookie, sizeof(cookie2));
		cookie2[1] ^= 1;
		memcpy(ca2, ca_signed, sizeof(ca2));
		ca2[WIRE_CA_AD_LEN + 100] ^= 1; /* inside the id */
		schedule_client_sig_hash(h, suite, XTT_TRANSCRIPT_XTT_0_12, CLIENT_SIG_GROUP,
					 s.k.inner, cookie2, cert, sig_s, ca2, lt_sig);
		assert_bytes(h, v->compat_group, 64, "xtt-0.12 hash ignores cookie[1..] and the id");
		schedule_client_sig_hash(h2, suite, XTT_TRANSCRIPT_FULL, CLIENT_SIG_GROUP,
					 s.k.inner, cookie2, cert, sig_s, ca_signed, lt_sig);
		cr_assert(memcmp(h2, v->full_group, 64) != 0, "full hash covers the whole cookie");
		schedule_client_sig_hash(h2, suite, XTT_TRANSCRIPT_FULL, CLIENT_SIG_GROUP,
					 s.k.inner, cookie, cert, sig_s, ca2, lt_sig);
		cr_assert(memcmp(h2, v->full_group, 64) != 0, "full hash covers the id");
	}
}

ParameterizedTestParameters(schedule, records)
{
	static int suites[] = { 1, 2, 3, 4 };
	return cr_make_param_array(int, suites, 4);
}

ParameterizedTest(int *suite_p, schedule, records)
{
	enum xtt_suite suite = (enum xtt_suite)*suite_p;
	const struct kat_vector *v = &kat_vectors[suite];
	struct kat_state s;
	uint8_t nonce[12], pt[WIRE_CA_PT_LEN], msg[WIRE_CA_LEN], back[WIRE_CA_PT_LEN];
	struct wire_ca_pt ca;
	struct wire_sf_pt sf;

	if (suite_uses_aesgcm(suite) && !xtt_suite_available(suite))
		cr_skip_test("AES-256-GCM needs the CPU's AES instructions");
	kat_setup(&s, suite);
	/* ServerInitAndAttest, server seq 0 */
	kat_pattern(pt, 0x31, XTT_SERVER_CERT_LEN);
	kat_pattern(pt + XTT_SERVER_CERT_LEN, 0x52, 64);
	memcpy(msg, s.siaa_ad, WIRE_SIAA_AD_LEN);
	suite_nonce(nonce, s.k.server_iv, 0);
	cr_assert_eq(suite_seal(suite, msg + WIRE_SIAA_AD_LEN, pt, WIRE_SIAA_PT_LEN, msg,
				WIRE_SIAA_AD_LEN, s.k.server_key, nonce), 0);
	assert_bytes(msg, v->siaa, WIRE_SIAA_LEN, "ServerInitAndAttest");
	cr_assert_eq(suite_open(suite, back, msg + WIRE_SIAA_AD_LEN, WIRE_SIAA_LEN - WIRE_SIAA_AD_LEN,
				msg, WIRE_SIAA_AD_LEN, s.k.server_key, nonce), 0);
	cr_assert(memcmp(back, pt, WIRE_SIAA_PT_LEN) == 0);
	/* A flipped bit in the ciphertext, the tag or the AD fails the tag. */
	for (size_t off = 0; off < WIRE_SIAA_LEN; off += 37) {
		msg[off] ^= 0x20;
		cr_assert_eq(suite_open(suite, back, msg + WIRE_SIAA_AD_LEN, WIRE_SIAA_LEN - WIRE_SIAA_AD_LEN,
					msg, WIRE_SIAA_AD_LEN, s.k.server_key, nonce), -1,
			     "bit flip at offset %zu accepted", off);
		msg[off] ^= 0x20;
	}

	/* Identity_ClientAttest, client seq 0 */
	ca.longterm_pub[0] = 0x04;
	kat_pattern(ca.longterm_pub + 1, 0x63, 64);
	kat_pattern(ca.gid, 0x74, 32);
	kat_pattern(ca.id, 0x85, 16);
	kat_pattern(ca.longterm_sig, 0x96, 64);
	kat_pattern(ca.daa_sig, 0xa7, sizeof(ca.daa_sig));
	wire_ca_pt_build(pt, &ca);
	wire_ca_ad_build(msg, (uint16_t)suite, s.siaa_ad + WIRE_SIAA_KEYED_LEN);
	suite_nonce(nonce, s.k.client_iv, 0);
	cr_assert_eq(suite_seal(suite, msg + WIRE_CA_AD_LEN, pt, WIRE_CA_PT_LEN, msg, WIRE_CA_AD_LEN,
				s.k.client_key, nonce), 0);
	assert_bytes(msg, v->client_attest, WIRE_CA_LEN, "Identity_ClientAttest");

	/* Identity_ServerFinished, server seq 1 */
	memcpy(sf.id, ca.id, 16);
	memcpy(sf.longterm_pub, ca.longterm_pub, 65);
	wire_sf_pt_build(pt, &sf);
	wire_sf_ad_build(msg, (uint16_t)suite);
	suite_nonce(nonce, s.k.server_iv, 1);
	cr_assert_eq(suite_seal(suite, msg + WIRE_SF_AD_LEN, pt, WIRE_SF_PT_LEN, msg, WIRE_SF_AD_LEN,
				s.k.server_key, nonce), 0);
	assert_bytes(msg, v->server_finished, WIRE_SF_LEN, "Identity_ServerFinished");
}

Test(schedule, prf_length_is_a_blake2b_parameter)
{
	uint8_t key[64] = { 1 }, a[16], b[12];

	cr_assert_eq(suite_prf(XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B, a, 16, key, 64,
			       (const uint8_t *)"x", 1), 0);
	cr_assert_eq(suite_prf(XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B, b, 12, key, 64,
			       (const uint8_t *)"x", 1), 0);
	cr_assert(memcmp(a, b, 12) != 0, "BLAKE2b-12 is not a truncated BLAKE2b-16");
	cr_assert_eq(suite_prf(XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512, a, 16, key, 64,
			       (const uint8_t *)"x", 1), 0);
	cr_assert_eq(suite_prf(XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512, b, 12, key, 64,
			       (const uint8_t *)"x", 1), 0);
	cr_assert(memcmp(a, b, 12) == 0, "HMAC-SHA-512 output is truncated");
}

Test(schedule, all_zero_x25519_secret_rejected)
{
	uint8_t sk[32] = { 9 }, zero_pub[32] = { 0 }, out[32];

	cr_assert_eq(suite_init(), 0);
	cr_assert_eq(x25519_shared(out, sk, zero_pub), -1);
}

Test(schedule, nonce_xors_sequence_into_the_last_four_bytes)
{
	uint8_t iv[12], n[12];

	memset(iv, 0xaa, sizeof(iv));
	suite_nonce(n, iv, 0x01020304);
	cr_assert(memcmp(n, iv, 8) == 0);
	cr_assert_eq(n[8], 0xab);
	cr_assert_eq(n[9], 0xa8);
	cr_assert_eq(n[10], 0xa9);
	cr_assert_eq(n[11], 0xae);
}
