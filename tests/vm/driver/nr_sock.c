// SPDX-License-Identifier: GPL-2.0
/*
 * nr_sock - UDP helper for the napiref VM tests.
 *
 *   nr_sock send DST_IP PORT COUNT [SIZE [SRC_PORT]]
 *       send COUNT datagrams of SIZE bytes (default 64), from SRC_PORT if
 *       given; DST_IP may be IPv6. Prints "sent=N"
 *   nr_sock recv BIND_IP PORT COUNT TIMEOUT_MS [BUSY_POLL_US]
 *       receive until COUNT datagrams or TIMEOUT_MS; with BUSY_POLL_US the
 *       socket busy-polls (SO_BUSY_POLL). Prints
 *       "received=N napi_id=ID" (SO_INCOMING_NAPI_ID after the last one).
 *       A "ready" line is printed once the socket is bound.
 *
 * Exit 0 if everything was sent / COUNT was received, else 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL 46
#endif
#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56
#endif

static long long nr_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int nr_addr(const char *ip, const char *port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(atoi(port));
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

/* IPv4 or IPv6 destination (an address with a colon is IPv6) */
static int nr_addr_any(const char *ip, const char *port, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	struct sockaddr_in6 *sa6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!strchr(ip, ':')) {
		*len = sizeof(struct sockaddr_in);
		return nr_addr(ip, port, (struct sockaddr_in *)ss);
	}
	*len = sizeof(*sa6);
	sa6->sin6_family = AF_INET6;
	sa6->sin6_port = htons(atoi(port));
	return inet_pton(AF_INET6, ip, &sa6->sin6_addr) == 1 ? 0 : -1;
}

static int nr_send(int argc, char **argv)
{
	struct sockaddr_storage sa, src;
	char buf[65536] = {0};
	long count, size = 64, i, sent = 0;
	socklen_t salen;
	int fd;

	if (argc < 5 || nr_addr_any(argv[2], argv[3], &sa, &salen))
		return 1;
	count = atol(argv[4]);
	if (argc > 5)
		size = atol(argv[5]);
	if (size < 1 || size > (long)sizeof(buf))
		return 1;
	fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	if (argc > 6) {
		/* the wildcard address of the family, with the given port */
		memset(&src, 0, sizeof(src));
		src.ss_family = sa.ss_family;
		if (sa.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&src)->sin6_port = htons(atoi(argv[6]));
		else
			((struct sockaddr_in *)&src)->sin_port = htons(atoi(argv[6]));
		if (bind(fd, (struct sockaddr *)&src, salen)) {
			perror("bind");
			return 1;
		}
	}
	for (i = 0; i < count; i++) {
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&sa, salen) == size)
			sent++;
		else if (errno == ENOBUFS || errno == EAGAIN)
			usleep(100);
	}
	printf("sent=%ld\n", sent);
	close(fd);
	return sent == count ? 0 : 1;
}

static int nr_recv(int argc, char **argv)
{
	unsigned int napi_id = 0;
	socklen_t len = sizeof(napi_id);
	struct sockaddr_in sa;
	long count, received = 0;
	long long deadline;
	int fd, busy = 0, one = 1, rcvbuf = 8 << 20;
	char buf[65536];

	if (argc < 6 || nr_addr(argv[2], argv[3], &sa))
		return 1;
	count = atol(argv[4]);
	deadline = nr_now_ms() + atol(argv[5]);
	if (argc > 6)
		busy = atoi(argv[6]);

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/*
	 * Room for a whole burst: on a loaded TCG host the receiver may not run
	 * until the sender is done, and the tests count what the driver
	 * delivers, not what the default buffer holds (as root, past rmem_max).
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (busy && setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &busy, sizeof(busy))) {
		perror("SO_BUSY_POLL");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bind");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);

	while (received < count) {
		long long left = deadline - nr_now_ms();
		struct timeval tv;

		if (left <= 0)
			break;
		tv.tv_sec = left / 1000;
		tv.tv_usec = (left % 1000) * 1000;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (recv(fd, buf, sizeof(buf), 0) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			break;
		}
		received++;
	}
	getsockopt(fd, SOL_SOCKET, SO_INCOMING_NAPI_ID, &napi_id, &len);
	printf("received=%ld napi_id=%u\n", received, napi_id);
	close(fd);
	return received >= count ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "send"))
		return nr_send(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "recv"))
		return nr_recv(argc, argv);
	fprintf(stderr,
		"usage: %s send DST PORT COUNT [SIZE [SRC_PORT]] | recv IP PORT COUNT TIMEOUT_MS "
		"[BUSY_US]\n",
		argv[0]);
	return 1;
}
