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
 * expired, a nil or reserved type, a modifier not entitled, too large),
 * random and mutated WELCOME, SOLICIT and RECONCILE payloads, SYNC_END,
 * REFUSE, unknown types, wrong flags and versions, bad tags, bad lengths,
 * plaintext frames, garbage, frames cut short, and bad handshakes on
 * connections of their own.
 *
 * For each frame it predicts from protocol.rst alone whether the peer keeps
 * the connection (a record that parses is dropped or, if identical, ignored;
 * a valid WELCOME is ignored) or closes it, and checks: every frame meant to
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

#include "pg_peer.h"

static long probe_every = 256;
static long close_permille = 5;

void fuzz_option(int opt, const char *arg)
{
	if (opt == 'p')
		probe_every = number_arg("-p N", arg, 1, 1000000);
	else
		close_permille = number_arg("-c N", arg, 0, 1000);
}

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

static u64 rnd(struct fz *z)
{
	u64 x = z->rng += 0x9e3779b97f4a7c15ULL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u32 below(struct fz *z, u32 n)
{
	return n ? rnd(z) % n : 0;
}

static void rnd_bytes(struct fz *z, u8 *p, size_t n)
{
	while (n--)
		*p++ = rnd(z);
}

static void deviation(struct fz *z, const char *what)
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

static void fatal(struct fz *z, const char *what)
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

/* protocol.rst, RECONCILE, "Message": whether @p parses. */
static bool rc_valid(const u8 *p, size_t len, bool *start, bool *done)
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

/* Sealing: the frame goes out sealed with the next count. */
static void seal(struct fz *z, struct shot *s, u8 type, const void *p, size_t n)
{
	frame_build(&z->c, &s->b, W_VERSION, type, 0, p, n, true);
	s->sealed_ok = true;
}

/* Records */

static const struct record *base_record(struct fz *z)
{
	return z->base.n ? &z->base.r[below(z, z->base.n)] : NULL;
}

/* Offsets and widths of the length fields of @r's RECORD payload. */
static int len_fields(const struct fz *z, const struct record *r, u32 *off,
		      u8 *w)
{
	u32 at = 1 + 4, i;
	int n = 0;

	off[n] = at, w[n++] = 2;
	at += 2 + strlen(z->c.g->id) + 16 + 16 + 4 + 4;
	off[n] = at, w[n++] = 2;
	at += 2 + strlen(r->creator);
	off[n] = at, w[n++] = 2;
	at += 2 + strlen(r->modifier) + 24;
	off[n] = at, w[n++] = 4;
	at += 4;
	for (i = 0; i < r->nattrs && n < 12; i++) {
		const struct attr *a = &r->attrs[i];

		off[n] = at, w[n++] = 2;
		at += 2 + strlen(a->name) + 1;
		off[n] = at, w[n++] = 4;
		at += 4 + (a->kind == A_STR ? a->len : 8);
	}
	for (; i < r->nattrs; i++)
		at += 2 + strlen(r->attrs[i].name) + 1 + 4 +
		      (r->attrs[i].kind == A_STR ? r->attrs[i].len : 8);
	off[n] = at, w[n++] = 4;
	at += 4 + r->data_len;
	off[n] = at, w[n++] = 4;
	return n;
}

/* Flips bits of @p, said in @desc (offsets from @base). */
static void flip_bits(struct fz *z, u8 *p, size_t n, int bits, char *desc,
		      size_t size, size_t base)
{
	while (n && bits--) {
		size_t at = below(z, n), len = strlen(desc);
		u8 was = p[at];

		p[at] ^= 1 << below(z, 8);
		snprintf(desc + len, size - len, " @%zu:%02x>%02x", base + at, was, p[at]);
	}
}

/* A record of the base, mutated and not signed again. */
static void mutated_record(struct fz *z, struct shot *s)
{
	const struct record *r = base_record(z);
	struct record tmp = { }, parsed;
	struct buf p = { };
	const char *why;
	u32 off[16], v;
	u8 w[16];
	int m = below(z, 10), n;

	if (!r) {
		/* An empty table: a record of ours, its security data random. */
		record_new(&z->c, z->tg->identity, (const u8 *)"fuzzfuzzfuzzfuzz", &tmp);
		rnd_bytes(z, tmp.sec, tmp.sec_len);
		r = &tmp;
	}
	record_wire(z->c.g, r, below(z, 4), &p);
	switch (m) {
	case 0:
	case 1:
		snprintf(s->desc, sizeof(s->desc), "RECORD identical, kind %u", p.p[0]);
		break;
	case 2:
	case 3:
		snprintf(s->desc, sizeof(s->desc), "RECORD security data flipped");
		flip_bits(z, p.p + p.len - r->sec_len, r->sec_len, 1 + below(z, 3), s->desc,
			  sizeof(s->desc), p.len - r->sec_len);
		break;
	case 4:
	case 5:
	case 6:
		snprintf(s->desc, sizeof(s->desc), "RECORD bits flipped");
		flip_bits(z, p.p + 1, p.len - 1, 1 + below(z, 3), s->desc, sizeof(s->desc), 1);
		break;
	case 7:
		p.len = below(z, p.len);
		snprintf(s->desc, sizeof(s->desc), "RECORD cut to %zu bytes", p.len);
		break;
	case 8:
		n = 1 + below(z, 8);
		while (n--)
			buf_u8(&p, rnd(z));
		snprintf(s->desc, sizeof(s->desc), "RECORD with bytes after it");
		break;
	default:
		n = len_fields(z, r, off, w);
		n = below(z, n);
		v = get_be(p.p + off[n], w[n]);
		v = below(z, 4) ? v + (below(z, 2) ? 1 : -1) * (1 + below(z, 4)) : rnd(z);
		put_be(p.p + off[n], v, w[n]);
		snprintf(s->desc, sizeof(s->desc), "RECORD length at %u set to %u", off[n], v);
		break;
	}
	if (below(z, 20) == 0) {
		p.p[0] = 4 + below(z, 252);
		strcat(s->desc, ", kind out of range");
	}
	s->expect = KEEP;
	memset(&parsed, 0, sizeof(parsed));
	if (p.len < 1 || p.p[0] > 3 ||
	    p.len > W_OVERHEAD + z->c.g->max_record_size ||
	    record_parse(z->c.g, p.p + 1, p.len - 1, &parsed, &why)) {
		size_t len = strlen(s->desc);

		snprintf(s->desc + len, sizeof(s->desc) - len, ": %s",
			 p.len < 1 || p.p[0] > 3 ? "kind" : p.len > W_OVERHEAD +
			 z->c.g->max_record_size ? "too long" : why);
		s->expect = CLOSE;
		s->discard = !z->keep_close;
	} else if (m >= 2) {
		z->refused++;
	}
	record_free(&parsed);
	record_free(&tmp);
	if (!s->discard)
		seal(z, s, T_RECORD, p.p, p.len);
	buf_free(&p);
}

static char *rnd_identity(struct fz *z, const char *prefix)
{
	char s[32];

	snprintf(s, sizeof(s), "%s%08x", prefix, (u32)rnd(z));
	return xstrndup(s, strlen(s));
}

static void set_identity(char **field, char *v)
{
	free(*field);
	*field = v;
}

/* A record signed again that breaks one rule: it must be refused. */
static void broken_record(struct fz *z, struct shot *s)
{
	static const char *const rules[] = {
		"version 0", "unknown flags", "creator of one character",
		"modifier with a space", "created after modified",
		"expires at modified", "a tombstone with data", "id not bound",
		"expired", "nil type", "reserved type",
		"modifier neither creator nor administrator",
		"an update of the base by a member", "larger than the max record size",
	};
	u64 now = peer_now(&z->c), hour = 3600 * 1000000000ULL;
	const struct record *b = base_record(z);
	int rule = below(z, sizeof(rules) / sizeof(rules[0]));
	struct record r;
	struct buf p = { };

	if (rule == 13 && below(z, 8))
		rule = below(z, 13);	/* the large one is dear: rarely */
	if (rule == 12 && !b)
		rule = 11;
	record_new(&z->c, z->tg->identity, (const u8 *)"fuzzfuzzfuzzfuzz", &r);
	switch (rule) {
	case 0: r.version = 0; break;
	case 1: r.flags = 1u << (2 + below(z, 30)); break;
	case 2: set_identity(&r.creator, xstrndup("x", 1)); id_binding(r.creator, r.id); break;
	case 3: set_identity(&r.modifier, xstrndup("mod ifier", 9)); break;
	case 4: r.created = r.modified + 1; break;
	case 5: r.expires = r.modified; break;
	case 6: r.flags = PEERGROUP_RECORD_F_DELETED; break;
	case 7: r.id[below(z, 8)] ^= 1 << below(z, 8); break;
	case 8: r.created = r.modified = now - 2 * hour; r.expires = now - hour; break;
	case 9: memset(r.type, 0, 16); break;
	case 10: memset(r.type + 4, 0, 12); r.type[0] |= 1; break;
	case 11:
		set_identity(&r.creator, rnd_identity(z, "fzc"));
		set_identity(&r.modifier, rnd_identity(z, "fzm"));
		id_binding(r.creator, r.id);
		r.version = 2;
		r.modified = r.created + 1;
		break;
	case 12:
		record_free(&r);
		record_copy(&r, b);
		r.version++;
		set_identity(&r.modifier, xstrndup(z->tg->identity, strlen(z->tg->identity)));
		r.modified = now > r.modified ? now : r.modified + 1;
		if (!strcmp(r.creator, z->tg->identity))
			r.version = 0;	/* our own record: break it otherwise */
		break;
	default:
		free(r.data);
		r.data_len = z->c.g->max_record_size + 1;
		r.data = xcalloc(1, r.data_len);
		break;
	}
	record_sign(z->c.g, &r);
	record_wire(z->c.g, &r, below(z, 4), &p);
	snprintf(s->desc, sizeof(s->desc), "RECORD signed, %s", rules[rule]);
	s->expect = KEEP;
	z->refused++;
	seal(z, s, T_RECORD, p.p, p.len);
	record_free(&r);
	buf_free(&p);
}

/* WELCOME, SOLICIT, RECONCILE, SYNC_END, REFUSE */

static void welcome(struct fz *z, struct shot *s)
{
	u8 w[20];
	size_t n = 12;

	rnd_bytes(z, w, sizeof(w));
	w[0] &= below(z, 10) ? WELCOME_SYNCHRONIZED : 0xff;
	if (!below(z, 10))
		n = below(z, sizeof(w) + 1);
	s->expect = n == 12 && !(w[0] & ~WELCOME_SYNCHRONIZED) ? KEEP : CLOSE;
	snprintf(s->desc, sizeof(s->desc), "WELCOME of %zu bytes, flags 0x%02x", n, w[0]);
	seal(z, s, T_WELCOME, w, n);
}

static void solicit_shot(struct fz *z, struct shot *s)
{
	u8 p[20] = { };
	size_t n = 17;

	switch (below(z, 6)) {
	case 0:
		/* Flag 0x1 and a cursor: the records above it. */
		p[0] = SOLICIT_CURSOR;
		if (z->base.n && below(z, 2))
			memcpy(p + 1, z->base.r[below(z, z->base.n)].id, 16);
		else
			rnd_bytes(z, p + 1, 16);
		break;
	case 1:
		/* No flag, yet a cursor: it is not read. */
		rnd_bytes(z, p + 1, 16);
		break;
	case 2:
		p[0] = 1 << below(z, 8);
		break;
	case 3:
		n = below(z, sizeof(p) + 1);
		break;
	}
	s->expect = n == 17 && !(p[0] & ~SOLICIT_CURSOR) ? STREAM : CLOSE;
	s->has_cursor = p[0] & SOLICIT_CURSOR;
	memcpy(s->cursor, p + 1, 16);
	snprintf(s->desc, sizeof(s->desc), "SOLICIT of %zu bytes, flags 0x%02x", n, p[0]);
	seal(z, s, T_SOLICIT, p, n);
}

static int id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* Sorted distinct ids in [lo, hi) (NULL: open), up to @max, into @out. */
static int ids_in(struct fz *z, const u8 *lo, const u8 *hi, int max, u8 out[][16])
{
	u8 cand[40][16];
	int n = 0, k = 0, i;

	for (i = 0; i < 40; i++) {
		if (z->base.n && below(z, 2))
			memcpy(cand[n], z->base.r[below(z, z->base.n)].id, 16);
		else
			rnd_bytes(z, cand[n], 16);
		if ((!lo || memcmp(cand[n], lo, 16) >= 0) &&
		    (!hi || memcmp(cand[n], hi, 16) < 0))
			n++;
	}
	qsort(cand, n, 16, id_cmp);
	for (i = 0; i < n && k < max; i++)
		if (!k || memcmp(out[k - 1], cand[i], 16))
			memcpy(out[k++], cand[i], 16);
	return k;
}

/* A RECONCILE message that parses, of 1 to 4 ranges. */
static void rc_message(struct fz *z, struct buf *b, u8 flags)
{
	u8 bounds[4][16], ids[RC_LIST_MAX][16], d[16];
	int k = 1 + below(z, 4), nb, i, j, n;

	buf_u8(b, flags);
	nb = ids_in(z, NULL, NULL, k - 1, bounds);
	for (i = 0; i <= nb; i++) {
		const u8 *lo = i ? bounds[i - 1] : NULL, *hi = i < nb ? bounds[i] : NULL;
		u8 mode = below(z, 4);
		struct record *r;

		buf_u8(b, mode | (hi ? 0 : RC_END));
		if (hi)
			buf_put(b, hi, 16);
		if (mode == RC_FP) {
			rnd_bytes(z, d, 16);
			buf_put(b, d, 16);
		} else if (mode == RC_LIST || mode == RC_NEED) {
			n = ids_in(z, lo, hi, below(z, 2) ? below(z, 4) : RC_LIST_MAX, ids);
			buf_u8(b, n);
			for (j = 0; j < n; j++) {
				buf_put(b, ids[j], 16);
				if (mode != RC_LIST)
					continue;
				r = table_find(&z->base, ids[j]);
				if (r && below(z, 2))
					record_digest(r, d);
				else
					rnd_bytes(z, d, 16);
				buf_put(b, d, 16);
			}
		}
	}
}

static void reconcile_shot(struct fz *z, struct shot *s)
{
	struct buf p = { };
	bool start, done;
	int m = below(z, 8);
	size_t n;

	if (m == 0)
		buf_u8(&p, RC_DONE);
	else
		rc_message(z, &p, m < 4 ? RC_START : 0);
	if (!below(z, 6))
		flip_bits(z, p.p, p.len, 1, s->desc, sizeof(s->desc), 0);
	if (!below(z, 12))
		p.len = below(z, p.len + 1);
	if (!rc_valid(p.p, p.len, &start, &done))
		s->expect = CLOSE;
	else if (done)
		s->expect = z->awaiting ? KEEP : CLOSE;
	else if (start)
		s->expect = z->awaiting ? CLOSE : ANSWER;
	else
		s->expect = z->awaiting ? ANSWER : CLOSE;
	s->done = done;
	n = strlen(s->desc);
	snprintf(s->desc + n, sizeof(s->desc) - n, " RECONCILE of %zu bytes, flags 0x%02x%s",
		 p.len, p.len ? p.p[0] : 0, z->awaiting ? " (answer awaited)" : "");
	seal(z, s, T_RECONCILE, p.p, p.len);
	buf_free(&p);
}

/* What closes a connection: the documentation says so of each. */
static void closing(struct fz *z, struct shot *s)
{
	static const u8 known[] = { T_HELLO, T_WELCOME, T_REFUSE, T_SOLICIT,
				    T_RECONCILE, T_RECORD, T_SYNC_END,
				    T_CHALLENGE, T_PROOF };
	u8 w[12] = { }, junk[64], t;
	size_t n;
	u32 len, max = W_HDR + W_TAG + W_OVERHEAD + z->c.g->max_record_size;

	rnd_bytes(z, junk, sizeof(junk));
	s->expect = CLOSE;
	switch (below(z, 13)) {
	case 0:
		do
			t = rnd(z);
		while (memchr(known, t, sizeof(known)));
		snprintf(s->desc, sizeof(s->desc), "type 0x%02x, unknown", t);
		n = below(z, 32);
		rnd_bytes(z, junk, n);
		seal(z, s, t, junk, n);
		break;
	case 1:
		t = below(z, 3) == 0 ? T_HELLO : below(z, 2) ? T_CHALLENGE : T_PROOF;
		snprintf(s->desc, sizeof(s->desc), "%s sealed, after the handshake",
			 type_name(t));
		seal(z, s, t, junk, below(z, 64));
		break;
	case 2:
		frame_build(&z->c, &s->b, W_VERSION, T_WELCOME, 1 + below(z, 0xffff), w,
			    sizeof(w), true);
		snprintf(s->desc, sizeof(s->desc), "WELCOME with frame flags 0x%04x",
			 (u32)get_be(s->b.p + 6, 2));
		break;
	case 3:
		t = 2 + below(z, 254);
		frame_build(&z->c, &s->b, t, T_WELCOME, 0, w, sizeof(w), true);
		snprintf(s->desc, sizeof(s->desc), "WELCOME of version %u", t);
		s->refuse = PEERGROUP_REASON_VERSION;
		break;
	case 4:
		seal(z, s, T_WELCOME, w, sizeof(w));
		n = 5 + below(z, s->b.len - 5);
		s->b.p[n] ^= 1 << below(z, 8);
		snprintf(s->desc, sizeof(s->desc), "WELCOME sealed, byte %zu flipped", n);
		break;
	case 5:
		frame_build(&z->c, &s->b, W_VERSION, below(z, 2) ? T_WELCOME : T_RECORD, 0,
			    junk, 16 + below(z, 17), false);
		snprintf(s->desc, sizeof(s->desc), "a plaintext frame of %zu bytes", s->b.len);
		break;
	case 6:
		len = below(z, 2) ? W_HDR + below(z, W_TAG) :
		      max + 1 + below(z, below(z, 2) ? 10 : 0x7fffffff);
		buf_be(&s->b, len, 4);
		buf_u8(&s->b, W_VERSION);
		buf_u8(&s->b, T_RECORD);
		buf_be(&s->b, 0, 2);
		if (len < W_HDR + W_TAG)
			buf_put(&s->b, junk, len - W_HDR);
		snprintf(s->desc, sizeof(s->desc), "a frame of length %u", len);
		break;
	case 7:
		seal(z, s, T_SYNC_END, NULL, 0);
		snprintf(s->desc, sizeof(s->desc), "SYNC_END not solicited");
		break;
	case 8:
		t = below(z, 16);
		seal(z, s, T_REFUSE, &t, 1);
		snprintf(s->desc, sizeof(s->desc), "REFUSE %u", t);
		break;
	case 9:
		n = 1 + below(z, sizeof(junk));
		rnd_bytes(z, junk, n);
		buf_put(&s->b, junk, n);
		s->expect = CLOSE_EOF;
		snprintf(s->desc, sizeof(s->desc), "%zu bytes of garbage, then our side closed", n);
		break;
	case 10:
		seal(z, s, T_WELCOME, w, sizeof(w));
		s->b.len = below(z, s->b.len);
		s->sealed_ok = false;
		s->expect = CLOSE_EOF;
		snprintf(s->desc, sizeof(s->desc), "a WELCOME cut to %zu bytes, then our side closed",
			 s->b.len);
		break;
	case 11:
		/* A mutated record, kept whatever it is. */
		mutated_record(z, s);
		break;
	default:
		if (below(z, 2))
			welcome(z, s);
		else
			solicit_shot(z, s);
		if (s->expect == CLOSE)
			break;
		/* Valid: make it not. */
		buf_free(&s->b);
		z->c.tx_seq--;
		n = below(z, 2) ? 11 : 13;
		seal(z, s, T_WELCOME, w, n);
		snprintf(s->desc, sizeof(s->desc), "WELCOME of %zu bytes", n);
		s->expect = CLOSE;
		break;
	}
}

/* Bad handshakes, each on a connection of its own */

static void handshake_shot(struct fz *z)
{
	u8 node[W_NODE_ID], ni[W_NONCE], ei[W_KEY], junk[64], t;
	int kind = below(z, 11), refuse = 0, ret;
	struct buf hello = { }, b = { };
	const char *gid = z->c.g->id;
	char desc[96];
	struct conn c;
	struct frame f;
	size_t n;
	int fd;

	rnd_bytes(z, junk, sizeof(junk));
	rnd_bytes(z, node, sizeof(node));
	rnd_bytes(z, ni, sizeof(ni));
	rnd_bytes(z, ei, sizeof(ei));
	fd = tcp_connect(z->tg->addr, z->tg->port);
	if (fd < 0)
		fatal(z, "a new connection failed: the peer does not answer");
	conn_init(&c, fd, z->c.g);
	c.quiet = true;
	switch (kind) {
	case 0:
		hello_build(&hello, 2 + below(z, 254), node, ni, ei, gid, z->tg->identity);
		refuse = PEERGROUP_REASON_VERSION;
		snprintf(desc, sizeof(desc), "HELLO of suite %u", hello.p[0]);
		break;
	case 1:
		hello_build(&hello, W_SUITE, node, ni, ei,
			    "0000000000000000000000000000000000000000.nosuchgroup",
			    z->tg->identity);
		refuse = PEERGROUP_REASON_UNKNOWN_GROUP;
		snprintf(desc, sizeof(desc), "HELLO of an unknown group");
		break;
	case 2:
		hello_build(&hello, W_SUITE, z->c.peer_node, ni, ei, gid, z->tg->identity);
		refuse = PEERGROUP_REASON_SELF;
		snprintf(desc, sizeof(desc), "HELLO with the responder's own node id");
		break;
	case 3:
		hello_build(&hello, W_SUITE, node, ni, ei, gid, z->tg->identity);
		hello.len = below(z, hello.len);
		snprintf(desc, sizeof(desc), "HELLO cut to %zu bytes", hello.len);
		break;
	case 4:
		hello_build(&hello, W_SUITE, node, ni, ei, gid, z->tg->identity);
		buf_u8(&hello, 0);
		snprintf(desc, sizeof(desc), "HELLO with a byte after it");
		break;
	case 5:
		buf_be(&b, W_HS_MAX + 1 + below(z, 100000), 4);
		buf_u8(&b, W_VERSION);
		buf_u8(&b, T_HELLO);
		buf_be(&b, 0, 2);
		snprintf(desc, sizeof(desc), "a first frame of %u bytes", (u32)get_be(b.p, 4));
		break;
	case 6:
		t = below(z, 2) ? T_PROOF : T_WELCOME;
		frame_build(&c, &b, W_VERSION, t, 0, junk, 34, false);
		snprintf(desc, sizeof(desc), "a %s first", type_name(t));
		break;
	case 7:
		n = 1 + below(z, sizeof(junk));
		rnd_bytes(z, junk, n);
		buf_put(&b, junk, n);
		snprintf(desc, sizeof(desc), "%zu bytes of garbage for a handshake", n);
		break;
	case 8:
		hello_build(&hello, W_SUITE, node, ni, ei, gid, z->tg->identity);
		refuse = PEERGROUP_REASON_AUTH;
		snprintf(desc, sizeof(desc), "HELLO, then a PROOF of random bytes");
		break;
	case 9:
		hello_build(&hello, W_SUITE, node, ni, ei, gid, z->tg->identity);
		snprintf(desc, sizeof(desc), "HELLO, then a PROOF whose length is wrong");
		break;
	default:
		hello_build(&hello, W_SUITE, node, ni, ei, gid, z->tg->identity);
		frame_build(&c, &b, 2 + below(z, 254), T_HELLO, 0, hello.p, hello.len, false);
		hello.len = 0;
		refuse = PEERGROUP_REASON_VERSION;
		snprintf(desc, sizeof(desc), "HELLO of version %u", b.p[4]);
		break;
	}
	snprintf(z->log[z->i % LOG_LEN], sizeof(z->log[0]), "%s", desc);
	if (hello.len)
		frame_build(&c, &b, W_VERSION, T_HELLO, 0, hello.p, hello.len, false);
	conn_send_raw(&c, b.p, b.len);
	if (kind == 8 || kind == 9) {
		ret = conn_recv(&c, &f, 10000);
		if (ret <= 0 || f.type != T_CHALLENGE) {
			deviation(z, "no CHALLENGE to a valid HELLO");
		} else {
			b.len = 0;
			buf_be(&b, 32, 2);
			rnd_bytes(z, junk, 32);
			buf_put(&b, junk, kind == 8 ? 32 : 31);
			hello.len = 0;
			frame_build(&c, &hello, W_VERSION, T_PROOF, 0, b.p, b.len, false);
			conn_send_raw(&c, hello.p, hello.len);
		}
	}
	if (kind == 7 || kind == 3)
		shutdown(fd, SHUT_WR);
	while ((ret = conn_recv(&c, &f, 10000)) > 0)
		;
	if (!ret)
		deviation(z, "a bad handshake left open for 10 s");
	else if (refuse && c.refused != refuse) {
		char s[128];

		snprintf(s, sizeof(s), "expected a REFUSE %s, got %s", reason_name(refuse),
			 c.refused ? reason_name(c.refused) : "none");
		/* Garbage may happen to carry another version: a REFUSE version is due. */
		deviation(z, s);
	}
	conn_close(&c);
	buf_free(&hello);
	buf_free(&b);
	z->handshakes++;
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
			closing(&z, &s);
		} else if (pick < 620) {
			mutated_record(&z, &s);
		} else if (pick < 820) {
			broken_record(&z, &s);
		} else if (pick < 940) {
			welcome(&z, &s);
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
