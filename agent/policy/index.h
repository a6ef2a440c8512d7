/*
 * index.h: a hash index from byte keys to 32-bit values (usually positions in an array).
 * Keys are not copied: they must outlive the index.
 */
#ifndef SR6_AGENT_INDEX_H
#define SR6_AGENT_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct index_slot {
	const void *key;	/* NULL: empty */
	uint32_t len;
	uint32_t hash;
	uint32_t val;
};

struct index {
	struct index_slot *slots;
	size_t cap, n;
};

void index_init(struct index *x, size_t expected);
void index_free(struct index *x);
/* 1 when added; 0 when the key was there already (*old = its value, nothing changed). */
int index_put(struct index *x, const void *key, size_t len, uint32_t val, uint32_t *old);
/* 0 with *val, or -1 when absent. */
int index_get(const struct index *x, const void *key, size_t len, uint32_t *val);
/* The stored key equal to key (the caller's own copy), or NULL. */
const void *index_stored_key(const struct index *x, const void *key, size_t len);
int index_put_str(struct index *x, const char *key, uint32_t val, uint32_t *old);
int index_get_str(const struct index *x, const char *key, uint32_t *val);

uint64_t hash_bytes(const void *p, size_t n);

#endif
