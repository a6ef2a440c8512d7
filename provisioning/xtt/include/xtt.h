/* xtt.h: XTT identity provisioning (version 1), client and server state machines.
 *
 * A device that holds only an ECDAA group credential proves group membership to a
 * provisioning server, receives a unique IPv6 identity and registers a fresh ECDSA P-256
 * long-term key.  Four messages: ClientInit, ServerInitAndAttest, Identity_ClientAttest,
 * Identity_ServerFinished (plus Error), laid out on the wire as xtt v0.12 does.
 *
 * The application owns the socket.  Every call returns what the handshake wants next:
 *   XTT_WANT_WRITE     send io->len bytes from io->buf, then report with xtt_handshake_io()
 *   XTT_WANT_READ      receive up to io->len bytes into io->buf, then report (0 = peer closed)
 *   XTT_WANT_ROOT      client: pick the root certificate named by xtt_client_claimed_root_id()
 *                      and call xtt_client_set_root()
 *   XTT_WANT_GROUP     server: look up the group named by xtt_server_claimed_gid() and call
 *                      xtt_server_set_group()
 *   XTT_WANT_IDENTITY  server: choose the identity and call xtt_server_set_identity()
 *   XTT_DONE           finished: read the results with the getters
 *   XTT_FAILED         finished without an identity: xtt_handshake_error() says why
 * Partial reads and writes are fine: report what was transferred and the next call asks for
 * the rest.  On any failure the next status is XTT_WANT_WRITE of a 4-byte Error message (except
 * when the failure was receiving one); once it is written (or the application gives up on
 * it), the handshake is XTT_FAILED.  The application refuses a step (unknown root or group,
 * identity policy, timeout) with xtt_handshake_abort().
 *
 * Conventions: out-parameters first; constructors return 0 or -1.  Not thread-safe per
 * handshake; different handshakes may run on different threads.
 */
#ifndef SR6_XTT_H
#define SR6_XTT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XTT_VERSION               1
#define XTT_ID_LEN                16   /* an IPv6 address; all zero = "assign one" */
#define XTT_GID_LEN               32   /* SHA-256(gpk || basename) */
#define XTT_ROOT_ID_LEN           16
#define XTT_ECDSA_PUB_LEN         65   /* 0x04 | X | Y */
#define XTT_ECDSA_SIG_LEN         64   /* r | s */
#define XTT_ECDSA_PRIV_LEN        32
#define XTT_SERVER_CERT_LEN       169  /* reserved[24] | root_id[16] | server_pub[65] | root_sig[64] */
#define XTT_SERVER_CERT_SIGNED_LEN 105 /* the part root_sig covers */
#define XTT_SERVER_CERT_RESERVED_LEN 24
#define XTT_ROOT_CERT_LEN         81   /* root_id[16] | root_pub[65] */
#define XTT_COOKIE_LEN            130
#define XTT_PSEUDONYM_LEN         65
#define XTT_GROUP_SIG_LEN         421
#define XTT_BASENAME_MAX          1024
#define XTT_MAX_MESSAGE_LEN       750

enum xtt_suite {
	XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512 = 1,
	XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B = 2,
	XTT_X25519_LRSW_ECDSAP256_AES256GCM_SHA512 = 3,
	XTT_X25519_LRSW_ECDSAP256_AES256GCM_BLAKE2B = 4,
};
/* "chacha20poly1305-sha512" style names (and the full upstream names) <-> suites. */
const char *xtt_suite_name(enum xtt_suite suite);
int xtt_suite_from_name(enum xtt_suite *suite, const char *name);
/* 1 if the suite can run here (AES-256-GCM needs the CPU's AES instructions). */
int xtt_suite_available(enum xtt_suite suite);

/* What the two signatures of Identity_ClientAttest cover.  XTT_TRANSCRIPT_FULL hashes the
 * whole cookie and the whole ClientAttest body up to the signatures; XTT_TRANSCRIPT_XTT_0_12
 * reproduces what xtt v0.12 hashes (one byte of the cookie, 16 bytes of the body) to talk
 * to existing peers.  Both sides must use the same one. */
