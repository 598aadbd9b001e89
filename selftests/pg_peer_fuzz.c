// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer fuzz ADDR PORT GROUP-ID IDENTITY PASSWORD FRAMES SEED
 *
 * Authenticates, takes the peer's table (the base), then sends FRAMES
 * frames, most of them sealed so that they reach the peer's parsers:
 * records of the base mutated and not signed again (bits flipped anywhere,
 * cut, extended, a length field changed, another kind), records signed
 * again that break one rule of records.rst (version 0, unknown flags, bad
 * identities, times out of order, a tombstone with data, the id not bound,
 * expired, living longer than the max lifetime, a nil or reserved type, a
 * modifier not entitled, too large),
 * random and mutated WELCOME, PROPERTIES, SOLICIT and RECONCILE payloads,
 * SYNC_END, REFUSE, unknown types, wrong flags and versions, bad tags, bad
 * lengths, plaintext frames, garbage, frames cut short, and bad handshakes
 * on connections of their own.
 *
 * For each frame it predicts from protocol.rst alone whether the peer keeps
 * the connection (a record that parses is dropped or, if identical, ignored;
 * a valid WELCOME, and PROPERTIES not newer than the peer's, are ignored)
 * or closes it, and checks: every frame meant to
 * close is followed by a SOLICIT, which must find the connection closed
 * (with the REFUSE the documentation names, if it names one); the frames
 * meant to keep it go out back to back (a few to a send: the peer reads a
 * stream), and every -p of them (256) a SOLICIT must find it open and the
 * table exactly the base. A frame that closed the connection makes it
 * connect again; a handshake costs time, so -c per mille of the frames
 * (5) are meant to close, and of the frames drawn to keep it that would
 * close it all the same, one in 200 is sent (the others are drawn again).
 * Nothing may ever be stored: no flood may come, no solicited table may
 * differ from the base.
 *
 * SEED (a number, or "random") fixes every choice: the run is printed with
 * its seed, and a deviation with the index of the frame, so that
 * "fuzz ... I+1 SEED" with -p 1 repeats it up to that frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pg_peer_fuzz.h"

static long probe_every = 256;
static long close_permille = 5;

void fuzz_option(int opt, const char *arg)
{
	if (opt == 'p')
		probe_every = number_arg("-p N", arg, 1, 1000000);
	else
		close_permille = number_arg("-c N", arg, 0, 1000);
}

void deviation(struct fz *z, const char *what)
{
	long j;

	z->deviations++;
	printf("fuzz: DEVIATION at frame %ld (seed replays it): %s\n", z->i, what);
	printf("fuzz: the frames since the last check (%ld..%ld):\n", z->batch_from, z->i);
	for (j = z->batch_from > z->i - LOG_LEN + 1 ? z->batch_from : z->i - LOG_LEN + 1;
	     j <= z->i; j++)
		printf("fuzz:   %ld %s\n", j, z->log[j % LOG_LEN]);
	if (z->deviations >= 20) {
		printf("fuzz: 20 deviations: giving up\n");
		exit(1);
	}
}

void fatal(struct fz *z, const char *what)
{
	deviation(z, what);
	printf("fuzz: the table must never change: stopping\n");
	exit(1);
}

/* Connects (again) and checks that the table is still the base. */
static void reconnect(struct fz *z)
{
	struct table t = { };

	if (z->up)
		conn_close(&z->c);
	z->out.len = 0;		/* sealed for the connection gone */
	connect_peer(&z->c, z->tg, false, false);
	z->c.quiet = true;
	z->up = true;
	z->awaiting = false;
	if (solicit(&z->c, &t, 30000))
		die("fuzz: the table after connecting again did not come");
	if (!z->based) {
		z->base = t;
		z->based = true;
		return;
	}
	z->reconnects++;
	if (!table_same(&z->base, &t))
		fatal(z, "the table differs from the base after connecting again");
	table_free(&t);
}

/* Frames the peer sends us meanwhile: none may be a flood. */
static void take(struct fz *z, const struct frame *f)
{
	struct record r;

	if (f->type == T_RECORD) {
		if (record_received(&z->c, f, &r))
			deviation(z, "the peer sent a RECORD that does not parse");
		else if (r.kind == 0)
			fatal(z, "the peer flooded a change: something was stored");
		else if (!record_verifies(z->c.g, &r))
			deviation(z, "the peer sent a record that does not verify");
		record_free(&r);
	} else if (f->type != T_RECONCILE) {
		char s[64];

		snprintf(s, sizeof(s), "the peer sent an unexpected %s", type_name(f->type));
		deviation(z, s);
	}
}

static void drain(struct fz *z)
{
	struct frame f;

	while (!z->c.eof && conn_recv(&z->c, &f, 0) > 0)
		take(z, &f);
}

bool rc_valid(const u8 *p, size_t len, bool *start, bool *done)
{
	const u8 *lo = NULL, *hi;
	size_t off = 1;

	if (len < 1)
		return false;
	*start = p[0] & RC_START;
	*done = p[0] & RC_DONE;
	if (p[0] & RC_DONE)
		return p[0] == RC_DONE && len == 1;
	if (p[0] & ~RC_START)
		return false;
	do {
		u8 mode, n = 0;
		size_t item = 0, i;

		if (off >= len)
			return false;
		mode = p[off++];
		if ((mode & ~RC_END) > RC_NEED)
			return false;
		hi = NULL;
		if (!(mode & RC_END)) {
			if (len - off < 16)
				return false;
			hi = p + off;
			off += 16;
		}
		switch (mode & ~RC_END) {
		case RC_FP:
			if (len - off < 16)
				return false;
			off += 16;
			break;
		case RC_LIST:
		case RC_NEED:
			item = (mode & ~RC_END) == RC_LIST ? 32 : 16;
			if (off >= len)
				return false;
			n = p[off++];
			if (n > RC_LIST_MAX || len - off < n * item)
				return false;
			break;
		}
		if (hi && lo && memcmp(hi, lo, 16) <= 0)
			return false;
		for (i = 0; i < n; i++) {
			const u8 *id = p + off + i * item;

			if ((lo && memcmp(id, lo, 16) < 0) || (hi && memcmp(id, hi, 16) >= 0) ||
			    (i && memcmp(id - item, id, 16) >= 0))
				return false;
		}
		off += n * item;
		lo = hi;
	} while (hi);
	return off == len;
}

/* Checks */

/*
 * Sends the frames meant to keep the connection: 0, or 1 if it closed
 * (a deviation: it was connected again).
 */
static int flush(struct fz *z)
{
	int ret = z->out.len ? conn_send_raw(&z->c, z->out.p, z->out.len) : 0;

	z->out.len = 0;
	if (!ret)
		drain(z);
	if (ret || z->c.eof) {
		deviation(z, "the connection closed under frames that keep it open");
		reconnect(z);
		return 1;
	}
	return 0;
}

/* After a frame meant to close: a SOLICIT must find the connection closed. */
static void expect_closed(struct fz *z, const struct shot *s)
{
	u8 sol[17] = { };
	struct frame f;
	int ret;

	if (s->expect == CLOSE_EOF)
		shutdown(z->c.fd, SHUT_WR);
	/*
	 * The close, at once as a rule. Only if it does not come soon does a
	 * SOLICIT ask: sent at once, it would make the peer's close a reset,
	 * which may lose the REFUSE before it.
	 */
	while ((ret = conn_recv(&z->c, &f, 1000)) > 0)
		take(z, &f);
	if (!ret && s->expect == CLOSE && !s->refuse)
		conn_send(&z->c, T_SOLICIT, sol, sizeof(sol));
	if (!ret) {
		while ((ret = conn_recv(&z->c, &f, 10000)) > 0) {
			if (f.type == T_SYNC_END)
				break;
			take(z, &f);
		}
		if (ret >= 0)
			deviation(z, ret ? "the connection stayed open after a frame that must close it" :
				  "the connection stayed open (11 s) after a frame that must close it");
	} else if (s->refuse && z->c.refused != s->refuse) {
		char m[128];

		snprintf(m, sizeof(m), "the connection closed with %s%s, not the REFUSE %s",
			 z->c.refused ? "the REFUSE " : "no REFUSE",
			 z->c.refused ? reason_name(z->c.refused) : "",
			 reason_name(s->refuse));
		deviation(z, m);
	}
	z->closed++;
	reconnect(z);
}

/*
 * The next frame of an answer we wait for: 0, or -1 if none came within
 * 30 s or the connection closed (a deviation: it was connected again).
 */
static int answer_frame(struct fz *z, struct frame *f, const char *what)
{
	char m[128];
	int ret = conn_recv(&z->c, f, 30000);

	if (ret > 0)
		return 0;
	snprintf(m, sizeof(m), "%s %s", ret ? "the connection closed instead of" :
		 "30 s without", what);
	deviation(z, m);
	reconnect(z);
	return -1;
}

/* A SOLICIT's stream: the base (above its cursor), then SYNC_END. */
static void expect_stream(struct fz *z, const struct shot *s)
{
	struct table t = { }, want = { };
	struct record r;
	struct frame f;
	size_t i;

	for (;;) {
		if (answer_frame(z, &f, "the rest of a stream")) {
			table_free(&t);
			return;
		}
		if (f.type == T_SYNC_END && !f.len)
			break;
		if (f.type != T_RECORD || f.len < 1 || f.p[0] != 1) {
			take(z, &f);
			continue;
		}
		if (record_received(&z->c, &f, &r)) {
			deviation(z, "a record of the stream does not parse");
			continue;
		}
		table_put(&t, &r);
		record_free(&r);
	}
	table_sort(&t);
	for (i = 0; i < z->base.n; i++)
		if (!s->has_cursor || memcmp(z->base.r[i].id, s->cursor, 16) > 0)
			table_put(&want, &z->base.r[i]);
	table_sort(&want);
	if (!table_same(&t, &want))
		fatal(z, "the table solicited differs from the base");
	table_free(&t);
	table_free(&want);
	z->probes++;
	z->batch_from = z->i + 1;
}

/* A RECONCILE sent: the peer's answer, which parses and is no START. */
static void expect_answer(struct fz *z)
{
	struct frame f;
	bool start, done;

	do {
		if (answer_frame(z, &f, "an answer to RECONCILE"))
			return;
		if (f.type != T_RECONCILE)
			take(z, &f);
	} while (f.type != T_RECONCILE);
	if (!rc_valid(f.p, f.len, &start, &done) || start)
		deviation(z, "the peer's RECONCILE answer does not parse or is a START");
	z->awaiting = !done;
}

static void probe(struct fz *z)
{
	struct shot s = { .expect = STREAM };
	u8 sol[17] = { };

	if (flush(z))
		return;
	if (conn_send(&z->c, T_SOLICIT, sol, sizeof(sol))) {
		deviation(z, "the connection failed under frames that keep it open");
		reconnect(z);
		return;
	}
	expect_stream(z, &s);
}

int fuzz_main(char **argv, u32 max_record_size)
{
	struct target tg;
	struct fz z = { .tg = &tg };
	long since = 0;
	u64 seed;

	target_args(argv, &tg, max_record_size);
	z.n = number_arg("FRAMES", argv[5], 0, 100000000);
	if (!strcmp(argv[6], "random"))
		random_bytes(&seed, sizeof(seed));
	else
		seed = number_arg("SEED", argv[6], 0, 0x7fffffffffffffffL);
	seed &= 0x7fffffffffffffffULL;
	z.rng = seed;
	printf("fuzz: seed %llu, %ld frames, a SOLICIT after every %ld kept, %ld per mille meant to close\n",
	       (unsigned long long)seed, z.n, probe_every, close_permille);
	reconnect(&z);
	printf("fuzz: the base: %zu records\n", z.base.n);
	for (z.i = 0; z.i < z.n; z.i++) {
		struct shot s = { };
		u32 pick = below(&z, 1000);

		/* Meant to keep it open, a frame may close it all the same: few do. */
		z.keep_close = pick < close_permille || !below(&z, 200);
		if (pick < close_permille) {
			if (below(&z, 3) == 0) {
				handshake_shot(&z);
				continue;
			}
			closing_shot(&z, &s);
		} else if (pick < 620) {
			mutated_record(&z, &s);
		} else if (pick < 820) {
			broken_record(&z, &s);
		} else if (pick < 900) {
			welcome_shot(&z, &s);
		} else if (pick < 940) {
			properties_shot(&z, &s);
		} else if (pick < 990) {
			reconcile_shot(&z, &s);
		} else {
			solicit_shot(&z, &s);
		}
		if (s.expect == CLOSE && !z.keep_close) {
			if (!s.discard)
				z.c.tx_seq--;
			buf_free(&s.b);
			z.i--;
			continue;
		}
		snprintf(z.log[z.i % LOG_LEN], sizeof(z.log[0]), "%s", s.desc);
		vlog("frame %ld: %s", z.i, s.desc);
		if (s.expect == KEEP) {
			/* Back to back, in few sends: the peer reads a stream. */
			buf_put(&z.out, s.b.p, s.b.len);
			buf_free(&s.b);
			z.kept++;
			if (s.done)
				z.awaiting = false;
			if (z.out.len >= 16384)
				flush(&z);
			if (++since >= probe_every) {
				probe(&z);
				since = 0;
			}
			continue;
		}
		if (flush(&z)) {
			/* Sealed for a connection that is gone: draw again. */
			buf_free(&s.b);
			z.i--;
			continue;
		}
		if (conn_send_raw(&z.c, s.b.p, s.b.len) && s.expect != CLOSE &&
		    s.expect != CLOSE_EOF) {
			deviation(&z, "the connection failed under frames that keep it open");
			reconnect(&z);
			buf_free(&s.b);
			continue;
		}
		buf_free(&s.b);
		switch (s.expect) {
		case STREAM:
			z.kept++;
			expect_stream(&z, &s);
			since = 0;
			break;
		case ANSWER:
			z.kept++;
			expect_answer(&z);
			break;
		default:
			expect_closed(&z, &s);
			since = 0;
			z.batch_from = z.i + 1;
			break;
		}
	}
	probe(&z);
	printf("fuzz: seed %llu: %ld frames: %ld kept the connection, %ld closed it as meant, %ld bad handshakes; %ld records meant to be refused; %ld reconnects, %ld tables checked; %ld deviations\n",
	       (unsigned long long)seed, z.n, z.kept, z.closed, z.handshakes, z.refused,
	       z.reconnects, z.probes, z.deviations);
	conn_close(&z.c);
	table_free(&z.base);
	buf_free(&z.out);
	return z.deviations ? 1 : 0;
}
