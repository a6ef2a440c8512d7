/* Fuzz ecdaa_credential_signature_decode. */
#include "provisioning/ecdaa/fuzz/fuzz.h"

FUZZ_ROUND_TRIP(struct ecdaa_credential_signature, ecdaa_credential_signature_decode, ecdaa_credential_signature_encode, ECDAA_CREDENTIAL_SIGNATURE_LEN)
