/* Fuzz target: every message codec and certificate decoder on arbitrary bytes.  The first
 * byte picks the parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t types[] = { WIRE_CLIENT_INIT, WIRE_SERVER_INIT_AND_ATTEST,
					 WIRE_ID_CLIENT_ATTEST, WIRE_ID_SERVER_FINISHED, WIRE_ERROR };
	struct xerr e;
	uint8_t cookie[XTT_COOKIE_LEN];
	uint16_t suite;

	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	switch (sel % 10) {
	case 0:
		if (size >= WIRE_HEADER_LEN)
			wire_header_check(data, types[(sel / 10) % 5], &e);
		break;
	case 1: {
		struct wire_client_init m;

		if (wire_client_init_parse(&m, data, size, &e) == 0 && size != WIRE_CI_LEN)
			__builtin_trap();
		break;
	}
	case 2: {
		struct wire_siaa_ad m;

		wire_siaa_ad_parse(&m, data, size, &e);
		break;
	}
	case 3: {
		struct wire_siaa_pt m;

		wire_siaa_pt_parse(&m, data, size, &e);
		break;
	}
	case 4:
		wire_ca_ad_parse(&suite, cookie, data, size, &e);
		break;
	case 5: {
		struct wire_ca_pt m;

		wire_ca_pt_parse(&m, data, size, &e);
		break;
	}
	case 6:
		wire_sf_ad_parse(&suite, data, size, &e);
		break;
	case 7: {
		struct wire_sf_pt m;

		wire_sf_pt_parse(&m, data, size, &e);
		break;
	}
	case 8: {
		struct xtt_root_cert root;

		if (root_cert_decode(&root, data, size, &e) == 0 && size == XTT_ROOT_CERT_LEN) {
			uint8_t cert[XTT_SERVER_CERT_LEN] = { 0 };

			memcpy(cert + CERT_ROOT_ID_OFF, root.id, XTT_ROOT_ID_LEN);
			server_cert_check(cert, &root, &e);
		}
		break;
	}
	default: {
		EVP_PKEY *key;

		if (ecdsa_key_decode(&key, data, size) == 0)
			EVP_PKEY_free(key);
		break;
	}
	}
	return 0;
}
