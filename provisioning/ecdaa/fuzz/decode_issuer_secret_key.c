/* Fuzz ecdaa_issuer_secret_key_decode. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

FUZZ_ROUND_TRIP(struct ecdaa_issuer_secret_key, ecdaa_issuer_secret_key_decode, ecdaa_issuer_secret_key_encode, ECDAA_ISSUER_SECRET_KEY_LEN)
