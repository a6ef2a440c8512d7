/* Fuzz target: the server state machine.  Mode 0 (first byte even): the input is the
 * client's byte stream, read in chunks of (second byte % 16 + 1).  Mode 1: a real client
 * runs ClientInit and the server answers, then the input becomes the plaintext of an
 * Identity_ClientAttest sealed with the real client key, so the parser behind the AEAD,
 * the long-term key checks and the group signature check see arbitrary contents. */
#include <string.h>

#include "provisioning/xtt/fuzz/fuzz_common.h"
#include "provisioning/xtt/src/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sealed_attest(const uint8_t *data, size_t size)
{
	struct xtt_handshake *c, *s;
	struct xtt_io cio, sio;
	enum xtt_status sst;
	uint8_t msg[WIRE_CA_LEN], pt[WIRE_CA_PT_LEN] = { 0 };

	fuzz_first_flight(&c, &s, &cio, &sio, &sst);
	/* The fuzzer's bytes as the sealed ClientAttest body (header and cookie echo intact,
	 * or the fuzzer's when it gives more than a body). */
	memcpy(msg, cio.buf, WIRE_CA_AD_LEN);
	memcpy(pt, data, size < sizeof(pt) ? size : sizeof(pt));
	fuzz_feed_sealed(s, sst, &sio, c, 0, msg, sizeof(msg), WIRE_CA_AD_LEN, pt, sizeof(pt));
	xtt_handshake_free(c);
	xtt_handshake_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		sealed_attest(data + 1, size - 1);
	else
		fuzz_raw_stream(1, data + 1, size - 1);
	return 0;
}
