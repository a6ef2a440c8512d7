/* suite.c: XTT suite primitives on libsodium (hashes, HMAC, AEADs, X25519, randomness) and
 * OpenSSL's BLAKE2BMAC for the BLAKE2b prf: libsodium's keyed BLAKE2b refuses outputs under
 * 16 bytes and the 12-byte IVs need one (the digest length is a BLAKE2b parameter, so a
 * truncated 16-byte output would be a different value). */
#include "provisioning/xtt/src/suite.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

static EVP_MAC *blake2b_mac;
static int init_result = -1;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void do_init(void)
{
	if (sodium_init() < 0)
		return;
	blake2b_mac = EVP_MAC_fetch(NULL, "BLAKE2BMAC", NULL);
	if (!blake2b_mac)
		return;
	init_result = 0;
}

int suite_init(void)
{
	pthread_once(&init_once, do_init);
	return init_result;
}

int suite_known(unsigned suite)
{
	return suite >= 1 && suite <= 4;
}

int suite_uses_blake2b(enum xtt_suite suite)
{
	return suite == XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B ||
	       suite == XTT_X25519_LRSW_ECDSAP256_AES256GCM_BLAKE2B;
}

int suite_uses_aesgcm(enum xtt_suite suite)
{
	return suite == XTT_X25519_LRSW_ECDSAP256_AES256GCM_SHA512 ||
	       suite == XTT_X25519_LRSW_ECDSAP256_AES256GCM_BLAKE2B;
}

int suite_hash(enum xtt_suite suite, uint8_t out[SUITE_HASH_LEN], const uint8_t *in, size_t len)
{
	if (suite_init() < 0)
		return -1;
	if (suite_uses_blake2b(suite))
		return crypto_generichash(out, SUITE_HASH_LEN, in, len, NULL, 0);
	return crypto_hash_sha512(out, in, len);
}

int suite_hash_ext(enum xtt_suite suite, uint8_t out[SUITE_HASH_LEN], const uint8_t *in, size_t len)
{
	uint8_t prefix[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	if (len > 0xffff || suite_init() < 0)
		return -1;
	if (suite_uses_blake2b(suite)) {
		crypto_generichash_state st;

		if (crypto_generichash_init(&st, NULL, 0, SUITE_HASH_LEN) < 0 ||
		    crypto_generichash_update(&st, prefix, 2) < 0 ||
		    crypto_generichash_update(&st, in, len) < 0 ||
		    crypto_generichash_final(&st, out, SUITE_HASH_LEN) < 0)
			return -1;
		return 0;
	}
	crypto_hash_sha512_state st;

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, prefix, 2);
	crypto_hash_sha512_update(&st, in, len);
	crypto_hash_sha512_final(&st, out);
	return 0;
}

static int blake2b_prf(uint8_t *out, size_t n, const uint8_t *key, size_t key_len,
		       const uint8_t *in, size_t in_len)
{
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(blake2b_mac);
	OSSL_PARAM params[2];
	size_t size = n, got = 0;
	int rc = -1;

	if (!ctx)
		return -1;
	params[0] = OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, key_len, params) == 1 &&
	    EVP_MAC_update(ctx, in, in_len) == 1 &&
	    EVP_MAC_final(ctx, out, &got, n) == 1 && got == n)
		rc = 0;
	EVP_MAC_CTX_free(ctx);
	return rc;
}

