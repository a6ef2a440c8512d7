/* Fuzz ecdaa_issuer_public_key_decode. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

FUZZ_ROUND_TRIP(struct ecdaa_issuer_public_key, ecdaa_issuer_public_key_decode, ecdaa_issuer_public_key_encode, ECDAA_ISSUER_PUBLIC_KEY_LEN)
