/* Member key in a TPM 2.0: an ECDAA signing key on TPM_ECC_BN_P256, used through TPM2_Commit
 * and TPM2_Sign (tpm2-tss ESYS).  The TPM holds sk and computes E = k P1 (and K = sk B,
 * L = k B with a basename) at Commit, then s = k + H(n | digest) sk at Sign with its own
 * nonce n; the host supplies the randomized credential and c' as the digest, so the result is
 * an ordinary signature for ecdaa_signature_verify. */
#include "provisioning/ecdaa/src/sign.h"

#include <sodium.h>
#include <stdlib.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_tctildr.h>

struct ecdaa_tpm {
	ESYS_CONTEXT *esys;
	TSS2_TCTI_CONTEXT *tcti;   /* ours to finalize when we opened the connection */
	int own_esys;
	ESYS_TR key;               /* ESYS_TR_NONE until a key is selected */
	int key_transient;         /* flush on close */
	uint32_t key_handle;       /* persistent handle of the selected key, 0 if transient */
	g1_affine_t Q;             /* the key's public point */
	TPM2B_AUTH auth;
};

/* libtpms hashes the nonce without its leading zero bytes; a nonce shorter than 32 bytes would
 * not match the verifier's 32-byte encoding, so such rare signatures are redone. */
#define TPM_SIGN_ATTEMPTS 10

static int tpm_fail(struct ecdaa_error *err, TSS2_RC rc, const char *what)
{
	ecdaa_fail(err, ECDAA_E_TPM, NULL, 0, what);
	if (err)
		err->tpm_rc = rc;
	return -1;
}

int ecdaa_tpm_open(struct ecdaa_tpm **tpm, const char *tcti, struct ecdaa_error *err)
{
	struct ecdaa_tpm *t;
	TSS2_RC rc;

	ecdaa_clear_error(err);
	if (!tpm)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	t = calloc(1, sizeof(*t));
	if (!t)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "out of memory");
	t->key = ESYS_TR_NONE;
	rc = Tss2_TctiLdr_Initialize(tcti, &t->tcti);
	if (rc != TSS2_RC_SUCCESS) {
		free(t);
		return tpm_fail(err, rc, "cannot open the TPM connection (TCTI)");
	}
	rc = Esys_Initialize(&t->esys, t->tcti, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		Tss2_TctiLdr_Finalize(&t->tcti);
		free(t);
		return tpm_fail(err, rc, "cannot initialise the TPM ESYS context");
	}
	t->own_esys = 1;
	*tpm = t;
	return 0;
}

int ecdaa_tpm_open_esys(struct ecdaa_tpm **tpm, struct ESYS_CONTEXT *esys,
			struct ecdaa_error *err)
{
	struct ecdaa_tpm *t;

	ecdaa_clear_error(err);
	if (!tpm || !esys)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (ecdaa_init())
		return ecdaa_fail(err, ECDAA_E_RANDOM, NULL, 0, "library initialisation failed");
	t = calloc(1, sizeof(*t));
	if (!t)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "out of memory");
	t->esys = esys;
	t->key = ESYS_TR_NONE;
	*tpm = t;
	return 0;
}

static void release_key(struct ecdaa_tpm *t)
{
	if (t->key == ESYS_TR_NONE)
		return;
	if (t->key_transient)
		Esys_FlushContext(t->esys, t->key);
	else
		Esys_TR_Close(t->esys, &t->key);
	t->key = ESYS_TR_NONE;
	t->key_transient = 0;
	t->key_handle = 0;
}

void ecdaa_tpm_close(struct ecdaa_tpm *tpm)
{
	if (!tpm)
		return;
	release_key(tpm);
	if (tpm->own_esys) {
		Esys_Finalize(&tpm->esys);
		Tss2_TctiLdr_Finalize(&tpm->tcti);
	}
	ecdaa_wipe(&tpm->auth, sizeof(tpm->auth));
	free(tpm);
}

/* Persistent handles 0x81800000 and up belong to the platform hierarchy (the xaptum layout
 * keeps its ECDAA key at 0x81800000), the ones below to the owner hierarchy. */
static ESYS_TR hierarchy_for(uint32_t persistent_handle)
{
	return persistent_handle >= 0x81800000u ? ESYS_TR_RH_PLATFORM : ESYS_TR_RH_OWNER;
}

