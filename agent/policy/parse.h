/*
 * parse.h: what the files of the YAML -> model parser share (parse.c the document,
 * parse_values.c typed values and enumerations, parse_node.c node and sids, parse_policy.c
 * segment lists, policies and steering).  Not for use outside agent/policy/parse*.c.
 */
#ifndef SR6_AGENT_PARSE_H
#define SR6_AGENT_PARSE_H

#include "agent/policy/index.h"
#include "agent/policy/model.h"

struct parser {
	struct yreader yr;
	struct model *m;
	struct diag *d;
	struct index names;	/* the names kept by the model, stored once each */
};

/* The model's copy of a name read from the file (one copy per distinct name). */
const char *parse_intern(struct parser *p, const char *s);

/* Typed values (parse_values.c): 0, or -1 with the error reported at the value. */
int parse_check_name(struct parser *p, const struct ypath *path, const char *name, struct pos pos);
int read_name(struct parser *p, const struct ypath *path, const char **out, struct pos *pos);
/* A free-form string kept by the model (interface and function names). */
int read_kept(struct parser *p, const struct ypath *path, const char **out);
int read_addr6(struct parser *p, const struct ypath *path, union sr6_in6 *out, struct pos *pos);
/* A SID or segment: a unicast IPv6 address. */
int read_sid_addr(struct parser *p, const struct ypath *path, union sr6_in6 *out,
		  struct pos *pos);
int read_prefix(struct parser *p, const struct ypath *path, int family, struct prefix *out,
		struct pos *pos);
int read_u8(struct parser *p, const struct ypath *path, unsigned min, unsigned max,
	    uint8_t *out);
int read_u32(struct parser *p, const struct ypath *path, uint32_t min, uint32_t max,
	     uint32_t *out);
/* One of names[] (case-insensitive); its index, or -1 (reported). */
int read_enum(struct parser *p, const struct ypath *path, const char *const *names,
	      const char *what);
/* An RFC 8986 behaviour by its iproute2 name. */
int read_behavior(struct parser *p, const struct ypath *path, uint8_t *out);
/* "443" or "8000-8080". */
int read_ports(struct parser *p, const struct ypath *path, uint16_t *lo, uint16_t *hi);
int read_proto(struct parser *p, const struct ypath *path, uint8_t *out);
/* An FIB table: a number or "main" (254) / "local" (255). */
int read_table(struct parser *p, const struct ypath *path, uint32_t *out);
/* A sequence of SIDs into arena arrays: 0, -1 when an item is bad, -2 when the value is not
 * a sequence (then *n = 0). */
int read_seg_seq(struct parser *p, const struct ypath *path, union sr6_in6 **segs,
		 struct pos **seg_pos, uint32_t *n, struct pos *pos);

/* The objects of the document; errors are reported, the model filled as far as it can be. */
void read_node(struct parser *p, const struct ypath *path);		/* parse_node.c */
void read_sid(struct parser *p, const struct ypath *path, struct m_sid *s);
void read_seglists(struct parser *p, const struct ypath *path);	/* parse_policy.c */
void read_policy(struct parser *p, const struct ypath *path, struct m_policy *pol);
void read_rule(struct parser *p, const struct ypath *path, struct m_rule *r);

#endif
