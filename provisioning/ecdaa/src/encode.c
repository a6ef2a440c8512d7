/* Byte encodings of xaptum/ecdaa (FP256BN): points as 0x04 | x | y with 32-byte big-endian
 * coordinates (G2: x.a | x.b | y.a | y.b), scalars as 32-byte big-endian integers.  Decoders
 * check everything the bytes alone can tell and name the field that fails. */
#include "provisioning/ecdaa/src/internal.h"

void g1_encode_affine(uint8_t out[ECDAA_G1_LEN], const g1_affine_t *p)
{
	out[0] = 0x04;
	fp_to_bytes(out + 1, &p->x);
	fp_to_bytes(out + 33, &p->y);
}

void g2_encode_affine(uint8_t out[ECDAA_G2_LEN], const g2_affine_t *p)
{
	out[0] = 0x04;
	fp_to_bytes(out + 1, &p->x.c0);
	fp_to_bytes(out + 33, &p->x.c1);
	fp_to_bytes(out + 65, &p->y.c0);
	fp_to_bytes(out + 97, &p->y.c1);
}

/* Decode a G1 point at buf (ECDAA_G1_LEN bytes available). */
static int g1_decode_at(g1_affine_t *r, const uint8_t *buf, const char *field, size_t off,
			struct ecdaa_error *err)
{
	if (buf[0] != 0x04)
		return ecdaa_fail(err, ECDAA_E_ENCODING, field, off,
				  "point does not start with 0x04 (uncompressed)");
	if (fp_from_bytes(&r->x, buf + 1) || fp_from_bytes(&r->y, buf + 33))
		return ecdaa_fail(err, ECDAA_E_ENCODING, field, off, "coordinate not below p");
	if (!g1_affine_on_curve(r))
		return ecdaa_fail(err, ECDAA_E_NOT_ON_CURVE, field, off, "point not on the curve");
	/* G1 has cofactor 1 and an affine point is never the identity: in the group. */
	return 0;
}

static int g2_decode_at(g2_affine_t *r, const uint8_t *buf, const char *field, size_t off,
			struct ecdaa_error *err)
{
	if (buf[0] != 0x04)
		return ecdaa_fail(err, ECDAA_E_ENCODING, field, off,
				  "point does not start with 0x04 (uncompressed)");
	if (fp_from_bytes(&r->x.c0, buf + 1) || fp_from_bytes(&r->x.c1, buf + 33) ||
	    fp_from_bytes(&r->y.c0, buf + 65) || fp_from_bytes(&r->y.c1, buf + 97))
		return ecdaa_fail(err, ECDAA_E_ENCODING, field, off, "coordinate not below p");
	if (!g2_affine_on_curve(r))
		return ecdaa_fail(err, ECDAA_E_NOT_ON_CURVE, field, off, "point not on the curve");
	if (!g2_affine_in_subgroup(r))
		return ecdaa_fail(err, ECDAA_E_NOT_IN_GROUP, field, off,
				  "point not in the order-n subgroup");
	return 0;
}

static int sc_decode_at(sc_t *r, const uint8_t *buf, const char *field, size_t off,
			struct ecdaa_error *err)
{
	if (sc_from_bytes(r, buf))
		return ecdaa_fail(err, ECDAA_E_ENCODING, field, off, "scalar not below the group order");
	return 0;
}

static int check_len(size_t len, size_t want, const char *what, struct ecdaa_error *err)
{
	const char *msg;

	if (len == want)
		return 0;
	switch (want) {
	case 32: msg = "wrong length (expected 32 bytes)"; break;
	case 64: msg = "wrong length (expected 64 bytes)"; break;
	case 65: msg = "wrong length (expected 65 bytes)"; break;
	case 129: msg = "wrong length (expected 129 bytes)"; break;
	case 161: msg = "wrong length (expected 161 bytes)"; break;
	case 258: msg = "wrong length (expected 258 bytes)"; break;
	case 260: msg = "wrong length (expected 260 bytes)"; break;
	case 354: msg = "wrong length (expected 354 bytes)"; break;
	default: msg = "wrong length"; break;
	}
	return ecdaa_fail(err, ECDAA_E_LENGTH, what, len, msg);
}

