/* Fuzz ecdaa_signature_decode and, for what decodes, ecdaa_signature_verify against a fixed
 * group (the corpus holds valid signatures of "fuzz message" under it, with the basename
 * "fuzz basename" for the 421-byte ones). */
#include "provisioning/ecdaa/fuzz/fuzz.h"

static const char GPK_HEX[] =
	"0428cf1a8388c061596872938479980f6cde5a537240203e809ca96b6a07a323"
	"51e39b3d2947d2d1379fea52c8e361fe8ed3599f80f3aaac8533e14cde17b72c"
	"1dd6dd1a7f17ba73dedd968fe75c5feb284d5969a0344b22c637a808edd963cb"
	"dca498f7c835b74cf3642477cec0c6db86168edc63ee72508dcd0c7e9f831f84"
	"49048dce93719ed7a603249f1069b17c30378bf19d4bb801f267a174f70c783f"
	"c5f9b90266a3fd2c13909b39546f917993826f5a80c34da7a4c137ba240bad35"
	"d3851c3d3b08bd3d82a489ca1de60a56f4d1bc446100480a44464e7286cfde90"
	"0eae8d1c05226274838660569b0a16b92e638ec4add4c34760115648b246269d"
	"24ee"	;

static const uint8_t MSG[] = "fuzz message";
static const uint8_t BSN[] = "fuzz basename";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ecdaa_group_public_key gpk;
	static int ready;
	struct ecdaa_signature sig;
	struct ecdaa_error err;
	uint8_t out[ECDAA_SIGNATURE_WITH_NYM_LEN];

	if (!ready) {
		uint8_t raw[ECDAA_GROUP_PUBLIC_KEY_LEN];

		for (size_t i = 0; i < sizeof(raw); i++) {
			unsigned int hi = (unsigned char)GPK_HEX[2 * i], lo = (unsigned char)GPK_HEX[2 * i + 1];
			raw[i] = (uint8_t)(((hi <= '9' ? hi - '0' : hi - 'a' + 10) << 4) |
					   (lo <= '9' ? lo - '0' : lo - 'a' + 10));
		}
		if (ecdaa_group_public_key_decode(&gpk, raw, sizeof(raw), &err))
			abort();
		ready = 1;
	}
	if (ecdaa_signature_decode(&sig, data, size, &err))
		return 0;
	if (ecdaa_signature_encode(out, &sig) != size || memcmp(out, data, size) != 0)
		abort();
	/* size - 1: the C string without its NUL, as the corpus signed it */
	if (sig.has_nym)
		ecdaa_signature_verify(&sig, &gpk, NULL, MSG, sizeof(MSG) - 1, BSN, sizeof(BSN) - 1,
				       &err);
	else
		ecdaa_signature_verify(&sig, &gpk, NULL, MSG, sizeof(MSG) - 1, NULL, 0, &err);
	return 0;
}
