#include "agent/policy/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pos mark_pos(const yaml_mark_t *m)
{
	return (struct pos){ .line = (uint32_t)m->line + 1, .col = (uint32_t)m->column + 1 };
}

static const yaml_event_t *peek(struct yreader *r)
{
	if (r->broken)
		return NULL;
	if (r->have)
		return &r->ev;
	if (!yaml_parser_parse(&r->parser, &r->ev)) {
		const char *ctx = r->parser.context;

		ydiag(r->diag, mark_pos(&r->parser.problem_mark), NULL, "YAML syntax error: %s%s%s",
			 r->parser.problem ? r->parser.problem : "unreadable input",
			 ctx ? " " : "", ctx ? ctx : "");
		r->broken = true;
		return NULL;
	}
	r->have = true;
	return &r->ev;
}

static void take(struct yreader *r)
{
	if (r->have) {
		yaml_event_delete(&r->ev);
		r->have = false;
	}
}

static int start(struct yreader *r)
{
	const yaml_event_t *ev = peek(r);

	if (ev && ev->type == YAML_STREAM_START_EVENT) {
		take(r);
		ev = peek(r);
	}
	if (!ev)
		return -1;
	if (ev->type != YAML_DOCUMENT_START_EVENT) {
		diag_add(r->diag, (struct pos){ 1, 1 }, "", "the file is empty: a policy starts "
			 "with \"apiVersion: sr6/v1\"");
		r->broken = true;
		return -1;
	}
	take(r);
	return 0;
}

static int init(struct yreader *r, struct diag *d)
{
	memset(r, 0, sizeof(*r));
	r->diag = d;
	if (!yaml_parser_initialize(&r->parser)) {
		diag_add(d, (struct pos){ 0, 0 }, "", "cannot initialise the YAML parser");
		r->broken = true;
		return -1;
	}
	return 0;
}

int yr_open(struct yreader *r, const void *buf, size_t len, struct diag *d)
{
	if (init(r, d))
		return -1;
	yaml_parser_set_input_string(&r->parser, buf, len);
	return start(r);
}

int yr_open_file(struct yreader *r, FILE *f, struct diag *d)
{
	if (init(r, d))
		return -1;
	yaml_parser_set_input_file(&r->parser, f);
	return start(r);
}

void yr_close(struct yreader *r)
{
	const yaml_event_t *ev = peek(r);

	if (ev && ev->type == YAML_DOCUMENT_END_EVENT) {
		take(r);
		ev = peek(r);
		if (ev && ev->type == YAML_DOCUMENT_START_EVENT)
			ydiag(r->diag, mark_pos(&ev->start_mark), NULL,
				 "only one YAML document is allowed in a policy file");
	}
	take(r);
	yaml_parser_delete(&r->parser);
	free(r->scratch);
	r->scratch = NULL;
}

enum ynode yr_kind(struct yreader *r)
{
	const yaml_event_t *ev = peek(r);

	if (!ev)
		return YN_NONE;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return YN_SCALAR;
	case YAML_SEQUENCE_START_EVENT:
		return YN_SEQ;
	case YAML_MAPPING_START_EVENT:
		return YN_MAP;
	case YAML_ALIAS_EVENT:
		return YN_ALIAS;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return YN_END;
	default:
		return YN_NONE;
	}
}

struct pos yr_pos(struct yreader *r)
{
	const yaml_event_t *ev = peek(r);

	return ev ? mark_pos(&ev->start_mark) : (struct pos){ 0, 0 };
}

const char *yr_text(struct yreader *r)
{
	const yaml_event_t *ev = peek(r);

	if (!ev || ev->type != YAML_SCALAR_EVENT)
		return NULL;
	return (const char *)ev->data.scalar.value;
}

void yr_skip(struct yreader *r)
{
	int depth = 0;

	do {
		const yaml_event_t *ev = peek(r);

		if (!ev)
			return;
		switch (ev->type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth == 0)
				return;	/* not ours: the end of the parent */
			depth--;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			return;
		default:
			break;
		}
		take(r);
	} while (depth > 0);
}

static const char *kind_name(struct yreader *r)
{
	const yaml_event_t *ev = peek(r);

	switch (yr_kind(r)) {
	case YN_SCALAR:
		if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    yaml_is_null((const char *)ev->data.scalar.value, true))
			return "nothing (null)";
		return "a scalar";
	case YN_SEQ:
		return "a sequence";
	case YN_MAP:
		return "a mapping";
	case YN_ALIAS:
		return "an alias";
	default:
		return "nothing";
	}
}

