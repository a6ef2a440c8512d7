/* Full handshakes in memory with real ECDAA, ECDSA and X25519: every suite and both
 * transcript variants, 1-byte I/O, requested identities, pseudonyms, known-answer transcript
 * with an injected random source, and every negative case ending in an Error message. */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/handshake.h"
#include "provisioning/xtt/tests/fixture.h"
#include "provisioning/xtt/tests/kat/vectors.h"
#include "provisioning/xtt/tests/kat_rng.h"

static struct fx_group group, other_group;
static struct fx_member alice, bob;
static struct fx_pki pki, other_pki;
static struct xtt_server_group sgroup;

static void setup(void)
{
	fx_group_new(&group, "BASENAME");
	fx_group_new(&other_group, "BASENAME");
	fx_member_join(&alice, &group);
	fx_member_join(&bob, &group);
	fx_pki_new(&pki, 1);
	fx_pki_new(&other_pki, 2);
	sgroup.gpk = &group.ipk.gpk;
	sgroup.basename = group.basename;
	sgroup.basename_len = group.basename_len;
}

static void teardown(void)
{
	fx_pki_free(&pki);
	fx_pki_free(&other_pki);
}

TestSuite(handshake, .init = setup, .fini = teardown);

static void expect_success(const struct fx_run *r)
{
	cr_assert_eq(r->cst, XTT_DONE, "client: %s", r->cdetail);
	cr_assert_eq(r->sst, XTT_DONE, "server: %s", r->sdetail);
	cr_assert(memcmp(r->cid, r->sid, XTT_ID_LEN) == 0, "both sides agree on the identity");
	cr_assert(memcmp(r->cpub, r->spub, XTT_ECDSA_PUB_LEN) == 0, "server got the client's key");
	cr_assert(memcmp(r->cnym, r->snym, XTT_PSEUDONYM_LEN) == 0, "server got the pseudonym");
	cr_assert_eq(r->c2s_len, 70 + 750);
	cr_assert_eq(r->s2c_len, 417 + 103);
}

struct variant {
	int suite;
	enum xtt_transcript transcript;
};

ParameterizedTestParameters(handshake, every_suite_both_transcripts)
{
	static struct variant v[] = {
		{ 1, XTT_TRANSCRIPT_FULL }, { 2, XTT_TRANSCRIPT_FULL }, { 3, XTT_TRANSCRIPT_FULL },
		{ 4, XTT_TRANSCRIPT_FULL }, { 1, XTT_TRANSCRIPT_XTT_0_12 }, { 2, XTT_TRANSCRIPT_XTT_0_12 },
		{ 3, XTT_TRANSCRIPT_XTT_0_12 }, { 4, XTT_TRANSCRIPT_XTT_0_12 },
	};
	return cr_make_param_array(struct variant, v, sizeof(v) / sizeof(v[0]));
}

