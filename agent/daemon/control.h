/*
 * control.h: the agent's control socket (a Unix stream socket, default
 * /run/sr6/agent.sock).  A request is one line of JSON, then `size` bytes of body (a policy
 * file for "push"); the reply is one JSON object, then the agent closes the connection.
 *
 *   {"cmd":"push","name":"policy.yaml","size":1234,"save":false}   + the YAML
 *   {"cmd":"status"}
 */
#ifndef SR6_AGENT_CONTROL_H
#define SR6_AGENT_CONTROL_H

#include <stddef.h>

#include <json-c/json.h>

#define CONTROL_MAX_BODY	(64u << 20)	/* a policy file (POLICY_FILE_MAX) */
#define CONTROL_TIMEOUT_MS	5000		/* a client that stalls is dropped */

/* Server: a listening socket at path (a stale socket file is replaced).  fd or -1. */
int control_listen(const char *path);

struct control_request {
	json_object *header;
	char *body;		/* NUL-terminated, size bytes before it */
	size_t size;
};

/* Read one request from an accepted connection: 0, or -1 with a reason in err. */
int control_read(int fd, struct control_request *req, char *err, size_t errlen);
void control_request_free(struct control_request *req);
/* Send the reply and close fd. */
void control_reply(int fd, json_object *reply);

/*
 * Client: send header (+ body) to the agent at path and get its reply.  -1 with errno
 * ECONNREFUSED/ENOENT when no agent listens there.
 */
int control_call(const char *path, json_object *header, const void *body, size_t size,
		 json_object **reply, int timeout_ms);

#endif
