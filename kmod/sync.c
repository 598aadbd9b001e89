// SPDX-License-Identifier: GPL-2.0
/*
 * The tables over an authenticated connection (Documentation/protocol.rst).
 *
 * Each side opens with a WELCOME: whether its table is synchronized, and
 * its peer time. A joined group that never synchronized asks a
 * synchronized peer for its whole table with a SOLICIT, from its resume
 * cursor (the last id a first synchronization got to), and adopts the
 * peer's time; the peer streams its table in id order, as RECORD frames,
 * and ends with SYNC_END. Two synchronized tables reconcile instead
 * (reconcile.c): the outbound side opens a pass, and only what differs
 * crosses. A first synchronization that resumed ends with a pass too, for
 * what changed before the cursor while it was away.
 *
 * Every record received passes the one write path (write.h), like a local
 * write and an import. A stale copy is answered with the newer local one;
 * an accepted one is flooded by the change dispatcher to every other
 * neighbour. A neighbour whose send queue is full misses floods and is
 * reconciled once it drains, rather than queued without bound.
 */
#include "bytes.h"
#include "change.h"
#include "conn.h"
#include "fault.h"
#include "group.h"
#include "pernet.h"
#include "peer.h"
#include "record.h"
#include "write.h"

#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#define PG_WELCOME_F_SYNCHRONIZED	0x1
#define PG_SOLICIT_F_CURSOR		0x1

int pg_sync_open(struct pg_conn *conn)
{
	struct pg_group *grp = conn->grp;
	u8 welcome[12] = { };
	int ret;

	welcome[0] = pg_group_ready(grp) ? PG_WELCOME_F_SYNCHRONIZED : 0;
	pg_put_be(welcome + 4, pg_group_now(grp), 8);
	ret = pg_conn_send(conn, PG_WIRE_WELCOME, welcome, sizeof(welcome));
	/* Before any record: the receiver may know the group by its id only. */
	return ret ?: pg_props_send(conn);
}

int pg_proto_err(struct pg_conn *conn, const char *what)
{
	net_info_ratelimited("netns %u: group %s: neighbour %llu: %s\n",
			     conn->pn->net->ns.inum, conn->grp->name,
			     conn->nb->id, what);
	conn->why = PEERGROUP_REASON_PROTOCOL;
	return -EPROTO;
}

/*
 * Peer time, once both sides are synchronized, at the first WELCOME of a
 * connection: the sender's time, plus half the round trip since our last
 * handshake frame (the WELCOME was stamped about halfway), against ours.
 * Each side moves toward the other's by half the difference, at most
 * PG_TIME_STEP_MAX, and not at all inside PG_TIME_SLACK; so two peers meet
 * halfway, and over connections a group tends to the average of its
 * members' times. However many connections step it, it moves at most a
 * second a minute (pg_group_time_step()). Under write_lock: a write reads
 * one clock throughout.
 */
#define PG_TIME_STEP_MAX	NSEC_PER_SEC
#define PG_TIME_SLACK		(100 * NSEC_PER_MSEC)
#define PG_TIME_RTT_MAX		(10ULL * NSEC_PER_SEC)	/* the handshake's limit */

static void time_step(struct pg_conn *conn, u64 theirs)
{
	struct pg_group *grp = conn->grp;
	u64 rtt = ktime_get_ns() - conn->plain_sent;
	s64 delta, step;

	if (rtt > PG_TIME_RTT_MAX)
		return;
	delta = (s64)(theirs + rtt / 2 - pg_group_now(grp));
	if (delta > -PG_TIME_SLACK && delta < PG_TIME_SLACK)
		return;
	step = clamp_t(s64, div_s64(delta, 2), -PG_TIME_STEP_MAX,
		       PG_TIME_STEP_MAX);
	/* No faster than the window allows (group.h), however many come. */
	step = pg_group_time_step(grp, step);
	pr_debug("netns %u: group %s: neighbour %llu: peer time %+lld ns (%+lld ns apart, round trip %llu ns)\n",
		 conn->pn->net->ns.inum, grp->name, conn->nb->id, step, delta,
		 rtt);
}