ParameterizedTest(struct variant *v, handshake, every_suite_both_transcripts)
{
	struct fx_run r;
	static const uint8_t want[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	if (!xtt_suite_available((enum xtt_suite)v->suite))
		cr_skip_test("AES-256-GCM needs the CPU's AES instructions");
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.ccfg.suite = (enum xtt_suite)v->suite;
	r.ccfg.transcript = v->transcript;
	r.scfg.transcript = v->transcript;
	fx_run(&r);
	expect_success(&r);
	cr_assert(memcmp(r.cid, want, XTT_ID_LEN) == 0);
	/* Header bytes of all four messages. */
	cr_assert_eq(r.c2s[0], 0x01);
	cr_assert_eq(r.c2s[5], v->suite);
	cr_assert_eq(r.s2c[0], 0x02);
	cr_assert_eq(r.s2c[1] << 8 | r.s2c[2], 417);
	cr_assert_eq(r.c2s[70], 0x11);
	cr_assert_eq(r.c2s[71] << 8 | r.c2s[72], 750);
	cr_assert_eq(r.s2c[417], 0x13);
	cr_assert_eq(r.s2c[420], 0x01);
	/* The cookie comes back verbatim. */
	cr_assert(memcmp(r.s2c + 38, r.c2s + 70 + 6, XTT_COOKIE_LEN) == 0);
}

Test(handshake, one_byte_reads_and_writes)
{
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.chunk = 1;
	fx_run(&r);
	expect_success(&r);
}

Test(handshake, transcript_variants_do_not_mix)
{
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.ccfg.transcript = XTT_TRANSCRIPT_XTT_0_12;
	fx_run(&r);
	cr_assert_eq(r.sst, XTT_FAILED);
	cr_assert_eq(r.serr, XTT_E_LONGTERM_SIGNATURE, "%s", r.sdetail);
	cr_assert(strstr(r.sdetail, "--compat xtt-0.12"), "%s", r.sdetail);
	cr_assert_eq(r.cerr, XTT_E_RECEIVED_ERROR);
	cr_assert(fx_ends_with_error(r.s2c, r.s2c_len));
}

Test(handshake, requested_identity_is_echoed)
{
	struct fx_run r;
	static const uint8_t req[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 7, [15] = 0x42 };

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	memcpy(r.ccfg.requested_id, req, XTT_ID_LEN);
	fx_run(&r);
	expect_success(&r);
	cr_assert(memcmp(r.cid, req, XTT_ID_LEN) == 0);
}

Test(handshake, pseudonym_is_per_device_and_stable)
{
	struct fx_run a1, a2, b;

	fx_run_init(&a1, &pki, &group, &alice, &sgroup);
	fx_run(&a1);
	fx_run_init(&a2, &pki, &group, &alice, &sgroup);
	fx_run(&a2);
	fx_run_init(&b, &pki, &group, &bob, &sgroup);
	fx_run(&b);
	expect_success(&a1);
	expect_success(&a2);
	expect_success(&b);
	cr_assert(memcmp(a1.snym, a2.snym, XTT_PSEUDONYM_LEN) == 0, "same device, same pseudonym");
	cr_assert(memcmp(a1.snym, b.snym, XTT_PSEUDONYM_LEN) != 0, "other device, other pseudonym");
	cr_assert(memcmp(a1.spub, a2.spub, XTT_ECDSA_PUB_LEN) != 0, "a fresh long-term key each run");
}

/* With the same injected random source the client and server produce the model's bytes. */
Test(handshake, known_answer_transcript)
{
	struct kat_rng crng, srng;
	struct fx_run r;

	for (int suite = 1; suite <= 4; suite++) {
		const struct kat_vector *v = &kat_vectors[suite];

		if (!xtt_suite_available((enum xtt_suite)suite))
			continue;
		kat_rng_init(&crng, "xtt kat client");
		kat_rng_init(&srng, "xtt kat server");
		fx_run_init(&r, &pki, &group, &alice, &sgroup);
		r.ccfg.suite = (enum xtt_suite)suite;
		r.ccfg.rng = (struct xtt_rng){ kat_rng_fill, &crng };
		r.scfg.rng = (struct xtt_rng){ kat_rng_fill, &srng };
		r.keep = 1;
		r.before_identity = NULL;
		fx_run(&r);
		expect_success(&r);
		cr_assert(memcmp(r.c2s, v->client_init, 70) == 0, "suite %d ClientInit", suite);
		cr_assert(memcmp(r.s2c, v->siaa_ad, 168) == 0, "suite %d ServerInitAndAttest AD", suite);
		/* Keys are wiped once done; the identity record is not. */
		cr_assert_eq(r.server->keys.hs_secret[0] | r.server->keys.client_key[0] |
			     r.server->dh_sk[0] | r.client->dh_sk[0], 0);
		xtt_handshake_free(r.client);
		xtt_handshake_free(r.server);
	}
}

/* ---- Negative cases: each ends with an Error message on the wire and no identity. ---- */

static const uint8_t zero_id[XTT_ID_LEN];

/* The side that detects the failure sends Error; the other sees RECEIVED_ERROR. */
static void expect_failure(const struct fx_run *r, int server_detects, enum xtt_error code)
{
	cr_assert_eq(r->cst, XTT_FAILED, "client: %d %s", r->cst, r->cdetail);
	cr_assert_eq(r->sst, XTT_FAILED, "server: %d %s", r->sst, r->sdetail);
	if (server_detects) {
		cr_assert_eq(r->serr, code, "server error %s (%s), expected %s", xtt_error_name(r->serr),
			     r->sdetail, xtt_error_name(code));
		cr_assert(fx_ends_with_error(r->s2c, r->s2c_len), "server sent Error");
		cr_assert_eq(r->cerr, XTT_E_RECEIVED_ERROR, "client: %s", r->cdetail);
	} else {
		cr_assert_eq(r->cerr, code, "client error %s (%s), expected %s", xtt_error_name(r->cerr),
			     r->cdetail, xtt_error_name(code));
		cr_assert(fx_ends_with_error(r->c2s, r->c2s_len), "client sent Error");
		cr_assert_eq(r->serr, XTT_E_RECEIVED_ERROR, "server: %s", r->sdetail);
	}
	cr_assert(memcmp(r->cid, zero_id, XTT_ID_LEN) == 0, "client has no identity");
	cr_assert(memcmp(r->sid, zero_id, XTT_ID_LEN) == 0, "server assigned none");
}

struct tamper_case {
	const char *name;
	enum fx_dir dir;
	size_t offset;
	uint8_t mask;
	int server_detects;
	enum xtt_error code;
	const char *detail;
};

/* Parameters travel to the test process by value: pass an index, not pointers. */
static const struct tamper_case tamper_cases[] = {
	{ "ClientInit type", FX_C2S, 0, 0x20, 1, XTT_E_TYPE, "ClientInit expected: field type" },
	{ "ClientInit length", FX_C2S, 2, 0x01, 1, XTT_E_LENGTH, "field length (offset 1)" },
	{ "ClientInit version", FX_C2S, 3, 0x03, 1, XTT_E_VERSION, "field version (offset 3)" },
	{ "ClientInit suite", FX_C2S, 5, 0x08, 1, XTT_E_SUITE, "field suite (offset 4)" },
	{ "SIAA type", FX_S2C, 0, 0x01, 0, XTT_E_TYPE, "ServerInitAndAttest expected" },
	{ "SIAA length", FX_S2C, 1, 0x01, 0, XTT_E_LENGTH, "field length" },
	{ "SIAA version", FX_S2C, 3, 0x01, 0, XTT_E_VERSION, "field version" },
	{ "SIAA suite", FX_S2C, 5, 0x01, 0, XTT_E_SUITE, "ClientInit offered" },
	{ "SIAA dh_pub", FX_S2C, 10, 0x01, 0, XTT_E_RECORD, "authentication tag" },
	{ "SIAA cookie", FX_S2C, 100, 0x01, 0, XTT_E_RECORD, "authentication tag" },
	{ "SIAA ciphertext", FX_S2C, 200, 0x01, 0, XTT_E_RECORD, "authentication tag" },
	{ "SIAA tag", FX_S2C, 416, 0x80, 0, XTT_E_RECORD, "authentication tag" },
	{ "ClientAttest type", FX_C2S, 70, 0x02, 1, XTT_E_TYPE, "Identity_ClientAttest expected" },
	{ "ClientAttest version", FX_C2S, 73, 0x02, 1, XTT_E_VERSION, "field version" },
	{ "ClientAttest suite", FX_C2S, 75, 0x03, 1, XTT_E_SUITE, "the handshake uses" },
	{ "cookie echo first byte", FX_C2S, 76, 0x01, 1, XTT_E_COOKIE, "server_cookie (offset 6)" },
	{ "cookie echo last byte", FX_C2S, 70 + 135, 0x01, 1, XTT_E_COOKIE, "server_cookie" },
	{ "ClientAttest ciphertext", FX_C2S, 70 + 400, 0x01, 1, XTT_E_RECORD, "authentication tag" },
	{ "ClientAttest tag", FX_C2S, 70 + 749, 0x01, 1, XTT_E_RECORD, "authentication tag" },
	{ "ServerFinished type", FX_S2C, 417, 0x04, 0, XTT_E_TYPE, "Identity_ServerFinished expected" },
	{ "ServerFinished length", FX_S2C, 419, 0x04, 0, XTT_E_LENGTH, "field length" },
	{ "ServerFinished suite", FX_S2C, 422, 0x02, 0, XTT_E_SUITE, "the handshake uses" },
	{ "ServerFinished ciphertext", FX_S2C, 417 + 20, 0x01, 0, XTT_E_RECORD, "authentication tag" },
	{ "ServerFinished tag", FX_S2C, 519, 0x01, 0, XTT_E_RECORD, "authentication tag" },
};

ParameterizedTestParameters(handshake, tampered_bytes)
{
	static int idx[sizeof(tamper_cases) / sizeof(tamper_cases[0])];

	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, sizeof(idx) / sizeof(idx[0]));
}

