/* fuzz_common.h: real key material for the fuzz targets (made once per process). */
#ifndef SR6_XTT_FUZZ_COMMON_H
#define SR6_XTT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/include/xtt.h"

struct fuzz_world {
	struct xtt_root_cert root;
	struct xtt_server_cert server;
	struct ecdaa_issuer_public_key ipk;
	struct ecdaa_issuer_secret_key isk;
	struct ecdaa_member_secret_key sk;
	struct ecdaa_credential cred;
	struct xtt_client_config ccfg;
	struct xtt_server_config scfg;
	struct xtt_server_group sgroup;
};

/* Aborts if anything fails (a broken fuzz set-up must not look like a clean run). */
const struct fuzz_world *fuzz_world(void);

/* Feeds a handshake's reads from buf in chunks of `chunk` bytes and answers its decisions
 * with the world's root / group and a fixed identity; writes go nowhere.  Stops when the
 * input runs out, the handshake ends, or it wants to write and `stop_on_write` is set. */
enum xtt_status fuzz_drive(struct xtt_handshake *hs, enum xtt_status st, struct xtt_io *io,
			   const uint8_t **buf, size_t *len, size_t chunk, int stop_on_write);

/* A new handshake (server if `server`, else client) with the world's configuration, fed data
 * as the peer's byte stream, read in chunks of (first byte % 16 + 1), then a close if it still
 * wants to read; freed. */
void fuzz_raw_stream(int server, const uint8_t *data, size_t size);

/* A real client and server through ClientInit and ServerInitAndAttest: on return the client
 * wants to write Identity_ClientAttest (cio) and the server to read it (sio, *sst). */
void fuzz_first_flight(struct xtt_handshake **c, struct xtt_handshake **s, struct xtt_io *cio,
		       struct xtt_io *sio, enum xtt_status *sst);

/* msg (len bytes) holds ad_len bytes of header: seal pt behind them with the sender's key
 * for record seq, as the sender would, and feed the message to rx (in state st, io). */
void fuzz_feed_sealed(struct xtt_handshake *rx, enum xtt_status st, struct xtt_io *io,
		      const struct xtt_handshake *sender, uint32_t seq, uint8_t *msg, size_t len,
		      size_t ad_len, const uint8_t *pt, size_t pt_len);

#endif
