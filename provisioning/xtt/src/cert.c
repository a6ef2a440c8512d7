/* cert.c: XTT root and server certificates. */
#include "provisioning/xtt/src/cert.h"

#include <string.h>

#include "provisioning/xtt/src/ecdsa.h"

void root_cert_encode(uint8_t out[XTT_ROOT_CERT_LEN], const struct xtt_root_cert *root)
{
	memcpy(out, root->id, XTT_ROOT_ID_LEN);
	memcpy(out + XTT_ROOT_ID_LEN, root->pub, XTT_ECDSA_PUB_LEN);
}

int root_cert_decode(struct xtt_root_cert *root, const uint8_t *buf, size_t len, struct xerr *e)
{
	EVP_PKEY *key;

	if (len != XTT_ROOT_CERT_LEN)
		return xerr_set(e, XTT_E_ARGUMENT, "root certificate: %zu bytes, expected %d", len,
				XTT_ROOT_CERT_LEN);
	if (ecdsa_public_decode(&key, buf + XTT_ROOT_ID_LEN) < 0)
		return xerr_set(e, XTT_E_ARGUMENT,
				"root certificate: field root_pub (offset %d) is not a P-256 point",
				XTT_ROOT_ID_LEN);
	EVP_PKEY_free(key);
	memcpy(root->id, buf, XTT_ROOT_ID_LEN);
	memcpy(root->pub, buf + XTT_ROOT_ID_LEN, XTT_ECDSA_PUB_LEN);
	return 0;
}

int server_cert_build(uint8_t out[XTT_SERVER_CERT_LEN],
		      const uint8_t reserved[XTT_SERVER_CERT_RESERVED_LEN],
		      const struct xtt_root_cert *root, EVP_PKEY *root_key,
		      const uint8_t server_pub[XTT_ECDSA_PUB_LEN])
{
	uint8_t root_pub[XTT_ECDSA_PUB_LEN];

	/* Signing with a key that is not the root's would produce a certificate no client accepts. */
	if (ecdsa_public(root_pub, root_key) < 0 || memcmp(root_pub, root->pub, XTT_ECDSA_PUB_LEN))
		return -1;
	memcpy(out + CERT_RESERVED_OFF, reserved, XTT_SERVER_CERT_RESERVED_LEN);
	memcpy(out + CERT_ROOT_ID_OFF, root->id, XTT_ROOT_ID_LEN);
	memcpy(out + CERT_PUB_OFF, server_pub, XTT_ECDSA_PUB_LEN);
	return ecdsa_sign(out + CERT_SIG_OFF, root_key, out, XTT_SERVER_CERT_SIGNED_LEN);
}

const uint8_t *server_cert_root_id(const uint8_t cert[XTT_SERVER_CERT_LEN])
{
	return cert + CERT_ROOT_ID_OFF;
}

const uint8_t *server_cert_pub(const uint8_t cert[XTT_SERVER_CERT_LEN])
{
	return cert + CERT_PUB_OFF;
}

int server_cert_check(const uint8_t cert[XTT_SERVER_CERT_LEN], const struct xtt_root_cert *root,
		      struct xerr *e)
{
	if (memcmp(cert + CERT_ROOT_ID_OFF, root->id, XTT_ROOT_ID_LEN))
		return xerr_set(e, XTT_E_UNKNOWN_ROOT,
				"server certificate: field root_id (offset %d) names another root",
				CERT_ROOT_ID_OFF);
	if (ecdsa_verify(root->pub, cert + CERT_SIG_OFF, cert, XTT_SERVER_CERT_SIGNED_LEN) < 0)
		return xerr_set(e, XTT_E_SERVER_CERT,
				"server certificate: field root_sig (offset %d) does not verify under the root key",
				CERT_SIG_OFF);
	return 0;
}

int server_cert_matches_key(const uint8_t cert[XTT_SERVER_CERT_LEN], EVP_PKEY *key)
{
	uint8_t pub[XTT_ECDSA_PUB_LEN];

	if (ecdsa_public(pub, key) < 0)
		return -1;
	return memcmp(pub, cert + CERT_PUB_OFF, XTT_ECDSA_PUB_LEN) ? -1 : 0;
}