ParameterizedTest(const int *i, handshake, tampered_bytes)
{
	const struct tamper_case *c = &tamper_cases[*i];
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.tamper = (struct fx_tamper){ 1, c->dir, c->offset, c->mask };
	fx_run(&r);
	if (c->dir == FX_S2C && c->offset >= 417) {
		/* ServerFinished is the last message: the server is done before the client checks it. */
		cr_assert_eq(r.sst, XTT_DONE);
		cr_assert_eq(r.cst, XTT_FAILED);
		cr_assert_eq(r.cerr, c->code, "%s: %s", c->name, r.cdetail);
		cr_assert(fx_ends_with_error(r.c2s, r.c2s_len), "client sent Error");
		cr_assert(memcmp(r.cid, zero_id, XTT_ID_LEN) == 0, "client has no identity");
	} else {
		expect_failure(&r, c->server_detects, c->code);
	}
	cr_assert(strstr(c->server_detects ? r.sdetail : r.cdetail, c->detail), "%s: detail '%s'",
		  c->name, c->server_detects ? r.sdetail : r.cdetail);
}

Test(handshake, all_zero_key_exchange)
{
	struct fx_run r;

	/* An all-zero X25519 public key (a low-order point) gives the all-zero secret. */
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	{
		struct xtt_handshake *c;
		struct xtt_handshake *s;
		struct xtt_io io;
		enum xtt_status st;
		uint8_t ci[70];

		cr_assert_eq(xtt_client_new(&c, &r.ccfg), 0);
		cr_assert_eq(xtt_server_new(&s, &r.scfg), 0);
		cr_assert_eq(xtt_handshake_start(c, &io), XTT_WANT_WRITE);
		memcpy(ci, io.buf, 70);
		memset(ci + 38, 0, 32);
		cr_assert_eq(xtt_handshake_start(s, &io), XTT_WANT_READ);
		memcpy(io.buf, ci, 4);
		cr_assert_eq(xtt_handshake_io(s, 4, &io), XTT_WANT_READ);
		cr_assert_eq(io.len, 66);
		memcpy(io.buf, ci + 4, 66);
		st = xtt_handshake_io(s, 66, &io);
		cr_assert_eq(st, XTT_WANT_WRITE);
		cr_assert_eq(io.len, 4);
		cr_assert_eq(io.buf[0], 0x41);
		cr_assert_eq(xtt_handshake_error(s), XTT_E_KEY_EXCHANGE);
		cr_assert_eq(xtt_handshake_io(s, 4, &io), XTT_FAILED);
		xtt_handshake_free(c);
		xtt_handshake_free(s);
	}
}

