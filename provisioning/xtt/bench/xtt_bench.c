/* xtt-bench: server handshakes per second and where the server's time goes.
 *
 *   xtt-bench [ROUNDS (5)] [HANDSHAKES PER ROUND (100)] [LOOPBACK HANDSHAKES (400)]
 *
 * Part 1 drives client and server handshakes in memory and times every server step (and,
 * for reference, the primitives inside them and the client's attestation); rounds of all
 * four suites are interleaved and medians reported.  Part 2 starts `xtt runserver` on an
 * ephemeral loopback port and provisions devices from client threads over TCP, reporting
 * wall-clock handshakes per second and the server's CPU time per handshake. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/groupdb.h"
#include "provisioning/xtt/src/registry.h"
#include "provisioning/xtt/src/schedule.h"
#include "provisioning/xtt/src/util.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what)
{
	fprintf(stderr, "xtt-bench: %s\n", what);
	exit(1);
}

struct world {
	struct xtt_root_cert root;
	EVP_PKEY *root_key, *server_key;
	struct xtt_server_cert server;
	struct ecdaa_issuer_public_key ipk;
	struct ecdaa_issuer_secret_key isk;
	struct group_db db;             /* one group, built in memory */
	struct registry reg;
};

static const uint8_t bsn[] = "BASENAME";

struct member {
	struct ecdaa_member_secret_key sk;
	struct ecdaa_credential cred;
};

static void member_join(struct member *m, const struct world *w)
{
	static const uint8_t nonce[] = "bench";
	struct ecdaa_member_public_key pk;
	struct ecdaa_credential_signature cs;

	if (ecdaa_member_key_pair_generate(&pk, &m->sk, nonce, sizeof(nonce)) ||
	    ecdaa_credential_generate(&m->cred, &cs, &w->isk, &pk))
		die("join");
}

static void client_config(struct xtt_client_config *c, const struct world *w, const struct member *m,
			  enum xtt_suite suite)
{
	memset(c, 0, sizeof(*c));
	c->suite = suite;
	group_id(c->group.gid, &w->ipk.gpk, bsn, sizeof(bsn) - 1);
	c->group.basename = bsn;
	c->group.basename_len = sizeof(bsn) - 1;
	c->group.cred = &m->cred;
	c->group.sk = &m->sk;
}

enum { PH_INIT, PH_ATTEST, PH_GROUP, PH_IDENTITY, PH_CLIENT, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {
	"ClientInit -> ServerInitAndAttest",
	"ClientAttest: AEAD open + ECDSA verify",
	"group signature verify (ECDAA)",
	"identity + ServerFinished",
	"client: ClientAttest (ECDSA + ECDAA sign)",
};

static void expect(enum xtt_status got, enum xtt_status want, const struct xtt_handshake *hs)
{
	if (got != want)
		die(xtt_handshake_error_detail(hs));
}

/* Moves one whole message from a WANT_WRITE side into a WANT_READ side (header first, as a
 * socket would deliver it) and returns the receiver's status and the time its last step took. */
static enum xtt_status deliver(struct xtt_handshake *to, struct xtt_io *to_io,
			       struct xtt_handshake *from, struct xtt_io *from_io,
			       enum xtt_status from_next, double *us)
{
	const uint8_t *msg = from_io->buf;
	size_t len = from_io->len;
	enum xtt_status st;
	double t0;

