/* Fuzz ecdaa_group_public_key_decode. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

FUZZ_ROUND_TRIP(struct ecdaa_group_public_key, ecdaa_group_public_key_decode, ecdaa_group_public_key_encode, ECDAA_GROUP_PUBLIC_KEY_LEN)