Test(handshake, suite_not_allowed_by_server)
{
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.ccfg.suite = XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B;
	r.scfg.suites = 1u << XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512;
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_SUITE);
	cr_assert(strstr(r.sdetail, "not allowed"), "%s", r.sdetail);
	cr_assert_eq(r.s2c_len, 4, "the Error message is all the server sent");
}

Test(handshake, unknown_root)
{
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.root = NULL;
	fx_run(&r);
	expect_failure(&r, 0, XTT_E_UNKNOWN_ROOT);
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.root = &other_pki.root; /* another id */
	fx_run(&r);
	expect_failure(&r, 0, XTT_E_UNKNOWN_ROOT);
	cr_assert_eq(r.c2s_len, 70 + 4, "nothing but ClientInit and Error from the client");
}

Test(handshake, server_certificate_not_signed_by_the_root)
{
	struct fx_run r;
	struct xtt_root_cert forged = other_pki.root;

	memcpy(forged.id, pki.root.id, XTT_ROOT_ID_LEN); /* same id, another key */
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.root = &forged;
	fx_run(&r);
	expect_failure(&r, 0, XTT_E_SERVER_CERT);
}

Test(handshake, bad_server_signature)
{
	struct fx_run r;
	struct xtt_server_cert wrong = pki.server;

	wrong.key = other_pki.server_key; /* certificate names another key than the signer's */
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.scfg.cert = &wrong;
	fx_run(&r);
	expect_failure(&r, 0, XTT_E_SERVER_SIGNATURE);
}