/* Report that the node at hand is not what field wants, and skip it. */
static int wrong(struct yreader *r, const struct ypath *path, const char *want)
{
	if (yr_kind(r) == YN_ALIAS)
		ydiag(r->diag, yr_pos(r), path, "YAML aliases (*name) are not supported: "
			 "write the value out");
	else if (yr_kind(r) == YN_END)
		ydiag(r->diag, yr_pos(r), path, "expected %s, got nothing", want);
	else
		ydiag(r->diag, yr_pos(r), path, "expected %s, got %s", want, kind_name(r));
	if (yr_kind(r) != YN_END)
		yr_skip(r);
	return -1;
}

int yr_begin_map(struct yreader *r, const struct ypath *path, struct pos *pos)
{
	if (pos)
		*pos = yr_pos(r);
	if (yr_kind(r) != YN_MAP)
		return yr_kind(r) == YN_NONE ? -1 : wrong(r, path, "a mapping");
	take(r);
	return 0;
}

int yr_begin_seq(struct yreader *r, const struct ypath *path, struct pos *pos)
{
	if (pos)
		*pos = yr_pos(r);
	if (yr_kind(r) != YN_SEQ)
		return yr_kind(r) == YN_NONE ? -1 : wrong(r, path, "a sequence");
	take(r);
	return 0;
}

int yr_more(struct yreader *r)
{
	switch (yr_kind(r)) {
	case YN_END:
		take(r);
		return 0;
	case YN_NONE:
		return 0;
	default:
		return 1;
	}
}

const char *ypath_str(char buf[YR_FIELD_MAX], const struct ypath *p)
{
	const struct ypath *chain[32] = { NULL };
	size_t n = 0, off = 0;

	buf[0] = 0;
	for (; p && n < 32; p = p->up)
		chain[n++] = p;
	while (n-- > 0 && off < YR_FIELD_MAX) {
		const struct ypath *q = chain[n];

		if (q->key)
			off += (size_t)snprintf(buf + off, YR_FIELD_MAX - off, "%s%s",
						off ? "." : "", q->key);
		else
			off += (size_t)snprintf(buf + off, YR_FIELD_MAX - off, "[%zu]", q->index);
	}
	return buf;
}

void ydiag(struct diag *d, struct pos pos, const struct ypath *p, const char *fmt, ...)
{
	char field[YR_FIELD_MAX], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(d, pos, ypath_str(field, p), "%s", msg);
}

static void list_keys(char *buf, size_t size, const char *const *keys)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; keys[i] && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "", keys[i]);
}

/* Read a key scalar; -1 when the key is not a scalar (reported, key and value skipped). */
static int read_key(struct yreader *r, const struct ypath *path, const char **key, struct pos *kpos)
{
	*kpos = yr_pos(r);
	if (yr_kind(r) != YN_SCALAR) {
		ydiag(r->diag, *kpos, path, "mapping keys must be plain names");
		yr_skip(r);
		yr_skip(r);
		return -1;
	}
	*key = yr_text(r);
	return 0;
}

int yr_key(struct yreader *r, const struct ypath *path, const char *const *keys, uint32_t *seen,
	   struct pos *kpos)
{
	char expected[512];
	const char *key;
	struct pos pos;
	int i;

	for (;;) {
		enum ynode k = yr_kind(r);

		if (k == YN_END) {
			take(r);
			return YR_END;
		}
		if (k == YN_NONE)
			return YR_END;
		if (read_key(r, path, &key, &pos))
			continue;
		for (i = 0; keys[i]; i++)
			if (!strcmp(keys[i], key))
				break;
		if (!keys[i]) {
			list_keys(expected, sizeof(expected), keys);
			ydiag(r->diag, pos, YP_KEY(path, key),
				 "unknown key (expected one of: %s)", expected);
			take(r);
			yr_skip(r);
			continue;
		}
		if (*seen & (1u << i)) {
			ydiag(r->diag, pos, YP_KEY(path, key), "duplicate key");
			take(r);
			yr_skip(r);
			continue;
		}
		*seen |= 1u << i;
		take(r);
		if (kpos)
			kpos[i] = yr_pos(r);
		return i;
	}
}

int yr_key_any(struct yreader *r, const struct ypath *path, struct arena *a, const char **key,
	       struct pos *kpos)
{
	const char *k;