enum xtt_transcript {
	XTT_TRANSCRIPT_FULL = 0,
	XTT_TRANSCRIPT_XTT_0_12 = 1,
};

enum xtt_status {
	XTT_DONE = 0,
	XTT_WANT_WRITE,
	XTT_WANT_READ,
	XTT_WANT_ROOT,
	XTT_WANT_GROUP,
	XTT_WANT_IDENTITY,
	XTT_FAILED,
};
const char *xtt_status_name(enum xtt_status status);

enum xtt_error {
	XTT_E_NONE = 0,
	XTT_E_ARGUMENT,          /* API misuse: call out of order, bad length reported */
	XTT_E_PEER_CLOSED,       /* the peer closed the connection half-way */
	XTT_E_TIMEOUT,           /* the peer stalled (set by the application) */
	XTT_E_TYPE,              /* unexpected message type */
	XTT_E_LENGTH,            /* length field wrong for the message type */
	XTT_E_VERSION,           /* version is not 1 */
	XTT_E_SUITE,             /* unknown, disallowed or changed suite */
	XTT_E_SUITE_UNAVAILABLE, /* AES-256-GCM without CPU support */
	XTT_E_KEY_EXCHANGE,      /* X25519 produced the all-zero secret */
	XTT_E_RECORD,            /* AEAD tag did not verify (tampered message or AD) */
	XTT_E_UNKNOWN_ROOT,      /* no root certificate with the claimed id */
	XTT_E_SERVER_CERT,       /* server certificate not signed by the root */
	XTT_E_SERVER_SIGNATURE,  /* ServerInitAndAttest signature does not verify */
	XTT_E_COOKIE,            /* echoed cookie differs from the one sent */
	XTT_E_LONGTERM_KEY,      /* long-term public key invalid */
	XTT_E_LONGTERM_SIGNATURE,/* long-term key signature does not verify */
	XTT_E_UNKNOWN_GROUP,     /* no group with the claimed GID */
	XTT_E_GROUP_SIGNATURE,   /* ECDAA signature does not verify (or revoked) */
	XTT_E_IDENTITY,          /* the server refused or could not assign an identity */
	XTT_E_FINISHED_ID,       /* ServerFinished identity differs from the requested one */
	XTT_E_FINISHED_KEY,      /* ServerFinished echoes another long-term key */
	XTT_E_RECEIVED_ERROR,    /* the peer sent an Error message */
	XTT_E_CRYPTO,            /* a local crypto operation failed (RNG, OpenSSL, TPM) */
};
const char *xtt_error_name(enum xtt_error code);

/* Bytes the application moves for XTT_WANT_READ / XTT_WANT_WRITE. */
struct xtt_io {
	uint8_t *buf;
	size_t len;
};

/* Random source for nonces, X25519 keys and cookies (NULL fill: libsodium's).  Tests inject
 * a deterministic one to get known-answer transcripts. */
struct xtt_rng {
	void (*fill)(void *arg, uint8_t *buf, size_t len);
	void *arg;
};

/* ---- Certificates ---- */
struct evp_pkey_st;                                 /* OpenSSL EVP_PKEY */
struct xtt_root_cert {                              /* 81 bytes on file */
	uint8_t id[XTT_ROOT_ID_LEN];
	uint8_t pub[XTT_ECDSA_PUB_LEN];
};
struct xtt_server_cert {
	uint8_t cert[XTT_SERVER_CERT_LEN];          /* as sent in ServerInitAndAttest */
	struct evp_pkey_st *key;                    /* the server's private key (caller's) */
};

/* ---- ECDAA group material (provisioning/ecdaa) ---- */
struct ecdaa_credential;
struct ecdaa_member_secret_key;
struct ecdaa_tpm;
struct ecdaa_group_public_key;
struct ecdaa_revocations;

