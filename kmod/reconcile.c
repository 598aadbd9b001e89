// SPDX-License-Identifier: GPL-2.0
/*
 * Range-based set reconciliation of two synchronized tables
 * (Documentation/protocol.rst, "Reconciliation").
 *
 * A pass compares the two tables in id order. One side opens it (START)
 * with its table cut into ranges, each given as a fingerprint of the
 * records in it (their digests summed, with their count, hashed) or, for a
 * range of a few records, as their list. The other side answers range by
 * range: a range whose fingerprint matches its own is settled (SKIP); one
 * that differs is cut further or listed; for a list it receives, it sends
 * each record of its own in the range that the list does not hold with the
 * same digest, and asks (NEED) for those of the list it does not hold at
 * all. The sides alternate until an answer would settle everything: that
 * side sends DONE instead, and the pass is over on both.
 *
 * Every record sent passes the receiver's one write path, where the
 * conflict rule decides and a stale copy is answered with the newer one: so
 * both sides end with the same table, whichever side a difference was on,
 * in one pass. Identical tables cost one round trip.
 *
 * All of it runs in the connection's work. Records go out while the send
 * queue is under half its bound, and go on when it drains; a scan holds the
 * table lock for PG_TABLE_SCAN_BATCH records at a time. A pass holds two
 * messages of at most PG_RC_MSG_MAX bytes, freed when it ends.
 */
#include "bytes.h"
#include "conn.h"
#include "fault.h"
#include "group.h"
#include "pernet.h"
#include "peer.h"
#include "record.h"

#include <crypto/sha2.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#define PG_RC_BUCKETS	16	/* a range that differs is cut in as many */
#define PG_RC_LIST_MAX	32	/* a range of at most as many is listed */
#define PG_RC_FP_LEN	16
#define PG_RC_MSG_MAX	(64 * 1024)
#define PG_RC_ID	PEERGROUP_GUID_LEN
#define PG_RC_ITEM	(PG_RC_ID + PG_RECORD_DIGEST_LEN)

/* A message: u8 flags, then ranges. */
#define PG_RC_F_START	0x1
#define PG_RC_F_DONE	0x2

/* A range: u8 mode, the upper bound (an id) unless PG_RC_M_END, a body. */
enum pg_rc_mode {
	PG_RC_SKIP	= 0,	/* settled: no body */
	PG_RC_FP	= 1,	/* a fingerprint */
	PG_RC_LIST	= 2,	/* u8 n, n items (id, digest): all the sender has */
	PG_RC_NEED	= 3,	/* u8 n, n ids: send me these */
};

#define PG_RC_M_END	0x80	/* the range runs to the end of the ids */

/* The most an answer to one range takes, and the fingerprint closing one. */
#define PG_RC_ROOM	(2 + PG_RC_ID + PG_RC_LIST_MAX * PG_RC_ITEM)
#define PG_RC_ROOM_FOLD	(1 + PG_RC_FP_LEN)

struct pg_rc_range {
	u8 mode;
	const u8 *hi;		/* exclusive; NULL: the end of the ids */
	const u8 *body;		/* items or ids, or the fingerprint */
	u8 n;
	u32 next;		/* offset of the range after it */
};

struct pg_recon {
	bool opening;		/* our START is out, nothing came back yet */
	bool awaiting;		/* our message is out, its answer not yet in */
	bool first;		/* the end of the pass ends a first sync */

	/* The message being answered, and where in it we are. */
	u8 *in;
	u32 in_len;
	u32 in_off;		/* the range being worked on */
	u8 lo[PG_RC_ID];	/* its lower bound, inclusive */
	bool lo_min;		/* ... or the start of the ids */
	bool sending;		/* its records are going out */
	u8 cursor[PG_RC_ID];	/* the next id to look at while sending */
	bool cursor_end;	/* nothing is left above the cursor */
	u32 need_i;
	bool folded;		/* the rest of the answer is one fingerprint */
	u8 fold_lo[PG_RC_ID];
	bool fold_min;

	/* The answer. */
	u8 *out;
	u32 out_len;
	u32 budget;
	bool out_work;		/* it asks for something: else DONE goes */
	bool out_ready;		/* written, waiting for room in the queue */
	u32 skip_at;		/* the SKIP it ends with, if skip_open */
	bool skip_open;
};

