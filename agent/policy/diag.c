#include "agent/policy/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "agent/policy/arena.h"

void diag_init(struct diag *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
}

void diag_free(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].field);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = d->dropped = 0;
}

size_t diag_count(const struct diag *d)
{
	return d->n + d->dropped;
}

void diag_add(struct diag *d, struct pos pos, const char *field, const char *fmt, ...)
{
	struct diag_entry *e;
	char msg[512];
	va_list ap;

	if (d->n >= DIAG_MAX) {
		d->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->v = vec_grow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
	e = &d->v[d->n++];
	e->pos = pos;
	e->field = xstrdup(field ? field : "");
	e->msg = xstrdup(msg);
}

/* Insertion sort: at most DIAG_MAX entries, and equal positions keep their order. */
void diag_sort(struct diag *d)
{
	size_t i, j;

	for (i = 1; i < d->n; i++) {
		struct diag_entry tmp = d->v[i];

		for (j = i; j > 0; j--) {
			const struct diag_entry *p = &d->v[j - 1];

			if (p->pos.line < tmp.pos.line ||
			    (p->pos.line == tmp.pos.line && p->pos.col <= tmp.pos.col))
				break;
			d->v[j] = d->v[j - 1];
		}
		d->v[j] = tmp;
	}
}

void diag_format(char *buf, size_t size, const struct diag *d, size_t i)
{
	const struct diag_entry *e = &d->v[i];

	snprintf(buf, size, "%s:%u:%u: %s%s%s", d->file ? d->file : "-", e->pos.line, e->pos.col,
		 e->field, *e->field ? ": " : "", e->msg);
}

void diag_print(FILE *f, const struct diag *d)
{
	char line[1024];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(line, sizeof(line), d, i);
		fprintf(f, "%s\n", line);
	}
	if (d->dropped)
		fprintf(f, "%s: ... and %zu more errors\n", d->file ? d->file : "-", d->dropped);
}