int suite_prf(enum xtt_suite suite, uint8_t *out, size_t n, const uint8_t *key, size_t key_len,
	      const uint8_t *in, size_t in_len)
{
	if (n == 0 || n > SUITE_HASH_LEN || key_len == 0 || key_len > 64 || suite_init() < 0)
		return -1;
	if (suite_uses_blake2b(suite))
		return blake2b_prf(out, n, key, key_len, in, in_len);

	crypto_auth_hmacsha512_state st;
	uint8_t mac[SUITE_HASH_LEN];

	crypto_auth_hmacsha512_init(&st, key, key_len);
	crypto_auth_hmacsha512_update(&st, in, in_len);
	crypto_auth_hmacsha512_final(&st, mac);
	memcpy(out, mac, n);
	sodium_memzero(mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	return 0;
}

void suite_nonce(uint8_t out[SUITE_IV_LEN], const uint8_t iv[SUITE_IV_LEN], uint32_t seq)
{
	memcpy(out, iv, SUITE_IV_LEN);
	out[8] ^= (uint8_t)(seq >> 24);
	out[9] ^= (uint8_t)(seq >> 16);
	out[10] ^= (uint8_t)(seq >> 8);
	out[11] ^= (uint8_t)seq;
}

int suite_seal(enum xtt_suite suite, uint8_t *out, const uint8_t *pt, size_t len,
	       const uint8_t *ad, size_t ad_len, const uint8_t key[SUITE_KEY_LEN],
	       const uint8_t nonce[SUITE_IV_LEN])
{
	unsigned long long clen;

	if (suite_init() < 0)
		return -1;
	if (suite_uses_aesgcm(suite)) {
		if (!crypto_aead_aes256gcm_is_available())
			return -1;
		return crypto_aead_aes256gcm_encrypt(out, &clen, pt, len, ad, ad_len, NULL, nonce, key);
	}
	return crypto_aead_chacha20poly1305_ietf_encrypt(out, &clen, pt, len, ad, ad_len, NULL,
							 nonce, key);
}

int suite_open(enum xtt_suite suite, uint8_t *out, const uint8_t *in, size_t len,
	       const uint8_t *ad, size_t ad_len, const uint8_t key[SUITE_KEY_LEN],
	       const uint8_t nonce[SUITE_IV_LEN])
{
	unsigned long long plen;

	if (len < SUITE_TAG_LEN || suite_init() < 0)
		return -1;
	if (suite_uses_aesgcm(suite)) {
		if (!crypto_aead_aes256gcm_is_available())
			return -1;
		return crypto_aead_aes256gcm_decrypt(out, &plen, NULL, in, len, ad, ad_len, nonce, key);
	}
	return crypto_aead_chacha20poly1305_ietf_decrypt(out, &plen, NULL, in, len, ad, ad_len,
							 nonce, key);
}

void rng_fill(const struct xtt_rng *rng, uint8_t *buf, size_t len)
{
	if (rng && rng->fill) {
		rng->fill(rng->arg, buf, len);
		return;
	}
	randombytes_buf(buf, len);
}

void x25519_keypair(const struct xtt_rng *rng, uint8_t sk[X25519_LEN], uint8_t pub[X25519_LEN])
{
	rng_fill(rng, sk, X25519_LEN);
	crypto_scalarmult_base(pub, sk);
}

int x25519_shared(uint8_t out[X25519_LEN], const uint8_t sk[X25519_LEN], const uint8_t pub[X25519_LEN])
{
	/* libsodium returns -1 for the all-zero result. */
	return crypto_scalarmult(out, sk, pub) == 0 ? 0 : -1;
}

/* Public suite helpers (xtt.h). */
static const struct {
	enum xtt_suite suite;
	const char *name;
	const char *upstream;
} suite_names[] = {
	{ XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512, "chacha20poly1305-sha512",
	  "X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512" },
	{ XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B, "chacha20poly1305-blake2b",
	  "X25519_LRSW_ECDSAP256_CHACHA20POLY1305_BLAKE2B" },
	{ XTT_X25519_LRSW_ECDSAP256_AES256GCM_SHA512, "aes256gcm-sha512",
	  "X25519_LRSW_ECDSAP256_AES256GCM_SHA512" },
	{ XTT_X25519_LRSW_ECDSAP256_AES256GCM_BLAKE2B, "aes256gcm-blake2b",
	  "X25519_LRSW_ECDSAP256_AES256GCM_BLAKE2B" },
};

const char *xtt_suite_name(enum xtt_suite suite)
{
	for (size_t i = 0; i < sizeof(suite_names) / sizeof(suite_names[0]); i++)
		if (suite_names[i].suite == suite)
			return suite_names[i].name;
	return "unknown";
}

int xtt_suite_from_name(enum xtt_suite *suite, const char *name)
{
	for (size_t i = 0; i < sizeof(suite_names) / sizeof(suite_names[0]); i++)
		if (!strcasecmp(name, suite_names[i].name) || !strcasecmp(name, suite_names[i].upstream)) {
			*suite = suite_names[i].suite;
			return 0;
		}
	return -1;
}

int xtt_suite_available(enum xtt_suite suite)
{
	if (!suite_known(suite) || suite_init() < 0)
		return 0;
	return suite_uses_aesgcm(suite) ? crypto_aead_aes256gcm_is_available() : 1;
}
