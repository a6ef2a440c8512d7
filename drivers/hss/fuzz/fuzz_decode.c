/* libFuzzer target: the first byte picks how the rest is cut into bulk transfers; every
 * piece also goes through the command decoder.  Checks that the reassembler never returns a
 * message that overruns the buffer or breaks the limits, and that it loses no byte. */
#include "drivers/hss/proto.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned step = data[0] % 67 + 1;
	data++;
	size--;

	struct hss_reasm r;
	if (hss_reasm_init(&r, 2048) < 0)
		return 0;
	size_t in = 0, out = 0;
	int failed = 0;
	while (in < size && !failed) {
		size_t piece = size - in < step ? size - in : step;
		struct hss_msg cmd;
		struct hss_error err;
		if (hss_cmd_decode(&cmd, &err, data + in, piece) == 0 && cmd.hdr.len + HSS_HDR_LEN != piece)
			abort();
		size_t took = hss_reasm_feed(&r, data + in, piece);
		in += took;
		struct hss_msg m;
		int rc;
		while ((rc = hss_reasm_peek(&r, &m)) == 1) {
			if (m.hdr.op != HSS_OP_TRANSMIT || m.hdr.len > 2048)
				abort();
			if (memcmp(m.data, data + out + HSS_HDR_LEN, m.hdr.len) != 0)
				abort();
			out += HSS_HDR_LEN + m.hdr.len;
			hss_reasm_pop(&r);
		}
		if (rc < 0)
			failed = 1;
		else if (took == 0)
			abort(); /* full buffer without a whole message cannot happen */
	}
	if (!failed && out + hss_reasm_buffered(&r) != in)
		abort();
	hss_reasm_free(&r);
	return 0;
}
