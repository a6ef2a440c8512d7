/* Fuzz both revocation list decoders: the first byte picks the list, the rest is the file. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecdaa_member_secret_key sks[16];
	struct ecdaa_g1 nyms[16];
	struct ecdaa_error err;
	uint8_t out[ECDAA_G1_LEN];
	size_t count;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		if (ecdaa_sk_revocation_list_decode(sks, 16, &count, data + 1, size - 1, &err))
			return 0;
		for (size_t i = 0; i < count; i++) {
			ecdaa_member_secret_key_encode(out, &sks[i]);
			if (memcmp(out, data + 1 + 32 * i, 32) != 0)
				abort();
		}
	} else {
		if (ecdaa_bsn_revocation_list_decode(nyms, 16, &count, data + 1, size - 1, &err))
			return 0;
		for (size_t i = 0; i < count; i++) {
			ecdaa_g1_encode(out, &nyms[i]);
			if (memcmp(out, data + 1 + ECDAA_G1_LEN * i, ECDAA_G1_LEN) != 0)
				abort();
		}
	}
	return 0;
}
