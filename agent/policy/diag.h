/*
 * diag.h: the errors found in a policy file.  Each names where it is (file:line:col, 1-based),
 * the field (a path such as "steering[3].match.dport") and what is wrong.  Every stage adds
 * to the same list, so the user sees all problems at once.
 */
#ifndef SR6_AGENT_DIAG_H
#define SR6_AGENT_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Errors kept; further ones are counted in `dropped`. */
#define DIAG_MAX 1000

struct pos {
	uint32_t line, col;	/* 1-based; 0 when unknown */
};

struct diag_entry {
	struct pos pos;
	char *field;
	char *msg;
};

struct diag {
	const char *file;	/* the name errors are reported under */
	struct diag_entry *v;
	size_t n, cap;
	size_t dropped;
};

void diag_init(struct diag *d, const char *file);
void diag_free(struct diag *d);
/* Total errors including the dropped ones. */
size_t diag_count(const struct diag *d);
void diag_add(struct diag *d, struct pos pos, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Sort by position (stable), so reports read top to bottom. */
void diag_sort(struct diag *d);
/* One "file:line:col: field: message" line per error. */
void diag_print(FILE *f, const struct diag *d);
/* The same line for entry i into buf. */
void diag_format(char *buf, size_t size, const struct diag *d, size_t i);

#endif
