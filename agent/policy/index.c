#include "agent/policy/index.h"

#include <stdlib.h>
#include <string.h>

#include "agent/policy/arena.h"

uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	/* Final mix so that low bits depend on every byte. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

void index_init(struct index *x, size_t expected)
{
	size_t cap = 16;

	while (cap < expected * 2)
		cap *= 2;
	x->slots = xcalloc(cap, sizeof(*x->slots));
	x->cap = cap;
	x->n = 0;
}

void index_free(struct index *x)
{
	free(x->slots);
	x->slots = NULL;
	x->cap = x->n = 0;
}

static struct index_slot *find(const struct index *x, const void *key, size_t len,
			       uint32_t hash)
{
	size_t mask = x->cap - 1, i = hash & mask;

	for (;; i = (i + 1) & mask) {
		struct index_slot *s = &x->slots[i];

		if (!s->key)
			return s;
		if (s->hash == hash && s->len == len && !memcmp(s->key, key, len))
			return s;
	}
}

static void grow(struct index *x)
{
	struct index_slot *old = x->slots;
	size_t i, oldcap = x->cap;

	x->cap *= 2;
	x->slots = xcalloc(x->cap, sizeof(*x->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(x, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
}

int index_put(struct index *x, const void *key, size_t len, uint32_t val, uint32_t *old)
{
	uint32_t hash = (uint32_t)hash_bytes(key, len);
	struct index_slot *s;

	if (!x->slots)
		index_init(x, 8);
	if ((x->n + 1) * 2 > x->cap)
		grow(x);
	s = find(x, key, len, hash);
	if (s->key) {
		if (old)
			*old = s->val;
		return 0;
	}
	s->key = key;
	s->len = (uint32_t)len;
	s->hash = hash;
	s->val = val;
	x->n++;
	return 1;
}

int index_get(const struct index *x, const void *key, size_t len, uint32_t *val)
{
	const struct index_slot *s;

	if (!x->slots)
		return -1;
	s = find(x, key, len, (uint32_t)hash_bytes(key, len));
	if (!s->key)
		return -1;
	*val = s->val;
	return 0;
}

const void *index_stored_key(const struct index *x, const void *key, size_t len)
{
	if (!x->slots)
		return NULL;
	return find(x, key, len, (uint32_t)hash_bytes(key, len))->key;
}

int index_put_str(struct index *x, const char *key, uint32_t val, uint32_t *old)
{
	return index_put(x, key, strlen(key), val, old);
}

int index_get_str(const struct index *x, const char *key, uint32_t *val)
{
	return index_get(x, key, strlen(key), val);
}
