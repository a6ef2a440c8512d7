/* Internal model shared by the parser, the compiler, the decoder and the printers. */
#ifndef NFTSRV6_RULE_H
#define NFTSRV6_RULE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "nft-srv6/include/nftsrv6.h"

#define RULE_MAX_MATCHES 32
#define RULE_MAX_STMTS   8
#define VALUE_MAX_RANGES 4096
#define CHAIN_NAME_MAX   64     /* nft-srv6 keeps chain names short (kernel limit 256) */
#define IFACE_NAME_MAX   16
#define LOG_PREFIX_MAX   127
/* RFC 8754: Hdr Ext Len is 8 bits and each SID takes 2 units, so at most 127 SIDs:
 * Segment List positions 0..126. */
#define SRH_MAX_SID_INDEX 126

enum field {
	FIELD_SADDR,
	FIELD_DADDR,
	FIELD_SEGLEFT,
	FIELD_LAST_ENTRY,
	FIELD_FLAGS,
	FIELD_TAG,
	FIELD_SID,
	FIELD_CONTAINS,
	FIELD_INNER_SADDR,
	FIELD_INNER_DADDR,
	FIELD_INNER_PROTO,
	FIELD_INNER_SPORT,
	FIELD_INNER_DPORT,
	FIELD_COUNT
};

/* One value or range; bytes big-endian as on the wire, the first "width" bytes used. */
struct vrange {
	uint8_t lo[16];
	uint8_t hi[16];
};

struct match {
	enum field field;
	bool neg;
	uint8_t index;            /* FIELD_SID: Segment List index, 0-based */
	uint8_t width;            /* bytes: 1, 2, 4 or 16 */
	uint32_t n;               /* ranges, sorted and merged; n > 1 means a set */
	struct vrange *v;
	unsigned column;          /* where the match was written, 0 when decoded */
};

enum stmt_kind { STMT_COUNTER, STMT_LOG, STMT_LIMIT };

enum limit_unit { LIMIT_SECOND, LIMIT_MINUTE, LIMIT_HOUR, LIMIT_DAY, LIMIT_WEEK };

struct stmt {
	enum stmt_kind kind;
	union {
		struct { uint64_t packets, bytes; } counter;
		struct {
			char prefix[LOG_PREFIX_MAX + 1];
			bool has_prefix;
			int group;        /* -1: syslog */
			int level;        /* -1: default */
		} log;
		struct {
			uint64_t rate;
			enum limit_unit unit;
			uint32_t burst;   /* packets; 0 means the default (5) */
			bool over;
		} limit;
	} u;
};

enum verdict { VERDICT_NONE, VERDICT_ACCEPT, VERDICT_DROP, VERDICT_JUMP };

struct nftsrv6_rule {
	uint8_t inner_family;     /* 0 (no inner match), 4 or 6 */
	unsigned inner_column;    /* first inner match, for errors */
	unsigned nmatch;
	struct match m[RULE_MAX_MATCHES];
	unsigned nstmt;
	struct stmt s[RULE_MAX_STMTS];
	enum verdict verdict;
	char jump[CHAIN_NAME_MAX + 1];
	unsigned jump_column;
};

/* Placement of an add/insert command. */
enum hook { HOOK_NONE = -1, HOOK_PREROUTING, HOOK_INPUT, HOOK_FORWARD, HOOK_OUTPUT,
	    HOOK_POSTROUTING, HOOK_INGRESS };

struct place {
	char chain[CHAIN_NAME_MAX + 1];   /* regular chain, "" for a base chain */
	unsigned chain_column;
	enum hook hook;                    /* HOOK_NONE: the family's default */
	unsigned hook_column;
	int priority;
	char dev[IFACE_NAME_MAX];
	unsigned dev_column;
	uint64_t position;                 /* 0: none */
	unsigned position_column;
};

