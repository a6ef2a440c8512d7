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

/* Read exactly n bytes before the deadline: 0, or -1 (errno ETIMEDOUT at the deadline). */
static int read_full(int fd, void *buf, size_t n, int64_t deadline)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r;

		if (wait_fd(fd, POLLIN, deadline))
			return -1;
		r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			errno = r == 0 ? EPIPE : errno;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
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

int control_read(int fd, struct control_request *req, char *err, size_t errlen)
{
	int64_t deadline = now_ms() + CONTROL_TIMEOUT_MS;
	char line[HEADER_MAX];
	size_t n = 0;
	json_object *size;

	memset(req, 0, sizeof(*req));
	/* The header line, byte by byte: it is short and the body follows it. */
	for (;;) {
		if (n == sizeof(line) - 1) {
			snprintf(err, errlen, "request header longer than %d bytes", HEADER_MAX);
			return -1;
		}
		if (read_full(fd, line + n, 1, deadline)) {
			snprintf(err, errlen, "reading the request: %s", strerror(errno));
			return -1;
		}
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = 0;
	req->header = json_tokener_parse(line);
	if (!req->header || !json_object_is_type(req->header, json_type_object)) {
		snprintf(err, errlen, "the request is not a JSON object");
		control_request_free(req);
		return -1;
	}
	if (json_object_object_get_ex(req->header, "size", &size)) {
		int64_t sz = json_object_get_int64(size);

		if (sz < 0 || (uint64_t)sz > CONTROL_MAX_BODY) {
			snprintf(err, errlen, "body size %lld out of range (at most %u MiB)",
				 (long long)sz, CONTROL_MAX_BODY >> 20);
			control_request_free(req);
			return -1;
		}
		req->size = (size_t)sz;
	}
	req->body = xmalloc(req->size + 1);
	/* A large policy may take a while to send: the deadline grows with it. */
	deadline += (int64_t)(req->size >> 20) * 1000;
	if (req->size && read_full(fd, req->body, req->size, deadline)) {
		snprintf(err, errlen, "reading %zu bytes of body: %s", req->size, strerror(errno));
		control_request_free(req);
		return -1;
	}
	req->body[req->size] = 0;
	return 0;
}

void control_request_free(struct control_request *req)
{
	if (req->header)
		json_object_put(req->header);
	free(req->body);
	memset(req, 0, sizeof(*req));
}

void control_reply(int fd, json_object *reply)
{
	const char *s = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);

	if (write_full(fd, s, strlen(s), now_ms() + CONTROL_TIMEOUT_MS) == 0)
		write_full(fd, "\n", 1, now_ms() + CONTROL_TIMEOUT_MS);
	close(fd);
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
