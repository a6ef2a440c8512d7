/* kat_rng.c: deterministic random source for known-answer tests. */
#include "provisioning/xtt/tests/kat_rng.h"

#include <string.h>

#include <sodium.h>

void kat_rng_init(struct kat_rng *r, const char *label)
{
	memset(r, 0, sizeof(*r));
	strncpy(r->label, label, sizeof(r->label) - 1);
	r->used = sizeof(r->block);
}

void kat_rng_fill(void *arg, uint8_t *buf, size_t len)
{
	struct kat_rng *r = arg;

	while (len) {
		size_t n;

		if (r->used == sizeof(r->block)) {
			uint8_t in[sizeof(r->label) + 4];
			size_t llen = strlen(r->label);

			memcpy(in, r->label, llen);
			in[llen] = (uint8_t)(r->counter >> 24);
			in[llen + 1] = (uint8_t)(r->counter >> 16);
			in[llen + 2] = (uint8_t)(r->counter >> 8);
			in[llen + 3] = (uint8_t)r->counter;
			crypto_hash_sha256(r->block, in, llen + 4);
			r->counter++;
			r->used = 0;
		}
		n = sizeof(r->block) - r->used;
		if (n > len)
			n = len;
		memcpy(buf, r->block + r->used, n);
		r->used += n;
		buf += n;
		len -= n;
	}
}

void kat_pattern(uint8_t *out, uint8_t seed, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(seed + 7 * i);
}
