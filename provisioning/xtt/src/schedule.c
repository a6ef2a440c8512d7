/* schedule.c: key schedule and transcript hashes of XTT v1 (xtt v0.12 on the wire). */
#include "provisioning/xtt/src/schedule.h"

#include <string.h>

#include <sodium.h>

static const char label_client_key[] = "XTT handshake client key";
static const char label_client_iv[] = "XTT handshake client iv";
static const char label_server_key[] = "XTT handshake server key";
static const char label_server_iv[] = "XTT handshake server iv";

/* prf(hs_secret, HKH || label, n) */
static int derive_one(enum xtt_suite suite, uint8_t *out, size_t n, const struct xtt_keys *k,
		      const char *label)
{
	uint8_t in[SUITE_HASH_LEN + 32];
	size_t llen = strlen(label);

	memcpy(in, k->hkh, SUITE_HASH_LEN);
	memcpy(in + SUITE_HASH_LEN, label, llen);
	return suite_prf(suite, out, n, k->hs_secret, SUITE_HASH_LEN, in, SUITE_HASH_LEN + llen);
}

int schedule_derive(struct xtt_keys *k, enum xtt_suite suite,
		    const uint8_t client_init[WIRE_CI_LEN],
		    const uint8_t siaa_ad[WIRE_SIAA_AD_LEN],
		    const uint8_t shared[X25519_LEN])
{
	uint8_t buf[WIRE_CI_LEN + WIRE_SIAA_KEYED_LEN];
	uint8_t buf2[SUITE_HASH_LEN + XTT_COOKIE_LEN];
	static const uint8_t zero_key[SUITE_HASH_LEN];
	int rc = 0;

	memcpy(buf, client_init, WIRE_CI_LEN);
	memcpy(buf + WIRE_CI_LEN, siaa_ad, WIRE_SIAA_KEYED_LEN);
	rc |= suite_hash_ext(suite, k->inner, buf, sizeof(buf));
	memcpy(buf2, k->inner, SUITE_HASH_LEN);
	memcpy(buf2 + SUITE_HASH_LEN, siaa_ad + WIRE_SIAA_KEYED_LEN, XTT_COOKIE_LEN);
	rc |= suite_hash_ext(suite, k->hkh, buf2, sizeof(buf2));
	rc |= suite_prf(suite, k->hs_secret, SUITE_HASH_LEN, zero_key, sizeof(zero_key),
			shared, X25519_LEN);
	rc |= derive_one(suite, k->client_key, SUITE_KEY_LEN, k, label_client_key);
	rc |= derive_one(suite, k->client_iv, SUITE_IV_LEN, k, label_client_iv);
	rc |= derive_one(suite, k->server_key, SUITE_KEY_LEN, k, label_server_key);
	rc |= derive_one(suite, k->server_iv, SUITE_IV_LEN, k, label_server_iv);
	return rc ? -1 : 0;
}

int schedule_server_sig_hash(uint8_t out[SUITE_HASH_LEN], enum xtt_suite suite,
			     const uint8_t client_init[WIRE_CI_LEN],
			     const uint8_t siaa_ad[WIRE_SIAA_AD_LEN],
			     const uint8_t cert[XTT_SERVER_CERT_LEN])
{
	uint8_t buf[WIRE_CI_LEN + WIRE_SIAA_AD_LEN + XTT_SERVER_CERT_LEN];

	memcpy(buf, client_init, WIRE_CI_LEN);
	memcpy(buf + WIRE_CI_LEN, siaa_ad, WIRE_SIAA_AD_LEN);
	memcpy(buf + WIRE_CI_LEN + WIRE_SIAA_AD_LEN, cert, XTT_SERVER_CERT_LEN);
	return suite_hash_ext(suite, out, buf, sizeof(buf));
}

static void append(uint8_t *buf, size_t *pos, const uint8_t *data, size_t len)
{
	memcpy(buf + *pos, data, len);
	*pos += len;
}

int schedule_client_sig_hash(uint8_t out[SUITE_HASH_LEN], enum xtt_suite suite,
			     enum xtt_transcript transcript, enum client_sig which,
			     const uint8_t inner[SUITE_HASH_LEN],
			     const uint8_t cookie[XTT_COOKIE_LEN],
			     const uint8_t cert[XTT_SERVER_CERT_LEN],
			     const uint8_t sig_s[XTT_ECDSA_SIG_LEN],
			     const uint8_t ca_signed[WIRE_CA_SIGNED_LEN],
			     const uint8_t longterm_sig[XTT_ECDSA_SIG_LEN])
{
	uint8_t buf[2 + SUITE_HASH_LEN + XTT_COOKIE_LEN + XTT_SERVER_CERT_LEN + XTT_ECDSA_SIG_LEN +
		    WIRE_CA_SIGNED_LEN + XTT_ECDSA_SIG_LEN];
	int compat = transcript == XTT_TRANSCRIPT_XTT_0_12;
	size_t pos = 0, cookie_len = XTT_COOKIE_LEN, body = WIRE_CA_SIGNED_LEN;
	int rc;

	if (compat) {
		/* xtt v0.12 counts the cookie as 1 byte and advances by 1 after copying it, so
		 * what follows overwrites all but its first byte, and the length prefix
		 * (64 + 1 + 249 [+ 64]) cuts the buffer after 16 (80) bytes of the body. */
		uint16_t declared = SUITE_HASH_LEN + 1 + WIRE_CA_SIGNED_LEN +
				    (which == CLIENT_SIG_GROUP ? XTT_ECDSA_SIG_LEN : 0);

		be16_put(buf, declared);
		pos = 2;
		cookie_len = 1;
		body = (size_t)declared - SUITE_HASH_LEN - 1 - XTT_SERVER_CERT_LEN - XTT_ECDSA_SIG_LEN;
	}
	append(buf, &pos, inner, SUITE_HASH_LEN);
	append(buf, &pos, cookie, cookie_len);
	append(buf, &pos, cert, XTT_SERVER_CERT_LEN);
	append(buf, &pos, sig_s, XTT_ECDSA_SIG_LEN);
	append(buf, &pos, ca_signed, body);
	if (!compat && which == CLIENT_SIG_GROUP)
		append(buf, &pos, longterm_sig, XTT_ECDSA_SIG_LEN);
	/* the variant's own length prefix is in buf; the full one gets hash_ext's */
	rc = compat ? suite_hash(suite, out, buf, pos) : suite_hash_ext(suite, out, buf, pos);
	sodium_memzero(buf, sizeof(buf));
	return rc;
}
