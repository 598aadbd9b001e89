// SPDX-License-Identifier: GPL-2.0
/*
 * The frames pg_peer fuzz sends (see pg_peer_fuzz.c), each with what the
 * documentation says the peer does with it: records of the base mutated
 * and not signed again, records signed again that break one rule, WELCOME,
 * PROPERTIES, SOLICIT and RECONCILE payloads, frames that close the
 * connection, and
 * bad handshakes on connections of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pg_peer_fuzz.h"

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
void mutated_record(struct fz *z, struct shot *s)
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
void broken_record(struct fz *z, struct shot *s)
{
	static const char *const rules[] = {
		"version 0", "unknown flags", "creator of one character",
		"modifier with a space", "created after modified",
		"expires at modified", "a tombstone with data", "id not bound",
		"expired", "nil type", "reserved type",
		"modifier neither creator nor administrator",
		"an update of the base by a member",
		"living longer than the max lifetime", "larger than the max record size",
	};
	u64 now = peer_now(&z->c), hour = 3600 * 1000000000ULL;
	const struct record *b = base_record(z);
	int rule = below(z, sizeof(rules) / sizeof(rules[0]));
	struct record r;
	struct buf p = { };

	if (rule == 14 && below(z, 8))
		rule = below(z, 14);	/* the large one is dear: rarely */
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
	case 13:
		/* A second to a day more than the peer's PROPERTIES allow. */
		r.expires = r.modified + props_lifetime(&z->c) + 1000000000ULL +
			    below(z, 86400) * 1000000000ULL;
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

void welcome_shot(struct fz *z, struct shot *s)
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

/*
 * The peer's own PROPERTIES again, or of an older version: kept (an older
 * one is answered with the peer's, which conn_recv() takes). Another
 * creator, a length cut or grown, version 0, an unknown flag, a max record
 * size or a max lifetime out of bounds: closed. Never a newer version: the
 * peer would take it, and its properties are not ours to change.
 */
void properties_shot(struct fz *z, struct shot *s)
{
	const struct conn *c = &z->c;
	u8 p[sizeof(c->props) + 1];
	size_t n = c->props_len, at = n - W_PROPS_TAIL;
	u32 version, v;
	int bit;

	if (!n) {
		welcome_shot(z, s);
		return;
	}
	memcpy(p, c->props, n);
	version = get_be(p + at, 4);
	s->expect = CLOSE;
	switch (below(z, 9)) {
	case 0:
	case 1:
	case 2:
		v = version > 1 && below(z, 2) ? 1 + below(z, version - 1) : version;
		put_be(p + at, v, 4);
		s->expect = KEEP;
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES of version %u (the peer's %u)",
			 v, version);
		break;
	case 3:
		v = 2 + below(z, at - 2);
		p[v] ^= 1 << below(z, 7);
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES with byte %u of the creator flipped", v);
		break;
	case 4:
		if (below(z, 2)) {
			n = below(z, n);
		} else {
			p[n] = rnd(z);
			n++;
		}
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES of %zu bytes (the peer's %zu)", n,
			 c->props_len);
		break;
	case 5:
		put_be(p + at, 0, 4);
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES of version 0");
		break;
	case 6:
		do
			bit = below(z, 32);
		while (bit == 2);
		put_be(p + at + 4, get_be(p + at + 4, 4) | 1U << bit, 4);
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES with flag 0x%x", 1U << bit);
		break;
	case 7:
		v = below(z, 2) ? 0 : W_LIFETIME_MAX + 1 + below(z, 1000000);
		put_be(p + at + 24, v, 4);
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES of max lifetime %u s", v);
		break;
	default:
		v = below(z, 2) ? below(z, 1024) : 65001 + below(z, 100000);
		put_be(p + at + 8, v, 4);
		snprintf(s->desc, sizeof(s->desc), "PROPERTIES of max record size %u", v);
		break;
	}
	seal(z, s, T_PROPERTIES, p, n);
}

void solicit_shot(struct fz *z, struct shot *s)
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

void reconcile_shot(struct fz *z, struct shot *s)
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
void closing_shot(struct fz *z, struct shot *s)
{
	static const u8 known[] = { T_HELLO, T_WELCOME, T_REFUSE, T_SOLICIT,
				    T_RECONCILE, T_RECORD, T_SYNC_END,
				    T_PROPERTIES, T_CHALLENGE, T_PROOF };
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
			welcome_shot(z, s);
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

void handshake_shot(struct fz *z)
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
