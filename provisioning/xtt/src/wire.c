/* wire.c: XTT message layouts.  Every check names the message, the field and its offset. */
#include "provisioning/xtt/src/wire.h"

#include <string.h>

const char *wire_type_name(uint8_t type)
{
	switch (type) {
	case WIRE_CLIENT_INIT: return "ClientInit";
	case WIRE_SERVER_INIT_AND_ATTEST: return "ServerInitAndAttest";
	case WIRE_ID_CLIENT_ATTEST: return "Identity_ClientAttest";
	case WIRE_ID_SERVER_FINISHED: return "Identity_ServerFinished";
	case WIRE_ERROR: return "Error";
	default: return "unknown";
	}
}

size_t wire_message_len(uint8_t type)
{
	switch (type) {
	case WIRE_CLIENT_INIT: return WIRE_CI_LEN;
	case WIRE_SERVER_INIT_AND_ATTEST: return WIRE_SIAA_LEN;
	case WIRE_ID_CLIENT_ATTEST: return WIRE_CA_LEN;
	case WIRE_ID_SERVER_FINISHED: return WIRE_SF_LEN;
	case WIRE_ERROR: return WIRE_ERROR_LEN;
	default: return 0;
	}
}

int wire_header_check(const uint8_t hdr[WIRE_HEADER_LEN], uint8_t want_type, struct xerr *e)
{
	uint8_t type = hdr[0];
	uint16_t len = be16_get(hdr + 1);
	size_t want_len;

	if (type != want_type && type != WIRE_ERROR)
		return xerr_set(e, XTT_E_TYPE, "%s expected: field type (offset 0) is 0x%02x (%s)",
				wire_type_name(want_type), type, wire_type_name(type));
	want_len = wire_message_len(type);
	if (len != want_len)
		return xerr_set(e, XTT_E_LENGTH, "%s: field length (offset 1) is %u, expected %zu",
				wire_type_name(type), len, want_len);
	if (hdr[3] != XTT_VERSION)
		return xerr_set(e, XTT_E_VERSION, "%s: field version (offset 3) is %u, expected %u",
				wire_type_name(type), hdr[3], XTT_VERSION);
	return type == WIRE_ERROR ? 1 : 0;
}

void wire_header_put(uint8_t *out, uint8_t type)
{
	out[0] = type;
	be16_put(out + 1, (uint16_t)wire_message_len(type));
	out[3] = XTT_VERSION;
}

void wire_error_build(uint8_t out[WIRE_ERROR_LEN])
{
	wire_header_put(out, WIRE_ERROR);
}

uint16_t wire_suite_get(const uint8_t *msg)
{
	return be16_get(msg + WIRE_HEADER_LEN);
}

/* Whole-message parsers first check that buf is exactly the expected message. */
static int whole(const uint8_t *buf, size_t len, uint8_t type, size_t want, struct xerr *e)
{
	int rc;

	if (len < WIRE_HEADER_LEN)
		return xerr_set(e, XTT_E_LENGTH, "%s: %zu bytes, shorter than the header",
				wire_type_name(type), len);
	rc = wire_header_check(buf, type, e);
	if (rc > 0)
		return xerr_set(e, XTT_E_TYPE, "%s expected: got an Error message", wire_type_name(type));
	if (rc < 0)
		return -1;
	if (len != want)
		return xerr_set(e, XTT_E_LENGTH, "%s: %zu bytes received, length field says %zu",
				wire_type_name(type), len, want);
	return 0;
}

void wire_client_init_build(uint8_t out[WIRE_CI_LEN], const struct wire_client_init *m)
{
	wire_header_put(out, WIRE_CLIENT_INIT);
	be16_put(out + 4, m->suite);
	memcpy(out + 6, m->nonce, WIRE_NONCE_LEN);
	memcpy(out + 38, m->dh_pub, WIRE_DH_LEN);
}

int wire_client_init_parse(struct wire_client_init *m, const uint8_t *buf, size_t len,
			   struct xerr *e)
{
	if (whole(buf, len, WIRE_CLIENT_INIT, WIRE_CI_LEN, e) < 0)
		return -1;
	m->suite = be16_get(buf + 4);
	memcpy(m->nonce, buf + 6, WIRE_NONCE_LEN);
	memcpy(m->dh_pub, buf + 38, WIRE_DH_LEN);
	return 0;
}

void wire_siaa_ad_build(uint8_t out[WIRE_SIAA_AD_LEN], const struct wire_siaa_ad *m)
{
	wire_header_put(out, WIRE_SERVER_INIT_AND_ATTEST);
	be16_put(out + 4, m->suite);
	memcpy(out + 6, m->dh_pub, WIRE_DH_LEN);
	memcpy(out + 38, m->cookie, XTT_COOKIE_LEN);
}

int wire_siaa_ad_parse(struct wire_siaa_ad *m, const uint8_t *buf, size_t len, struct xerr *e)
{
	if (whole(buf, len, WIRE_SERVER_INIT_AND_ATTEST, WIRE_SIAA_LEN, e) < 0)
		return -1;
	m->suite = be16_get(buf + 4);
	memcpy(m->dh_pub, buf + 6, WIRE_DH_LEN);
	memcpy(m->cookie, buf + 38, XTT_COOKIE_LEN);
	return 0;
}

