/* ecdaa.h: ECDAA (LRSW-DAA) group signatures on FP256BN (TPM_ECC_BN_P256).
 *
 * An issuer runs a group; a member joins it and can then sign messages that prove "signed by
 * some member of this group" without telling which one.  A signature made with a basename
 * carries a pseudonym K = sk * H(basename): the same member and basename give the same K
 * (linkable), different basenames give unrelated ones.  The member key can live in a TPM 2.0.
 *
 * Byte formats are those of xaptum/ecdaa 1.x (FP256BN), so keys, credentials and signatures
 * move between the two implementations.
 *
 * Conventions: out-parameters first; 0 on success, -1 on failure.  Functions that can fail on
 * untrusted input take an optional `struct ecdaa_error *` (may be NULL) that says what failed
 * and where.  The structs below hold decoded, validated values: create them only with the
 * functions of this header (generate, decode), never by filling them by hand.  Secret keys are
 * the caller's to wipe (sodium_memzero) when done.  Thread-safe after ecdaa_init().
 */
#ifndef SR6_ECDAA_H
#define SR6_ECDAA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Encoded sizes in bytes. */
#define ECDAA_SCALAR_LEN                 32
#define ECDAA_G1_LEN                     65   /* 0x04 | x | y */
#define ECDAA_G2_LEN                     129  /* 0x04 | x.a | x.b | y.a | y.b */
#define ECDAA_ISSUER_SECRET_KEY_LEN      64   /* x | y */
#define ECDAA_GROUP_PUBLIC_KEY_LEN       258  /* X | Y (G2) */
#define ECDAA_ISSUER_PUBLIC_KEY_LEN      354  /* gpk | c | sx | sy */
#define ECDAA_MEMBER_SECRET_KEY_LEN      32   /* sk */
#define ECDAA_MEMBER_PUBLIC_KEY_LEN      161  /* Q | c | s | n */
#define ECDAA_CREDENTIAL_LEN             260  /* A | B | C | D */
#define ECDAA_CREDENTIAL_SIGNATURE_LEN   64   /* c | s */
#define ECDAA_SIGNATURE_LEN              356  /* c | s | R | S | T | W | n */
#define ECDAA_SIGNATURE_WITH_NYM_LEN     421  /* signature | K */
#define ECDAA_PSEUDONYM_OFFSET           356  /* K inside a 421-byte signature */
#define ECDAA_PSEUDONYM_LEN              65
#define ECDAA_BASENAME_MAX               1024 /* longest basename accepted */
#define ECDAA_TPM_BASENAME_MAX           124  /* with a TPM: 4-byte counter + basename <= 128 */

/* Decoded values (opaque: limbs in an internal form). */
struct ecdaa_scalar { uint64_t v_[4]; };          /* integer mod the group order n */
struct ecdaa_g1 { uint64_t v_[8]; };              /* point of G1 (never the identity) */
struct ecdaa_g2 { uint64_t v_[16]; };             /* point of G2 (never the identity) */

struct ecdaa_issuer_secret_key { struct ecdaa_scalar x, y; };
struct ecdaa_group_public_key { struct ecdaa_g2 X, Y; };
struct ecdaa_issuer_public_key {
	struct ecdaa_group_public_key gpk;
	struct ecdaa_scalar c, sx, sy;                /* proof of knowledge of x and y */
};
struct ecdaa_member_secret_key { struct ecdaa_scalar sk; };
struct ecdaa_member_public_key {
	struct ecdaa_g1 Q;                            /* sk * P1 */
	struct ecdaa_scalar c, s;                     /* proof of knowledge of sk over a nonce */
	uint8_t n[ECDAA_SCALAR_LEN];                  /* proof nonce, hashed as bytes */
};
struct ecdaa_credential { struct ecdaa_g1 A, B, C, D; };
struct ecdaa_credential_signature { struct ecdaa_scalar c, s; };
struct ecdaa_signature {
	struct ecdaa_scalar c, s;
	struct ecdaa_g1 R, S, T, W;
	uint8_t n[ECDAA_SCALAR_LEN];
	struct ecdaa_g1 K;                            /* pseudonym, valid when has_nym */
	int has_nym;
};