	for (;;) {
		enum ynode kind = yr_kind(r);

		if (kind == YN_END) {
			take(r);
			return 0;
		}
		if (kind == YN_NONE)
			return 0;
		if (read_key(r, path, &k, kpos))
			continue;
		*key = arena_strdup(a, k);
		take(r);
		return 1;
	}
}

bool yaml_is_null(const char *text, bool plain)
{
	return plain && (!*text || !strcmp(text, "~") || !strcmp(text, "null") ||
			 !strcmp(text, "Null") || !strcmp(text, "NULL"));
}

int yaml_parse_uint(const char *text, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, d;
	const char *p = text;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p[2]) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int yr_scalar(struct yreader *r, const struct ypath *path, struct arena *a, struct yscalar *out)
{
	const yaml_event_t *ev;

	out->pos = yr_pos(r);
	if (yr_kind(r) != YN_SCALAR)
		return yr_kind(r) == YN_NONE ? -1 : wrong(r, path, "a value");
	ev = peek(r);
	out->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length)) {
		ydiag(r->diag, out->pos, path, "the value contains a NUL character");
		take(r);
		return -1;
	}
	if (a) {
		out->text = arena_strndup(a, (const char *)ev->data.scalar.value,
					  ev->data.scalar.length);
	} else {
		r->scratch = vec_grow(r->scratch, &r->scratch_cap, ev->data.scalar.length + 1, 1);
		memcpy(r->scratch, ev->data.scalar.value, ev->data.scalar.length);
		r->scratch[ev->data.scalar.length] = 0;
		out->text = r->scratch;
	}
	take(r);
	if (yaml_is_null(out->text, out->plain)) {
		ydiag(r->diag, out->pos, path, "missing value");
		return -1;
	}
	return 0;
}

int yr_str(struct yreader *r, const struct ypath *path, struct arena *a, const char **out,
	   struct pos *pos)
{
	struct yscalar s;

	if (pos)
		*pos = yr_pos(r);
	if (yr_kind(r) != YN_SCALAR)
		return yr_kind(r) == YN_NONE ? -1 : wrong(r, path, "a string");
	if (yr_scalar(r, path, a, &s))
		return -1;
	*out = s.text;
	return 0;
}

int yr_uint(struct yreader *r, const struct ypath *path, uint64_t min, uint64_t max, uint64_t *out,
	    struct pos *pos)
{
	const yaml_event_t *ev;
	struct pos p = yr_pos(r);
	const char *text;
	uint64_t v;

	if (pos)
		*pos = p;
	if (yr_kind(r) != YN_SCALAR)
		return yr_kind(r) == YN_NONE ? -1 : wrong(r, path, "an integer");
	ev = peek(r);
	text = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		ydiag(r->diag, p, path, "expected an integer, got the string \"%.40s\"", text);
		take(r);
		return -1;
	}
	if (yaml_is_null(text, true)) {
		ydiag(r->diag, p, path, "missing value");
		take(r);
		return -1;
	}
	if (yaml_parse_uint(text, &v)) {
		ydiag(r->diag, p, path, "expected an integer, got \"%.40s\"", text);
		take(r);
		return -1;
	}
	take(r);
	if (v < min || v > max) {
		ydiag(r->diag, p, path, "must be %llu..%llu, got %llu", (unsigned long long)min,
			 (unsigned long long)max, (unsigned long long)v);
		return -1;
	}
	*out = v;
	return 0;
}

int yr_bool(struct yreader *r, const struct ypath *path, bool *out, struct pos *pos)
{
	const yaml_event_t *ev;
	struct pos p = yr_pos(r);
	const char *text;
	int ok = -1;

	if (pos)
		*pos = p;
	if (yr_kind(r) != YN_SCALAR)
		return yr_kind(r) == YN_NONE ? -1 : wrong(r, path, "true or false");
	ev = peek(r);
	text = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (!strcmp(text, "true") || !strcmp(text, "True") || !strcmp(text, "TRUE")) {
			*out = true;
			ok = 0;
		} else if (!strcmp(text, "false") || !strcmp(text, "False") ||
			   !strcmp(text, "FALSE")) {
			*out = false;
			ok = 0;
		}
	}
	if (ok)
		ydiag(r->diag, p, path, "expected true or false, got \"%.40s\"", text);
	take(r);
	return ok;
}
