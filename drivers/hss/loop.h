/* A small epoll loop: every registered object starts with a struct hss_ev whose callback
 * receives the epoll events.  One loop per thread; hss_loop_stop may be called from any. */
#ifndef HSS_LOOP_H
#define HSS_LOOP_H

#include <stddef.h>
#include <stdint.h>

struct hss_ev {
	void (*fn)(struct hss_ev *ev, uint32_t events);
	int dead; /* retired: events already fetched for it are skipped */
};

/* Called once per loop iteration after the events were dispatched, and on timeouts. */
struct hss_tick {
	void (*fn)(struct hss_tick *tick);
	struct hss_tick *next;
};

struct hss_loop {
	int epfd;
	int stop_fd;
	struct hss_ev stop_ev;
	int stopping;
	int timeout_ms; /* how often ticks run when nothing happens */
	int busy;       /* someone has work left: poll without waiting once */
	struct hss_tick *ticks;
	void **retired;
	size_t nretired, retired_cap;
};

int hss_loop_init(struct hss_loop *loop);
void hss_loop_free(struct hss_loop *loop);
int hss_loop_add(struct hss_loop *loop, int fd, uint32_t events, struct hss_ev *ev);
int hss_loop_mod(struct hss_loop *loop, int fd, uint32_t events, struct hss_ev *ev);
void hss_loop_del(struct hss_loop *loop, int fd);
/* Free mem (which holds ev) once the events fetched with it have been dispatched: an object
 * closed by one event may still have an event waiting in the same batch. */
void hss_loop_retire(struct hss_loop *loop, struct hss_ev *ev, void *mem);
void hss_loop_add_tick(struct hss_loop *loop, struct hss_tick *tick);
void hss_loop_del_tick(struct hss_loop *loop, const struct hss_tick *tick);
/* Run until hss_loop_stop.  0, or -1 when epoll fails. */
int hss_loop_run(struct hss_loop *loop);
void hss_loop_stop(struct hss_loop *loop);
uint64_t hss_now_ms(void);

/* accept() on the listening fd failed with err.  Short of descriptors or memory, the socket
 * stays readable and a level-triggered loop would spin: fd is no longer watched, and the
 * time to watch it again is returned (pass it to hss_loop_accept_resume).  0 for other
 * errors. */
#define HSS_ACCEPT_PAUSE_MS 1000
uint64_t hss_loop_accept_failed(struct hss_loop *loop, int fd, int err);
/* From a tick: once *resume (0: not paused) has come, watch fd for EPOLLIN with ev again and
 * set *resume to 0, or, if that fails, to the end of another pause. */
void hss_loop_accept_resume(struct hss_loop *loop, int fd, struct hss_ev *ev, uint64_t *resume);

#endif
