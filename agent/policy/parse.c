/*
 * parse.c: policy YAML -> model.  One pass over the YAML events: every key is checked
 * against the schema of its object, every value against its type and syntax (addresses,
 * prefixes, names, enumerations, ranges).  What relates several values is left to
 * validate.c.  This file reads the document; parse_values.c, parse_node.c and
 * parse_policy.c read what is in it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/policy/parse.h"

static const char *const top_keys[] = {
	"apiVersion", "node", "sids", "segment_lists", "policies", "steering", NULL
};
enum { TK_API, TK_NODE, TK_SIDS, TK_SEGLISTS, TK_POLICIES, TK_STEERING };


/* ---------------------------------------------------------------------------------------- */
/* The document                                                                              */

/* The document, once the reader is open. */
static void read_document(struct parser *p)
{
	struct model *m = p->m;
	struct diag *d = p->d;
	uint32_t seen = 0;
	struct pos kpos[6] = { { 0, 0 } }, top;
	const char *api;
	int k;

	if (yr_begin_map(&p->yr, NULL, &top))
		return;
	while ((k = yr_key(&p->yr, NULL, top_keys, &seen, kpos)) != YR_END) {
		switch (k) {
		case TK_API:
			if (yr_str(&p->yr, YP_KEY(NULL, "apiVersion"), NULL, &api, NULL))
				break;
			if (strcmp(api, POLICY_API_VERSION))
				ydiag(d, kpos[k], YP_KEY(NULL, "apiVersion"), "\"%s\" is not supported "
				      "(this agent reads \"%s\")", api, POLICY_API_VERSION);
			break;
		case TK_NODE:
			read_node(p, YP_KEY(NULL, "node"));
			break;
		case TK_SIDS:
			if (yr_begin_seq(&p->yr, YP_KEY(NULL, "sids"), NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_sid *s = VEC_PUSH(&m->sids);

				read_sid(p, YP_INDEX(YP_KEY(NULL, "sids"), m->sids.n - 1), s);
			}
			break;
		case TK_SEGLISTS:
			read_seglists(p, YP_KEY(NULL, "segment_lists"));
			break;
		case TK_POLICIES:
			if (yr_begin_seq(&p->yr, YP_KEY(NULL, "policies"), NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_policy *pol = VEC_PUSH(&m->policies);

				read_policy(p, YP_INDEX(YP_KEY(NULL, "policies"), m->policies.n - 1),
					    pol);
			}
			break;
		case TK_STEERING:
			if (yr_begin_seq(&p->yr, YP_KEY(NULL, "steering"), NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_rule *r = VEC_PUSH(&m->rules);

				read_rule(p, YP_INDEX(YP_KEY(NULL, "steering"), m->rules.n - 1), r);
			}
			break;
		}
	}
	if (!p->yr.broken) {
		if (!(seen & (1u << TK_API)))
			diag_add(d, top, "", "missing key \"apiVersion\" (write \"apiVersion: %s\")",
				 POLICY_API_VERSION);
		if (!(seen & (1u << TK_NODE)))
			diag_add(d, top, "", "missing key \"node\"");
	}
}

static void parse_begin(struct parser *p, struct model *m, struct diag *d)
{
	memset(m, 0, sizeof(*m));
	arena_init(&m->arena);
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->d = d;
}

static int parse_end(struct parser *p, size_t before)
{
	VEC_SHRINK(&p->m->rules);
	VEC_SHRINK(&p->m->policies);
	VEC_SHRINK(&p->m->sids);
	p->m->syntax_error = p->yr.broken;
	yr_close(&p->yr);
	index_free(&p->names);
	return diag_count(p->d) == before ? 0 : -1;
}

int model_parse(struct model *m, const void *text, size_t len, struct diag *d)
{
	size_t before = diag_count(d);
	struct parser p;

	parse_begin(&p, m, d);
	if (len > POLICY_FILE_MAX) {
		diag_add(d, (struct pos){ 1, 1 }, "", "the file is larger than %u MiB",
			 POLICY_FILE_MAX >> 20);
		m->syntax_error = true;
		return -1;
	}
	if (yr_open(&p.yr, text, len, d) == 0)
		read_document(&p);
	return parse_end(&p, before);
}

int model_parse_file(struct model *m, FILE *f, struct diag *d)
{
	size_t before = diag_count(d);
	struct parser p;
	struct stat st;

	parse_begin(&p, m, d);
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > POLICY_FILE_MAX) {
		diag_add(d, (struct pos){ 1, 1 }, "", "the file is larger than %u MiB",
			 POLICY_FILE_MAX >> 20);
		m->syntax_error = true;
		return -1;
	}
	if (yr_open_file(&p.yr, f, d) == 0)
		read_document(&p);
	return parse_end(&p, before);
}

void model_free(struct model *m)
{
	arena_free(&m->arena);
	VEC_FREE(&m->sids);
	VEC_FREE(&m->seglists);
	VEC_FREE(&m->policies);
	VEC_FREE(&m->rules);
}