static int set_auth(struct ecdaa_tpm *t, const uint8_t *auth, size_t auth_len,
		    struct ecdaa_error *err)
{
	if (auth_len > sizeof(t->auth.buffer) || (auth_len && !auth))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "auth", 0, "TPM key password too long");
	memset(&t->auth, 0, sizeof(t->auth));
	t->auth.size = (UINT16)auth_len;
	if (auth_len)
		memcpy(t->auth.buffer, auth, auth_len);
	return 0;
}

/* Before creating or loading a key: the password it will be used with; the selected key
 * is given up. */
static int select_new_key(struct ecdaa_tpm *t, const uint8_t *auth, size_t auth_len,
			  struct ecdaa_error *err)
{
	ecdaa_clear_error(err);
	if (!t)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (set_auth(t, auth, auth_len, err))
		return -1;
	release_key(t);
	return 0;
}

/* A G1 point from the TPM (coordinates big-endian, leading zero bytes possibly dropped):
 * -1 unless both fit 32 bytes, are below p and give a point on the curve. */
static int point_from_tpm(g1_affine_t *r, const TPMS_ECC_POINT *in)
{
	uint8_t x[32] = { 0 }, y[32] = { 0 };

	if (in->x.size > 32 || in->y.size > 32)
		return -1;
	memcpy(x + 32 - in->x.size, in->x.buffer, in->x.size);
	memcpy(y + 32 - in->y.size, in->y.buffer, in->y.size);
	if (fp_from_bytes(&r->x, x) || fp_from_bytes(&r->y, y) || !g1_affine_on_curve(r))
		return -1;
	return 0;
}

/* Q from the key's public area: an ECDAA key on BN_P256, point on the curve. */
static int take_public(struct ecdaa_tpm *t, const TPM2B_PUBLIC *pub, struct ecdaa_error *err)
{
	const TPMT_PUBLIC *area = &pub->publicArea;
	const TPMS_ECC_POINT *u = &area->unique.ecc;

	if (area->type != TPM2_ALG_ECC || area->parameters.eccDetail.curveID != TPM2_ECC_BN_P256 ||
	    area->parameters.eccDetail.scheme.scheme != TPM2_ALG_ECDAA)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "TPM key", 0,
				  "not an ECDAA key on TPM_ECC_BN_P256");
	if (u->x.size > 32 || u->y.size > 32)
		return ecdaa_fail(err, ECDAA_E_ENCODING, "TPM key", 0, "public point too large");
	if (point_from_tpm(&t->Q, u))
		return ecdaa_fail(err, ECDAA_E_NOT_ON_CURVE, "TPM key", 0,
				  "public point not on the curve");
	return 0;
}