/* Records: SHA-256-sized digests summed mod 2^128, and counted. */
struct pg_rc_acc {
	u64 hi, lo;
	u32 count;
};

static void acc_add(struct pg_rc_acc *acc, const u8 *digest)
{
	u64 lo = pg_get_be(digest + 8, 8);

	acc->lo += lo;
	acc->hi += pg_get_be(digest, 8) + (acc->lo < lo);
	acc->count++;
}

static void acc_fingerprint(const struct pg_rc_acc *acc, u8 *fp)
{
	u8 buf[20], out[SHA256_DIGEST_SIZE];

	pg_put_be(buf, acc->hi, 8);
	pg_put_be(buf + 8, acc->lo, 8);
	pg_put_be(buf + 16, acc->count, 4);
	sha256(buf, sizeof(buf), out);
	memcpy(fp, out, PG_RC_FP_LEN);
}

/* id + 1; false if @id was the last one. */
static bool id_inc(u8 *id)
{
	int i;

	for (i = PG_RC_ID - 1; i >= 0; i--)
		if (++id[i])
			return true;
	return false;
}

static bool below(const u8 *id, const u8 *hi)
{
	return !hi || memcmp(id, hi, PG_RC_ID) < 0;
}

/*
 * Calls @fn, under table_lock, on every live record with @lo <= id < @hi
 * (NULL: no bound) in id order, until it returns false.
 */
static void scan(struct pg_group *grp, const u8 *lo, const u8 *hi,
		 bool (*fn)(void *ctx, struct pg_record *rec), void *ctx)
{
	u64 now = pg_group_now(grp);
	u8 next[PG_RC_ID];
	const u8 *from = lo;

	for (;;) {
		struct pg_record *rec;
		int n;

		mutex_lock(&grp->table_lock);
		rec = from ? pg_table_seek(grp, from) : pg_table_next(grp, NULL);
		for (n = 0; rec && n < PG_TABLE_SCAN_BATCH; n++) {
			if (!below(rec->id, hi) ||
			    (rec->expires > now && !fn(ctx, rec))) {
				rec = NULL;
				break;
			}
			rec = pg_table_succ(rec);
		}
		if (rec)
			memcpy(next, rec->id, PG_RC_ID);
		mutex_unlock(&grp->table_lock);
		if (!rec)
			return;
		from = next;
		cond_resched();
	}
}

static bool scan_acc(void *ctx, struct pg_record *rec)
{
	acc_add(ctx, rec->digest);
	return true;
}

/* Writing the answer. */

static u8 *put_range(struct pg_recon *rc, u8 mode, const u8 *hi, u32 body)
{
	u8 *p;

	if (mode == PG_RC_SKIP) {
		/* Settled ranges side by side are one: it moves its bound. */
		if (rc->skip_open)
			rc->out_len = rc->skip_at;
		rc->skip_at = rc->out_len;
		rc->skip_open = true;
	} else {
		rc->skip_open = false;
		rc->out_work = true;
	}
	p = rc->out + rc->out_len;
	*p++ = mode | (hi ? 0 : PG_RC_M_END);
	if (hi) {
		memcpy(p, hi, PG_RC_ID);
		p += PG_RC_ID;
	}
	rc->out_len = p + body - rc->out;
	return p;
}

static void put_fingerprint(struct pg_recon *rc, const u8 *hi,
			    const struct pg_rc_acc *acc)
{
	acc_fingerprint(acc, put_range(rc, PG_RC_FP, hi, PG_RC_FP_LEN));
}

struct lister {
	u8 *n;
	u8 *p;
};

static bool list_one(void *ctx, struct pg_record *rec)
{
	struct lister *l = ctx;

	if (*l->n == PG_RC_LIST_MAX)
		return false;	/* the table grew since it was counted */
	memcpy(l->p, rec->id, PG_RC_ID);
	memcpy(l->p + PG_RC_ID, rec->digest, PG_RECORD_DIGEST_LEN);
	l->p += PG_RC_ITEM;
	(*l->n)++;
	return true;
}

