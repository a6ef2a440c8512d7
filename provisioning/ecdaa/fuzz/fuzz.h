/* libFuzzer targets for the decoders: whatever the bytes, a decoder must return cleanly, and
 * what it accepts must encode back to the same bytes (one encoding per value). */
#ifndef ECDAA_FUZZ_H
#define ECDAA_FUZZ_H

#include "provisioning/ecdaa/include/ecdaa.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* decode as TYPE with DECODE; on success ENCODE must give the input back */
#define FUZZ_ROUND_TRIP(TYPE, DECODE, ENCODE, LEN)                                  \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                \
	{                                                                           \
		TYPE obj;                                                           \
		struct ecdaa_error err;                                             \
		uint8_t out[LEN];                                                   \
                                                                                    \
		if (DECODE(&obj, data, size, &err) != 0) {                          \
			if (err.kind == ECDAA_E_NONE || !err.message)               \
				abort();                                            \
			return 0;                                                   \
		}                                                                   \
		if (size != (LEN))                                                  \
			abort();                                                    \
		ENCODE(out, &obj);                                                  \
		if (memcmp(out, data, (LEN)) != 0)                                  \
			abort();                                                    \
		return 0;                                                           \
	}

#endif