static int prepare(const void *out, const uint8_t *buf, struct ecdaa_error *err)
{
	ecdaa_clear_error(err);
	if (!out || !buf)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	return ecdaa_init() ? ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0,
						   "library initialisation failed") : 0;
}

void ecdaa_g1_encode(uint8_t out[ECDAA_G1_LEN], const struct ecdaa_g1 *point)
{
	g1_affine_t p;

	g1_in(&p, point);
	g1_encode_affine(out, &p);
}

int ecdaa_g1_decode(struct ecdaa_g1 *point, const uint8_t *buf, size_t len,
		    struct ecdaa_error *err)
{
	g1_affine_t p;

	if (prepare(point, buf, err) || check_len(len, ECDAA_G1_LEN, "G1 point", err) ||
	    g1_decode_at(&p, buf, "point", 0, err))
		return -1;
	g1_out(point, &p);
	return 0;
}

void ecdaa_g2_encode(uint8_t out[ECDAA_G2_LEN], const struct ecdaa_g2 *point)
{
	g2_affine_t p;

	g2_in(&p, point);
	g2_encode_affine(out, &p);
}

int ecdaa_g2_decode(struct ecdaa_g2 *point, const uint8_t *buf, size_t len,
		    struct ecdaa_error *err)
{
	g2_affine_t p;

	if (prepare(point, buf, err) || check_len(len, ECDAA_G2_LEN, "G2 point", err) ||
	    g2_decode_at(&p, buf, "point", 0, err))
		return -1;
	g2_out(point, &p);
	return 0;
}

int ecdaa_g1_equal(const struct ecdaa_g1 *a, const struct ecdaa_g1 *b)
{
	g1_affine_t x, y;

	g1_in(&x, a);
	g1_in(&y, b);
	return g1_affine_equal(&x, &y);
}

/* ---- issuer keys ---- */

void ecdaa_issuer_secret_key_encode(uint8_t out[ECDAA_ISSUER_SECRET_KEY_LEN],
				    const struct ecdaa_issuer_secret_key *isk)
{
	sc_t s;

	sc_in(&s, &isk->x);
	sc_to_bytes(out, &s);
	sc_in(&s, &isk->y);
	sc_to_bytes(out + 32, &s);
	ecdaa_wipe(&s, sizeof(s));
}

int ecdaa_issuer_secret_key_decode(struct ecdaa_issuer_secret_key *isk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	sc_t x, y;
	int rc = -1;

	if (prepare(isk, buf, err) ||
	    check_len(len, ECDAA_ISSUER_SECRET_KEY_LEN, "issuer secret key", err))
		return -1;
	if (sc_decode_at(&x, buf, "x", 0, err) || sc_decode_at(&y, buf + 32, "y", 32, err))
		goto out;
	if (sc_is_zero(&x) || sc_is_zero(&y)) {
		ecdaa_fail(err, ECDAA_E_ENCODING, sc_is_zero(&x) ? "x" : "y", sc_is_zero(&x) ? 0 : 32,
			   "secret key is zero");
		goto out;
	}
	sc_out(&isk->x, &x);
	sc_out(&isk->y, &y);
	rc = 0;
out:
	/* also when y fails: x is a good half of the key */
	ecdaa_wipe(&x, sizeof(x));
	ecdaa_wipe(&y, sizeof(y));
	return rc;
}

void ecdaa_group_public_key_encode(uint8_t out[ECDAA_GROUP_PUBLIC_KEY_LEN],
				   const struct ecdaa_group_public_key *gpk)
{
	ecdaa_g2_encode(out, &gpk->X);
	ecdaa_g2_encode(out + ECDAA_G2_LEN, &gpk->Y);
}