/* Lists our records in [lo, hi). */
static void put_list(struct pg_recon *rc, struct pg_group *grp,
		     const u8 *lo, const u8 *hi)
{
	struct lister l;
	u8 *body = put_range(rc, PG_RC_LIST, hi, 1);

	l.n = body;
	l.p = body + 1;
	*l.n = 0;
	scan(grp, lo, hi, list_one, &l);
	rc->out_len = l.p - rc->out;
}

struct splitter {
	struct pg_recon *rc;
	struct pg_rc_acc acc;
	u32 total;
	u32 bucket;		/* the bucket being filled */
};

static u32 bucket_size(const struct splitter *s)
{
	return s->total / PG_RC_BUCKETS +
	       (s->bucket < s->total % PG_RC_BUCKETS);
}

static bool split_one(void *ctx, struct pg_record *rec)
{
	struct splitter *s = ctx;

	/* A full bucket ends below the first record of the next. */
	if (s->bucket < PG_RC_BUCKETS - 1 && s->acc.count == bucket_size(s)) {
		put_fingerprint(s->rc, rec->id, &s->acc);
		memset(&s->acc, 0, sizeof(s->acc));
		s->bucket++;
	}
	acc_add(&s->acc, rec->digest);
	return true;
}

/*
 * Answers a range [lo, hi) whose fingerprint is @theirs (NULL: one that
 * surely differs, the whole table at the START): settled if ours is the
 * same, else listed or cut into buckets.
 */
static void answer_fingerprint(struct pg_recon *rc, struct pg_group *grp,
			       const u8 *lo, const u8 *hi, const u8 *theirs)
{
	struct pg_rc_acc acc = { };
	struct splitter s = { .rc = rc };
	u8 fp[PG_RC_FP_LEN];

	scan(grp, lo, hi, scan_acc, &acc);
	if (theirs) {
		acc_fingerprint(&acc, fp);
		if (!memcmp(fp, theirs, PG_RC_FP_LEN)) {
			put_range(rc, PG_RC_SKIP, hi, 0);
			return;
		}
	}
	if (acc.count <= PG_RC_LIST_MAX) {
		put_list(rc, grp, lo, hi);
		return;
	}
	s.total = acc.count;
	scan(grp, lo, hi, split_one, &s);
	put_fingerprint(rc, hi, &s.acc);
}

/* The ranges left when the answer ran out of room: one fingerprint. */
static void put_fold(struct pg_recon *rc, struct pg_group *grp)
{
	struct pg_rc_acc acc = { };

	scan(grp, rc->fold_min ? NULL : rc->fold_lo, NULL, scan_acc, &acc);
	put_fingerprint(rc, NULL, &acc);
}

/* Reading a message, which is checked whole before anything is done. */

