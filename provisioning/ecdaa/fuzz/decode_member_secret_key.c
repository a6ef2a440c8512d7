/* Fuzz ecdaa_member_secret_key_decode. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

FUZZ_ROUND_TRIP(struct ecdaa_member_secret_key, ecdaa_member_secret_key_decode, ecdaa_member_secret_key_encode, ECDAA_MEMBER_SECRET_KEY_LEN)
