/* fixture.h: real key material for handshake tests: an ECDAA group with members (software
 * keys), a root and a server certificate, and an in-memory duplex pipe that drives a client
 * and a server handshake against each other with optional tampering. */
#ifndef SR6_XTT_FIXTURE_H
#define SR6_XTT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/include/xtt.h"

struct fx_group {
	struct ecdaa_issuer_public_key ipk;
	struct ecdaa_issuer_secret_key isk;
	uint8_t basename[16];
	size_t basename_len;
	uint8_t gid[XTT_GID_LEN];
};

struct fx_member {
	struct ecdaa_member_public_key pk;
	struct ecdaa_member_secret_key sk;
	struct ecdaa_credential cred;
};

struct fx_pki {
	struct xtt_root_cert root;
	struct evp_pkey_st *root_key;
	struct evp_pkey_st *server_key;
	struct xtt_server_cert server;
};

void fx_group_new(struct fx_group *g, const char *basename);
void fx_member_join(struct fx_member *m, const struct fx_group *g);
void fx_pki_new(struct fx_pki *p, uint8_t root_id_last);
void fx_pki_free(struct fx_pki *p);
/* GID = SHA-256(gpk || basename) */
void fx_gid(uint8_t gid[XTT_GID_LEN], const struct ecdaa_group_public_key *gpk,
	    const uint8_t *bsn, size_t bsn_len);

/* A run of one client against one server in memory. */
enum fx_dir { FX_C2S, FX_S2C };
struct fx_tamper {
	int active;
	enum fx_dir dir;
	size_t offset;          /* byte offset in that direction's stream */
	uint8_t xor_mask;
};

struct fx_run {
	/* inputs */
	struct xtt_client_config ccfg;
	struct xtt_server_config scfg;
	size_t chunk;                           /* bytes per read/write; 0 = unlimited */
	struct fx_tamper tamper;
	const struct xtt_root_cert *root;       /* what the client's application answers */
	const struct xtt_server_group *group;   /* what the server's application answers */
	uint8_t identity[XTT_ID_LEN];           /* what the server assigns (0: echo the request
						 * or 2001:db8::1) */
	size_t client_stop_after;               /* client stops writing after this many bytes (0: never) */
	void (*before_identity)(struct xtt_handshake *server);  /* test hooks */
	void (*before_root)(struct xtt_handshake *client);
	/* outputs */
	enum xtt_status cst, sst;
	enum xtt_error cerr, serr;
	char cdetail[256], sdetail[256];
	uint8_t c2s[2048], s2c[2048];
	size_t c2s_len, s2c_len;
	uint8_t cid[XTT_ID_LEN], sid[XTT_ID_LEN];
	uint8_t cnym[XTT_PSEUDONYM_LEN], snym[XTT_PSEUDONYM_LEN];
	uint8_t cpub[XTT_ECDSA_PUB_LEN], spub[XTT_ECDSA_PUB_LEN];
	struct xtt_handshake *client, *server;  /* kept when keep = 1 */
	int keep;
};

/* Defaults: suite 1, full transcript, unlimited chunks, the given root and group. */
void fx_run_init(struct fx_run *r, const struct fx_pki *p, const struct fx_group *g,
		 const struct fx_member *m, const struct xtt_server_group *sg);
void fx_run(struct fx_run *r);
/* 1 if the stream ends with the 4-byte Error message. */
int fx_ends_with_error(const uint8_t *stream, size_t len);

#endif