static int on_welcome(struct pg_conn *conn, const u8 *p, u32 len)
{
	struct pg_group *grp = conn->grp;
	u8 solicit[1 + PEERGROUP_GUID_LEN] = { };
	bool ready, peer_ready, first = !conn->welcomed;

	if (len != 12 || (p[0] & ~PG_WELCOME_F_SYNCHRONIZED))
		return pg_proto_err(conn, "a malformed WELCOME");
	peer_ready = p[0] & PG_WELCOME_F_SYNCHRONIZED;
	/* Again: the peer became synchronized since, or nothing new. */
	if (conn->welcomed && (conn->peer_ready || !peer_ready))
		return 0;
	conn->welcomed = true;
	conn->peer_ready = peer_ready;
	/*
	 * It learns from us, if we know anything, when it asks: it is synced
	 * once our stream to it has ended (stream()), not before.
	 */
	if (!peer_ready)
		return 0;

	mutex_lock(&grp->write_lock);
	ready = pg_group_ready(grp);
	if (!ready && !conn->solicited) {
		/* A first-time joiner adopts its first neighbour's time. */
		pg_group_time_offset_set(grp, pg_get_be(p + 4, 8) -
					 ktime_get_real_ns());
		if (grp->have_sync_cursor) {
			solicit[0] = PG_SOLICIT_F_CURSOR;
			memcpy(solicit + 1, grp->sync_cursor,
			       PEERGROUP_GUID_LEN);
		}
	} else if (ready && first) {
		time_step(conn, pg_get_be(p + 4, 8));
	}
	mutex_unlock(&grp->write_lock);
	if (ready) {
		/* Both synchronized: the outbound side opens a pass. */
		if (conn->outbound)
			set_bit(PG_CONN_F_PASS, &conn->flags);
		return 0;
	}
	if (conn->solicited)
		return 0;
	conn->solicited = true;
	conn->resumed = solicit[0] & PG_SOLICIT_F_CURSOR;
	return pg_conn_send(conn, PG_WIRE_SOLICIT, solicit, sizeof(solicit));
}

static int on_solicit(struct pg_conn *conn, const u8 *p, u32 len)
{
	if (len != 1 + PEERGROUP_GUID_LEN || (p[0] & ~PG_SOLICIT_F_CURSOR))
		return pg_proto_err(conn, "a malformed SOLICIT");
	if (conn->streaming)
		return pg_proto_err(conn, "a SOLICIT during a stream");
	if (!pg_group_ready(conn->grp))
		return pg_proto_err(conn, "a SOLICIT to a table not synchronized");
	conn->streaming = true;
	conn->stream_have_cursor = p[0] & PG_SOLICIT_F_CURSOR;
	memcpy(conn->stream_cursor, p + 1, PEERGROUP_GUID_LEN);
	return 0;
}

/* Encodes @rec as a RECORD payload of @kind; kfree() it. */
static u8 *record_payload(const struct pg_group *grp,
			  const struct pg_record *rec, u8 kind, u32 *len)
{
	u32 rlen = pg_wire_record_len(grp, rec);
	u8 *buf;

	buf = pg_fault(PG_FAULT_SEND) ? NULL : kmalloc(1 + rlen, GFP_KERNEL);
	if (!buf)
		return NULL;
	buf[0] = kind;
	if (pg_wire_record_put(grp, rec, buf + 1, rlen)) {
		kfree(buf);
		return NULL;
	}
	*len = 1 + rlen;
	return buf;
}

int pg_sync_send_record(struct pg_conn *conn, const struct pg_record *rec,
			u8 kind)
{
	u32 len;
	u8 *buf;
	int ret;

	buf = record_payload(conn->grp, rec, kind, &len);
	if (!buf)
		return -ENOMEM;
	ret = pg_conn_send(conn, PG_WIRE_RECORD, buf, len);
	kfree(buf);
	if (!ret)
		atomic64_inc(&conn->nb->stats.records_tx);
	return ret;
}

/* Records taken from the table under one hold of its lock, then sent. */
#define PG_STREAM_GRAB	16

/*
 * Up to PG_STREAM_GRAB records after the stream's cursor into @recs,
 * referenced: a lookup by key, then a walk of the tree.
 */
static int stream_grab(struct pg_conn *conn, struct pg_record **recs)
{
	struct pg_group *grp = conn->grp;
	struct pg_record *rec;
	int n = 0;

	mutex_lock(&grp->table_lock);
	rec = pg_table_next(grp, conn->stream_have_cursor ?
				 conn->stream_cursor : NULL);
	for (; rec && n < PG_STREAM_GRAB; rec = pg_table_succ(rec))
		recs[n++] = pg_record_get(rec);
	mutex_unlock(&grp->table_lock);
	return n;
}

