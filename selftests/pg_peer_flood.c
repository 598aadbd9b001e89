// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer flood: an outsider that floods a listener with connections from
 * one address, each sending a well-formed HELLO for a group of the node
 * (random keys: it knows no password), then nothing more: it holds every
 * connection the node keeps open, until the node closes it or the flood
 * ends. The node is to answer a few, as its rate limit allows, and close
 * the rest at once, so that its handshake slots stay free for members.
 *
 *   flood ADDR PORT GROUP-ID RATE SECONDS
 *
 * RATE connections a second for SECONDS, or until SIGTERM or SIGINT, at
 * most FLOOD_OPEN open at once (the oldest is closed to open another).
 * Prints one line of JSON:
 *   seconds     how long the flood lasted
 *   opened      connections made
 *   challenged  answered with a CHALLENGE: the node spent a key pair and a
 *               proof on it
 *   refused     answered with a REFUSE
 *   closed      closed by the node with nothing said
 *   held_max    the most the node kept open at once, unanswered or
 *               challenged
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pg_peer.h"

#define FLOOD_OPEN	512

struct flood_conn {
	int fd;
	bool connected, answered;
	u8 hdr[W_HDR];
	size_t got;
};

static struct {
	unsigned long opened, challenged, refused, closed;
	unsigned int held, held_max;
} st;

static volatile sig_atomic_t flood_stop;

static void flood_signal(int sig)
{
	(void)sig;
	flood_stop = 1;
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int flood_open(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (connect(fd, (const struct sockaddr *)ss, len) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	st.opened++;
	return fd;
}

static void flood_drop(struct flood_conn *c)
{
	if (c->fd < 0)
		return;
	if (c->connected && (!c->answered || c->hdr[5] == T_CHALLENGE))
		st.held--;
	close(c->fd);
	c->fd = -1;
}

/* The connection is up: its HELLO goes, in one frame. */
static void flood_hello(struct flood_conn *c, const char *gid)
{
	u8 ni[W_NONCE], ei[W_KEY], node[W_NODE_ID];
	struct buf hello = { }, frame = { };
	int err = 0;
	socklen_t elen = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err) {
		st.closed++;
		close(c->fd);
		c->fd = -1;
		return;
	}
	c->connected = true;
	st.held++;
	if (st.held > st.held_max)
		st.held_max = st.held;
	random_bytes(ni, sizeof(ni));
	random_bytes(ei, sizeof(ei));
	random_bytes(node, sizeof(node));
	hello_build(&hello, W_SUITE, node, ni, ei, gid, "mallory");
	buf_be(&frame, W_HDR + hello.len, 4);
	buf_u8(&frame, W_VERSION);
	buf_u8(&frame, T_HELLO);
	buf_be(&frame, 0, 2);
	buf_put(&frame, hello.p, hello.len);
	/* A reset shows as the next read's end. */
	if (send(c->fd, frame.p, frame.len, MSG_NOSIGNAL) < 0)
		vlog("a HELLO not sent: %s", strerror(errno));
	buf_free(&hello);
	buf_free(&frame);
}

/* Something to read: the first frame's header tells what the node did. */
static void flood_read(struct flood_conn *c)
{
	u8 drain[512];
	ssize_t n;

	if (c->answered) {
		n = recv(c->fd, drain, sizeof(drain), 0);
	} else {
		n = recv(c->fd, c->hdr + c->got, W_HDR - c->got, 0);
		if (n > 0) {
			c->got += n;
			if (c->got == W_HDR) {
				c->answered = true;
				if (c->hdr[5] == T_CHALLENGE) {
					st.challenged++;
				} else {
					st.refused += c->hdr[5] == T_REFUSE;
					st.held--;
				}
			}
			return;
		}
	}
	if (n > 0 || (n < 0 && errno == EAGAIN))
		return;
	if (!c->answered)
		st.closed++;
	flood_drop(c);
}

static void flood_addr(const char *addr, const char *port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	long p = number_arg("PORT", port, 1, 65535);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(p);
		*len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p);
		*len = sizeof(*sin6);
	} else {
		die("ADDR \"%s\": not an IPv4 or IPv6 address", addr);
	}
}

int flood_main(char **argv)
{
	static struct flood_conn conns[FLOOD_OPEN];
	static struct pollfd pfd[FLOOD_OPEN];
	long rate = number_arg("RATE", argv[3], 1, 10000);
	long secs = number_arg("SECONDS", argv[4], 1, 3600);
	u64 start = now_ms(), end = start + secs * 1000, next = start;
	struct sockaddr_storage ss;
	unsigned int i, slot = 0;
	socklen_t len;

	flood_addr(argv[0], argv[1], &ss, &len);
	for (i = 0; i < FLOOD_OPEN; i++)
		conns[i].fd = -1;
	signal(SIGTERM, flood_signal);
	signal(SIGINT, flood_signal);
	while (!flood_stop && now_ms() < end) {
		u64 now = now_ms();
		int wait;

		while (next <= now) {
			struct flood_conn *c = &conns[slot];

			flood_drop(c);
			memset(c, 0, sizeof(*c));
			c->fd = flood_open(&ss, len);
			slot = (slot + 1) % FLOOD_OPEN;
			next += 1000 / rate ?: 1;
		}
		for (i = 0; i < FLOOD_OPEN; i++) {
			pfd[i].fd = conns[i].fd;
			pfd[i].events = conns[i].connected ? POLLIN : POLLOUT;
			pfd[i].revents = 0;
		}
		wait = next > now ? (int)(next - now) : 0;
		if (poll(pfd, FLOOD_OPEN, wait) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		for (i = 0; i < FLOOD_OPEN; i++) {
			struct flood_conn *c = &conns[i];

			if (c->fd < 0 || !pfd[i].revents)
				continue;
			if (!c->connected)
				flood_hello(c, argv[2]);
			else
				flood_read(c);
		}
	}
	for (i = 0; i < FLOOD_OPEN; i++)
		flood_drop(&conns[i]);
	printf("{\"seconds\":%.1f,\"opened\":%lu,\"challenged\":%lu,\"refused\":%lu,"
	       "\"closed\":%lu,\"held_max\":%u}\n", (now_ms() - start) / 1000.0,
	       st.opened, st.challenged, st.refused, st.closed, st.held_max);
	return 0;
}