int ecdaa_tpm_key_create(struct ecdaa_tpm *tpm, uint32_t persistent_handle,
			 const uint8_t *auth, size_t auth_len, struct ecdaa_error *err)
{
	TPM2B_SENSITIVE_CREATE sens;
	TPM2B_PUBLIC tmpl;
	TPM2B_DATA outside = { .size = 0 };
	TPML_PCR_SELECTION pcrs = { .count = 0 };
	TPM2B_PUBLIC *out_pub = NULL;
	ESYS_TR obj = ESYS_TR_NONE, persistent = ESYS_TR_NONE;
	TSS2_RC rc;

	if (select_new_key(tpm, auth, auth_len, err))
		return -1;

	memset(&sens, 0, sizeof(sens));
	sens.sensitive.userAuth = tpm->auth;
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.publicArea.type = TPM2_ALG_ECC;
	tmpl.publicArea.nameAlg = TPM2_ALG_SHA256;
	tmpl.publicArea.objectAttributes = TPMA_OBJECT_SIGN_ENCRYPT | TPMA_OBJECT_FIXEDTPM |
					   TPMA_OBJECT_FIXEDPARENT |
					   TPMA_OBJECT_SENSITIVEDATAORIGIN |
					   TPMA_OBJECT_USERWITHAUTH;
	tmpl.publicArea.parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
	tmpl.publicArea.parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDAA;
	tmpl.publicArea.parameters.eccDetail.scheme.details.ecdaa.hashAlg = TPM2_ALG_SHA256;
	tmpl.publicArea.parameters.eccDetail.curveID = TPM2_ECC_BN_P256;
	tmpl.publicArea.parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
	/* a primary key derives from the hierarchy seed and the template: random unique bytes
	 * make each created key a new one */
	tmpl.publicArea.unique.ecc.x.size = 32;
	randombytes_buf(tmpl.publicArea.unique.ecc.x.buffer, 32);

	rc = Esys_CreatePrimary(tpm->esys, hierarchy_for(persistent_handle), ESYS_TR_PASSWORD,
				ESYS_TR_NONE, ESYS_TR_NONE, &sens, &tmpl, &outside, &pcrs, &obj,
				&out_pub, NULL, NULL, NULL);
	ecdaa_wipe(&sens, sizeof(sens));
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(err, rc, "TPM2_CreatePrimary of the ECDAA key failed");
	if (take_public(tpm, out_pub, err)) {
		Esys_Free(out_pub);
		Esys_FlushContext(tpm->esys, obj);
		return -1;
	}
	Esys_Free(out_pub);
	if (persistent_handle) {
		rc = Esys_EvictControl(tpm->esys, hierarchy_for(persistent_handle), obj,
				       ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
				       persistent_handle, &persistent);
		Esys_FlushContext(tpm->esys, obj);
		if (rc != TSS2_RC_SUCCESS)
			return tpm_fail(err, rc,
					"TPM2_EvictControl failed (persistent handle in use?)");
		obj = persistent;
	}
	rc = Esys_TR_SetAuth(tpm->esys, obj, &tpm->auth);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(err, rc, "cannot set the key password");
	tpm->key = obj;
	tpm->key_transient = persistent_handle == 0;
	tpm->key_handle = persistent_handle;
	return 0;
}

int ecdaa_tpm_key_load(struct ecdaa_tpm *tpm, uint32_t persistent_handle,
		       const uint8_t *auth, size_t auth_len, struct ecdaa_error *err)
{
	TPM2B_PUBLIC *pub = NULL;
	ESYS_TR obj;
	TSS2_RC rc;

	if (select_new_key(tpm, auth, auth_len, err))
		return -1;
	rc = Esys_TR_FromTPMPublic(tpm->esys, persistent_handle, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, &obj);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(err, rc, "no key at that persistent handle");
	rc = Esys_ReadPublic(tpm->esys, obj, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &pub, NULL,
			     NULL);
	if (rc != TSS2_RC_SUCCESS) {
		Esys_TR_Close(tpm->esys, &obj);
		return tpm_fail(err, rc, "TPM2_ReadPublic failed");
	}
	if (take_public(tpm, pub, err)) {
		Esys_Free(pub);
		Esys_TR_Close(tpm->esys, &obj);
		return -1;
	}
	Esys_Free(pub);
	rc = Esys_TR_SetAuth(tpm->esys, obj, &tpm->auth);
	if (rc != TSS2_RC_SUCCESS) {
		Esys_TR_Close(tpm->esys, &obj);
		return tpm_fail(err, rc, "cannot set the key password");
	}
	tpm->key = obj;
	tpm->key_transient = 0;
	tpm->key_handle = persistent_handle;
	return 0;
}

int ecdaa_tpm_key_evict(struct ecdaa_tpm *tpm, uint32_t persistent_handle,
			struct ecdaa_error *err)
{
	ESYS_TR obj, none = ESYS_TR_NONE;
	TSS2_RC rc;

	ecdaa_clear_error(err);
	if (!tpm)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	rc = Esys_TR_FromTPMPublic(tpm->esys, persistent_handle, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, &obj);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(err, rc, "no key at that persistent handle");
	if (tpm->key != ESYS_TR_NONE && tpm->key_handle == persistent_handle)
		release_key(tpm);   /* the selected key goes away */
	rc = Esys_EvictControl(tpm->esys, hierarchy_for(persistent_handle), obj, ESYS_TR_PASSWORD,
			       ESYS_TR_NONE, ESYS_TR_NONE, persistent_handle, &none);
	if (rc != TSS2_RC_SUCCESS) {
		Esys_TR_Close(tpm->esys, &obj);
		return tpm_fail(err, rc, "TPM2_EvictControl (remove) failed");
	}
	return 0;
}