/*
 * Streams the table to a peer that asked, in id order from the cursor, as
 * long as its queue has room; the connection's work calls it again when
 * the queue drains. Records whose time is up are left out: the receiver
 * would refuse them.
 */
static int stream(struct pg_conn *conn)
{
	struct pg_record *recs[PG_STREAM_GRAB];
	struct pg_group *grp = conn->grp;
	u32 limit = READ_ONCE(conn->pn->queue_bytes) / 2;
	int budget, ret = 0, n, i;
	u64 now;

	for (budget = PG_TABLE_BATCH; conn->streaming && budget > 0;
	     budget -= n) {
		if (pg_conn_queued(conn) >= limit)
			return 0;
		n = stream_grab(conn, recs);
		if (!n) {
			ret = pg_conn_send(conn, PG_WIRE_SYNC_END, NULL, 0);
			if (!ret) {
				conn->streaming = false;
				/* Our whole table is on its way: converged. */
				pg_neighbour_synced(conn->nb);
			}
			break;
		}
		/* One reading of the clock for the lot: it may be dear. */
		now = pg_group_now(grp);
		for (i = 0; i < n; i++) {
			if (!ret && recs[i]->expires > now)
				ret = pg_sync_send_record(conn, recs[i],
							  PG_WIRE_REC_SYNC);
			if (!ret) {
				memcpy(conn->stream_cursor, recs[i]->id,
				       PEERGROUP_GUID_LEN);
				conn->stream_have_cursor = true;
			}
			pg_record_put(recs[i]);
		}
		if (ret)
			break;
	}
	/* Full: the rest goes when the queue drains. */
	return ret == -ENOBUFS ? 0 : ret;
}

void pg_sync_pump(struct pg_conn *conn)
{
	int ret = pg_props_pump(conn);

	if (!ret)
		ret = stream(conn);
	if (!ret)
		ret = pg_recon_pump(conn);
	if (ret)
		pg_conn_close(conn, conn->why ?: PEERGROUP_REASON_ERROR, ret);
}

/* Whether the pump has more to do once the queue has room. */
bool pg_sync_more(const struct pg_conn *conn)
{
	return conn->streaming || test_bit(PG_CONN_F_PROPS, &conn->flags) ||
	       pg_recon_wanted(conn);
}

/* A record a full queue could not take: a pass will repair it. */
static void missed(struct pg_conn *conn)
{
	set_bit(PG_CONN_F_PASS, &conn->flags);
	pg_conn_kick(conn);
}

static int on_record(struct pg_conn *conn, const u8 *p, u32 len)
{
	struct pg_origin origin = {
		.kind = PG_ORIGIN_PEER,
		.neighbour = conn->nb->id,
	};
	struct pg_group *grp = conn->grp;
	struct pg_record_fields f = { };
	enum pg_write_outcome outcome;
	struct pg_write_err err = { };
	struct pg_record *stored;
	struct pg_attr *attrs;
	char *strings;
	u8 kind;
	int ret;

	if (len < 1 || p[0] > PG_WIRE_REC_RECONCILE)
		return pg_proto_err(conn, "a malformed RECORD");
	if (!pg_group_creator_known(grp))
		return pg_proto_err(conn, "a RECORD before the group's PROPERTIES");
	kind = p[0];
	ret = pg_wire_record_get(grp, p + 1, len - 1, &f, &attrs, &strings);
	if (ret) {
		kfree(attrs);
		kfree(strings);
		if (ret != -ENOMEM)
			return pg_proto_err(conn, "a record that cannot be parsed");
		conn->why = PEERGROUP_REASON_ERROR;
		return ret;
	}

	ret = pg_write_foreign(grp, &f, &origin, &outcome, &stored, &err);
	if (ret) {
		/* Refused by the rules or the provider: dropped, counted. */
		atomic64_inc(&conn->nb->stats.refused);
		mutex_lock(&grp->nb_lock);
		conn->nb->refused_why = err.msg ?: "record: refused";
		conn->nb->refused_err = -ret;
		mutex_unlock(&grp->nb_lock);
		net_dbg_ratelimited("group %s: neighbour %llu: record refused (%d): %s\n",
				    grp->name, conn->nb->id, ret, err.msg);
		ret = ret == -ENOMEM ? ret : 0;
	} else if (outcome == PG_WRITE_ACCEPTED) {
		atomic64_inc(&conn->nb->stats.records_rx);
	} else if (outcome == PG_WRITE_STALE) {
		ret = pg_sync_send_record(conn, stored, PG_WIRE_REC_ANSWER);
		pg_record_put(stored);
	}
	/* A first synchronization resumes after this record. */
	if (kind == PG_WIRE_REC_SYNC && !pg_group_ready(grp))
		pg_group_sync_cursor_set(grp, f.id);
	kfree(attrs);
	kfree(strings);
	if (ret == -ENOBUFS) {
		missed(conn);
		ret = 0;
	} else if (ret) {
		conn->why = PEERGROUP_REASON_ERROR;
	}
	return ret;
}

