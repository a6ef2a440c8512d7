/* kat_rng.h: the deterministic random source of the known-answer tests (SHA-256 in counter
 * mode over a label, as tests/kat/xtt_kat.py models it). */
#ifndef SR6_XTT_KAT_RNG_H
#define SR6_XTT_KAT_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/xtt/include/xtt.h"

struct kat_rng {
	char label[32];
	uint32_t counter;
	uint8_t block[32];
	size_t used;          /* bytes of block already handed out */
};
void kat_rng_init(struct kat_rng *r, const char *label);
void kat_rng_fill(void *arg, uint8_t *buf, size_t len);
/* "seed + 7 * i" bytes, the fixed fields of the vectors. */
void kat_pattern(uint8_t *out, uint8_t seed, size_t len);

#endif
