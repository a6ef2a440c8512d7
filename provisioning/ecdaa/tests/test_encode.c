/* Decoders and negative cases: every object round-trips; wrong lengths, bad prefixes,
 * coordinates >= p, points off the curve or outside the subgroup, scalars >= n are refused
 * with the right field; every signature field tampered, wrong message, wrong or missing
 * basename, revoked keys and pseudonyms make verification fail with the right reason. */
#include "provisioning/ecdaa/include/ecdaa.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static struct ecdaa_issuer_public_key ipk;
static struct ecdaa_issuer_secret_key isk;
static struct ecdaa_member_public_key pk;
static struct ecdaa_member_secret_key sk;
static struct ecdaa_credential cred;
static struct ecdaa_credential_signature cred_sig;
/* sig_buf holds a 356-byte signature; encode needs room for 421 */
static uint8_t sig_buf[ECDAA_SIGNATURE_WITH_NYM_LEN], nym_buf[ECDAA_SIGNATURE_WITH_NYM_LEN];
#define SIG_LEN ECDAA_SIGNATURE_LEN

static const uint8_t nonce[] = "n0nce";
static const uint8_t msg[] = "message";
static const uint8_t bsn[] = "basename";

/* P = 3 mod 4 prime p, big-endian */
static const uint8_t P_BYTES[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xfc, 0xf0, 0xcd, 0x46, 0xe5, 0xf2, 0x5e, 0xee, 0x71, 0xa4, 0x9f,
	0x0c, 0xdc, 0x65, 0xfb, 0x12, 0x98, 0x0a, 0x82, 0xd3, 0x29, 0x2d, 0xdb, 0xae, 0xd3, 0x30, 0x13,
};
static const uint8_t N_BYTES[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xfc, 0xf0, 0xcd, 0x46, 0xe5, 0xf2, 0x5e, 0xee, 0x71, 0xa4, 0x9e,
	0x0c, 0xdc, 0x65, 0xfb, 0x12, 0x99, 0x92, 0x1a, 0xf6, 0x2d, 0x53, 0x6c, 0xd1, 0x0b, 0x50, 0x0d,
};
/* (2 + i, y) on the twist E'(Fp2) but not of order n */
static const char TWIST_POINT_OUTSIDE_G2[] =
	"04"
	"0000000000000000000000000000000000000000000000000000000000000002"
	"0000000000000000000000000000000000000000000000000000000000000001"
	"165742c0624518ab4ca028ce61b1167b7450ca9b3c1e8afe9e87bd06c92ecb9b"
	"5616a4b39cc49879a029f7e69e2d3b8f796d7ea80a6acf81ba7455e60d45d9ac";

static void setup(void)
{
	struct ecdaa_signature sig;

	cr_assert_eq(ecdaa_issuer_key_pair_generate(&ipk, &isk), 0);
	cr_assert_eq(ecdaa_member_key_pair_generate(&pk, &sk, nonce, sizeof(nonce)), 0);
	cr_assert_eq(ecdaa_credential_generate(&cred, &cred_sig, &isk, &pk), 0);
	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), NULL, 0, &sk, &cred), 0);
	cr_assert_eq(ecdaa_signature_encode(sig_buf, &sig), ECDAA_SIGNATURE_LEN);
	cr_assert_eq(ecdaa_signature_sign(&sig, msg, sizeof(msg), bsn, sizeof(bsn), &sk, &cred), 0);
	cr_assert_eq(ecdaa_signature_encode(nym_buf, &sig), ECDAA_SIGNATURE_WITH_NYM_LEN);
}

TestSuite(encode, .init = setup, .timeout = 120);

/* decode buf as a signature and verify it: 0 or the error kind */
static enum ecdaa_error_kind verify_bytes(const uint8_t *buf, size_t len, const uint8_t *m,
					  size_t m_len, const uint8_t *b, size_t b_len,
					  const struct ecdaa_revocations *rev)
{
	struct ecdaa_signature sig;
	struct ecdaa_error err;

	if (ecdaa_signature_decode(&sig, buf, len, &err))
		return err.kind;
	if (ecdaa_signature_verify(&sig, &ipk.gpk, rev, m, m_len, b, b_len, &err))
		return err.kind;
	return ECDAA_E_NONE;
}