static void point_to_tpm(TPM2B_ECC_POINT *out, const g1_affine_t *p)
{
	memset(out, 0, sizeof(*out));
	out->point.x.size = 32;
	fp_to_bytes(out->point.x.buffer, &p->x);
	out->point.y.size = 32;
	fp_to_bytes(out->point.y.buffer, &p->y);
	out->size = (UINT16)(4 + 64);
}

/* One Commit + Sign round.  p1 NULL: the TPM's generator.  With b, s2 = LE32(i) | bsn and
 * y2 = y(B).  Fills E (and b->K, b->L), then asks for s over digest = c'(E, ...). */
struct commit_input {
	const g1_affine_t *p1;            /* NULL: generator */
	const g1_affine_t *s;             /* S in the c' hash; the join uses P1 */
	const g1_affine_t *w;             /* W in the c' hash; the join uses Q */
	struct basename_terms *b;
	uint32_t counter_i;
	const uint8_t *msg;
	size_t msg_len;
};

static int commit_and_sign(sc_t *c, sc_t *s, uint8_t nonce[32], const struct commit_input *in,
			   struct ecdaa_tpm *tpm, struct ecdaa_error *err)
{
	TPM2B_ECC_POINT p1, *K = NULL, *L = NULL, *E = NULL;
	TPM2B_SENSITIVE_DATA s2;
	TPM2B_ECC_PARAMETER y2;
	TPM2B_DIGEST digest;
	TPMT_SIG_SCHEME scheme;
	TPMT_TK_HASHCHECK ticket = { .tag = TPM2_ST_HASHCHECK, .hierarchy = TPM2_RH_NULL };
	TPMT_SIGNATURE *sig = NULL;
	g1_affine_t e;
	sc_t c_prime;
	UINT16 counter;
	TSS2_RC rc;
	int ret = -1;

	memset(&p1, 0, sizeof(p1));
	memset(&s2, 0, sizeof(s2));
	memset(&y2, 0, sizeof(y2));
	if (in->p1)
		point_to_tpm(&p1, in->p1);
	if (in->b) {
		s2.size = (UINT16)(4 + in->b->bsn_len);
		s2.buffer[0] = (uint8_t)in->counter_i;
		s2.buffer[1] = (uint8_t)(in->counter_i >> 8);
		s2.buffer[2] = (uint8_t)(in->counter_i >> 16);
		s2.buffer[3] = (uint8_t)(in->counter_i >> 24);
		memcpy(s2.buffer + 4, in->b->bsn, in->b->bsn_len);
		y2.size = 32;
		fp_to_bytes(y2.buffer, &in->b->B.y);
	}
	rc = Esys_Commit(tpm->esys, tpm->key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &p1,
			 &s2, &y2, &K, &L, &E, &counter);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(err, rc, "TPM2_Commit failed");
	if (point_from_tpm(&e, &E->point) ||
	    (in->b && (point_from_tpm(&in->b->K, &K->point) ||
		       point_from_tpm(&in->b->L, &L->point)))) {
		ecdaa_fail(err, ECDAA_E_TPM, NULL, 0, "TPM2_Commit returned an invalid point");
		goto out;
	}
	signature_c_prime(&c_prime, &e, in->s, in->w, in->b, in->msg, in->msg_len);
	digest.size = 32;
	sc_to_bytes(digest.buffer, &c_prime);
	scheme.scheme = TPM2_ALG_ECDAA;
	scheme.details.ecdaa.hashAlg = TPM2_ALG_SHA256;
	scheme.details.ecdaa.count = counter;
	rc = Esys_Sign(tpm->esys, tpm->key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &digest,
		       &scheme, &ticket, &sig);
	if (rc != TSS2_RC_SUCCESS) {
		tpm_fail(err, rc, "TPM2_Sign failed");
		goto out;
	}
	if (sig->sigAlg != TPM2_ALG_ECDAA || sig->signature.ecdaa.signatureS.size > 32) {
		ecdaa_fail(err, ECDAA_E_TPM, NULL, 0, "TPM2_Sign returned an unexpected signature");
		goto out;
	}
	if (sig->signature.ecdaa.signatureR.size != 32) {
		ret = 1;   /* short nonce: try again */
		goto out;
	}
	{
		uint8_t sb[32] = { 0 };
		const TPM2B_ECC_PARAMETER *ss = &sig->signature.ecdaa.signatureS;

		memcpy(sb + 32 - ss->size, ss->buffer, ss->size);
		if (sc_from_bytes(s, sb)) {
			ecdaa_fail(err, ECDAA_E_TPM, NULL, 0, "TPM2_Sign returned s >= n");
			goto out;
		}
	}
	memcpy(nonce, sig->signature.ecdaa.signatureR.buffer, 32);
	hash_nonce_scalar(c, nonce, &c_prime);
	ret = 0;
out:
	Esys_Free(K);
	Esys_Free(L);
	Esys_Free(E);
	Esys_Free(sig);
	return ret;
}

