/* Fuzz ecdaa_member_public_key_decode and the join proof check (nonce "fuzz nonce"). */
#include "provisioning/ecdaa/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t nonce[] = "fuzz nonce";
	struct ecdaa_member_public_key pk;
	struct ecdaa_error err;
	uint8_t out[ECDAA_MEMBER_PUBLIC_KEY_LEN];

	if (ecdaa_member_public_key_decode(&pk, data, size, &err))
		return 0;
	ecdaa_member_public_key_encode(out, &pk);
	if (size != sizeof(out) || memcmp(out, data, size) != 0)
		abort();
	ecdaa_member_public_key_validate(&pk, nonce, sizeof(nonce) - 1, &err);
	return 0;
}
