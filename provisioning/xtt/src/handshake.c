/* handshake.c: the engine both roles share: buffered non-blocking I/O (header first, then the
 * rest of the message), records, failures and the Error message, getters. */
#include "provisioning/xtt/src/handshake.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "provisioning/ecdaa/include/ecdaa.h"

enum xtt_status hs_want(struct xtt_handshake *hs, struct xtt_io *io)
{
	io->buf = NULL;
	io->len = 0;
	switch (hs->state) {
	case HS_SENDING:
	case HS_SENDING_ERROR:
		io->buf = hs->out + hs->out_pos;
		io->len = hs->out_len - hs->out_pos;
		return XTT_WANT_WRITE;
	case HS_RECEIVING:
		io->buf = hs->in + hs->in_len;
		io->len = hs->in_want - hs->in_len;
		return XTT_WANT_READ;
	case HS_WAIT_ROOT:
		return XTT_WANT_ROOT;
	case HS_WAIT_GROUP:
		return XTT_WANT_GROUP;
	case HS_WAIT_IDENTITY:
		return XTT_WANT_IDENTITY;
	case HS_DONE:
		return XTT_DONE;
	case HS_INIT:
	case HS_FAILED:
		break;
	}
	return XTT_FAILED;
}

enum xtt_status hs_send(struct xtt_handshake *hs, size_t len, uint8_t next_type, struct xtt_io *io)
{
	hs->out_len = len;
	hs->out_pos = 0;
	hs->next_type = next_type;
	hs->state = HS_SENDING;
	return hs_want(hs, io);
}

enum xtt_status hs_receive(struct xtt_handshake *hs, uint8_t type, struct xtt_io *io)
{
	hs->want_type = type;
	hs->in_len = 0;
	hs->in_want = WIRE_HEADER_LEN;
	hs->state = HS_RECEIVING;
	return hs_want(hs, io);
}

void hs_wipe(struct xtt_handshake *hs)
{
	sodium_memzero(hs->dh_sk, sizeof(hs->dh_sk));
	sodium_memzero(&hs->keys, sizeof(hs->keys));
}

enum xtt_status hs_fail(struct xtt_handshake *hs, struct xtt_io *io)
{
	hs_wipe(hs);
	memset(hs->identity, 0, sizeof(hs->identity));
	if (hs->err.code == XTT_E_RECEIVED_ERROR) {
		hs->state = HS_FAILED;
		return hs_want(hs, io);
	}
	wire_error_build(hs->out);
	hs->out_len = WIRE_ERROR_LEN;
	hs->out_pos = 0;
	hs->state = HS_SENDING_ERROR;
	return hs_want(hs, io);
}

int hs_seal(struct xtt_handshake *hs, size_t ad_len, const uint8_t *pt, size_t pt_len)
{
	const uint8_t *key = hs->role == HS_CLIENT ? hs->keys.client_key : hs->keys.server_key;
	const uint8_t *iv = hs->role == HS_CLIENT ? hs->keys.client_iv : hs->keys.server_iv;
	uint8_t nonce[SUITE_IV_LEN];

	suite_nonce(nonce, iv, hs->tx_seq++);
	return suite_seal(hs->suite, hs->out + ad_len, pt, pt_len, hs->out, ad_len, key, nonce);
}

int hs_open(struct xtt_handshake *hs, size_t ad_len, uint8_t *pt)
{
	const uint8_t *key = hs->role == HS_CLIENT ? hs->keys.server_key : hs->keys.client_key;
	const uint8_t *iv = hs->role == HS_CLIENT ? hs->keys.server_iv : hs->keys.client_iv;
	uint8_t nonce[SUITE_IV_LEN];

	suite_nonce(nonce, iv, hs->rx_seq++);
	if (suite_open(hs->suite, pt, hs->in + ad_len, hs->in_want - ad_len, hs->in, ad_len, key,
		       nonce) < 0)
		return xerr_set(&hs->err, XTT_E_RECORD,
				"%s: authentication tag does not verify (message or header altered)",
				wire_type_name(hs->want_type));
	return 0;
}

int hs_suite_usable(struct xtt_handshake *hs, uint16_t suite, const char *msg)
{
	if (!suite_known(suite))
		return xerr_set(&hs->err, XTT_E_SUITE, "%s: field suite (offset 4) is %u, not a known suite",
				msg, suite);
	if (!xtt_suite_available((enum xtt_suite)suite))
		return xerr_set(&hs->err, XTT_E_SUITE_UNAVAILABLE,
				"%s: suite %s needs AES instructions this CPU lacks", msg,
				xtt_suite_name((enum xtt_suite)suite));
	return 0;
}

int hs_suite_same(struct xtt_handshake *hs, uint16_t suite, const char *msg)
{
	if (suite != hs->suite)
		return xerr_set(&hs->err, XTT_E_SUITE,
				"%s: field suite (offset 4) is %u, the handshake uses %u", msg, suite,
				hs->suite);
	return 0;
}