void wire_siaa_pt_build(uint8_t out[WIRE_SIAA_PT_LEN], const struct wire_siaa_pt *m)
{
	memcpy(out, m->cert, XTT_SERVER_CERT_LEN);
	memcpy(out + XTT_SERVER_CERT_LEN, m->sig, XTT_ECDSA_SIG_LEN);
}

int wire_siaa_pt_parse(struct wire_siaa_pt *m, const uint8_t *buf, size_t len, struct xerr *e)
{
	if (len != WIRE_SIAA_PT_LEN)
		return xerr_set(e, XTT_E_LENGTH, "ServerInitAndAttest: plaintext is %zu bytes, expected %d",
				len, WIRE_SIAA_PT_LEN);
	memcpy(m->cert, buf, XTT_SERVER_CERT_LEN);
	memcpy(m->sig, buf + XTT_SERVER_CERT_LEN, XTT_ECDSA_SIG_LEN);
	return 0;
}

void wire_ca_ad_build(uint8_t out[WIRE_CA_AD_LEN], uint16_t suite,
		      const uint8_t cookie[XTT_COOKIE_LEN])
{
	wire_header_put(out, WIRE_ID_CLIENT_ATTEST);
	be16_put(out + 4, suite);
	memcpy(out + 6, cookie, XTT_COOKIE_LEN);
}

int wire_ca_ad_parse(uint16_t *suite, uint8_t cookie[XTT_COOKIE_LEN], const uint8_t *buf,
		     size_t len, struct xerr *e)
{
	if (whole(buf, len, WIRE_ID_CLIENT_ATTEST, WIRE_CA_LEN, e) < 0)
		return -1;
	*suite = be16_get(buf + 4);
	memcpy(cookie, buf + 6, XTT_COOKIE_LEN);
	return 0;
}

void wire_ca_pt_build(uint8_t out[WIRE_CA_PT_LEN], const struct wire_ca_pt *m)
{
	memcpy(out + WIRE_CA_PT_PUB, m->longterm_pub, XTT_ECDSA_PUB_LEN);
	memcpy(out + WIRE_CA_PT_GID, m->gid, XTT_GID_LEN);
	memcpy(out + WIRE_CA_PT_ID, m->id, XTT_ID_LEN);
	memcpy(out + WIRE_CA_PT_LTSIG, m->longterm_sig, XTT_ECDSA_SIG_LEN);
	memcpy(out + WIRE_CA_PT_DAASIG, m->daa_sig, XTT_GROUP_SIG_LEN);
}

int wire_ca_pt_parse(struct wire_ca_pt *m, const uint8_t *buf, size_t len, struct xerr *e)
{
	if (len != WIRE_CA_PT_LEN)
		return xerr_set(e, XTT_E_LENGTH, "Identity_ClientAttest: plaintext is %zu bytes, expected %d",
				len, WIRE_CA_PT_LEN);
	if (buf[WIRE_CA_PT_PUB] != 0x04)
		return xerr_set(e, XTT_E_LONGTERM_KEY,
				"Identity_ClientAttest: field longterm_pub (offset %d) does not start with 0x04",
				WIRE_CA_AD_LEN + WIRE_CA_PT_PUB);
	memcpy(m->longterm_pub, buf + WIRE_CA_PT_PUB, XTT_ECDSA_PUB_LEN);
	memcpy(m->gid, buf + WIRE_CA_PT_GID, XTT_GID_LEN);
	memcpy(m->id, buf + WIRE_CA_PT_ID, XTT_ID_LEN);
	memcpy(m->longterm_sig, buf + WIRE_CA_PT_LTSIG, XTT_ECDSA_SIG_LEN);
	memcpy(m->daa_sig, buf + WIRE_CA_PT_DAASIG, XTT_GROUP_SIG_LEN);
	return 0;
}

void wire_sf_ad_build(uint8_t out[WIRE_SF_AD_LEN], uint16_t suite)
{
	wire_header_put(out, WIRE_ID_SERVER_FINISHED);
	be16_put(out + 4, suite);
}

int wire_sf_ad_parse(uint16_t *suite, const uint8_t *buf, size_t len, struct xerr *e)
{
	if (whole(buf, len, WIRE_ID_SERVER_FINISHED, WIRE_SF_LEN, e) < 0)
		return -1;
	*suite = be16_get(buf + 4);
	return 0;
}

void wire_sf_pt_build(uint8_t out[WIRE_SF_PT_LEN], const struct wire_sf_pt *m)
{
	memcpy(out, m->id, XTT_ID_LEN);
	memcpy(out + XTT_ID_LEN, m->longterm_pub, XTT_ECDSA_PUB_LEN);
}

int wire_sf_pt_parse(struct wire_sf_pt *m, const uint8_t *buf, size_t len, struct xerr *e)
{
	if (len != WIRE_SF_PT_LEN)
		return xerr_set(e, XTT_E_LENGTH, "Identity_ServerFinished: plaintext is %zu bytes, expected %d",
				len, WIRE_SF_PT_LEN);
	memcpy(m->id, buf, XTT_ID_LEN);
	memcpy(m->longterm_pub, buf + XTT_ID_LEN, XTT_ECDSA_PUB_LEN);
	return 0;
}
