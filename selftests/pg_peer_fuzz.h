/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pg_peer fuzz: its state, shared by the driver and checks
 * (pg_peer_fuzz.c) and the frames it draws (pg_peer_mutate.c).
 */
#ifndef _PG_PEER_FUZZ_H
#define _PG_PEER_FUZZ_H

#include "pg_peer.h"

enum expect {
	KEEP,		/* the connection stays */
	CLOSE,		/* it closes; a SOLICIT after it must find it so */
	CLOSE_EOF,	/* we shut our side down: it must close */
	STREAM,		/* a valid SOLICIT: the table, then SYNC_END */
	ANSWER,		/* a valid RECONCILE: the peer answers */
};

struct shot {
	struct buf b;		/* the bytes to send */
	enum expect expect;
	int refuse;		/* the REFUSE expected before the close, or 0 */
	bool sealed_ok;		/* sealed with the next count: it advances */
	u8 done;		/* a RECONCILE DONE (ANSWER state ends) */
	u8 cursor[16];		/* STREAM: the SOLICIT's cursor */
	bool has_cursor;
	bool discard;		/* it would close, and may not: draw again */
	char desc[160];
};

#define LOG_LEN 64

struct fz {
	struct target *tg;
	struct conn c;
	bool up;
	struct table base;
	bool based;
	u64 rng;
	bool awaiting;		/* the peer waits for our RECONCILE answer */
	bool keep_close;	/* this frame may close the connection */
	struct buf out;		/* frames meant to keep it, not yet sent */
	long i, n;
	long kept, closed, probes, reconnects, handshakes, refused, deviations;
	long batch_from;	/* the first frame since the last probe */
	char log[LOG_LEN][160];
};

static inline u64 rnd(struct fz *z)
{
	u64 x = z->rng += 0x9e3779b97f4a7c15ULL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline u32 below(struct fz *z, u32 n)
{
	return n ? rnd(z) % n : 0;
}

static inline void rnd_bytes(struct fz *z, u8 *p, size_t n)
{
	while (n--)
		*p++ = rnd(z);
}

/* pg_peer_fuzz.c */
void deviation(struct fz *z, const char *what);
void fatal(struct fz *z, const char *what);
/* protocol.rst, RECONCILE, "Message": whether @p parses. */
bool rc_valid(const u8 *p, size_t len, bool *start, bool *done);

/* pg_peer_mutate.c: each fills a shot and says what the peer must do. */
void mutated_record(struct fz *z, struct shot *s);
void broken_record(struct fz *z, struct shot *s);
void welcome_shot(struct fz *z, struct shot *s);
void properties_shot(struct fz *z, struct shot *s);
void solicit_shot(struct fz *z, struct shot *s);
void reconcile_shot(struct fz *z, struct shot *s);
void closing_shot(struct fz *z, struct shot *s);
/* A bad handshake on a connection of its own, checked at once. */
void handshake_shot(struct fz *z);

#endif /* _PG_PEER_FUZZ_H */