static int gpk_decode_at(struct ecdaa_group_public_key *gpk, const uint8_t *buf,
			 struct ecdaa_error *err)
{
	g2_affine_t X, Y;

	if (g2_decode_at(&X, buf, "X", 0, err) ||
	    g2_decode_at(&Y, buf + ECDAA_G2_LEN, "Y", ECDAA_G2_LEN, err))
		return -1;
	g2_out(&gpk->X, &X);
	g2_out(&gpk->Y, &Y);
	return 0;
}

int ecdaa_group_public_key_decode(struct ecdaa_group_public_key *gpk,
				  const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	if (prepare(gpk, buf, err) ||
	    check_len(len, ECDAA_GROUP_PUBLIC_KEY_LEN, "group public key", err))
		return -1;
	return gpk_decode_at(gpk, buf, err);
}

void ecdaa_issuer_public_key_encode(uint8_t out[ECDAA_ISSUER_PUBLIC_KEY_LEN],
				    const struct ecdaa_issuer_public_key *ipk)
{
	sc_t s;

	ecdaa_group_public_key_encode(out, &ipk->gpk);
	sc_in(&s, &ipk->c);
	sc_to_bytes(out + 258, &s);
	sc_in(&s, &ipk->sx);
	sc_to_bytes(out + 290, &s);
	sc_in(&s, &ipk->sy);
	sc_to_bytes(out + 322, &s);
}

int ecdaa_issuer_public_key_decode(struct ecdaa_issuer_public_key *ipk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	struct ecdaa_issuer_public_key k;
	sc_t c, sx, sy;

	if (prepare(ipk, buf, err) ||
	    check_len(len, ECDAA_ISSUER_PUBLIC_KEY_LEN, "issuer public key", err))
		return -1;
	if (gpk_decode_at(&k.gpk, buf, err) || sc_decode_at(&c, buf + 258, "c", 258, err) ||
	    sc_decode_at(&sx, buf + 290, "sx", 290, err) ||
	    sc_decode_at(&sy, buf + 322, "sy", 322, err))
		return -1;
	sc_out(&k.c, &c);
	sc_out(&k.sx, &sx);
	sc_out(&k.sy, &sy);
	if (ecdaa_issuer_public_key_validate(&k, err))
		return -1;
	*ipk = k;
	return 0;
}

/* ---- member keys ---- */

void ecdaa_member_secret_key_encode(uint8_t out[ECDAA_MEMBER_SECRET_KEY_LEN],
				    const struct ecdaa_member_secret_key *sk)
{
	sc_t s;

	sc_in(&s, &sk->sk);
	sc_to_bytes(out, &s);
	ecdaa_wipe(&s, sizeof(s));
}

static int member_sk_decode_at(struct ecdaa_member_secret_key *sk, const uint8_t *buf,
			       const char *field, size_t off, struct ecdaa_error *err)
{
	sc_t s;

	if (sc_decode_at(&s, buf, field, off, err))
		return -1;
	if (sc_is_zero(&s))
		return ecdaa_fail(err, ECDAA_E_ENCODING, field, off, "secret key is zero");
	sc_out(&sk->sk, &s);
	ecdaa_wipe(&s, sizeof(s));
	return 0;
}

int ecdaa_member_secret_key_decode(struct ecdaa_member_secret_key *sk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	if (prepare(sk, buf, err) ||
	    check_len(len, ECDAA_MEMBER_SECRET_KEY_LEN, "member secret key", err))
		return -1;
	return member_sk_decode_at(sk, buf, "sk", 0, err);
}