/* The device's group membership: software secret key or a key in a TPM. */
struct xtt_client_group {
	uint8_t gid[XTT_GID_LEN];
	const uint8_t *basename;
	size_t basename_len;
	const struct ecdaa_credential *cred;
	const struct ecdaa_member_secret_key *sk;   /* NULL when tpm is set */
	struct ecdaa_tpm *tpm;
};

/* What the server checks the group signature against. */
struct xtt_server_group {
	const struct ecdaa_group_public_key *gpk;
	const uint8_t *basename;
	size_t basename_len;
	const struct ecdaa_revocations *revocations; /* may be NULL */
};

struct xtt_client_config {
	enum xtt_suite suite;
	enum xtt_transcript transcript;
	uint8_t requested_id[XTT_ID_LEN];           /* all zero: let the server choose */
	struct xtt_client_group group;              /* pointed-to data must outlive the handshake */
	struct xtt_rng rng;
};

struct xtt_server_config {
	unsigned suites;                            /* bit (1 << suite); 0 = all available */
	enum xtt_transcript transcript;
	const struct xtt_server_cert *cert;         /* must outlive the handshake */
	struct xtt_rng rng;
};

struct xtt_handshake;

/* A client handshake: generates the ephemeral X25519 key and the new long-term key. */
int xtt_client_new(struct xtt_handshake **hs, const struct xtt_client_config *cfg);
/* A server handshake for one accepted connection. */
int xtt_server_new(struct xtt_handshake **hs, const struct xtt_server_config *cfg);
void xtt_handshake_free(struct xtt_handshake *hs);

/* First call on either side (the client writes ClientInit, the server reads it). */
enum xtt_status xtt_handshake_start(struct xtt_handshake *hs, struct xtt_io *io);
/* Report n bytes read or written for the last WANT_READ / WANT_WRITE (read n == 0: EOF). */
enum xtt_status xtt_handshake_io(struct xtt_handshake *hs, size_t n, struct xtt_io *io);
/* Fail the handshake with code (detail: text for the log, may be NULL); returns the
 * WANT_WRITE of the Error message, or XTT_FAILED if there is nothing to send. */
enum xtt_status xtt_handshake_abort(struct xtt_handshake *hs, enum xtt_error code,
				    const char *detail, struct xtt_io *io);

/* Client decision: the root certificate for the claimed root id. */
const uint8_t *xtt_client_claimed_root_id(const struct xtt_handshake *hs);
enum xtt_status xtt_client_set_root(struct xtt_handshake *hs, const struct xtt_root_cert *root,
				    struct xtt_io *io);

/* Server decisions: the group for the claimed GID, then the identity. */
const uint8_t *xtt_server_claimed_gid(const struct xtt_handshake *hs);
const uint8_t *xtt_server_requested_id(const struct xtt_handshake *hs);
enum xtt_status xtt_server_set_group(struct xtt_handshake *hs, const struct xtt_server_group *g,
				     struct xtt_io *io);
enum xtt_status xtt_server_set_identity(struct xtt_handshake *hs, const uint8_t id[XTT_ID_LEN],
					struct xtt_io *io);

/* Results (valid once XTT_DONE, the pseudonym and key from XTT_WANT_IDENTITY on). */
const uint8_t *xtt_handshake_identity(const struct xtt_handshake *hs);        /* 16 bytes */
const uint8_t *xtt_handshake_longterm_pub(const struct xtt_handshake *hs);    /* 65 bytes */
const uint8_t *xtt_handshake_pseudonym(const struct xtt_handshake *hs);       /* 65 bytes */
/* Client: the new long-term private key (the handshake keeps ownership). */
struct evp_pkey_st *xtt_client_longterm_key(const struct xtt_handshake *hs);
enum xtt_suite xtt_handshake_suite(const struct xtt_handshake *hs);

/* Why the handshake failed: the code and a sentence naming the message and field. */
enum xtt_error xtt_handshake_error(const struct xtt_handshake *hs);
const char *xtt_handshake_error_detail(const struct xtt_handshake *hs);

#ifdef __cplusplus
}
#endif
#endif
