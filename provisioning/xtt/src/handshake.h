/* handshake.h: the state shared by the client and server machines (internal). */
#ifndef SR6_XTT_HANDSHAKE_H
#define SR6_XTT_HANDSHAKE_H

#include <stdint.h>

#include <openssl/evp.h>

#include "provisioning/xtt/include/xtt.h"
#include "provisioning/xtt/src/schedule.h"
#include "provisioning/xtt/src/util.h"
#include "provisioning/xtt/src/wire.h"

enum hs_role { HS_CLIENT, HS_SERVER };

enum hs_state {
	HS_INIT,
	HS_SENDING,        /* writing out[0..out_len); then `next_type` */
	HS_RECEIVING,      /* reading a message of type `want_type` */
	HS_WAIT_ROOT,      /* client: application picks the root */
	HS_WAIT_GROUP,     /* server: application picks the group */
	HS_WAIT_IDENTITY,  /* server: application picks the identity */
	HS_SENDING_ERROR,  /* writing the Error message; then FAILED */
	HS_DONE,
	HS_FAILED,
};

struct xtt_handshake {
	enum hs_role role;
	enum hs_state state;
	uint8_t next_type;             /* message to read once out is sent; 0: done */
	enum xtt_suite suite;
	enum xtt_transcript transcript;
	struct xtt_rng rng;
	unsigned allowed_suites;       /* server */

	/* I/O */
	uint8_t in[XTT_MAX_MESSAGE_LEN];
	size_t in_len, in_want;        /* received so far, size of the message being read */
	uint8_t want_type;
	uint8_t out[XTT_MAX_MESSAGE_LEN];
	size_t out_len, out_pos;

	/* Transcript and keys */
	uint8_t client_init[WIRE_CI_LEN];
	uint8_t siaa_ad[WIRE_SIAA_AD_LEN];
	uint8_t cert[XTT_SERVER_CERT_LEN];
	uint8_t sig_s[XTT_ECDSA_SIG_LEN];
	uint8_t dh_sk[X25519_LEN];
	struct xtt_keys keys;
	uint32_t tx_seq, rx_seq;

	/* ClientAttest contents */
	uint8_t ca_signed[WIRE_CA_SIGNED_LEN]; /* AD | longterm_pub | gid | id */
	uint8_t longterm_pub[XTT_ECDSA_PUB_LEN];
	uint8_t gid[XTT_GID_LEN];
	uint8_t requested_id[XTT_ID_LEN];
	uint8_t longterm_sig[XTT_ECDSA_SIG_LEN];
	uint8_t daa_sig[XTT_GROUP_SIG_LEN];
	uint8_t identity[XTT_ID_LEN];

	/* Client */
	struct xtt_client_group group;
	EVP_PKEY *longterm_key;

	/* Server */
	const struct xtt_server_cert *server_cert;

	struct xerr err;
};

/* Common engine (handshake.c). */
enum xtt_status hs_want(struct xtt_handshake *hs, struct xtt_io *io);
/* Send out[0..len), then read a message of next_type (0: the handshake is done). */
enum xtt_status hs_send(struct xtt_handshake *hs, size_t len, uint8_t next_type, struct xtt_io *io);
enum xtt_status hs_receive(struct xtt_handshake *hs, uint8_t type, struct xtt_io *io);
/* Fails with hs->err already set: queues the Error message. */
enum xtt_status hs_fail(struct xtt_handshake *hs, struct xtt_io *io);
void hs_wipe(struct xtt_handshake *hs);
/* Seal out[ad_len .. ad_len + pt_len) in place with the sender's key (tx_seq++). */
int hs_seal(struct xtt_handshake *hs, size_t ad_len, const uint8_t *pt, size_t pt_len);
/* Open in[ad_len .. in_want) into pt with the peer's key (rx_seq++). */
int hs_open(struct xtt_handshake *hs, size_t ad_len, uint8_t *pt);
/* Suite checks shared by both roles. */
int hs_suite_usable(struct xtt_handshake *hs, uint16_t suite, const char *msg);
/* The suite field of a later message must be the handshake's; -1 with hs->err set. */
int hs_suite_same(struct xtt_handshake *hs, uint16_t suite, const char *msg);

/* A handshake of this role with the fields both configurations share (NULL when the
 * transcript is unknown, the suites cannot start or memory is short). */
struct xtt_handshake *hs_new(enum hs_role role, enum xtt_transcript transcript,
			     const struct xtt_rng *rng);
/* X25519 with the peer's key and the key schedule over client_init and siaa_ad; -1 with
 * hs->err set (peer_field names the peer's key for the all-zero secret). */
int hs_derive_keys(struct xtt_handshake *hs, const uint8_t peer_pub[X25519_LEN],
		   const char *peer_field);
/* What the group signature covers (CLIENT_SIG_GROUP, from ca_signed and longterm_sig). */
int hs_group_sig_hash(struct xtt_handshake *hs, uint8_t h[SUITE_HASH_LEN]);
/* An API call made when the handshake wants something else: fails the handshake. */
enum xtt_status hs_out_of_turn(struct xtt_handshake *hs, const char *call, struct xtt_io *io);

/* Role steps, called by the engine when a message has been received. */
enum xtt_status client_received(struct xtt_handshake *hs, struct xtt_io *io);
enum xtt_status server_received(struct xtt_handshake *hs, struct xtt_io *io);

/* ECDAA glue (group.c). */
int group_sign(uint8_t sig[XTT_GROUP_SIG_LEN], const struct xtt_client_group *g,
	       const uint8_t *msg, size_t len, struct xerr *e);
int group_verify(const uint8_t sig[XTT_GROUP_SIG_LEN], const struct xtt_server_group *g,
		 const uint8_t *msg, size_t len, struct xerr *e);

#endif