	memcpy(to_io->buf, msg, 4);
	expect(xtt_handshake_io(to, 4, to_io), XTT_WANT_READ, to);
	if (to_io->len != len - 4)
		die("length");
	memcpy(to_io->buf, msg + 4, len - 4);
	t0 = now_us();
	st = xtt_handshake_io(to, len - 4, to_io);
	*us += now_us() - t0;
	expect(xtt_handshake_io(from, len, from_io), from_next, from);
	return st;
}

/* One in-memory handshake, adding each server step's time to t[]. */
static void one_handshake(struct world *w, const struct member *m, enum xtt_suite suite, double t[PH_COUNT])
{
	struct xtt_client_config ccfg;
	struct xtt_server_config scfg = { .cert = &w->server };
	struct xtt_handshake *c, *s;
	struct xtt_io cio, sio;
	const struct group_entry *g;
	uint8_t id[XTT_ID_LEN];
	char err[256];
	double t0, client_read = 0;

	client_config(&ccfg, w, m, suite);
	if (xtt_client_new(&c, &ccfg) || xtt_server_new(&s, &scfg))
		die("handshake objects");
	expect(xtt_handshake_start(c, &cio), XTT_WANT_WRITE, c);
	expect(xtt_handshake_start(s, &sio), XTT_WANT_READ, s);
	expect(deliver(s, &sio, c, &cio, XTT_WANT_READ, &t[PH_INIT]), XTT_WANT_WRITE, s);
	expect(deliver(c, &cio, s, &sio, XTT_WANT_READ, &client_read), XTT_WANT_ROOT, c);
	t0 = now_us();
	expect(xtt_client_set_root(c, &w->root, &cio), XTT_WANT_WRITE, c);
	t[PH_CLIENT] += now_us() - t0;
	expect(deliver(s, &sio, c, &cio, XTT_WANT_READ, &t[PH_ATTEST]), XTT_WANT_GROUP, s);
	t0 = now_us();
	g = groupdb_find(&w->db, xtt_server_claimed_gid(s));
	expect(xtt_server_set_group(s, g ? &g->server_group : NULL, &sio), XTT_WANT_IDENTITY, s);
	t[PH_GROUP] += now_us() - t0;
	t0 = now_us();
	if (registry_assign(&w->reg, id, g, xtt_handshake_pseudonym(s), xtt_server_requested_id(s),
			    xtt_handshake_longterm_pub(s), err, sizeof(err)))
		die(err);
	expect(xtt_server_set_identity(s, id, &sio), XTT_WANT_WRITE, s);
	t[PH_IDENTITY] += now_us() - t0;
	expect(deliver(c, &cio, s, &sio, XTT_DONE, &client_read), XTT_DONE, c);
	xtt_handshake_free(c);
	xtt_handshake_free(s);
}

/* Primitives inside the steps, for the breakdown. */
static void primitives(double *ecdsa_sign_us, double *ecdsa_verify_us, double *x25519_us, int n)
{
	EVP_PKEY *k;
	uint8_t pub[65], sig[64], msg[64] = { 1 }, sk[32], dh[32], sh[32];
	double t0;

	if (ecdsa_generate(&k) || ecdsa_public(pub, k))
		die("key");
	t0 = now_us();
	for (int i = 0; i < n; i++)
		ecdsa_sign(sig, k, msg, sizeof(msg));
	*ecdsa_sign_us = (now_us() - t0) / n;
	t0 = now_us();
	for (int i = 0; i < n; i++)
		if (ecdsa_verify(pub, sig, msg, sizeof(msg)))
			die("verify");
	*ecdsa_verify_us = (now_us() - t0) / n;
	t0 = now_us();
	for (int i = 0; i < n; i++) {
		x25519_keypair(NULL, sk, dh);
		x25519_shared(sh, sk, dh);
	}
	*x25519_us = (now_us() - t0) / n;
	EVP_PKEY_free(k);
}

/* ---- Part 2: loopback against xtt runserver ---- */
struct load {
	struct world *w;
	struct member *m;
	int port, count;
	int done, failed;
};

static int drive_socket(struct xtt_handshake *hs, int fd, const struct xtt_root_cert *root)
{
	struct xtt_io io;
	enum xtt_status st = xtt_handshake_start(hs, &io);

	for (;;) {
		ssize_t n;

		switch (st) {
		case XTT_WANT_WRITE:
			n = send(fd, io.buf, io.len, MSG_NOSIGNAL);
			st = n > 0 ? xtt_handshake_io(hs, (size_t)n, &io) :
			     xtt_handshake_abort(hs, XTT_E_PEER_CLOSED, "send", &io);
			if (n <= 0 && st == XTT_WANT_WRITE)
				st = xtt_handshake_abort(hs, XTT_E_PEER_CLOSED, "send", &io);
			break;
		case XTT_WANT_READ:
			n = recv(fd, io.buf, io.len, 0);
			st = n >= 0 ? xtt_handshake_io(hs, (size_t)n, &io) :
			     xtt_handshake_abort(hs, XTT_E_PEER_CLOSED, "recv", &io);
			break;
		case XTT_WANT_ROOT:
			st = xtt_client_set_root(hs, root, &io);
			break;
		case XTT_DONE:
			return 0;
		default:
			return -1;
		}
	}
}

static void *load_thread(void *arg)
{
	struct load *l = arg;
	struct xtt_client_config cfg;

	client_config(&cfg, l->w, l->m, XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512);
	for (int i = 0; i < l->count; i++) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)l->port) };
		struct xtt_handshake *hs;
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || xtt_client_new(&hs, &cfg)) {
			if (fd >= 0)
				close(fd);
			l->failed++;
			continue;
		}
		if (drive_socket(hs, fd, &l->w->root) == 0)
			l->done++;
		else
			l->failed++;
		xtt_handshake_free(hs);
		close(fd);
	}
	return NULL;
}