struct xtt_handshake *hs_new(enum hs_role role, enum xtt_transcript transcript,
			     const struct xtt_rng *rng)
{
	struct xtt_handshake *hs;

	if ((transcript != XTT_TRANSCRIPT_FULL && transcript != XTT_TRANSCRIPT_XTT_0_12) ||
	    suite_init() < 0)
		return NULL;
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return NULL;
	hs->role = role;
	hs->state = HS_INIT;
	hs->transcript = transcript;
	hs->rng = *rng;
	return hs;
}

int hs_derive_keys(struct xtt_handshake *hs, const uint8_t peer_pub[X25519_LEN],
		   const char *peer_field)
{
	uint8_t shared[X25519_LEN];
	int rc;

	if (x25519_shared(shared, hs->dh_sk, peer_pub) < 0)
		return xerr_set(&hs->err, XTT_E_KEY_EXCHANGE, "%s gives an all-zero X25519 secret",
				peer_field);
	rc = schedule_derive(&hs->keys, hs->suite, hs->client_init, hs->siaa_ad, shared);
	sodium_memzero(shared, sizeof(shared));
	if (rc < 0)
		return xerr_set(&hs->err, XTT_E_CRYPTO, "key derivation failed");
	return 0;
}

int hs_group_sig_hash(struct xtt_handshake *hs, uint8_t h[SUITE_HASH_LEN])
{
	if (schedule_client_sig_hash(h, hs->suite, hs->transcript, CLIENT_SIG_GROUP, hs->keys.inner,
				     hs->siaa_ad + WIRE_SIAA_KEYED_LEN, hs->cert, hs->sig_s,
				     hs->ca_signed, hs->longterm_sig) < 0)
		return xerr_set(&hs->err, XTT_E_CRYPTO, "transcript hash failed");
	return 0;
}

enum xtt_status hs_out_of_turn(struct xtt_handshake *hs, const char *call, struct xtt_io *io)
{
	xerr_set(&hs->err, XTT_E_ARGUMENT, "%s called while the handshake wants %s", call,
		 xtt_status_name(hs_want(hs, io)));
	return hs_fail(hs, io);
}

enum xtt_status xtt_handshake_start(struct xtt_handshake *hs, struct xtt_io *io)
{
	if (hs->state != HS_INIT) {
		xerr_set(&hs->err, XTT_E_ARGUMENT, "handshake already started");
		return hs_fail(hs, io);
	}
	if (hs->role == HS_SERVER)
		return hs_receive(hs, WIRE_CLIENT_INIT, io);
	if (hs_suite_usable(hs, (uint16_t)hs->suite, "ClientInit") < 0) {
		/* Nothing was sent yet: nothing to answer either. */
		hs->state = HS_FAILED;
		return hs_want(hs, io);
	}
	memcpy(hs->out, hs->client_init, WIRE_CI_LEN);
	return hs_send(hs, WIRE_CI_LEN, WIRE_SERVER_INIT_AND_ATTEST, io);
}

static enum xtt_status after_sent(struct xtt_handshake *hs, struct xtt_io *io)
{
	if (hs->state == HS_SENDING_ERROR) {
		hs->state = HS_FAILED;
		return hs_want(hs, io);
	}
	if (hs->next_type == 0) {
		hs->state = HS_DONE;
		hs_wipe(hs);
		return hs_want(hs, io);
	}
	return hs_receive(hs, hs->next_type, io);
}

enum xtt_status xtt_handshake_io(struct xtt_handshake *hs, size_t n, struct xtt_io *io)
{
	switch (hs->state) {
	case HS_SENDING:
	case HS_SENDING_ERROR:
		if (n > hs->out_len - hs->out_pos) {
			xerr_set(&hs->err, XTT_E_ARGUMENT, "%zu bytes reported written, only %zu asked for",
				 n, hs->out_len - hs->out_pos);
			hs->state = HS_FAILED;
			return hs_want(hs, io);
		}
		hs->out_pos += n;
		if (hs->out_pos < hs->out_len)
			return hs_want(hs, io);
		return after_sent(hs, io);
	case HS_RECEIVING:
		if (n == 0) {
			xerr_set(&hs->err, XTT_E_PEER_CLOSED,
				 "%s: peer closed the connection after %zu of %zu bytes",
				 wire_type_name(hs->want_type), hs->in_len,
				 hs->in_len < WIRE_HEADER_LEN ? wire_message_len(hs->want_type) : hs->in_want);
			return hs_fail(hs, io);
		}
		if (n > hs->in_want - hs->in_len) {
			xerr_set(&hs->err, XTT_E_ARGUMENT, "%zu bytes reported read, only %zu asked for",
				 n, hs->in_want - hs->in_len);
			return hs_fail(hs, io);
		}
		hs->in_len += n;
		if (hs->in_len < hs->in_want)
			return hs_want(hs, io);
		if (hs->in_want == WIRE_HEADER_LEN) {
			int rc = wire_header_check(hs->in, hs->want_type, &hs->err);
			if (rc < 0)
				return hs_fail(hs, io);
			if (rc > 0) {
				xerr_set(&hs->err, XTT_E_RECEIVED_ERROR, "the peer sent an Error message instead of %s",
					 wire_type_name(hs->want_type));
				return hs_fail(hs, io);
			}
			hs->in_want = wire_message_len(hs->want_type);
			return hs_want(hs, io);
		}
		return hs->role == HS_CLIENT ? client_received(hs, io) : server_received(hs, io);
	default:
		xerr_set(&hs->err, XTT_E_ARGUMENT, "I/O reported while the handshake wants %s",
			 xtt_status_name(hs_want(hs, io)));
		return hs_fail(hs, io);
	}
}