/*
 * Newly synchronized: the neighbours that met us before know it now; those
 * not synchronized ask us for the table, and the synchronized ones we
 * connected to are reconciled with.
 */
static void announce_ready(struct pg_conn *from)
{
	struct pg_group *grp = from->grp;
	struct pg_neighbour *nb;

	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node) {
		if (!pg_neighbour_open(nb) || nb->conn == from)
			continue;
		pg_sync_open(nb->conn);
		if (nb->conn->outbound)
			missed(nb->conn);
	}
	mutex_unlock(&grp->nb_lock);
}

void pg_sync_became_ready(struct pg_conn *conn)
{
	if (pg_group_synchronized(conn->grp))
		announce_ready(conn);
}

static int on_sync_end(struct pg_conn *conn, u32 len)
{
	if (len || !conn->solicited)
		return pg_proto_err(conn, "a SYNC_END not asked for");
	if (!pg_group_creator_known(conn->grp))
		return pg_proto_err(conn, "a SYNC_END before the group's PROPERTIES");
	conn->solicited = false;
	/* Resumed: what changed before the cursor meanwhile, by a pass. */
	if (conn->resumed && !pg_group_ready(conn->grp))
		return pg_recon_start_first(conn);
	pg_sync_became_ready(conn);
	pg_neighbour_synced(conn->nb);
	return 0;
}

int pg_sync_frame(struct pg_conn *conn, u8 type, const u8 *p, u32 len)
{
	switch (type) {
	case PG_WIRE_WELCOME:
		return on_welcome(conn, p, len);
	case PG_WIRE_SOLICIT:
		return on_solicit(conn, p, len);
	case PG_WIRE_RECORD:
		return on_record(conn, p, len);
	case PG_WIRE_SYNC_END:
		return on_sync_end(conn, len);
	case PG_WIRE_RECONCILE:
		return pg_recon_frame(conn, p, len);
	case PG_WIRE_PROPERTIES:
		return pg_props_frame(conn, p, len);
	}
	return pg_proto_err(conn, "a frame of an unknown type");
}

/*
 * Flooding: every change the table accepted goes to every authenticated
 * neighbour but the one it came from. Expiry is every node's own: it is
 * not sent. A neighbour whose queue is full misses the change, and is
 * reconciled with once its queue drains.
 */
static void flood(struct pg_group *grp, const struct pg_record *rec,
		  const struct pg_origin *origin)
{
	struct pg_neighbour *nb;
	u8 *buf = NULL;
	u32 len = 0;
	int ret;

	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node) {
		if (!pg_neighbour_open(nb) || pg_neighbour_is_origin(nb, origin))
			continue;
		if (!buf)
			buf = record_payload(grp, rec, PG_WIRE_REC_FLOOD, &len);
		ret = buf ? pg_conn_send(nb->conn, PG_WIRE_RECORD, buf, len) :
			    -ENOMEM;
		if (!ret)
			atomic64_inc(&nb->stats.records_tx);
		else if (ret == -ENOBUFS)
			missed(nb->conn);
		else if (ret != -ENOTCONN)
			pg_conn_close(nb->conn, PEERGROUP_REASON_ERROR, ret);
	}
	mutex_unlock(&grp->nb_lock);
	kfree(buf);
}

static int change_flood(struct notifier_block *nb, unsigned long kind,
			void *data)
{
	const struct pg_record_change *rc = data;

	if (kind == PG_EVENT_RECORD && rc->change != PEERGROUP_CHANGE_EXPIRED)
		flood(rc->grp, rc->rec, rc->origin);
	return NOTIFY_DONE;
}

static struct notifier_block flood_nb = {
	.notifier_call = change_flood,
};

int __init pg_sync_init(void)
{
	return pg_change_subscribe(&flood_nb);
}

void pg_sync_uninit(void)
{
	pg_change_unsubscribe(&flood_nb);
}