void ecdaa_member_public_key_encode(uint8_t out[ECDAA_MEMBER_PUBLIC_KEY_LEN],
				    const struct ecdaa_member_public_key *pk)
{
	sc_t s;

	ecdaa_g1_encode(out, &pk->Q);
	sc_in(&s, &pk->c);
	sc_to_bytes(out + 65, &s);
	sc_in(&s, &pk->s);
	sc_to_bytes(out + 97, &s);
	memcpy(out + 129, pk->n, 32);
}

int ecdaa_member_public_key_decode(struct ecdaa_member_public_key *pk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	g1_affine_t Q;
	sc_t c, s;

	if (prepare(pk, buf, err) ||
	    check_len(len, ECDAA_MEMBER_PUBLIC_KEY_LEN, "member public key", err))
		return -1;
	if (g1_decode_at(&Q, buf, "Q", 0, err) || sc_decode_at(&c, buf + 65, "c", 65, err) ||
	    sc_decode_at(&s, buf + 97, "s", 97, err))
		return -1;
	g1_out(&pk->Q, &Q);
	sc_out(&pk->c, &c);
	sc_out(&pk->s, &s);
	memcpy(pk->n, buf + 129, 32);
	return 0;
}

/* ---- credentials ---- */

void ecdaa_credential_encode(uint8_t out[ECDAA_CREDENTIAL_LEN],
			     const struct ecdaa_credential *cred)
{
	ecdaa_g1_encode(out, &cred->A);
	ecdaa_g1_encode(out + 65, &cred->B);
	ecdaa_g1_encode(out + 130, &cred->C);
	ecdaa_g1_encode(out + 195, &cred->D);
}

int ecdaa_credential_decode(struct ecdaa_credential *cred,
			    const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	static const char *const names[4] = { "A", "B", "C", "D" };
	g1_affine_t p[4];

	if (prepare(cred, buf, err) || check_len(len, ECDAA_CREDENTIAL_LEN, "credential", err))
		return -1;
	for (int i = 0; i < 4; i++)
		if (g1_decode_at(&p[i], buf + 65 * i, names[i], 65 * (size_t)i, err))
			return -1;
	g1_out(&cred->A, &p[0]);
	g1_out(&cred->B, &p[1]);
	g1_out(&cred->C, &p[2]);
	g1_out(&cred->D, &p[3]);
	return 0;
}

void ecdaa_credential_signature_encode(uint8_t out[ECDAA_CREDENTIAL_SIGNATURE_LEN],
				       const struct ecdaa_credential_signature *cred_sig)
{
	sc_t s;

	sc_in(&s, &cred_sig->c);
	sc_to_bytes(out, &s);
	sc_in(&s, &cred_sig->s);
	sc_to_bytes(out + 32, &s);
}

int ecdaa_credential_signature_decode(struct ecdaa_credential_signature *cred_sig,
				      const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	sc_t c, s;

	if (prepare(cred_sig, buf, err) ||
	    check_len(len, ECDAA_CREDENTIAL_SIGNATURE_LEN, "credential signature", err))
		return -1;
	if (sc_decode_at(&c, buf, "c", 0, err) || sc_decode_at(&s, buf + 32, "s", 32, err))
		return -1;
	sc_out(&cred_sig->c, &c);
	sc_out(&cred_sig->s, &s);
	return 0;
}

/* ---- signatures ---- */

size_t ecdaa_signature_encode(uint8_t out[ECDAA_SIGNATURE_WITH_NYM_LEN],
			      const struct ecdaa_signature *sig)
{
	sc_t s;

	sc_in(&s, &sig->c);
	sc_to_bytes(out, &s);
	sc_in(&s, &sig->s);
	sc_to_bytes(out + 32, &s);
	ecdaa_g1_encode(out + 64, &sig->R);
	ecdaa_g1_encode(out + 129, &sig->S);
	ecdaa_g1_encode(out + 194, &sig->T);
	ecdaa_g1_encode(out + 259, &sig->W);
	memcpy(out + 324, sig->n, 32);
	if (!sig->has_nym)
		return ECDAA_SIGNATURE_LEN;
	ecdaa_g1_encode(out + ECDAA_PSEUDONYM_OFFSET, &sig->K);
	return ECDAA_SIGNATURE_WITH_NYM_LEN;
}

