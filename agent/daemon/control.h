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

/*
 * One accepted connection, read and answered without blocking so that a slow client holds
 * nobody else: the agent keeps several and serves whichever is ready.
 */
struct control_conn {
	int fd;
	int64_t deadline;	/* CLOCK_MONOTONIC ms: a client that stalls past it is dropped */
	char *in;		/* the request as read so far */
	size_t in_len, in_cap;
	size_t header_len;	/* bytes of the header line with its newline, once read */
	struct control_request req;
	char *out;		/* the reply not yet sent */
	size_t out_len, out_off;
};

/* Start serving fd (non-blocking, accepted from the listening socket). */
void control_conn_init(struct control_conn *c, int fd);
/*
 * Read what the client has sent: 1 when the whole request is in c->req, 0 when more is to
 * come, -1 with a reason in err (a malformed or oversized request, or the client hung up).
 */
int control_conn_read(struct control_conn *c, char *err, size_t errlen);
/* Queue reply and send what the socket takes: 1 all sent, 0 more to send (wait until
 * writable, then control_conn_flush), -1 the client is gone. */
int control_conn_reply(struct control_conn *c, json_object *reply);
int control_conn_flush(struct control_conn *c);
/* Close the connection and free what it holds. */
void control_conn_close(struct control_conn *c);
/* Milliseconds until c->deadline (0 when passed). */
int control_conn_wait_ms(const struct control_conn *c);

void control_request_free(struct control_request *req);

/*
 * Client: send header (+ body) to the agent at path and get its reply.  -1 with errno
 * ECONNREFUSED/ENOENT when no agent listens there.
 */
int control_call(const char *path, json_object *header, const void *body, size_t size,
		 json_object **reply, int timeout_ms);

#endif