Test(handshake, unknown_group)
{
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.group = NULL;
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_UNKNOWN_GROUP);
}

Test(handshake, bad_group_signature)
{
	struct fx_run r;
	struct xtt_server_group wrong_gpk = sgroup, wrong_bsn = sgroup, revoked = sgroup;
	struct ecdaa_revocations rev = { .sk_list = &alice.sk, .sk_count = 1 };

	wrong_gpk.gpk = &other_group.ipk.gpk;
	fx_run_init(&r, &pki, &group, &alice, &wrong_gpk);
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_GROUP_SIGNATURE);
	cr_assert(strstr(r.sdetail, "daa_sig (offset 313)"), "%s", r.sdetail);

	wrong_bsn.basename = (const uint8_t *)"OTHERNAME";
	wrong_bsn.basename_len = 9;
	fx_run_init(&r, &pki, &group, &alice, &wrong_bsn);
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_GROUP_SIGNATURE);

	revoked.revocations = &rev;
	fx_run_init(&r, &pki, &group, &alice, &revoked);
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_GROUP_SIGNATURE);
	fx_run_init(&r, &pki, &group, &bob, &revoked);
	fx_run(&r);
	expect_success(&r);
}

static void corrupt_identity_echo(struct xtt_handshake *server)
{
	memset(server->requested_id, 0, XTT_ID_LEN); /* a server that ignores the request */
}

static void corrupt_key_echo(struct xtt_handshake *server)
{
	server->longterm_pub[20] ^= 1;
}

static void corrupt_longterm_key(struct xtt_handshake *client)
{
	client->longterm_pub[64] ^= 1;  /* no longer a point of P-256 */
}

static void corrupt_longterm_sig_key(struct xtt_handshake *client)
{
	EVP_PKEY_free(client->longterm_key); /* signs with another key than the one it sends */
	cr_assert_eq(ecdsa_generate(&client->longterm_key), 0);
}

Test(handshake, bad_longterm_key_or_signature)
{
	struct fx_run r;

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.before_root = corrupt_longterm_key;
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_LONGTERM_KEY);
	cr_assert(strstr(r.sdetail, "longterm_pub (offset 136) is not a P-256 point"), "%s", r.sdetail);
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.before_root = corrupt_longterm_sig_key;
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_LONGTERM_SIGNATURE);
}

