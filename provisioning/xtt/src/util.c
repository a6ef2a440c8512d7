/* util.c: error text, hex, file I/O. */
#include "provisioning/xtt/src/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

int xerr_set(struct xerr *e, enum xtt_error code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	return -1;
}

void hex_encode(char *out, const uint8_t *buf, size_t len)
{
	sodium_bin2hex(out, 2 * len + 1, buf, len);
}

int hex_decode(uint8_t *out, size_t len, const char *hex)
{
	size_t got = 0;

	/* sodium_hex2bin takes either case and fails unless it consumes all of hex (no
	 * hex_end); the length check makes it exactly len bytes. */
	if (strlen(hex) != 2 * len ||
	    sodium_hex2bin(out, len, hex, 2 * len, NULL, &got, NULL) != 0 || got != len)
		return -1;
	return 0;
}

int file_read(uint8_t **buf, size_t *len, const char *path, size_t max, char *errbuf, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint8_t *data;
	size_t got = 0;

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > max) {
		snprintf(errbuf, errlen, "%s: %lld bytes, at most %zu expected", path,
			 (long long)st.st_size, max);
		close(fd);
		return -1;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(errbuf, errlen, "%s: %s", path, n < 0 ? strerror(errno) : "short read");
			sodium_memzero(data, got);
			free(data);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	data[got] = 0;
	*buf = data;
	*len = got;
	return 0;
}

int file_read_exact(uint8_t *out, size_t len, const char *path, char *errbuf, size_t errlen)
{
	uint8_t *buf;
	size_t got;

	if (file_read(&buf, &got, path, len, errbuf, errlen) < 0)
		return -1;
	/* key files come through here: no copy is left in freed memory */
	if (got != len) {
		snprintf(errbuf, errlen, "%s: %zu bytes, expected %zu", path, got, len);
		sodium_memzero(buf, got);
		free(buf);
		return -1;
	}
	memcpy(out, buf, len);
	sodium_memzero(buf, len);
	free(buf);
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_write_atomic(const char *path, const uint8_t *buf, size_t len, unsigned mode,
		      char *errbuf, size_t errlen)
{
	char tmp[4096];
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= sizeof(tmp)) {
		snprintf(errbuf, errlen, "%s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		snprintf(errbuf, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		snprintf(errbuf, errlen, "%s: %s", tmp, errno ? strerror(errno) : "short write");
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0) {
		snprintf(errbuf, errlen, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
