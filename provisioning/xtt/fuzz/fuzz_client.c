/* Fuzz target: the client state machine.  Mode 0: the input is the server's byte stream.
 * Mode 1: a real server answers the client's ClientInit, the client reaches the point of
 * reading Identity_ServerFinished, and the input becomes that message's plaintext sealed
 * with the real server key (identity and key-echo checks on arbitrary contents). */
#include <stdlib.h>
#include <string.h>

#include "provisioning/xtt/fuzz/fuzz_common.h"
#include "provisioning/xtt/src/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sealed_finished(const uint8_t *data, size_t size)
{
	struct xtt_handshake *c, *s;
	struct xtt_io cio, sio;
	enum xtt_status cst, sst;
	uint8_t msg[WIRE_SF_LEN], pt[WIRE_SF_PT_LEN] = { 0 };

	fuzz_first_flight(&c, &s, &cio, &sio, &sst);
	cst = xtt_handshake_io(c, cio.len, &cio); /* ClientAttest "sent" */
	if (cst != XTT_WANT_READ)
		abort();
	/* ServerFinished with the fuzzer's plaintext; a key echo prefix if it asks for one. */
	memcpy(pt, data, size < sizeof(pt) ? size : sizeof(pt));
	if (size > 1 && data[0] == 0x20)
		memcpy(pt + XTT_ID_LEN, c->longterm_pub, XTT_ECDSA_PUB_LEN);
	wire_sf_ad_build(msg, (uint16_t)c->suite);
	fuzz_feed_sealed(c, cst, &cio, s, 1, msg, sizeof(msg), WIRE_SF_AD_LEN, pt, sizeof(pt));
	xtt_handshake_free(c);
	xtt_handshake_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		sealed_finished(data + 1, size - 1);
	else
		fuzz_raw_stream(0, data + 1, size - 1);
	return 0;
}