/* Revocation lists for verification: revoked member secret keys (a signature whose W equals
 * sk * S is rejected) and revoked pseudonyms (a signature whose K is listed is rejected). */
struct ecdaa_revocations {
	const struct ecdaa_member_secret_key *sk_list;
	size_t sk_count;
	const struct ecdaa_g1 *bsn_list;
	size_t bsn_count;
};

/* What went wrong: kind, the field it concerns (e.g. "S"), its byte offset in the input when
 * decoding (for ECDAA_E_LENGTH: the length received), a short message, and the TPM response
 * code for ECDAA_E_TPM. */
enum ecdaa_error_kind {
	ECDAA_E_NONE = 0,
	ECDAA_E_ARGUMENT,       /* bad argument (NULL, basename too long, ...) */
	ECDAA_E_LENGTH,         /* input has the wrong length */
	ECDAA_E_ENCODING,       /* point not starting with 0x04, coordinate or scalar out of range */
	ECDAA_E_NOT_ON_CURVE,
	ECDAA_E_NOT_IN_GROUP,   /* identity, or outside the order-n subgroup */
	ECDAA_E_PROOF,          /* a Schnorr proof does not verify */
	ECDAA_E_PAIRING,        /* a pairing equation does not hold */
	ECDAA_E_BASENAME,       /* basename / pseudonym mismatch, or hash-to-curve failed */
	ECDAA_E_REVOKED_KEY,    /* signed with a secret key on the revocation list */
	ECDAA_E_REVOKED_NYM,    /* pseudonym on the revocation list */
	ECDAA_E_RANDOM,         /* the system random source failed */
	ECDAA_E_TPM,            /* a TPM command failed (tpm_rc holds the response code) */
};
struct ecdaa_error {
	enum ecdaa_error_kind kind;
	const char *field;      /* static string or NULL */
	size_t offset;          /* byte offset of the field in the decoded buffer */
	const char *message;    /* static string */
	uint32_t tpm_rc;
};
/* "field S (offset 97): point not on the curve" into buf (always NUL-terminated). */
void ecdaa_error_format(char *buf, size_t len, const struct ecdaa_error *err);

/* Library set-up: libsodium, CPU features, fixed tables.  Idempotent, thread-safe; every other
 * function calls it when needed, calling it first only moves the cost.  0 or -1. */
int ecdaa_init(void);

/* ---- Issuer ---- */
int ecdaa_issuer_key_pair_generate(struct ecdaa_issuer_public_key *ipk,
				   struct ecdaa_issuer_secret_key *isk);
/* Checks the proof in ipk (decode already does). */
int ecdaa_issuer_public_key_validate(const struct ecdaa_issuer_public_key *ipk,
				     struct ecdaa_error *err);
/* Issue a credential to a member whose public key was checked with
 * ecdaa_member_public_key_validate() over the issuer's nonce. */
int ecdaa_credential_generate(struct ecdaa_credential *cred,
			      struct ecdaa_credential_signature *cred_sig,
			      const struct ecdaa_issuer_secret_key *isk,
			      const struct ecdaa_member_public_key *pk);

/* ---- Member ---- */
/* New member key with a proof of knowledge bound to the issuer's nonce (any bytes). */
int ecdaa_member_key_pair_generate(struct ecdaa_member_public_key *pk,
				   struct ecdaa_member_secret_key *sk,
				   const uint8_t *nonce, size_t nonce_len);
int ecdaa_member_public_key_validate(const struct ecdaa_member_public_key *pk,
				     const uint8_t *nonce, size_t nonce_len,
				     struct ecdaa_error *err);