static int commit_and_sign_retry(sc_t *c, sc_t *s, uint8_t nonce[32],
				 const struct commit_input *in, struct ecdaa_tpm *tpm,
				 struct ecdaa_error *err)
{
	for (int i = 0; i < TPM_SIGN_ATTEMPTS; i++) {
		int rc = commit_and_sign(c, s, nonce, in, tpm, err);
		if (rc <= 0)
			return rc;
	}
	return ecdaa_fail(err, ECDAA_E_TPM, NULL, 0, "TPM2_Sign kept returning short nonces");
}

static int need_key(struct ecdaa_tpm *tpm, struct ecdaa_error *err)
{
	if (!tpm || tpm->key == ESYS_TR_NONE)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0,
				  "no TPM key selected (create or load one first)");
	return 0;
}

int ecdaa_member_key_pair_generate_tpm(struct ecdaa_member_public_key *pk,
				       struct ecdaa_tpm *tpm,
				       const uint8_t *nonce, size_t nonce_len,
				       struct ecdaa_error *err)
{
	struct commit_input in;
	sc_t c, s;

	ecdaa_clear_error(err);
	if (!pk || (nonce_len && !nonce))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	if (need_key(tpm, err))
		return -1;
	/* join proof: c' = H(U | P1 | Q | nonce) with U = k P1 from an empty-P1 commit */
	memset(&in, 0, sizeof(in));
	in.s = &G1_GENERATOR;
	in.w = &tpm->Q;
	in.msg = nonce;
	in.msg_len = nonce_len;
	if (commit_and_sign_retry(&c, &s, pk->n, &in, tpm, err))
		return -1;
	g1_out(&pk->Q, &tpm->Q);
	sc_out(&pk->c, &c);
	sc_out(&pk->s, &s);
	return 0;
}

int ecdaa_signature_sign_tpm(struct ecdaa_signature *sig,
			     const uint8_t *msg, size_t msg_len,
			     const uint8_t *bsn, size_t bsn_len,
			     const struct ecdaa_credential *cred,
			     struct ecdaa_tpm *tpm, struct ecdaa_error *err)
{
	struct commit_input in;
	struct basename_terms bt;
	g1_affine_t rstw[4];
	sc_t c, s;

	ecdaa_clear_error(err);
	if (!sig || !cred || (msg_len && !msg) || (bsn_len && !bsn))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, NULL, 0, "NULL argument");
	/* TPM2_Commit takes s2 = counter | basename of at most MAX_SYM_DATA = 128 bytes */
	if (bsn_len > ECDAA_TPM_BASENAME_MAX)
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "basename", 0,
				  "basename longer than 124 bytes (the TPM takes 128 with the counter)");
	if (need_key(tpm, err))
		return -1;
	memset(&in, 0, sizeof(in));
	memset(sig, 0, sizeof(*sig));
	if (randomize_credential(rstw, cred))
		return ecdaa_fail(err, ECDAA_E_ARGUMENT, "credential", 0, "invalid credential");
	in.p1 = &rstw[1];
	in.s = &rstw[1];
	in.w = &rstw[3];
	in.msg = msg;
	in.msg_len = msg_len;
	if (bsn_len) {
		if (hash_to_g1(&bt.B, &in.counter_i, bsn, bsn_len))
			return ecdaa_fail(err, ECDAA_E_BASENAME, "basename", 0,
					  "basename does not hash to the curve");
		bt.bsn = bsn;
		bt.bsn_len = bsn_len;
		in.b = &bt;
	}
	if (commit_and_sign_retry(&c, &s, sig->n, &in, tpm, err))
		return -1;
	signature_store(sig, &c, &s, rstw, bsn_len ? &bt : NULL);
	return 0;
}
