/* The epoll loop shared by the daemons and the tests. */
#include "drivers/hss/loop.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static void on_stop(struct hss_ev *ev, uint32_t events)
{
	(void)events;
	struct hss_loop *loop = (struct hss_loop *)((char *)ev - offsetof(struct hss_loop, stop_ev));
	uint64_t v;
	if (read(loop->stop_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	__atomic_store_n(&loop->stopping, 1, __ATOMIC_SEQ_CST);
}

int hss_loop_init(struct hss_loop *loop)
{
	memset(loop, 0, sizeof(*loop));
	loop->timeout_ms = 100;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		return -1;
	loop->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop->stop_fd < 0) {
		close(loop->epfd);
		return -1;
	}
	loop->stop_ev.fn = on_stop;
	return hss_loop_add(loop, loop->stop_fd, EPOLLIN, &loop->stop_ev);
}

static void free_retired(struct hss_loop *loop)
{
	for (size_t i = 0; i < loop->nretired; i++)
		free(loop->retired[i]);
	loop->nretired = 0;
}

void hss_loop_retire(struct hss_loop *loop, struct hss_ev *ev, void *mem)
{
	ev->dead = 1;
	if (loop->nretired == loop->retired_cap) {
		size_t cap = loop->retired_cap ? loop->retired_cap * 2 : 64;
		void **r = realloc(loop->retired, cap * sizeof(*r));
		if (!r) {
			/* cannot defer: the loop is between batches when memory is this short */
			free(mem);
			return;
		}
		loop->retired = r;
		loop->retired_cap = cap;
	}
	loop->retired[loop->nretired++] = mem;
}

void hss_loop_free(struct hss_loop *loop)
{
	free_retired(loop);
	free(loop->retired);
	loop->retired = NULL;
	if (loop->epfd >= 0)
		close(loop->epfd);
	if (loop->stop_fd >= 0)
		close(loop->stop_fd);
	loop->epfd = loop->stop_fd = -1;
}

int hss_loop_add(struct hss_loop *loop, int fd, uint32_t events, struct hss_ev *ev)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };
	return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &e);
}

int hss_loop_mod(struct hss_loop *loop, int fd, uint32_t events, struct hss_ev *ev)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };
	return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &e);
}

void hss_loop_del(struct hss_loop *loop, int fd)
{
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
}

void hss_loop_add_tick(struct hss_loop *loop, struct hss_tick *tick)
{
	tick->next = loop->ticks;
	loop->ticks = tick;
}

void hss_loop_del_tick(struct hss_loop *loop, const struct hss_tick *tick)
{
	for (struct hss_tick **p = &loop->ticks; *p; p = &(*p)->next) {
		if (*p == tick) {
			*p = tick->next;
			return;
		}
	}
}

int hss_loop_run(struct hss_loop *loop)
{
	struct epoll_event evs[64];
	while (!__atomic_load_n(&loop->stopping, __ATOMIC_SEQ_CST)) {
		int n = epoll_wait(loop->epfd, evs, 64, loop->busy ? 0 : loop->timeout_ms);
		loop->busy = 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < n; i++) {
			struct hss_ev *ev = evs[i].data.ptr;
			if (!ev->dead)
				ev->fn(ev, evs[i].events);
		}
		for (struct hss_tick *t = loop->ticks, *next; t; t = next) {
			next = t->next;
			t->fn(t);
		}
		free_retired(loop);
	}
	return 0;
}

void hss_loop_stop(struct hss_loop *loop)
{
	uint64_t one = 1;
	if (write(loop->stop_fd, &one, sizeof(one)) < 0)
		__atomic_store_n(&loop->stopping, 1, __ATOMIC_SEQ_CST);
}

uint64_t hss_loop_accept_failed(struct hss_loop *loop, int fd, int err)
{
	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM)
		return 0;
	hss_loop_del(loop, fd);
	return hss_now_ms() + HSS_ACCEPT_PAUSE_MS;
}

void hss_loop_accept_resume(struct hss_loop *loop, int fd, struct hss_ev *ev, uint64_t *resume)
{
	if (!*resume || hss_now_ms() < *resume)
		return;
	*resume = hss_loop_add(loop, fd, EPOLLIN, ev) == 0 ? 0 : hss_now_ms() + HSS_ACCEPT_PAUSE_MS;
}

uint64_t hss_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
