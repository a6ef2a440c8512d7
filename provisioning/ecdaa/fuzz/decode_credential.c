/* Fuzz ecdaa_credential_decode. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

FUZZ_ROUND_TRIP(struct ecdaa_credential, ecdaa_credential_decode, ecdaa_credential_encode, ECDAA_CREDENTIAL_LEN)
