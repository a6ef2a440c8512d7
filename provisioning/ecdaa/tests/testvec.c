/* ecdaa-testvec: values from the C library for the independent oracle to recompute.
 *   ecdaa-testvec pairing N     "P Q e(P,Q)" hex lines: the generators, then N random pairs
 *   ecdaa-testvec hash HEX...   "basename B counter" lines for TPM-style hash-to-G1 */
#include "provisioning/ecdaa/src/internal.h"

#include <stdio.h>
#include <stdlib.h>

static void put_hex(const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", b[i]);
}

static int pairing_vectors(long count)
{
	for (long i = -1; i < count; i++) {
		g1_affine_t P = G1_GENERATOR;
		g2_affine_t Q = G2_GENERATOR;
		uint8_t pb[ECDAA_G1_LEN], qb[ECDAA_G2_LEN], eb[384];
		fp12_t e;

		if (i >= 0) {
			sc_t a, b;

			sc_random(&a);
			sc_random(&b);
			if (g1_mul_affine(&P, &G1_GENERATOR, &a) || g2_mul_affine(&Q, &G2_GENERATOR, &b))
				return 1;
		}
		pairing_compute(&e, &P, &Q);
		g1_encode_affine(pb, &P);
		g2_encode_affine(qb, &Q);
		fp12_to_bytes(eb, &e);
		put_hex(pb, sizeof(pb));
		putchar(' ');
		put_hex(qb, sizeof(qb));
		putchar(' ');
		put_hex(eb, sizeof(eb));
		putchar('\n');
	}
	return 0;
}

static int hash_vectors(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) / 2;
		uint8_t bsn[ECDAA_BASENAME_MAX], pb[ECDAA_G1_LEN];
		g1_affine_t B;
		uint32_t counter;

		if (len > sizeof(bsn))
			return 1;
		for (size_t j = 0; j < len; j++) {
			unsigned int v;
			if (sscanf(argv[i] + 2 * j, "%2x", &v) != 1)
				return 1;
			bsn[j] = (uint8_t)v;
		}
		if (hash_to_g1(&B, &counter, bsn, len))
			return 1;
		g1_encode_affine(pb, &B);
		printf("%s ", argv[i]);
		put_hex(pb, sizeof(pb));
		printf(" %u\n", (unsigned)counter);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (ecdaa_init())
		return 1;
	if (argc == 3 && !strcmp(argv[1], "pairing"))
		return pairing_vectors(strtol(argv[2], NULL, 10));
	if (argc >= 2 && !strcmp(argv[1], "hash"))
		return hash_vectors(argc - 2, argv + 2);
	fprintf(stderr, "usage: ecdaa-testvec pairing N | hash HEX...\n");
	return 2;
}
