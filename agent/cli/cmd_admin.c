/*
 * cmd_admin.c: sr6 agent, flush, version.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <json-c/json_c_version.h>
#include <yaml.h>

#include "agent/cli/cli.h"
#include "agent/daemon/agent.h"
#include "agent/daemon/control.h"
#include "agent/dataplane/dp.h"
#include "agent/dataplane/routes.h"

int cmd_agent(struct cli *c)
{
	struct agent_opts o = {
		.config = c->config,
		.pin_root = c->pin_root,
		.run_dir = c->run_dir,
		.socket = c->socket,
	};

	if (!c->config)
		return cli_fail(c, SR6_EXIT_USAGE, "usage: sr6 agent -c FILE");
	return agent_run(&o);
}

int cmd_flush(struct cli *c)
{
	json_object *h, *reply = NULL;
	struct rtnl *r;
	struct plan routes;
	char err[512] = "";
	size_t i, removed = 0;
	int rc;

	if (!c->yes)
		return cli_fail(c, SR6_EXIT_USAGE, "flush removes every route, map and attachment "
				"sr6 installed, which stops SRv6 forwarding on this node: add --yes");
	h = json_object_new_object();
	json_object_object_add(h, "cmd", json_object_new_string("status"));
	rc = control_call(c->socket, h, NULL, 0, &reply, 2000);
	json_object_put(h);
	if (rc == 0) {
		json_object_put(reply);
		return cli_fail(c, SR6_EXIT_SYSTEM, "an sr6 agent answers on %s: stop it first (it "
				"would install everything again)", c->socket);
	}
	if (rtnl_open(&r))
		return cli_fail(c, SR6_EXIT_SYSTEM, "rtnetlink: %s", strerror(errno));
	plan_init(&routes);
	rc = routes_dump(r, &routes, NULL, NULL);
	if (rc)
		snprintf(err, sizeof(err), "reading sr6's routes: %s", strerror(-rc));
	for (i = 0; !rc && i < routes.routes.n; i++) {
		rc = route_delete(r, &routes.routes.v[i]);
		removed += rc == 0;
		if (rc) {
			char a[ADDR_STRLEN];

			addr6_format(a, &routes.routes.v[i].dst);
			snprintf(err, sizeof(err), "removing the route of %s: %s", a, strerror(-rc));
		}
	}
	if (rc && *rtnl_ext_msg(r)) {
		size_t n = strlen(err);

		snprintf(err + n, sizeof(err) - n, " (kernel: %s)", rtnl_ext_msg(r));
	}
	plan_free(&routes);
	rtnl_close(r);
	if (rc)
		return cli_fail(c, SR6_EXIT_SYSTEM, "%s", err);
	if (dp_unpin_all(c->pin_root, err, sizeof(err)))
		return cli_fail(c, SR6_EXIT_SYSTEM, "%s", err);
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "routes_removed", json_object_new_int64((int64_t)removed));
		json_object_object_add(o, "pin_root", json_object_new_string(c->pin_root));
		cli_json(o);
	} else {
		printf("removed %zu seg6local routes and everything pinned under %s\n", removed,
		       c->pin_root);
	}
	return SR6_EXIT_OK;
}

int cmd_version(struct cli *c)
{
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "sr6", json_object_new_string(SR6_VERSION));
		json_object_object_add(o, "libbpf", json_object_new_string(libbpf_version_string()));
		json_object_object_add(o, "libyaml", json_object_new_string(yaml_get_version_string()));
		json_object_object_add(o, "json-c", json_object_new_string(json_c_version()));
		cli_json(o);
	} else {
		printf("sr6 %s (libbpf %s, libyaml %s, json-c %s)\n", SR6_VERSION,
		       libbpf_version_string(), yaml_get_version_string(), json_c_version());
	}
	return SR6_EXIT_OK;
}
