// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer relay LISTEN-PORT UPSTREAM-ADDR UPSTREAM-PORT MODE N
 *
 * A TCP relay between two peers, for someone on the wire: it accepts a
 * connection on LISTEN-PORT (IPv4, every address), connects to
 * UPSTREAM-ADDR UPSTREAM-PORT and forwards both ways, one connection at a
 * time. It reads the frames from the initiator (the side that connected to
 * it) by their length prefix; the frames after the initiator's PROOF are
 * sealed, and at the N-th of them (N from 1) of the first connection that
 * reaches it, MODE says what it does:
 *
 *   flip      flips one bit of a byte in the middle of the frame
 *   replay    sends the frame twice
 *   truncate  drops the last 4 bytes of the frame and rewrites its length
 *   cut       sends the first half of the frame, then closes both sides
 *   pass      nothing: the frames pass unchanged (a control)
 *
 * It prints "listening", "connection K", "tampered: ..." and "connection K
 * closed" lines as they happen. After the connection it tampered with it
 * accepts no other until it receives SIGUSR1 (a test looks at both sides
 * meanwhile); later connections pass unchanged.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pg_peer.h"

enum mode { M_PASS, M_FLIP, M_REPLAY, M_TRUNCATE, M_CUT };

static volatile sig_atomic_t go_on;

static void on_usr1(int sig)
{
	(void)sig;
	go_on = 1;
}

struct relay {
	enum mode mode;
	long n;
	bool tampered;		/* done, on some connection */
	long conns;
};

static int write_all(int fd, const u8 *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

/*
 * Frames from the initiator in @b: each whole one is forwarded (or
 * tampered with) and dropped. -1 ends the connection.
 */
static int forward_frames(struct relay *rl, struct buf *b, int up,
			  bool *proofed, long *sealed, bool *raw)
{
	size_t off = 0;
	int ret = 0;

	while (!*raw && b->len - off >= 4) {
		u8 *f = b->p + off;
		u32 len = get_be(f, 4);

		if (len < W_HDR || len > 16 * 1024 * 1024) {
			printf("relay: connection %ld: a length of %u: forwarding the rest as it comes\n",
			       rl->conns, len);
			*raw = true;
			break;
		}
		if (b->len - off < len)
			break;
		off += len;
		if (!*proofed) {
			*proofed = f[5] == T_PROOF;
			vlog("relay: %s, %u bytes, plaintext", type_name(f[5]), len);
			if (write_all(up, f, len))
				return -1;
			continue;
		}
		++*sealed;
		vlog("relay: sealed frame %ld: %s, %u bytes", *sealed, type_name(f[5]), len);
		if (rl->mode == M_PASS || rl->tampered || *sealed != rl->n) {
			if (write_all(up, f, len))
				return -1;
			continue;
		}
		rl->tampered = true;
		printf("relay: connection %ld: tampered (%s) with sealed frame %ld: %s, %u bytes\n",
		       rl->conns, rl->mode == M_FLIP ? "flip" : rl->mode == M_REPLAY ? "replay" :
		       rl->mode == M_TRUNCATE ? "truncate" : "cut", *sealed,
		       type_name(f[5]), len);
		fflush(stdout);
		switch (rl->mode) {
		case M_FLIP:
			f[W_HDR + (len - W_HDR) / 2] ^= 0x10;
			ret = write_all(up, f, len);
			break;
		case M_REPLAY:
			ret = write_all(up, f, len) || write_all(up, f, len) ? -1 : 0;
			break;
		case M_TRUNCATE:
			put_be(f, len - 4, 4);
			ret = write_all(up, f, len - 4);
			break;
		default:
			write_all(up, f, len / 2);
			ret = -1;
			break;
		}
		if (ret)
			return -1;
	}
	memmove(b->p, b->p + off, b->len - off);
	b->len -= off;
	if (*raw && b->len) {
		if (write_all(up, b->p, b->len))
			return -1;
		b->len = 0;
	}
	return 0;
}

/* One connection: both ways until either side closes. */
static void serve(struct relay *rl, int down, const char *addr, const char *port)
{
	struct pollfd pfd[2];
	struct buf b = { };
	bool proofed = false, raw = false;
	long sealed = 0;
	u8 tmp[65536];
	int up = tcp_connect(addr, port);

	if (up < 0) {
		close(down);
		return;
	}
	/* Blocking from here on: each side reads what the other sends. */
	fd_blocking(up);
	pfd[0] = (struct pollfd){ .fd = down, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = up, .events = POLLIN };
	for (;;) {
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents) {
			n = recv(up, tmp, sizeof(tmp), 0);
			if (n <= 0 || write_all(down, tmp, n))
				break;
		}
		if (pfd[0].revents) {
			n = recv(down, tmp, sizeof(tmp), 0);
			if (n <= 0)
				break;
			buf_put(&b, tmp, n);
			if (forward_frames(rl, &b, up, &proofed, &sealed, &raw))
				break;
		}
	}
	close(up);
	close(down);
	buf_free(&b);
	printf("relay: connection %ld closed\n", rl->conns);
	fflush(stdout);
}

int relay_main(char **argv)
{
	static const char *const modes[] = { "pass", "flip", "replay", "truncate", "cut" };
	struct relay rl = { };
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t usr1, old;
	unsigned int i;
	int lfd;

	number_arg("LISTEN-PORT", argv[0], 1, 65535);
	number_arg("UPSTREAM-PORT", argv[2], 1, 65535);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[3], modes[i]))
			rl.mode = i;
	if (strcmp(argv[3], modes[rl.mode])) {
		fprintf(stderr, "%s: MODE \"%s\": not flip, replay, truncate, cut or pass\n",
			prog, argv[3]);
		return 2;
	}
	rl.n = number_arg("N", argv[4], 1, 1000000);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	lfd = tcp_listen(argv[0]);
	printf("relay: listening on port %s, upstream %s port %s, %s frame %ld\n",
	       argv[0], argv[1], argv[2], modes[rl.mode], rl.n);
	fflush(stdout);
	for (;;) {
		bool was = rl.tampered;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			die("relay: accept: %s", strerror(errno));
		}
		rl.conns++;
		printf("relay: connection %ld\n", rl.conns);
		fflush(stdout);
		serve(&rl, fd, argv[1], argv[2]);
		if (rl.tampered && !was) {
			printf("relay: waiting for SIGUSR1\n");
			fflush(stdout);
			sigprocmask(SIG_BLOCK, &usr1, &old);
			while (!go_on)
				sigsuspend(&old);
			sigprocmask(SIG_SETMASK, &old, NULL);
			printf("relay: going on, passing every frame\n");
			fflush(stdout);
		}
	}
}
