/*
 * yaml.h: a pull reader over libyaml events that keeps positions.  The policy schema reads
 * the file in one pass with it (no document tree: a 100,000-rule file stays small), and
 * every helper consumes exactly one node, reporting a wrong type as an error and skipping
 * the node, so one mistake never hides the next.  `path` names the value being read.
 */
#ifndef SR6_AGENT_YAML_H
#define SR6_AGENT_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

#include "agent/policy/arena.h"
#include "agent/policy/diag.h"

#define YR_END (-1)		/* yr_key: the mapping ended */
#define YR_FIELD_MAX 160	/* field paths longer than this are cut */

/*
 * Where a value sits in the document ("steering[3].match.dport"), as a chain built on the
 * stack while reading; turned into text only when an error is reported.
 */
struct ypath {
	const struct ypath *up;
	const char *key;	/* NULL: an index into a sequence */
	size_t index;
};
#define YP_KEY(parent, k)	(&(const struct ypath){ .up = (parent), .key = (k) })
#define YP_INDEX(parent, i)	(&(const struct ypath){ .up = (parent), .index = (i) })

const char *ypath_str(char buf[YR_FIELD_MAX], const struct ypath *p);
/* diag_add with the field given as a path. */
void ydiag(struct diag *d, struct pos pos, const struct ypath *p, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

enum ynode {
	YN_NONE,		/* nothing more (end of document or a syntax error) */
	YN_SCALAR,
	YN_SEQ,
	YN_MAP,
	YN_ALIAS,
	YN_END,			/* end of the enclosing sequence or mapping */
};

struct yreader {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have;		/* ev is a lookahead not consumed yet */
	bool broken;		/* a syntax error was reported: the rest is not read */
	struct diag *diag;
	char *scratch;		/* scalars read without an arena live here until the next */
	size_t scratch_cap;
};

/* Start reading buf (kept by the caller until yr_close).  -1 when the file is empty or
 * unreadable (reported). */
int yr_open(struct yreader *r, const void *buf, size_t len, struct diag *d);
int yr_open_file(struct yreader *r, FILE *f, struct diag *d);
/* Check that nothing follows the first document, and free the parser. */
void yr_close(struct yreader *r);

enum ynode yr_kind(struct yreader *r);
struct pos yr_pos(struct yreader *r);
/* The next scalar's text (valid until the next call), NULL when the next node is not one. */
const char *yr_text(struct yreader *r);
void yr_skip(struct yreader *r);

/* Mapping/sequence starts: 0 consumed, -1 wrong kind (reported, node skipped). */
int yr_begin_map(struct yreader *r, const struct ypath *path, struct pos *pos);
int yr_begin_seq(struct yreader *r, const struct ypath *path, struct pos *pos);
/*
 * The next key of a mapping whose keys are the NULL-terminated keys[]: its index (the value
 * is next), or YR_END after the mapping's end.  Unknown and repeated keys are reported and
 * their values skipped.  seen collects the keys met (bit i = keys[i]); kpos[i] their value
 * positions when kpos is not NULL.
 */
int yr_key(struct yreader *r, const struct ypath *path, const char *const *keys, uint32_t *seen,
	   struct pos *kpos);
/* A mapping with free keys (names): 1 with the key copied into a, 0 at the end. */
int yr_key_any(struct yreader *r, const struct ypath *path, struct arena *a, const char **key,
	       struct pos *kpos);
/* In a sequence: 1 when an item follows, 0 after the sequence's end. */
int yr_more(struct yreader *r);

/*
 * Scalars: 0, or -1 (reported, node skipped).  pos may be NULL.  Strings are copied into
 * the arena a, or, when a is NULL, into the reader's scratch space where they stay valid
 * until the next scalar is read (values parsed into numbers or addresses right away).
 */
int yr_str(struct yreader *r, const struct ypath *path, struct arena *a, const char **out,
	   struct pos *pos);
int yr_uint(struct yreader *r, const struct ypath *path, uint64_t min, uint64_t max, uint64_t *out,
	    struct pos *pos);
int yr_bool(struct yreader *r, const struct ypath *path, bool *out, struct pos *pos);

/* A scalar as the user wrote it, for generic values (End.BPF params). */
struct yscalar {
	const char *text;
	bool plain;		/* unquoted: may be a number or a boolean */
	struct pos pos;
};
int yr_scalar(struct yreader *r, const struct ypath *path, struct arena *a, struct yscalar *out);

/* Parse text as YAML would a plain integer (decimal or 0x hex): 0 or -1. */
int yaml_parse_uint(const char *text, uint64_t *out);
bool yaml_is_null(const char *text, bool plain);


#endif