/* The member's check of a credential: the issuer's proof and both pairing equations. */
int ecdaa_credential_validate(const struct ecdaa_credential *cred,
			      const struct ecdaa_credential_signature *cred_sig,
			      const struct ecdaa_member_public_key *pk,
			      const struct ecdaa_group_public_key *gpk,
			      struct ecdaa_error *err);

/* ---- Sign and verify ---- */
/* bsn == NULL (or bsn_len == 0): unlinkable signature without pseudonym. */
int ecdaa_signature_sign(struct ecdaa_signature *sig,
			 const uint8_t *msg, size_t msg_len,
			 const uint8_t *bsn, size_t bsn_len,
			 const struct ecdaa_member_secret_key *sk,
			 const struct ecdaa_credential *cred);
/* A signature with a pseudonym needs the basename it was made with, and one without a
 * pseudonym needs none.  rev may be NULL. */
int ecdaa_signature_verify(const struct ecdaa_signature *sig,
			   const struct ecdaa_group_public_key *gpk,
			   const struct ecdaa_revocations *rev,
			   const uint8_t *msg, size_t msg_len,
			   const uint8_t *bsn, size_t bsn_len,
			   struct ecdaa_error *err);

/* ---- Encodings (xaptum/ecdaa files) ----
 * encode never fails.  decode checks the length, 0x04 prefixes, coordinates < p, points on the
 * curve and in the order-n subgroup, scalars c and s < n; decode of an issuer public key also
 * checks its proof.  Member public keys, credentials and signatures are checked further by
 * their validate / verify functions. */
void ecdaa_issuer_secret_key_encode(uint8_t out[ECDAA_ISSUER_SECRET_KEY_LEN],
				    const struct ecdaa_issuer_secret_key *isk);
