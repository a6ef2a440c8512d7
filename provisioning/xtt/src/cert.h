/* cert.h: XTT root certificates (root_id | root_pub, 81 bytes) and server certificates
 * (reserved[24] | root_id[16] | server_pub[65] | root_sig[64], 169 bytes, root_sig =
 * ECDSA-SHA256 by the root key over the first 105 bytes). */
#ifndef SR6_XTT_CERT_H
#define SR6_XTT_CERT_H

#include <stdint.h>

#include <openssl/evp.h>

#include "provisioning/xtt/include/xtt.h"
#include "provisioning/xtt/src/util.h"

#define CERT_RESERVED_OFF  0
#define CERT_ROOT_ID_OFF   24
#define CERT_PUB_OFF       40
#define CERT_SIG_OFF       105

/* What xtt's tool writes into `reserved` (legacy server id and expiry); never interpreted. */
#define CERT_RESERVED_DEFAULT "XAPTUMSERVER000199991231"

void root_cert_encode(uint8_t out[XTT_ROOT_CERT_LEN], const struct xtt_root_cert *root);
/* Checks that the public key is a P-256 point. */
int root_cert_decode(struct xtt_root_cert *root, const uint8_t *buf, size_t len, struct xerr *e);

int server_cert_build(uint8_t out[XTT_SERVER_CERT_LEN],
		      const uint8_t reserved[XTT_SERVER_CERT_RESERVED_LEN],
		      const struct xtt_root_cert *root, EVP_PKEY *root_key,
		      const uint8_t server_pub[XTT_ECDSA_PUB_LEN]);
/* The root id the certificate claims (pointer into cert). */
const uint8_t *server_cert_root_id(const uint8_t cert[XTT_SERVER_CERT_LEN]);
const uint8_t *server_cert_pub(const uint8_t cert[XTT_SERVER_CERT_LEN]);
/* Root id matches and root_sig verifies under root's key. */
int server_cert_check(const uint8_t cert[XTT_SERVER_CERT_LEN], const struct xtt_root_cert *root,
		      struct xerr *e);
/* The private key belongs to the certificate's public key. */
int server_cert_matches_key(const uint8_t cert[XTT_SERVER_CERT_LEN], EVP_PKEY *key);

#endif