Test(handshake, server_finished_mismatch)
{
	struct fx_run r;
	static const uint8_t req[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	static const uint8_t other[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x43 };

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	memcpy(r.ccfg.requested_id, req, XTT_ID_LEN);
	memcpy(r.identity, other, XTT_ID_LEN);
	r.before_identity = corrupt_identity_echo;
	fx_run(&r);
	cr_assert_eq(r.sst, XTT_DONE, "the misbehaving server believes it is done");
	cr_assert_eq(r.cst, XTT_FAILED);
	cr_assert_eq(r.cerr, XTT_E_FINISHED_ID, "%s", r.cdetail);
	cr_assert(fx_ends_with_error(r.c2s, r.c2s_len));
	cr_assert(memcmp(r.cid, zero_id, XTT_ID_LEN) == 0);

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.before_identity = corrupt_key_echo;
	fx_run(&r);
	cr_assert_eq(r.cst, XTT_FAILED);
	cr_assert_eq(r.cerr, XTT_E_FINISHED_KEY, "%s", r.cdetail);
	cr_assert(fx_ends_with_error(r.c2s, r.c2s_len));
	cr_assert(memcmp(r.cid, zero_id, XTT_ID_LEN) == 0);
}

Test(handshake, server_refuses_another_identity_than_requested)
{
	struct fx_run r;
	static const uint8_t req[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	static const uint8_t other[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x43 };

	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	memcpy(r.ccfg.requested_id, req, XTT_ID_LEN);
	memcpy(r.identity, other, XTT_ID_LEN);
	fx_run(&r);
	expect_failure(&r, 1, XTT_E_IDENTITY);
}

Test(handshake, peer_closes_half_way)
{
	struct fx_run r;

	/* The client stops in the middle of Identity_ClientAttest. */
	fx_run_init(&r, &pki, &group, &alice, &sgroup);
	r.client_stop_after = 70 + 300;
	fx_run(&r);
	cr_assert_eq(r.sst, XTT_FAILED);
	cr_assert_eq(r.serr, XTT_E_PEER_CLOSED, "%s", r.sdetail);
	cr_assert(strstr(r.sdetail, "after 300 of 750 bytes"), "%s", r.sdetail);
	cr_assert(fx_ends_with_error(r.s2c, r.s2c_len));
	cr_assert(memcmp(r.sid, zero_id, XTT_ID_LEN) == 0);
}

Test(handshake, stalled_peer_is_aborted_with_an_error_message)
{
	struct xtt_handshake *s;
	struct xtt_io io;
	struct xtt_server_config cfg = { .cert = &pki.server };

	cr_assert_eq(xtt_server_new(&s, &cfg), 0);
	cr_assert_eq(xtt_handshake_start(s, &io), XTT_WANT_READ);
	cr_assert_eq(io.len, 4);
	io.buf[0] = 0x01;
	cr_assert_eq(xtt_handshake_io(s, 1, &io), XTT_WANT_READ);
	cr_assert_eq(io.len, 3);
	/* ... nothing more arrives before the application's deadline. */
	cr_assert_eq(xtt_handshake_abort(s, XTT_E_TIMEOUT, "ClientInit: peer stalled", &io), XTT_WANT_WRITE);
	cr_assert_eq(io.len, 4);
	cr_assert_eq(io.buf[0], 0x41);
	cr_assert_eq(xtt_handshake_io(s, 2, &io), XTT_WANT_WRITE);
	cr_assert_eq(io.len, 2);
	cr_assert_eq(xtt_handshake_io(s, 2, &io), XTT_FAILED);
	cr_assert_eq(xtt_handshake_error(s), XTT_E_TIMEOUT);
	cr_assert_str_eq(xtt_handshake_error_detail(s), "ClientInit: peer stalled");
	xtt_handshake_free(s);
}

Test(handshake, calls_out_of_order_fail_cleanly)
{
	struct xtt_handshake *s;
	struct xtt_io io;
	struct xtt_server_config cfg = { .cert = &pki.server };
	uint8_t id[XTT_ID_LEN] = { 1 };

	cr_assert_eq(xtt_server_new(&s, &cfg), 0);
	cr_assert_eq(xtt_handshake_start(s, &io), XTT_WANT_READ);
	cr_assert_eq(xtt_handshake_io(s, 5, &io), XTT_WANT_WRITE, "more than asked is misuse");
	cr_assert_eq(xtt_handshake_error(s), XTT_E_ARGUMENT);
	xtt_handshake_free(s);
	cr_assert_eq(xtt_server_new(&s, &cfg), 0);
	cr_assert_eq(xtt_handshake_start(s, &io), XTT_WANT_READ);
	cr_assert_eq(xtt_server_set_identity(s, id, &io), XTT_WANT_WRITE);
	cr_assert_eq(xtt_handshake_error(s), XTT_E_ARGUMENT);
	xtt_handshake_free(s);
}