enum xtt_status xtt_handshake_abort(struct xtt_handshake *hs, enum xtt_error code,
				    const char *detail, struct xtt_io *io)
{
	if (hs->state == HS_DONE || hs->state == HS_FAILED)
		return hs_want(hs, io);
	if (hs->state == HS_SENDING_ERROR) {
		/* The application gives up on sending the Error message. */
		hs->state = HS_FAILED;
		return hs_want(hs, io);
	}
	xerr_set(&hs->err, code, "%s", detail ? detail : xtt_error_name(code));
	if (hs->state == HS_INIT) {
		hs->state = HS_FAILED;
		return hs_want(hs, io);
	}
	return hs_fail(hs, io);
}

void xtt_handshake_free(struct xtt_handshake *hs)
{
	if (!hs)
		return;
	EVP_PKEY_free(hs->longterm_key);
	sodium_memzero(hs, sizeof(*hs));
	free(hs);
}

const uint8_t *xtt_handshake_identity(const struct xtt_handshake *hs)
{
	return hs->identity;
}

const uint8_t *xtt_handshake_longterm_pub(const struct xtt_handshake *hs)
{
	return hs->longterm_pub;
}

const uint8_t *xtt_handshake_pseudonym(const struct xtt_handshake *hs)
{
	return hs->daa_sig + ECDAA_PSEUDONYM_OFFSET;
}

enum xtt_suite xtt_handshake_suite(const struct xtt_handshake *hs)
{
	return hs->suite;
}

enum xtt_error xtt_handshake_error(const struct xtt_handshake *hs)
{
	return hs->err.code;
}

const char *xtt_handshake_error_detail(const struct xtt_handshake *hs)
{
	return hs->err.code == XTT_E_NONE ? "no error" : hs->err.text;
}

const char *xtt_status_name(enum xtt_status status)
{
	switch (status) {
	case XTT_DONE: return "done";
	case XTT_WANT_WRITE: return "write";
	case XTT_WANT_READ: return "read";
	case XTT_WANT_ROOT: return "root";
	case XTT_WANT_GROUP: return "group";
	case XTT_WANT_IDENTITY: return "identity";
	case XTT_FAILED: return "failed";
	}
	return "unknown";
}

const char *xtt_error_name(enum xtt_error code)
{
	static const char *const names[] = {
		[XTT_E_NONE] = "no error",
		[XTT_E_ARGUMENT] = "API misuse",
		[XTT_E_PEER_CLOSED] = "peer closed the connection",
		[XTT_E_TIMEOUT] = "peer stalled",
		[XTT_E_TYPE] = "unexpected message type",
		[XTT_E_LENGTH] = "bad message length",
		[XTT_E_VERSION] = "unsupported version",
		[XTT_E_SUITE] = "bad suite",
		[XTT_E_SUITE_UNAVAILABLE] = "suite unavailable on this CPU",
		[XTT_E_KEY_EXCHANGE] = "bad key exchange",
		[XTT_E_RECORD] = "record authentication failed",
		[XTT_E_UNKNOWN_ROOT] = "unknown root certificate",
		[XTT_E_SERVER_CERT] = "bad server certificate",
		[XTT_E_SERVER_SIGNATURE] = "bad server signature",
		[XTT_E_COOKIE] = "wrong cookie echo",
		[XTT_E_LONGTERM_KEY] = "bad long-term key",
		[XTT_E_LONGTERM_SIGNATURE] = "bad long-term key signature",
		[XTT_E_UNKNOWN_GROUP] = "unknown group",
		[XTT_E_GROUP_SIGNATURE] = "bad group signature",
		[XTT_E_IDENTITY] = "identity refused",
		[XTT_E_FINISHED_ID] = "ServerFinished identity mismatch",
		[XTT_E_FINISHED_KEY] = "ServerFinished key mismatch",
		[XTT_E_RECEIVED_ERROR] = "received an Error message",
		[XTT_E_CRYPTO] = "local crypto failure",
	};

	if ((unsigned)code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown error";
}
