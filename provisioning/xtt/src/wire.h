/* wire.h: XTT version 1 message layouts (as xtt v0.12 puts them on the wire) and their
 * plaintext codecs.  Encryption is the caller's: these functions only place and check bytes. */
#ifndef SR6_XTT_WIRE_H
#define SR6_XTT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/xtt/src/util.h"

enum wire_type {
	WIRE_CLIENT_INIT = 0x01,
	WIRE_SERVER_INIT_AND_ATTEST = 0x02,
	WIRE_ID_CLIENT_ATTEST = 0x11,
	WIRE_ID_SERVER_FINISHED = 0x13,
	WIRE_ERROR = 0x41,
};

#define WIRE_HEADER_LEN   4      /* type u8 | length u16 BE (whole message) | version u8 */
#define WIRE_TAG_LEN      16
#define WIRE_NONCE_LEN    32
#define WIRE_DH_LEN       32

#define WIRE_CI_LEN       70     /* header | suite | nonce_c | dh_pub_c */
#define WIRE_SIAA_LEN     417
#define WIRE_SIAA_AD_LEN  168    /* header | suite | dh_pub_s | cookie */
#define WIRE_SIAA_KEYED_LEN 38   /* header | suite | dh_pub_s: what the inner hash covers */
#define WIRE_SIAA_PT_LEN  233    /* certificate | signature_s */
#define WIRE_CA_LEN       750
#define WIRE_CA_AD_LEN    136    /* header | suite | cookie echo */
#define WIRE_CA_PT_LEN    598    /* longterm_pub | gid | id | longterm_sig | daa_sig */
#define WIRE_CA_SIGNED_LEN 249   /* AD | longterm_pub | gid | id: the body before the signatures */
#define WIRE_SF_LEN       103
#define WIRE_SF_AD_LEN    6      /* header | suite */
#define WIRE_SF_PT_LEN    81     /* id | longterm_pub echo */
#define WIRE_ERROR_LEN    4

/* Offsets inside the plaintext of Identity_ClientAttest. */
#define WIRE_CA_PT_PUB    0
#define WIRE_CA_PT_GID    65
#define WIRE_CA_PT_ID     97
#define WIRE_CA_PT_LTSIG  113
#define WIRE_CA_PT_DAASIG 177

const char *wire_type_name(uint8_t type);
/* Total length of the message of this type, 0 for an unknown type. */
size_t wire_message_len(uint8_t type);

/* Checks a received 4-byte header against the message expected next.  Returns 0 when it is
 * that message, 1 when it is a well-formed Error message, -1 otherwise (e says which field). */
int wire_header_check(const uint8_t hdr[WIRE_HEADER_LEN], uint8_t want_type, struct xerr *e);

void wire_header_put(uint8_t *out, uint8_t type);
void wire_error_build(uint8_t out[WIRE_ERROR_LEN]);

struct wire_client_init {
	uint16_t suite;
	uint8_t nonce[WIRE_NONCE_LEN];
	uint8_t dh_pub[WIRE_DH_LEN];
};
void wire_client_init_build(uint8_t out[WIRE_CI_LEN], const struct wire_client_init *m);
/* buf must be a whole message (header included); the suite is returned, not judged. */
int wire_client_init_parse(struct wire_client_init *m, const uint8_t *buf, size_t len,
			   struct xerr *e);

/* Prefix of a message after the header: the suite (all encrypted messages carry it). */
uint16_t wire_suite_get(const uint8_t *msg);

struct wire_siaa_ad {
	uint16_t suite;
	uint8_t dh_pub[WIRE_DH_LEN];
	uint8_t cookie[XTT_COOKIE_LEN];
};
void wire_siaa_ad_build(uint8_t out[WIRE_SIAA_AD_LEN], const struct wire_siaa_ad *m);
int wire_siaa_ad_parse(struct wire_siaa_ad *m, const uint8_t *buf, size_t len, struct xerr *e);

struct wire_siaa_pt {
	uint8_t cert[XTT_SERVER_CERT_LEN];
	uint8_t sig[XTT_ECDSA_SIG_LEN];
};
void wire_siaa_pt_build(uint8_t out[WIRE_SIAA_PT_LEN], const struct wire_siaa_pt *m);
int wire_siaa_pt_parse(struct wire_siaa_pt *m, const uint8_t *buf, size_t len, struct xerr *e);

void wire_ca_ad_build(uint8_t out[WIRE_CA_AD_LEN], uint16_t suite,
		      const uint8_t cookie[XTT_COOKIE_LEN]);
/* Checks the header and returns the suite and the echoed cookie. */
int wire_ca_ad_parse(uint16_t *suite, uint8_t cookie[XTT_COOKIE_LEN], const uint8_t *buf,
		     size_t len, struct xerr *e);

struct wire_ca_pt {
	uint8_t longterm_pub[XTT_ECDSA_PUB_LEN];
	uint8_t gid[XTT_GID_LEN];
	uint8_t id[XTT_ID_LEN];
	uint8_t longterm_sig[XTT_ECDSA_SIG_LEN];
	uint8_t daa_sig[XTT_GROUP_SIG_LEN];
};
void wire_ca_pt_build(uint8_t out[WIRE_CA_PT_LEN], const struct wire_ca_pt *m);
int wire_ca_pt_parse(struct wire_ca_pt *m, const uint8_t *buf, size_t len, struct xerr *e);

void wire_sf_ad_build(uint8_t out[WIRE_SF_AD_LEN], uint16_t suite);
int wire_sf_ad_parse(uint16_t *suite, const uint8_t *buf, size_t len, struct xerr *e);

struct wire_sf_pt {
	uint8_t id[XTT_ID_LEN];
	uint8_t longterm_pub[XTT_ECDSA_PUB_LEN];
};
void wire_sf_pt_build(uint8_t out[WIRE_SF_PT_LEN], const struct wire_sf_pt *m);
int wire_sf_pt_parse(struct wire_sf_pt *m, const uint8_t *buf, size_t len, struct xerr *e);

#endif