Test(encode, objects_round_trip)
{
	uint8_t a[ECDAA_SIGNATURE_WITH_NYM_LEN], b[ECDAA_SIGNATURE_WITH_NYM_LEN];
	struct ecdaa_issuer_public_key ipk2;
	struct ecdaa_issuer_secret_key isk2;
	struct ecdaa_group_public_key gpk2;
	struct ecdaa_member_public_key pk2;
	struct ecdaa_member_secret_key sk2;
	struct ecdaa_credential cred2;
	struct ecdaa_credential_signature cs2;
	struct ecdaa_signature sig;

#define ROUND_TRIP(obj, len, enc, dec, copy)                                    \
	do {                                                                    \
		enc(a, &obj);                                                   \
		cr_assert_eq(dec(&copy, a, len, NULL), 0, #dec);                \
		enc(b, &copy);                                                  \
		cr_assert_arr_eq(a, b, len, #enc);                              \
	} while (0)
	ROUND_TRIP(ipk, ECDAA_ISSUER_PUBLIC_KEY_LEN, ecdaa_issuer_public_key_encode,
		   ecdaa_issuer_public_key_decode, ipk2);
	ROUND_TRIP(isk, ECDAA_ISSUER_SECRET_KEY_LEN, ecdaa_issuer_secret_key_encode,
		   ecdaa_issuer_secret_key_decode, isk2);
	ROUND_TRIP(ipk.gpk, ECDAA_GROUP_PUBLIC_KEY_LEN, ecdaa_group_public_key_encode,
		   ecdaa_group_public_key_decode, gpk2);
	ROUND_TRIP(pk, ECDAA_MEMBER_PUBLIC_KEY_LEN, ecdaa_member_public_key_encode,
		   ecdaa_member_public_key_decode, pk2);
	ROUND_TRIP(sk, ECDAA_MEMBER_SECRET_KEY_LEN, ecdaa_member_secret_key_encode,
		   ecdaa_member_secret_key_decode, sk2);
	ROUND_TRIP(cred, ECDAA_CREDENTIAL_LEN, ecdaa_credential_encode, ecdaa_credential_decode,
		   cred2);
	ROUND_TRIP(cred_sig, ECDAA_CREDENTIAL_SIGNATURE_LEN, ecdaa_credential_signature_encode,
		   ecdaa_credential_signature_decode, cs2);
#undef ROUND_TRIP
	cr_assert_eq(ecdaa_signature_decode(&sig, nym_buf, sizeof(nym_buf), NULL), 0);
	cr_assert_eq(sig.has_nym, 1);
	cr_assert_eq(ecdaa_signature_encode(a, &sig), ECDAA_SIGNATURE_WITH_NYM_LEN);
	cr_assert_arr_eq(a, nym_buf, sizeof(nym_buf));
	/* the pseudonym sits at offset 356 */
	uint8_t k[ECDAA_G1_LEN];
	ecdaa_g1_encode(k, &sig.K);
	cr_assert_arr_eq(k, nym_buf + ECDAA_PSEUDONYM_OFFSET, ECDAA_PSEUDONYM_LEN);
	/* a decoded member key still carries a valid proof */
	cr_assert_eq(ecdaa_member_public_key_validate(&pk2, nonce, sizeof(nonce), NULL), 0);
	cr_assert_eq(ecdaa_credential_validate(&cred2, &cs2, &pk2, &gpk2, NULL), 0);
}

Test(encode, wrong_lengths_are_refused)
{
	uint8_t buf[600] = { 0 };
	struct ecdaa_error err;
	union {
		struct ecdaa_issuer_public_key ipk;
		struct ecdaa_issuer_secret_key isk;
		struct ecdaa_group_public_key gpk;
		struct ecdaa_member_public_key pk;
		struct ecdaa_member_secret_key sk;
		struct ecdaa_credential cred;
		struct ecdaa_credential_signature cs;
		struct ecdaa_signature sig;
		struct ecdaa_g1 g1;
		struct ecdaa_g2 g2;
	} o;
	const size_t lens[] = { 0, 1, 31, 33, 64, 128, 160, 259, 353, 355, 357, 420, 422 };

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t l = lens[i];
		if (l != 354) {
			cr_assert_eq(ecdaa_issuer_public_key_decode(&o.ipk, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
		}
		if (l != 64) {
			cr_assert_eq(ecdaa_issuer_secret_key_decode(&o.isk, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
			cr_assert_eq(ecdaa_credential_signature_decode(&o.cs, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
		}
		if (l != 258) {
			cr_assert_eq(ecdaa_group_public_key_decode(&o.gpk, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
		}
		if (l != 161) {
			cr_assert_eq(ecdaa_member_public_key_decode(&o.pk, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
		}
		if (l != 32) {
			cr_assert_eq(ecdaa_member_secret_key_decode(&o.sk, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
		}
		if (l != 260) {
			cr_assert_eq(ecdaa_credential_decode(&o.cred, buf, l, &err), -1);
			cr_assert_eq(err.kind, ECDAA_E_LENGTH);
		}
		cr_assert_eq(ecdaa_signature_decode(&o.sig, buf, l, &err), -1);
		cr_assert_eq(err.kind, ECDAA_E_LENGTH, "signature %zu", l);
		cr_assert_eq(err.offset, l);
		cr_assert_eq(ecdaa_g1_decode(&o.g1, buf, l, &err), -1);
		cr_assert_eq(ecdaa_g2_decode(&o.g2, buf, l, &err), -1);
	}
	/* every truncation of a real signature */
	for (size_t l = 0; l < sizeof(nym_buf); l++)
		if (l != ECDAA_SIGNATURE_LEN)
			cr_assert_eq(verify_bytes(nym_buf, l, msg, sizeof(msg), bsn, sizeof(bsn), NULL),
				     ECDAA_E_LENGTH, "truncated to %zu", l);
}

Test(encode, points_are_checked)
{
	uint8_t g1[ECDAA_G1_LEN], g2[ECDAA_G2_LEN], t[ECDAA_G2_LEN];
	struct ecdaa_g1 p;
	struct ecdaa_g2 q;
	struct ecdaa_error err;

	ecdaa_g1_encode(g1, &cred.A);
	ecdaa_g2_encode(g2, &ipk.gpk.X);
	cr_assert_eq(ecdaa_g1_decode(&p, g1, sizeof(g1), &err), 0);
	cr_assert_eq(ecdaa_g2_decode(&q, g2, sizeof(g2), &err), 0);

	/* compressed or identity prefixes are not accepted */
	for (int pre = 0; pre < 8; pre++) {
		if (pre == 4)
			continue;
		memcpy(t, g1, sizeof(g1));
		t[0] = (uint8_t)pre;
		cr_assert_eq(ecdaa_g1_decode(&p, t, sizeof(g1), &err), -1);
		cr_assert_eq(err.kind, ECDAA_E_ENCODING);
		memcpy(t, g2, sizeof(g2));
		t[0] = (uint8_t)pre;
		cr_assert_eq(ecdaa_g2_decode(&q, t, sizeof(g2), &err), -1);
		cr_assert_eq(err.kind, ECDAA_E_ENCODING);
	}
	/* x = p (x = 0 would pass a "> p" test) and x = 2^256 - 1 */
	memcpy(t, g1, sizeof(g1));
	memcpy(t + 1, P_BYTES, 32);
	cr_assert_eq(ecdaa_g1_decode(&p, t, sizeof(g1), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_ENCODING);
	memset(t + 33, 0xff, 32);
	memcpy(t + 1, g1 + 1, 32);
	cr_assert_eq(ecdaa_g1_decode(&p, t, sizeof(g1), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_ENCODING);
	for (int c = 0; c < 4; c++) {
		memcpy(t, g2, sizeof(g2));
		memcpy(t + 1 + 32 * c, P_BYTES, 32);
		cr_assert_eq(ecdaa_g2_decode(&q, t, sizeof(g2), &err), -1);
		cr_assert_eq(err.kind, ECDAA_E_ENCODING, "coordinate %d", c);
	}
	/* y + 1: off the curve */
	memcpy(t, g1, sizeof(g1));
	t[64] ^= 1;
	cr_assert_eq(ecdaa_g1_decode(&p, t, sizeof(g1), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_NOT_ON_CURVE);
	memcpy(t, g2, sizeof(g2));
	t[128] ^= 1;
	cr_assert_eq(ecdaa_g2_decode(&q, t, sizeof(g2), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_NOT_ON_CURVE);
	/* on the twist, outside G2 */
	for (size_t i = 0; i < sizeof(t); i++) {
		unsigned int v;
		cr_assert_eq(sscanf(TWIST_POINT_OUTSIDE_G2 + 2 * i, "%2x", &v), 1);
		t[i] = (uint8_t)v;
	}
	cr_assert_eq(ecdaa_g2_decode(&q, t, sizeof(t), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_NOT_IN_GROUP);
	/* as Y of a group public key: the field is named */
	uint8_t gpk[ECDAA_GROUP_PUBLIC_KEY_LEN];
	struct ecdaa_group_public_key g;
	ecdaa_group_public_key_encode(gpk, &ipk.gpk);
	memcpy(gpk + ECDAA_G2_LEN, t, ECDAA_G2_LEN);
	cr_assert_eq(ecdaa_group_public_key_decode(&g, gpk, sizeof(gpk), &err), -1);
	cr_assert_str_eq(err.field, "Y");
	cr_assert_eq(err.offset, ECDAA_G2_LEN);
}

Test(encode, scalars_and_proofs_are_checked)
{
	uint8_t buf[ECDAA_ISSUER_PUBLIC_KEY_LEN];
	struct ecdaa_issuer_public_key k;
	struct ecdaa_member_secret_key s;
	struct ecdaa_credential_signature cs;
	struct ecdaa_error err;

	/* scalars equal to n are not canonical */
	ecdaa_issuer_public_key_encode(buf, &ipk);
	memcpy(buf + 290, N_BYTES, 32);
	cr_assert_eq(ecdaa_issuer_public_key_decode(&k, buf, sizeof(buf), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_ENCODING);
	cr_assert_str_eq(err.field, "sx");
	cr_assert_eq(ecdaa_member_secret_key_decode(&s, N_BYTES, 32, &err), -1);
	memset(buf, 0, 32);
	cr_assert_eq(ecdaa_member_secret_key_decode(&s, buf, 32, &err), -1, "zero key");
	memcpy(buf, N_BYTES, 32);
	memset(buf + 32, 1, 32);
	cr_assert_eq(ecdaa_credential_signature_decode(&cs, buf, 64, &err), -1);
	/* a wrong issuer proof */
	ecdaa_issuer_public_key_encode(buf, &ipk);
	buf[300] ^= 0x10;
	cr_assert_eq(ecdaa_issuer_public_key_decode(&k, buf, sizeof(buf), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
	/* member proof: other nonce */
	cr_assert_eq(ecdaa_member_public_key_validate(&pk, nonce, sizeof(nonce) - 1, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
	/* credential: altered proof, other group, other member */
	struct ecdaa_credential_signature bad = cred_sig;
	bad.s = cred_sig.c;
	cr_assert_eq(ecdaa_credential_validate(&cred, &bad, &pk, &ipk.gpk, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
	struct ecdaa_issuer_public_key other;
	struct ecdaa_issuer_secret_key other_sk;
	cr_assert_eq(ecdaa_issuer_key_pair_generate(&other, &other_sk), 0);
	cr_assert_eq(ecdaa_credential_validate(&cred, &cred_sig, &pk, &other.gpk, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PAIRING);
	struct ecdaa_member_public_key pk2;
	struct ecdaa_member_secret_key sk2;
	cr_assert_eq(ecdaa_member_key_pair_generate(&pk2, &sk2, nonce, sizeof(nonce)), 0);
	cr_assert_eq(ecdaa_credential_validate(&cred, &cred_sig, &pk2, &ipk.gpk, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
}

Test(encode, every_signature_byte_matters)
{
	uint8_t t[ECDAA_SIGNATURE_WITH_NYM_LEN];

	cr_assert_eq(verify_bytes(sig_buf, SIG_LEN, msg, sizeof(msg), NULL, 0, NULL),
		     ECDAA_E_NONE);
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn),
				  NULL), ECDAA_E_NONE);
	/* one bit in every byte of c, s, R, S, T, W, n and K: always refused */
	for (size_t i = 0; i < sizeof(nym_buf); i += 3) {
		memcpy(t, nym_buf, sizeof(t));
		t[i] ^= (uint8_t)(1u << (i % 8));
		cr_assert_neq(verify_bytes(t, sizeof(t), msg, sizeof(msg), bsn, sizeof(bsn), NULL),
			      ECDAA_E_NONE, "byte %zu altered and accepted", i);
	}
}

Test(encode, valid_points_in_the_wrong_place_fail)
{
	struct ecdaa_signature sig, t;
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_signature_decode(&sig, nym_buf, sizeof(nym_buf), NULL), 0);
	/* swap R and T: points still valid, pairing or proof breaks */
	t = sig;
	t.R = sig.T;
	t.T = sig.R;
	cr_assert_eq(ecdaa_signature_verify(&t, &ipk.gpk, NULL, msg, sizeof(msg), bsn, sizeof(bsn),
					    &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PAIRING);
	t = sig;
	t.W = sig.S;
	cr_assert_eq(ecdaa_signature_verify(&t, &ipk.gpk, NULL, msg, sizeof(msg), bsn, sizeof(bsn),
					    &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
	t = sig;
	t.K = sig.R;
	cr_assert_eq(ecdaa_signature_verify(&t, &ipk.gpk, NULL, msg, sizeof(msg), bsn, sizeof(bsn),
					    &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PROOF);
	/* another group's key */
	struct ecdaa_issuer_public_key other;
	struct ecdaa_issuer_secret_key other_sk;
	cr_assert_eq(ecdaa_issuer_key_pair_generate(&other, &other_sk), 0);
	cr_assert_eq(ecdaa_signature_verify(&sig, &other.gpk, NULL, msg, sizeof(msg), bsn,
					    sizeof(bsn), &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_PAIRING);
}

Test(encode, messages_and_basenames)
{
	cr_assert_eq(verify_bytes(sig_buf, SIG_LEN, msg, sizeof(msg) - 1, NULL, 0, NULL),
		     ECDAA_E_PROOF);
	cr_assert_eq(verify_bytes(sig_buf, SIG_LEN, NULL, 0, NULL, 0, NULL), ECDAA_E_PROOF);
	/* wrong basename, basename for a signature without pseudonym, none for one with */
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn) - 1,
				  NULL), ECDAA_E_PROOF);
	cr_assert_eq(verify_bytes(sig_buf, SIG_LEN, msg, sizeof(msg), bsn, sizeof(bsn),
				  NULL), ECDAA_E_BASENAME);
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), NULL, 0, NULL),
		     ECDAA_E_BASENAME);
	/* a pseudonym-free prefix of a pseudonym signature does not verify either */
	cr_assert_neq(verify_bytes(nym_buf, ECDAA_SIGNATURE_LEN, msg, sizeof(msg), NULL, 0, NULL),
		      ECDAA_E_NONE);
}

Test(encode, revocation_lists)
{
	struct ecdaa_member_public_key pk2;
	struct ecdaa_member_secret_key list[3], decoded[3];
	struct ecdaa_g1 nyms[2], nyms_decoded[2];
	struct ecdaa_signature sig;
	struct ecdaa_revocations rev = { 0 };
	uint8_t raw[3 * 32], nraw[2 * ECDAA_G1_LEN];
	size_t count;
	struct ecdaa_error err;

	cr_assert_eq(ecdaa_member_key_pair_generate(&pk2, &list[0], nonce, 1), 0);
	cr_assert_eq(ecdaa_member_key_pair_generate(&pk2, &list[2], nonce, 1), 0);
	list[1] = sk;
	for (int i = 0; i < 3; i++)
		ecdaa_member_secret_key_encode(raw + 32 * i, &list[i]);
	cr_assert_eq(ecdaa_sk_revocation_list_decode(decoded, 3, &count, raw, sizeof(raw), &err), 0);
	cr_assert_eq(count, 3);
	cr_assert_eq(ecdaa_sk_revocation_list_decode(decoded, 2, &count, raw, sizeof(raw), &err), -1);
	cr_assert_eq(ecdaa_sk_revocation_list_decode(decoded, 3, &count, raw, 95, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_LENGTH);
	cr_assert_eq(ecdaa_sk_revocation_list_decode(decoded, 3, &count, raw, 0, &err), 0);
	cr_assert_eq(count, 0);

	/* the member's key third in a list of three: refused; without it: accepted */
	cr_assert_eq(ecdaa_signature_decode(&sig, nym_buf, sizeof(nym_buf), NULL), 0);
	rev.sk_list = decoded;
	rev.sk_count = 3;
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn), &rev),
		     ECDAA_E_REVOKED_KEY);
	struct ecdaa_member_secret_key others[2] = { decoded[0], decoded[2] };
	rev.sk_list = others;
	rev.sk_count = 2;
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn), &rev),
		     ECDAA_E_NONE);

	/* pseudonym list: this member's pseudonym second */
	struct ecdaa_signature other;
	cr_assert_eq(ecdaa_signature_sign(&other, msg, 1, bsn, 3, &sk, &cred), 0);
	nyms[0] = other.K;                       /* same member, other basename */
	nyms[1] = sig.K;
	ecdaa_g1_encode(nraw, &nyms[0]);
	ecdaa_g1_encode(nraw + ECDAA_G1_LEN, &nyms[1]);
	cr_assert_eq(ecdaa_bsn_revocation_list_decode(nyms_decoded, 2, &count, nraw, sizeof(nraw),
						      &err), 0);
	cr_assert_eq(count, 2);
	memset(&rev, 0, sizeof(rev));
	rev.bsn_list = nyms_decoded;
	rev.bsn_count = 2;
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn), &rev),
		     ECDAA_E_REVOKED_NYM);
	rev.bsn_count = 1;
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn), &rev),
		     ECDAA_E_NONE);
	/* a damaged entry is named by its offset */
	nraw[ECDAA_G1_LEN + 64] ^= 1;
	cr_assert_eq(ecdaa_bsn_revocation_list_decode(nyms_decoded, 2, &count, nraw, sizeof(nraw),
						      &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_NOT_ON_CURVE);
	cr_assert_eq(err.offset, ECDAA_G1_LEN);
	cr_assert_eq(ecdaa_bsn_revocation_list_decode(nyms_decoded, 2, &count, nraw, 64, &err), -1);
	cr_assert_eq(err.kind, ECDAA_E_LENGTH);
}

/* long lists take the precomputed-table path: the signer's key found at any position */
Test(encode, long_secret_key_revocation_list)
{
	struct ecdaa_member_public_key p;
	struct ecdaa_member_secret_key list[12];
	struct ecdaa_revocations rev = { .sk_list = list, .sk_count = 12 };

	for (int i = 0; i < 12; i++)
		cr_assert_eq(ecdaa_member_key_pair_generate(&p, &list[i], nonce, 1), 0);
	cr_assert_eq(verify_bytes(nym_buf, sizeof(nym_buf), msg, sizeof(msg), bsn, sizeof(bsn), &rev),
		     ECDAA_E_NONE);
	for (int pos = 0; pos < 12; pos += 11) {
		struct ecdaa_member_secret_key keep = list[pos];

		list[pos] = sk;
		cr_assert_eq(verify_bytes(sig_buf, SIG_LEN, msg, sizeof(msg), NULL, 0, &rev),
			     ECDAA_E_REVOKED_KEY, "signer at %d", pos);
		list[pos] = keep;
	}
}

Test(encode, error_messages_name_the_field)
{
	char text[200];
	struct ecdaa_error err;
	struct ecdaa_signature sig;
	uint8_t t[ECDAA_SIGNATURE_LEN];

	memcpy(t, sig_buf, sizeof(t));
	t[129 + 64] ^= 1;   /* y of S */
	cr_assert_eq(ecdaa_signature_decode(&sig, t, sizeof(t), &err), -1);
	ecdaa_error_format(text, sizeof(text), &err);
	cr_assert_str_eq(text, "field S (offset 129): point not on the curve");
	cr_assert_eq(ecdaa_signature_decode(&sig, t, 100, &err), -1);
	ecdaa_error_format(text, sizeof(text), &err);
	cr_assert_str_eq(text, "signature: wrong length (356 without pseudonym, 421 with), got 100 "
			       "bytes");
}
