#include "agent/daemon/control.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "agent/policy/arena.h"

#define HEADER_MAX 4096

static int unix_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(a->sun_path, path, strlen(path) + 1);
	return 0;
}

int control_listen(const char *path)
{
	struct sockaddr_un a;
	int fd;

	if (unix_addr(&a, path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || chmod(path, 0600) || listen(fd, 16)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait until fd is ready for events or the deadline passes: 0, or -1 (errno ETIMEDOUT at
 * the deadline). */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline - now_ms();
		int n;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

static int write_full(int fd, const void *buf, size_t n, int64_t deadline)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w;

		if (wait_fd(fd, POLLOUT, deadline))
			return -1;
		w = send(fd, (const char *)buf + done, n - done, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

void control_conn_init(struct control_conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->deadline = now_ms() + CONTROL_TIMEOUT_MS;
}

/* The header line is complete in c->in: parse it and learn the body's size.  0 or -1. */
static int conn_parse_header(struct control_conn *c, char *err, size_t errlen)
{
	json_object *size;
	char *line = c->in;

	line[c->header_len - 1] = 0;
	c->req.header = json_tokener_parse(line);
	line[c->header_len - 1] = '\n';
	if (!c->req.header || !json_object_is_type(c->req.header, json_type_object)) {
		snprintf(err, errlen, "the request is not a JSON object");
		return -1;
	}
	if (json_object_object_get_ex(c->req.header, "size", &size)) {
		int64_t sz = json_object_get_int64(size);

		if (sz < 0 || (uint64_t)sz > CONTROL_MAX_BODY) {
			snprintf(err, errlen, "body size %lld out of range (at most %u MiB)",
				 (long long)sz, CONTROL_MAX_BODY >> 20);
			return -1;
		}
		c->req.size = (size_t)sz;
	}
	/* A large policy may take a while to send: the deadline grows with it. */
	c->deadline += (int64_t)(c->req.size >> 20) * 1000;
	return 0;
}

int control_conn_read(struct control_conn *c, char *err, size_t errlen)
{
	for (;;) {
		/* Until the header is known, read a little at a time; then exactly the body. */
		size_t want = c->header_len ? c->header_len + c->req.size - c->in_len : 512;
		char *nl;
		ssize_t r;

		if (c->header_len && !want)
			break;
		c->in = vec_grow(c->in, &c->in_cap, c->in_len + want + 1, 1);
		r = read(c->fd, c->in + c->in_len, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r <= 0) {
			snprintf(err, errlen, "reading the request: %s",
				 r ? strerror(errno) : "the client closed the connection before its end");
			return -1;
		}
		c->in_len += (size_t)r;
		if (c->header_len)
			continue;
		/* The header's newline is within its first HEADER_MAX bytes, or it is too long. */
		nl = memchr(c->in, '\n', c->in_len < HEADER_MAX ? c->in_len : HEADER_MAX);
		if (!nl && c->in_len < HEADER_MAX)
			continue;
		if (!nl) {
			snprintf(err, errlen, "request header longer than %d bytes", HEADER_MAX);
			return -1;
		}
		c->header_len = (size_t)(nl - c->in) + 1;
		if (conn_parse_header(c, err, errlen))
			return -1;
		if (c->in_len > c->header_len + c->req.size) {
			snprintf(err, errlen, "%zu bytes after the request", c->in_len - c->header_len -
				 c->req.size);
			return -1;
		}
		/* Room for exactly the request: a large body is held once, without slack. */
		c->in_cap = c->header_len + c->req.size + 1;
		c->in = xrealloc(c->in, c->in_cap);
	}
	/* The body becomes the request's, in the buffer it was read into. */
	memmove(c->in, c->in + c->header_len, c->req.size);
	c->in[c->req.size] = 0;
	c->req.body = c->in;
	c->in = NULL;
	c->in_len = c->in_cap = 0;
	return 1;
}

int control_conn_flush(struct control_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 0;
		if (w < 0)
			return -1;
		c->out_off += (size_t)w;
	}
	return 1;
}

int control_conn_reply(struct control_conn *c, json_object *reply)
{
	const char *s = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);

	c->out_len = strlen(s) + 1;
	c->out = xmalloc(c->out_len);
	memcpy(c->out, s, c->out_len - 1);
	c->out[c->out_len - 1] = '\n';
	c->out_off = 0;
	/* The answer gets the same time again to leave. */
	c->deadline = now_ms() + CONTROL_TIMEOUT_MS;
	return control_conn_flush(c);
}

void control_conn_close(struct control_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	control_request_free(&c->req);
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

int control_conn_wait_ms(const struct control_conn *c)
{
	int64_t left = c->deadline - now_ms();

	return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

void control_request_free(struct control_request *req)
{
	if (req->header)
		json_object_put(req->header);
	free(req->body);
	memset(req, 0, sizeof(*req));
}

int control_call(const char *path, json_object *header, const void *body, size_t size,
		 json_object **reply, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct sockaddr_un a;
	const char *h;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int fd, err;

	*reply = NULL;
	if (unix_addr(&a, path))
		return -1;
	/* Non-blocking: an agent whose backlog is full does not hold the client either. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	json_object_object_add(header, "size", json_object_new_int64((int64_t)size));
	h = json_object_to_json_string_ext(header, JSON_C_TO_STRING_PLAIN);
	if (write_full(fd, h, strlen(h), deadline) || write_full(fd, "\n", 1, deadline) ||
	    (size && write_full(fd, body, size, deadline)))
		goto fail;
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t r;

		/* An agent that does not answer in time is not waited for. */
		if (wait_fd(fd, POLLIN, deadline))
			goto fail;
		buf = vec_grow(buf, &cap, n + 4097, 1);
		r = read(fd, buf + n, 4096);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf = vec_grow(buf, &cap, n + 1, 1);
	buf[n] = 0;
	*reply = json_tokener_parse(buf);
	free(buf);
	if (!*reply) {
		errno = EPROTO;
		return -1;
	}
	return 0;
fail:
	err = errno;
	close(fd);
	free(buf);
	errno = err;
	return -1;
}
