/*
 * testenv.h: what the policy unit tests share: a fixed interface table in place of the
 * system's (lo 1, eth0 2, eth1 3, and the demo's h0, t0, e1, e2), and file helpers
 * relative to the source tree.
 */
#ifndef SR6_AGENT_TESTENV_H
#define SR6_AGENT_TESTENV_H

#include <stddef.h>

#include "agent/policy/compile.h"
#include "agent/policy/diag.h"

extern const struct compile_env test_env;

/* A file of the source tree (SR6_TOP or the current folder), read whole; free() it. */
char *test_read_file(const char *rel, size_t *len);
/* Compare text with agent/tests/golden/<name>; SR6_UPDATE_GOLDEN=1 rewrites the file. */
void test_golden(const char *name, const char *text);
/* Parse + validate + compile text under the name "t.yaml"; the diagnostics as lines. */
char *test_errors(const char *yaml, size_t *count);

#endif
