#include "agent/cli/report.h"

#include <stdlib.h>
#include <string.h>

json_object *report_errors_json(const struct diag *d)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < d->n; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "file", json_object_new_string(d->file ? d->file : "-"));
		json_object_object_add(e, "line", json_object_new_int((int)d->v[i].pos.line));
		json_object_object_add(e, "col", json_object_new_int((int)d->v[i].pos.col));
		json_object_object_add(e, "field", json_object_new_string(d->v[i].field));
		json_object_object_add(e, "message", json_object_new_string(d->v[i].msg));
		json_object_array_add(arr, e);
	}
	return arr;
}

json_object *report_diff_json(const struct diff *d, const struct plan *now,
			      const struct plan *was)
{
	json_object *arr = json_object_new_array();
	char *text = NULL, *line, *save = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return arr;
	diff_print(f, d, now, was);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_object_array_add(arr, json_object_new_string(line));
	free(text);
	return arr;
}

json_object *report_apply_json(const struct apply_result *r)
{
	json_object *o = json_object_new_object(), *t = json_object_new_object();
	size_t add = 0, change = 0, remove = 0, k;

	for (k = 0; k < DK_COUNT; k++) {
		add += r->count[k][DO_ADD];
		change += r->count[k][DO_CHANGE];
		remove += r->count[k][DO_REMOVE];
	}
	json_object_object_add(o, "changes", json_object_new_int64((int64_t)r->changes));
	json_object_object_add(o, "add", json_object_new_int64((int64_t)add));
	json_object_object_add(o, "change", json_object_new_int64((int64_t)change));
	json_object_object_add(o, "remove", json_object_new_int64((int64_t)remove));
	json_object_object_add(o, "generation", json_object_new_int64(r->generation));
	json_object_object_add(o, "barriers", json_object_new_int(r->barriers));
	json_object_object_add(t, "total", json_object_new_int64((int64_t)r->total_us));
	json_object_object_add(t, "maps", json_object_new_int64((int64_t)r->maps_us));
	json_object_object_add(t, "routes", json_object_new_int64((int64_t)r->routes_us));
	json_object_object_add(t, "attach", json_object_new_int64((int64_t)r->attach_us));
	json_object_object_add(t, "barrier", json_object_new_int64((int64_t)r->barrier_us));
	json_object_object_add(o, "timing_us", t);
	return o;
}

void report_apply_text(FILE *f, const struct apply_result *r)
{
	if (!r->changes) {
		fprintf(f, "nothing to change (generation %u)\n", r->generation);
		return;
	}
	fprintf(f, "applied %zu change%s, generation %u (%.3f ms: map updates %.3f ms, "
		"routes %.3f ms, attach %.3f ms, grace periods %.3f ms)\n", r->changes,
		r->changes == 1 ? "" : "s", r->generation, r->total_us / 1e3, r->maps_us / 1e3,
		r->routes_us / 1e3, r->attach_us / 1e3, r->barrier_us / 1e3);
}