static void write_or_die(const char *path, const uint8_t *buf, size_t len)
{
	char err[512];

	if (file_write_atomic(path, buf, len, 0600, err, sizeof(err)))
		die(err);
}

struct lb_result {
	double wall_rate, server_us;
	int failed;
};

static void loopback(struct world *w, int total, int nworkers, struct lb_result *res)
{
	char dir[] = "/tmp/xtt-bench-XXXXXX", path[PATH_MAX], exe[PATH_MAX], portbuf[16] = "";
	uint8_t gpk[ECDAA_GROUP_PUBLIC_KEY_LEN], *der;
	size_t der_len;
	struct member m[4];
	struct load l[4];
	pthread_t th[4];
	struct rusage ru;
	int status, threads = 4, port = 0, done = 0, failed = 0;
	pid_t pid;
	double t0, wall;
	ssize_t n;

	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(path, sizeof(path), "%s/server_cert.bin", dir);
	write_or_die(path, w->server.cert, sizeof(w->server.cert));
	if (ecdsa_key_encode(&der, &der_len, w->server_key))
		die("key encode");
	snprintf(path, sizeof(path), "%s/server_keys.asn1.bin", dir);
	write_or_die(path, der, der_len);
	OPENSSL_free(der);
	ecdaa_group_public_key_encode(gpk, &w->ipk.gpk);
	snprintf(path, sizeof(path), "%s/gpk.bin", dir);
	write_or_die(path, gpk, sizeof(gpk));
	snprintf(path, sizeof(path), "%s/groups.conf", dir);
	{
		static const char conf[] = "group bench gpk=gpk.bin basename-text=BASENAME prefix=2001:db8:0:b::/64\n";

		write_or_die(path, (const uint8_t *)conf, sizeof(conf) - 1);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 8);
	if (n <= 0)
		die("readlink /proc/self/exe");
	exe[n] = '\0';
	snprintf(strrchr(exe, '/') + 1, 8, "xtt");
	pid = fork();
	if (pid == 0) {
		char groups[PATH_MAX], state[PATH_MAX], cert[PATH_MAX], key[PATH_MAX], pf[PATH_MAX], max[16], wk[16];

		snprintf(groups, sizeof(groups), "%s/groups.conf", dir);
		snprintf(state, sizeof(state), "%s", dir);
		snprintf(cert, sizeof(cert), "%s/server_cert.bin", dir);
		snprintf(key, sizeof(key), "%s/server_keys.asn1.bin", dir);
		snprintf(pf, sizeof(pf), "%s/port", dir);
		snprintf(max, sizeof(max), "%d", total);
		snprintf(wk, sizeof(wk), "%d", nworkers);
		execl(exe, "xtt", "runserver", "-a", "127.0.0.1", "-p", "0", "--port-file", pf, "-g", groups,
		      "-s", state, "-c", cert, "-k", key, "--quiet", "--max-handshakes", max,
		      "--workers", wk, (char *)NULL);
		perror(exe);
		_exit(127);
	}
	snprintf(path, sizeof(path), "%s/port", dir);
	for (int i = 0; i < 200 && !port; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			if (fgets(portbuf, sizeof(portbuf), f))
				port = atoi(portbuf);
			fclose(f);
		}
		if (!port)
			usleep(25000);
	}
	if (!port)
		die("xtt runserver did not start");
	for (int i = 0; i < threads; i++) {
		member_join(&m[i], w);
		l[i] = (struct load){ w, &m[i], port, total / threads, 0, 0 };
	}
	t0 = now_us();
	for (int i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, load_thread, &l[i]);
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		done += l[i].done;
		failed += l[i].failed;
	}
	wall = (now_us() - t0) / 1e6;
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait");
	{
		double server_cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
				    ru.ru_stime.tv_usec / 1e6;

		res->wall_rate = done / wall;
		res->server_us = server_cpu * 1e6 / (done ? done : 1);
		res->failed = failed;
	}
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "xtt-bench: could not remove %s\n", dir);
	}
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5, per = argc > 2 ? atoi(argv[2]) : 100;
	int lb = argc > 3 ? atoi(argv[3]) : 400;
	struct world w = { 0 };
	struct member m;
	uint8_t spub[65];
	char err[512];
	double ph[4][PH_COUNT][64], es, ev, xd;
	int nsuites = 0;
	enum xtt_suite suites[4];

	if (rounds < 1 || rounds > 64 || per < 1)
		die("usage: xtt-bench [ROUNDS (1-64)] [HANDSHAKES PER ROUND] [LOOPBACK HANDSHAKES]");
	if (ecdaa_init() || ecdsa_generate(&w.root_key) || ecdsa_generate(&w.server_key))
		die("set-up");
	w.root.id[15] = 1;
	ecdsa_public(w.root.pub, w.root_key);
	ecdsa_public(spub, w.server_key);
	if (server_cert_build(w.server.cert, (const uint8_t *)CERT_RESERVED_DEFAULT, &w.root, w.root_key, spub))
		die("server certificate");
	w.server.key = w.server_key;
	if (ecdaa_issuer_key_pair_generate(&w.ipk, &w.isk))
		die("issuer");
	member_join(&m, &w);
	{
		/* A one-group database over an in-memory gpk file is what runserver uses. */
		char dir[] = "/tmp/xtt-bench-db-XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16];
		uint8_t gpk[ECDAA_GROUP_PUBLIC_KEY_LEN];
		static const char conf[] = "group bench gpk=gpk.bin basename-text=BASENAME prefix=2001:db8:0:b::/64\n";

		if (!mkdtemp(dir))
			die("mkdtemp");
		ecdaa_group_public_key_encode(gpk, &w.ipk.gpk);
		snprintf(path, sizeof(path), "%s/gpk.bin", dir);
		write_or_die(path, gpk, sizeof(gpk));
		if (groupdb_parse(&w.db, conf, sizeof(conf) - 1, "bench", dir, err, sizeof(err)))
			die(err);
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			die("cleanup");
	}
	if (registry_open(&w.reg, NULL, err, sizeof(err)))
		die(err);
	for (int s = 1; s <= 4; s++)
		if (xtt_suite_available((enum xtt_suite)s))
			suites[nsuites++] = (enum xtt_suite)s;

	/* Interleaved rounds: suite 1, 2, 3, 4, suite 1, ... */
	for (int r = 0; r < rounds; r++) {
		for (int si = 0; si < nsuites; si++) {
			double t[PH_COUNT] = { 0 };

			for (int i = 0; i < per; i++)
				one_handshake(&w, &m, suites[si], t);
			for (int p = 0; p < PH_COUNT; p++)
				ph[si][p][r] = t[p] / per;
		}
	}
	primitives(&es, &ev, &xd, 200);

	printf("xtt server handshake: where the time goes (in memory, median of %d rounds x %d handshakes)\n",
	       rounds, per);
	for (int si = 0; si < nsuites; si++) {
		double med[PH_COUNT], total = 0;

		for (int p = 0; p < PH_COUNT; p++) {
			med[p] = median(ph[si][p], rounds);
			if (p != PH_CLIENT)
				total += med[p];
		}
		printf("\nsuite %s\n", xtt_suite_name(suites[si]));
		printf("  %-44s %10s %7s\n", "server step", "us", "share");
		for (int p = 0; p < PH_CLIENT; p++)
			printf("  %-44s %10.1f %6.1f%%\n", phase_names[p], med[p], 100 * med[p] / total);
		printf("  %-44s %10.1f   => %.0f handshakes/s per core\n", "server total", total, 1e6 / total);
		printf("  %-44s %10.1f\n", phase_names[PH_CLIENT], med[PH_CLIENT]);
	}
	{
		double base = 0;

		printf("\nsuites side by side (server total, ratio to %s)\n", xtt_suite_name(suites[0]));
		for (int si = 0; si < nsuites; si++) {
			double total = 0;

			for (int p = 0; p < PH_CLIENT; p++) {
				double v[64];

				memcpy(v, ph[si][p], sizeof(double) * (size_t)rounds);
				total += median(v, rounds);
			}
			if (si == 0)
				base = total;
			printf("  %-28s %10.1f us  x%.2f\n", xtt_suite_name(suites[si]), total, total / base);
		}
	}
	printf("\nprimitives inside the steps (mean of 200)\n");
	printf("  %-44s %10.1f us\n", "ECDSA P-256 sign (OpenSSL)", es);
	printf("  %-44s %10.1f us\n", "ECDSA P-256 verify (OpenSSL)", ev);
	printf("  %-44s %10.1f us\n", "X25519 key pair + shared secret (libsodium)", xd);
	if (lb > 0) {
		/* Interleaved: 1 worker, 2 workers, 1, 2, ... */
		double rate[2][8], cpu[2][8];
		int lrounds = 3, failed = 0;

		for (int r = 0; r < lrounds; r++)
			for (int k = 0; k < 2; k++) {
				struct lb_result res;

				loopback(&w, lb, k + 1, &res);
				rate[k][r] = res.wall_rate;
				cpu[k][r] = res.server_us;
				failed += res.failed;
			}
		printf("\nloopback: xtt runserver and 4 client threads on the same %ld cores "
		       "(median of %d runs x %d handshakes, %d failed)\n",
		       sysconf(_SC_NPROCESSORS_ONLN), lrounds, lb, failed);
		printf("  %-12s %16s %22s %8s\n", "server", "handshakes/s", "server CPU us/handshake", "ratio");
		{
			double base = median(rate[0], lrounds);

			for (int k = 0; k < 2; k++) {
				double med = median(rate[k], lrounds);

				printf("  %d worker%s %16.0f %22.0f %7.2fx\n", k + 1, k ? "s" : " ", med,
				       median(cpu[k], lrounds), med / base);
			}
		}
		printf("  (end to end: the clients' ECDAA signing shares the CPU with the server)\n");
	}
	registry_close(&w.reg);
	groupdb_free(&w.db);
	EVP_PKEY_free(w.root_key);
	EVP_PKEY_free(w.server_key);
	return 0;
}