int ecdaa_issuer_secret_key_decode(struct ecdaa_issuer_secret_key *isk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_issuer_public_key_encode(uint8_t out[ECDAA_ISSUER_PUBLIC_KEY_LEN],
				    const struct ecdaa_issuer_public_key *ipk);
int ecdaa_issuer_public_key_decode(struct ecdaa_issuer_public_key *ipk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_group_public_key_encode(uint8_t out[ECDAA_GROUP_PUBLIC_KEY_LEN],
				   const struct ecdaa_group_public_key *gpk);
int ecdaa_group_public_key_decode(struct ecdaa_group_public_key *gpk,
				  const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_member_secret_key_encode(uint8_t out[ECDAA_MEMBER_SECRET_KEY_LEN],
				    const struct ecdaa_member_secret_key *sk);
int ecdaa_member_secret_key_decode(struct ecdaa_member_secret_key *sk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_member_public_key_encode(uint8_t out[ECDAA_MEMBER_PUBLIC_KEY_LEN],
				    const struct ecdaa_member_public_key *pk);
int ecdaa_member_public_key_decode(struct ecdaa_member_public_key *pk,
				   const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_credential_encode(uint8_t out[ECDAA_CREDENTIAL_LEN],
			     const struct ecdaa_credential *cred);
int ecdaa_credential_decode(struct ecdaa_credential *cred,
			    const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_credential_signature_encode(uint8_t out[ECDAA_CREDENTIAL_SIGNATURE_LEN],
				       const struct ecdaa_credential_signature *cred_sig);
int ecdaa_credential_signature_decode(struct ecdaa_credential_signature *cred_sig,
				      const uint8_t *buf, size_t len, struct ecdaa_error *err);
/* Writes ECDAA_SIGNATURE_LEN or, with a pseudonym, ECDAA_SIGNATURE_WITH_NYM_LEN bytes and
 * returns that length. */
size_t ecdaa_signature_encode(uint8_t out[ECDAA_SIGNATURE_WITH_NYM_LEN],
			      const struct ecdaa_signature *sig);
/* The length says whether a pseudonym is present (356: no, 421: yes). */
int ecdaa_signature_decode(struct ecdaa_signature *sig,
			   const uint8_t *buf, size_t len, struct ecdaa_error *err);
void ecdaa_g1_encode(uint8_t out[ECDAA_G1_LEN], const struct ecdaa_g1 *point);
int ecdaa_g1_decode(struct ecdaa_g1 *point, const uint8_t *buf, size_t len,
		    struct ecdaa_error *err);
void ecdaa_g2_encode(uint8_t out[ECDAA_G2_LEN], const struct ecdaa_g2 *point);
int ecdaa_g2_decode(struct ecdaa_g2 *point, const uint8_t *buf, size_t len,
		    struct ecdaa_error *err);
int ecdaa_g1_equal(const struct ecdaa_g1 *a, const struct ecdaa_g1 *b);   /* 1 if equal */
/* Revocation list files: concatenated 32-byte secret keys / 65-byte pseudonyms.  out has room
 * for cap entries; *count receives len / 32 (len / 65). */
int ecdaa_sk_revocation_list_decode(struct ecdaa_member_secret_key *out, size_t cap,
				    size_t *count, const uint8_t *buf, size_t len,
				    struct ecdaa_error *err);
int ecdaa_bsn_revocation_list_decode(struct ecdaa_g1 *out, size_t cap, size_t *count,
				     const uint8_t *buf, size_t len, struct ecdaa_error *err);

/* ---- TPM 2.0 member key (ECDAA scheme, curve TPM_ECC_BN_P256) ----
 * The member secret key stays in the TPM; signing runs TPM2_Commit + TPM2_Sign and the result
 * verifies with ecdaa_signature_verify.  Link with -ltss2-esys -ltss2-tctildr -ltss2-mu. */
struct ESYS_CONTEXT;
struct ecdaa_tpm;
/* Connect through a TCTI configuration string, e.g. "swtpm:host=127.0.0.1,port=2321" or
 * "device:/dev/tpmrm0" (NULL: the tss2 default). */
int ecdaa_tpm_open(struct ecdaa_tpm **tpm, const char *tcti, struct ecdaa_error *err);
/* Use an ESYS context the caller already has (it stays the caller's). */
int ecdaa_tpm_open_esys(struct ecdaa_tpm **tpm, struct ESYS_CONTEXT *esys,
			struct ecdaa_error *err);
void ecdaa_tpm_close(struct ecdaa_tpm *tpm);
/* Create an ECDAA signing key and make it persistent at handle (0 keeps it transient for
 * this connection).  Handles from 0x81800000 (the xaptum layout's 0x81800000) are in the
 * platform hierarchy, lower ones (0x81000000...) in the owner hierarchy; the key is created
 * in that hierarchy (a transient key in the owner's).  Selects the key. */
int ecdaa_tpm_key_create(struct ecdaa_tpm *tpm, uint32_t persistent_handle,
			 const uint8_t *auth, size_t auth_len, struct ecdaa_error *err);
/* Select the persistent key at handle (auth: its password, may be empty). */
int ecdaa_tpm_key_load(struct ecdaa_tpm *tpm, uint32_t persistent_handle,
		       const uint8_t *auth, size_t auth_len, struct ecdaa_error *err);
/* Remove the persistent key at handle (test and re-provisioning use). */
int ecdaa_tpm_key_evict(struct ecdaa_tpm *tpm, uint32_t persistent_handle,
			struct ecdaa_error *err);
int ecdaa_member_key_pair_generate_tpm(struct ecdaa_member_public_key *pk,
				       struct ecdaa_tpm *tpm,
				       const uint8_t *nonce, size_t nonce_len,
				       struct ecdaa_error *err);
int ecdaa_signature_sign_tpm(struct ecdaa_signature *sig,
			     const uint8_t *msg, size_t msg_len,
			     const uint8_t *bsn, size_t bsn_len,
			     const struct ecdaa_credential *cred,
			     struct ecdaa_tpm *tpm, struct ecdaa_error *err);

#ifdef __cplusplus
}
#endif
#endif