int ecdaa_signature_decode(struct ecdaa_signature *sig,
			   const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	static const char *const names[4] = { "R", "S", "T", "W" };
	struct ecdaa_signature out;
	g1_affine_t p[4];
	sc_t c, s;

	if (prepare(sig, buf, err))
		return -1;
	if (len != ECDAA_SIGNATURE_LEN && len != ECDAA_SIGNATURE_WITH_NYM_LEN)
		return ecdaa_fail(err, ECDAA_E_LENGTH, "signature", len,
				  "wrong length (356 without pseudonym, 421 with)");
	memset(&out, 0, sizeof(out));
	if (sc_decode_at(&c, buf, "c", 0, err) || sc_decode_at(&s, buf + 32, "s", 32, err))
		return -1;
	for (int i = 0; i < 4; i++)
		if (g1_decode_at(&p[i], buf + 64 + 65 * i, names[i], 64 + 65 * (size_t)i, err))
			return -1;
	sc_out(&out.c, &c);
	sc_out(&out.s, &s);
	g1_out(&out.R, &p[0]);
	g1_out(&out.S, &p[1]);
	g1_out(&out.T, &p[2]);
	g1_out(&out.W, &p[3]);
	memcpy(out.n, buf + 324, 32);
	if (len == ECDAA_SIGNATURE_WITH_NYM_LEN) {
		if (g1_decode_at(&p[0], buf + ECDAA_PSEUDONYM_OFFSET, "K", ECDAA_PSEUDONYM_OFFSET,
				 err))
			return -1;
		g1_out(&out.K, &p[0]);
		out.has_nym = 1;
	}
	*sig = out;
	return 0;
}

/* ---- revocation lists ---- */

int ecdaa_sk_revocation_list_decode(struct ecdaa_member_secret_key *out, size_t cap,
				    size_t *count, const uint8_t *buf, size_t len,
				    struct ecdaa_error *err)
{
	ecdaa_clear_error(err);
	if (!count || (len && (!out || !buf)))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (len % ECDAA_MEMBER_SECRET_KEY_LEN)
		return ecdaa_fail(err, ECDAA_E_LENGTH, "secret key revocation list", len,
				  "length is not a multiple of 32");
	if (len / ECDAA_MEMBER_SECRET_KEY_LEN > cap)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "secret key revocation list", len,
				  "more entries than room");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	for (size_t i = 0; i < len / ECDAA_MEMBER_SECRET_KEY_LEN; i++)
		if (member_sk_decode_at(&out[i], buf + 32 * i, "revoked sk", 32 * i, err))
			return -1;
	*count = len / ECDAA_MEMBER_SECRET_KEY_LEN;
	return 0;
}

int ecdaa_bsn_revocation_list_decode(struct ecdaa_g1 *out, size_t cap, size_t *count,
				     const uint8_t *buf, size_t len, struct ecdaa_error *err)
{
	ecdaa_clear_error(err);
	if (!count || (len && (!out || !buf)))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (len % ECDAA_G1_LEN)
		return ecdaa_fail(err, ECDAA_E_LENGTH, "pseudonym revocation list", len,
				  "length is not a multiple of 65");
	if (len / ECDAA_G1_LEN > cap)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "pseudonym revocation list", len,
				  "more entries than room");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	for (size_t i = 0; i < len / ECDAA_G1_LEN; i++) {
		g1_affine_t p;

		if (g1_decode_at(&p, buf + ECDAA_G1_LEN * i, "revoked pseudonym", ECDAA_G1_LEN * i,
				 err))
			return -1;
		g1_out(&out[i], &p);
	}
	*count = len / ECDAA_G1_LEN;
	return 0;
}