enum cmd_kind { CMD_ADD, CMD_INSERT, CMD_DELETE_RULE, CMD_DELETE_CHAIN, CMD_DELETE_TABLE,
		CMD_FLUSH, CMD_FLUSH_CHAIN, CMD_CREATE_CHAIN };

struct command {
	enum cmd_kind kind;
	unsigned line;
	struct place place;
	struct nftsrv6_rule *rule;         /* add/insert (NULL: only create the chain) */
	uint64_t handle;                   /* delete handle N */
	unsigned handle_column;
	bool if_exists;                    /* flush: nothing to do when the chain is missing */
	uint64_t result_handle;            /* after commit */
};

struct nftsrv6_batch {
	size_t n, cap;
	struct command *cmd;
};

/* lex.c */
enum tok_kind { TOK_END, TOK_WORD, TOK_STRING, TOK_LBRACE, TOK_RBRACE, TOK_COMMA,
		TOK_LBRACKET, TOK_RBRACKET, TOK_NEQ, TOK_EQ };

struct token {
	enum tok_kind kind;
	const char *text;   /* not NUL-terminated; strings: between the quotes, escapes kept */
	size_t len;
	unsigned column;
};

struct tokens {
	size_t n, cap;
	struct token *t;    /* ends with TOK_END */
};

int nfts_lex_line(struct tokens *out, const char *line, size_t len, unsigned lineno,
	     struct nftsrv6_error *err);
void nfts_tokens_free(struct tokens *t);

/* error.c */
void nfts_error_set(struct nftsrv6_error *err, unsigned line, unsigned column, const char *token,
	       size_t token_len, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* value.c */
struct nfts_field_info {
	const char *name;     /* as written, e.g. "segleft", "inner dport" */
	uint8_t width;        /* 0: address of either family (inner addresses) */
	bool address;
};
const struct nfts_field_info *nfts_field_info(enum field f);
/* Parse one element (value, range, prefix) of field f into r; *width is set for addresses. */
int nfts_value_parse_element(struct vrange *r, uint8_t *width, enum field f, const struct token *tok,
			unsigned line, struct nftsrv6_error *err);
int nfts_value_canonical(struct match *m);   /* sort and merge; -1 on allocation failure */
void nfts_value_format_range(char *buf, size_t size, enum field f, uint8_t width,
			const struct vrange *r);
int nfts_proto_by_name(const char *name, size_t len);
const char *nfts_proto_name(unsigned number);
bool nfts_range_is_single(const struct vrange *r, uint8_t width);
int nfts_range_prefix_len(const struct vrange *r, uint8_t width);   /* -1: not a prefix */

/* parse.c */
int nfts_rule_parse_tokens(struct nftsrv6_rule *rule, const struct tokens *tk, size_t *pos,
		      unsigned line, struct nftsrv6_error *err);
int nfts_rule_finish(struct nftsrv6_rule *rule, unsigned line, struct nftsrv6_error *err);
void nfts_rule_release(struct nftsrv6_rule *rule);
int nfts_rule_infer_family(const struct nftsrv6_rule *rule);
int nfts_match_clone(struct match *dst, const struct match *src);
int nfts_command_parse(struct command *cmd, const char *line, size_t len, unsigned lineno,
		  struct nftsrv6_error *err);
void nfts_command_release(struct command *cmd);
const char *nfts_hook_name(enum hook h);
int nfts_batch_append(struct nftsrv6_batch *b, const struct command *cmd);

/* format.c */
struct strbuf {
	char *p;
	size_t len, cap;
	bool failed;
};
void nfts_sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nfts_sb_puts(struct strbuf *sb, const char *s);
void nfts_rule_format_sb(struct strbuf *sb, const struct nftsrv6_rule *rule);
void nfts_match_format_value(struct strbuf *sb, const struct match *m);
void nfts_place_format_sb(struct strbuf *sb, const struct place *p, enum nftsrv6_family fam);

#endif