static int get_range(const u8 *p, u32 len, u32 off, struct pg_rc_range *r)
{
	struct pg_rd rd = { .p = p + off, .left = len - off };
	u8 mode = pg_rd_be(&rd, 1);
	u32 item;

	r->mode = mode & ~PG_RC_M_END;
	r->hi = mode & PG_RC_M_END ? NULL : pg_rd_bytes(&rd, PG_RC_ID);
	r->n = 0;
	switch (r->mode) {
	case PG_RC_SKIP:
		r->body = NULL;
		break;
	case PG_RC_FP:
		r->body = pg_rd_bytes(&rd, PG_RC_FP_LEN);
		break;
	case PG_RC_LIST:
	case PG_RC_NEED:
		item = r->mode == PG_RC_LIST ? PG_RC_ITEM : PG_RC_ID;
		r->n = pg_rd_be(&rd, 1);
		r->body = pg_rd_bytes(&rd, r->n * item);
		if (r->n > PG_RC_LIST_MAX)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (rd.bad)
		return -EINVAL;
	r->next = len - rd.left;
	return 0;
}

/*
 * Ranges in order, each above the one before, the last one to the end of
 * the ids; listed ids in order, inside their range.
 */
static int check_message(const u8 *p, u32 len)
{
	const u8 *lo = NULL;
	struct pg_rc_range r;
	u32 off = 1, i;

	if (p[0] & PG_RC_F_DONE)
		return p[0] == PG_RC_F_DONE && len == 1 ? 0 : -EINVAL;
	if (p[0] & ~PG_RC_F_START)
		return -EINVAL;
	do {
		if (off >= len || get_range(p, len, off, &r))
			return -EINVAL;
		if (r.hi && lo && memcmp(r.hi, lo, PG_RC_ID) <= 0)
			return -EINVAL;
		for (i = 0; i < r.n; i++) {
			u32 item = r.mode == PG_RC_LIST ? PG_RC_ITEM : PG_RC_ID;
			const u8 *id = r.body + i * item;

			if ((lo && memcmp(id, lo, PG_RC_ID) < 0) ||
			    !below(id, r.hi) ||
			    (i && memcmp(id - item, id, PG_RC_ID) >= 0))
				return -EINVAL;
		}
		lo = r.hi;
		off = r.next;
	} while (r.hi);
	return off == len ? 0 : -EINVAL;
}

/* Answering, range by range. */

/* A referenced record to send, from the cursor on; NULL if none is left. */
struct finder {
	const struct pg_rc_range *r;
	struct pg_record *found;
};

/* Whether a list of items holds @rec with its digest. */
static bool listed(const struct pg_rc_range *r, const struct pg_record *rec)
{
	u32 lo = 0, hi = r->n;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;
		const u8 *item = r->body + mid * PG_RC_ITEM;
		int cmp = memcmp(rec->id, item, PG_RC_ID);

		if (!cmp)
			return !memcmp(rec->digest, item + PG_RC_ID,
				       PG_RECORD_DIGEST_LEN);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool find_unlisted(void *ctx, struct pg_record *rec)
{
	struct finder *f = ctx;

	if (listed(f->r, rec))
		return true;
	pg_record_get(rec);
	f->found = rec;
	return false;
}

/* 1 to stop while the queue is full, 0 once sent, or an error. */
static int send_one(struct pg_conn *conn, struct pg_record *rec)
{
	u32 limit = READ_ONCE(conn->pn->queue_bytes) / 2;
	int ret;

	if (pg_conn_queued(conn) >= limit)
		return 1;
	ret = pg_sync_send_record(conn, rec, PG_WIRE_REC_RECONCILE);
	return ret == -ENOBUFS ? 1 : ret;
}

/* A LIST: ours that it lacks or holds otherwise go out. */
static int send_unlisted(struct pg_conn *conn, const struct pg_rc_range *r)
{
	struct pg_recon *rc = conn->rc;
	struct finder f = { .r = r };
	int ret;

	while (!rc->cursor_end) {
		f.found = NULL;
		scan(conn->grp, rc->cursor, r->hi, find_unlisted, &f);
		if (!f.found)
			break;
		ret = send_one(conn, f.found);
		if (!ret) {
			memcpy(rc->cursor, f.found->id, PG_RC_ID);
			rc->cursor_end = !id_inc(rc->cursor);
		}
		pg_record_put(f.found);
		if (ret)
			return ret;
	}
	return 0;
}

/* A live record of ours by id, referenced, or NULL. */
static struct pg_record *live(struct pg_group *grp, const u8 *id)
{
	struct pg_record *rec = pg_table_find(grp, id);

	if (rec && rec->expires <= pg_group_now(grp)) {
		pg_record_put(rec);
		rec = NULL;
	}
	return rec;
}

/* A NEED: the ones asked for go out, those we hold. */
static int send_needed(struct pg_conn *conn, const struct pg_rc_range *r)
{
	struct pg_recon *rc = conn->rc;
	struct pg_record *rec;
	int ret;

	for (; rc->need_i < r->n; rc->need_i++) {
		rec = live(conn->grp, r->body + rc->need_i * PG_RC_ID);
		if (!rec)
			continue;
		ret = send_one(conn, rec);
		pg_record_put(rec);
		if (ret)
			return ret;
	}
	return 0;
}

/* After a LIST: we ask for what it holds and we do not. */
static void put_need(struct pg_recon *rc, struct pg_group *grp,
		     const struct pg_rc_range *r)
{
	u8 *body = rc->out + rc->out_len, *p, n = 0;
	struct pg_record *rec;
	u32 i;

	/* Written past the answer first; a range header goes before it. */
	p = body + 2 + PG_RC_ID;
	for (i = 0; i < r->n; i++) {
		const u8 *id = r->body + i * PG_RC_ITEM;

		rec = live(grp, id);
		if (rec) {
			pg_record_put(rec);
			continue;
		}
		memcpy(p + n * PG_RC_ID, id, PG_RC_ID);
		n++;
	}
	if (!n) {
		put_range(rc, PG_RC_SKIP, r->hi, 0);
		return;
	}
	body = put_range(rc, PG_RC_NEED, r->hi, 1 + n * PG_RC_ID);
	memmove(body + 1, p, n * PG_RC_ID);
	body[0] = n;
}

static int answer_range(struct pg_conn *conn, const struct pg_rc_range *r)
{
	struct pg_recon *rc = conn->rc;
	const u8 *lo = rc->lo_min ? NULL : rc->lo;
	int ret;

	if (!rc->sending && !rc->folded &&
	    rc->out_len + PG_RC_ROOM + PG_RC_ROOM_FOLD > rc->budget) {
		/* No room: the rest is answered as one fingerprint. */
		rc->folded = true;
		rc->fold_min = rc->lo_min;
		memcpy(rc->fold_lo, rc->lo, PG_RC_ID);
	}
	switch (r->mode) {
	case PG_RC_LIST:
	case PG_RC_NEED:
		if (!rc->sending) {
			rc->sending = true;
			memset(rc->cursor, 0, PG_RC_ID);
			if (lo)
				memcpy(rc->cursor, lo, PG_RC_ID);
			rc->cursor_end = false;
			rc->need_i = 0;
		}
		ret = r->mode == PG_RC_LIST ? send_unlisted(conn, r) :
					      send_needed(conn, r);
		if (ret)
			return ret;
		rc->sending = false;
		if (rc->folded)
			break;
		if (r->mode == PG_RC_LIST)
			put_need(rc, conn->grp, r);
		else
			put_range(rc, PG_RC_SKIP, r->hi, 0);
		break;
	case PG_RC_FP:
		if (!rc->folded)
			answer_fingerprint(rc, conn->grp, lo, r->hi, r->body);
		break;
	default:
		if (!rc->folded)
			put_range(rc, PG_RC_SKIP, r->hi, 0);
	}
	return 0;
}

static void pass_free(struct pg_conn *conn)
{
	struct pg_recon *rc = conn->rc;

	if (!rc)
		return;
	kvfree(rc->in);
	kvfree(rc->out);
	kfree(rc);
	conn->rc = NULL;
}

static void pass_end(struct pg_conn *conn)
{
	bool first = conn->rc->first;

	pass_free(conn);
	if (first)
		pg_sync_became_ready(conn);
	pg_neighbour_synced(conn->nb);
}

/* Sends the answer once written: 1 while the queue has no room. */
static int send_answer(struct pg_conn *conn)
{
	struct pg_recon *rc = conn->rc;
	u8 done = PG_RC_F_DONE;
	int ret;

	if (rc->out_work)
		ret = pg_conn_send(conn, PG_WIRE_RECONCILE, rc->out,
				   rc->out_len);
	else
		ret = pg_conn_send(conn, PG_WIRE_RECONCILE, &done, 1);
	if (ret == -ENOBUFS)
		return 1;
	if (ret)
		return ret;
	rc->out_ready = false;
	if (!rc->out_work) {
		pass_end(conn);
		return 0;
	}
	rc->awaiting = true;
	return 0;
}

/* Goes on with the message being answered: 0 when done or waiting. */
static int answer(struct pg_conn *conn)
{
	struct pg_recon *rc = conn->rc;
	struct pg_rc_range r;
	int ret;

	while (!rc->out_ready && rc->in_off < rc->in_len) {
		get_range(rc->in, rc->in_len, rc->in_off, &r);
		ret = answer_range(conn, &r);
		if (ret)
			return ret < 0 ? ret : 0;
		rc->in_off = r.next;
		if (r.hi) {
			memcpy(rc->lo, r.hi, PG_RC_ID);
			rc->lo_min = false;
		}
		if (rc->in_off == rc->in_len) {
			if (rc->folded)
				put_fold(rc, conn->grp);
			kvfree(rc->in);
			rc->in = NULL;
			rc->in_len = 0;
			rc->out_ready = true;
		}
	}
	if (!rc->out_ready)
		return 0;
	ret = send_answer(conn);
	return ret < 0 ? ret : 0;
}

static void answer_reset(struct pg_recon *rc, u8 flags)
{
	rc->out[0] = flags;
	rc->out_len = 1;
	rc->out_work = false;
	rc->skip_open = false;
	rc->folded = false;
	rc->sending = false;
	rc->lo_min = true;
	rc->in_off = 1;
}

static struct pg_recon *pass_alloc(struct pg_conn *conn)
{
	u32 budget = min_t(u32, READ_ONCE(conn->pn->queue_bytes) / 4,
			   pg_conn_frame_max(conn) - PG_WIRE_HDR_LEN -
			   PG_WIRE_TAG_LEN);
	struct pg_recon *rc;

	rc = pg_fault(PG_FAULT_SEND) ? NULL :
	     kzalloc(sizeof(*rc), GFP_KERNEL_ACCOUNT);
	if (!rc)
		return NULL;
	rc->budget = min_t(u32, budget, PG_RC_MSG_MAX);
	rc->out = kvmalloc(rc->budget, PG_GFP_PEER);
	if (!rc->out) {
		kfree(rc);
		return NULL;
	}
	conn->rc = rc;
	return rc;
}

/* Opens a pass: our whole table, listed or cut into buckets. */
static int pass_start(struct pg_conn *conn, bool first)
{
	struct pg_recon *rc = pass_alloc(conn);
	int ret;

	if (!rc)
		return -ENOMEM;
	rc->first = first;
	rc->opening = true;
	answer_reset(rc, PG_RC_F_START);
	answer_fingerprint(rc, conn->grp, NULL, NULL, NULL);
	rc->out_ready = true;
	ret = send_answer(conn);
	return ret < 0 ? ret : 0;
}

int pg_recon_start_first(struct pg_conn *conn)
{
	if (WARN_ON_ONCE(conn->rc))
		return -EPROTO;
	return pass_start(conn, true);
}

int pg_recon_frame(struct pg_conn *conn, const u8 *p, u32 len)
{
	struct pg_recon *rc = conn->rc;
	bool first = false;
	u8 *in;

	if (!len || check_message(p, len))
		return pg_proto_err(conn, "a malformed RECONCILE");
	if (p[0] & PG_RC_F_START) {
		if (rc && !rc->opening)
			return pg_proto_err(conn, "a RECONCILE START during a pass");
		if (!pg_group_ready(conn->grp) && !rc)
			return pg_proto_err(conn, "a START to a table not synchronized");
		if (rc) {
			/* Both opened at once: the outbound side's pass goes on. */
			if (conn->outbound)
				return 0;
			first = rc->first;
			pass_free(conn);
		}
		rc = pass_alloc(conn);
		if (!rc)
			goto nomem;
		rc->first = first;
	} else if (!rc || !rc->awaiting) {
		return pg_proto_err(conn, "a RECONCILE not asked for");
	}
	if (p[0] & PG_RC_F_DONE) {
		pass_end(conn);
		return 0;
	}
	in = pg_fault(PG_FAULT_RECEIVE) ? NULL : kvmalloc(len, PG_GFP_PEER);
	if (!in)
		goto nomem;
	memcpy(in, p, len);
	rc->in = in;
	rc->in_len = len;
	rc->awaiting = false;
	rc->opening = false;
	answer_reset(rc, 0);
	return answer(conn);

nomem:
	conn->why = PEERGROUP_REASON_ERROR;
	return -ENOMEM;
}

int pg_recon_pump(struct pg_conn *conn)
{
	struct pg_recon *rc = conn->rc;

	if (rc)
		return rc->in || rc->out_ready ? answer(conn) : 0;
	if (pg_recon_wanted(conn) &&
	    pg_conn_queued(conn) < READ_ONCE(conn->pn->queue_bytes) / 2) {
		clear_bit(PG_CONN_F_PASS, &conn->flags);
		return pass_start(conn, false);
	}
	return 0;
}

bool pg_recon_wanted(const struct pg_conn *conn)
{
	const struct pg_recon *rc = conn->rc;

	if (rc)
		return rc->in || rc->out_ready;
	return test_bit(PG_CONN_F_PASS, &conn->flags) && conn->peer_ready &&
	       pg_group_ready(conn->grp);
}

void pg_recon_free(struct pg_conn *conn)
{
	pass_free(conn);
}

#include "selftest/reconcile.c"
