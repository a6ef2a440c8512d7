/* nftsrv6-blast: send one Ethernet frame as fast as possible out of an interface for a
 * number of seconds and print the packets per second of wall time and per second of the
 * sending thread's CPU time.  On a veth the receiving side (forwarding, netfilter) runs
 * in the sender's context, so the CPU figure measures the whole path and does not depend
 * on what else runs on a shared machine.
 *   nftsrv6-blast IFACE FRAMEFILE SECONDS */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	unsigned char frame[2048];
	unsigned long long sent = 0;
	double start, cpu_start, secs;
	size_t len;
	FILE *f;
	int fd, one = 1, i;

	if (argc != 4) {
		fprintf(stderr, "usage: nftsrv6-blast IFACE FRAMEFILE SECONDS\n");
		return 2;
	}
	secs = atof(argv[3]);
	f = fopen(argv[2], "rb");
	if (!f) {
		fprintf(stderr, "nftsrv6-blast: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	len = fread(frame, 1, sizeof(frame), f);
	fclose(f);
	if (len < ETH_HLEN) {
		fprintf(stderr, "nftsrv6-blast: %s holds no frame\n", argv[2]);
		return 1;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "nftsrv6-blast: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* skip the qdisc: measure the path, not the queue */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	iov.iov_base = frame;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now(CLOCK_MONOTONIC);
	cpu_start = now(CLOCK_THREAD_CPUTIME_ID);
	while (now(CLOCK_MONOTONIC) - start < secs) {
		int n = sendmmsg(fd, msgs, BATCH, 0);

		if (n < 0 && errno != ENOBUFS && errno != EAGAIN) {
			fprintf(stderr, "nftsrv6-blast: send: %s\n", strerror(errno));
			return 1;
		}
		if (n > 0)
			sent += (unsigned long long)n;
	}
	printf("%.0f %.0f\n", (double)sent / (now(CLOCK_MONOTONIC) - start),
	       (double)sent / (now(CLOCK_THREAD_CPUTIME_ID) - cpu_start));
	close(fd);
	return 0;
}
