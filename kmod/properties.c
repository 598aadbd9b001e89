// SPDX-License-Identifier: GPL-2.0
/*
 * The group's properties on the wire (protocol.rst, PROPERTIES): who created
 * the group, and the properties its creator set (flags, max record size,
 * max records, max bytes, max lifetime), with the version the creator gave
 * them: 1 when the group was created, one more at each set.
 *
 * Each side sends them right after its WELCOME, if it knows them. A side
 * takes a copy of a higher version than its own (a group joined by id,
 * which knows only the hash of its creator's identity, learns the creator
 * so) through the group's one setter (group.h), which announces it; this
 * file, a subscriber of every change of the properties, passes it on to
 * the other neighbours. A side answers a lower version with its own, so
 * that any topology converges, as flooding does for records. A creator
 * that does not hash to the group id's authority, or properties out of
 * their bounds, close the connection.
 */
#include "bytes.h"
#include "change.h"
#include "conn.h"
#include "group.h"
#include "peer.h"
#include "pernet.h"

#include <linux/init.h>
#include <linux/net.h>
#include <linux/notifier.h>
#include <linux/peergroup.h>
#include <linux/string.h>

#define PG_PROPS_FIXED	(4 + 4 + 4 + 4 + 8 + 4)
#define PG_PROPS_MAX	(2 + PEERGROUP_IDENTITY_MAX + PG_PROPS_FIXED)

/*
 * Ours, as a payload in @buf; 0 while there are none: the creator unknown,
 * or known (a joiner told it) but none of its properties taken yet, which
 * version 0 says and a receiver refuses.
 */
static u32 props_encode(struct pg_group *grp, u8 buf[PG_PROPS_MAX])
{
	struct pg_wr w = { .p = buf, .left = PG_PROPS_MAX };
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	struct pg_props p;

	pg_group_props_get(grp, &p, creator);
	if (!p.version || !creator[0])
		return 0;
	pg_wr_str(&w, creator);
	pg_wr_be(&w, p.version, 4);
	pg_wr_be(&w, p.flags, 4);
	pg_wr_be(&w, p.max_record_size, 4);
	pg_wr_be(&w, p.max_records, 4);
	pg_wr_be(&w, p.max_bytes, 8);
	pg_wr_be(&w, p.max_lifetime, 4);
	return WARN_ON_ONCE(w.bad) ? 0 : PG_PROPS_MAX - w.left;
}

/*
 * Queues @len bytes of properties to @conn; if its queue is full, they go
 * once it drains (pg_props_pump(), from the connection's work, encodes them
 * anew then): a flood of sets is no reason to close a slow neighbour.
 */
static int send_or_defer(struct pg_conn *conn, const u8 *buf, u32 len,
			 bool kick)
{
	int ret = pg_conn_send(conn, PG_WIRE_PROPERTIES, buf, len);

	if (ret != -ENOBUFS)
		return ret;
	set_bit(PG_CONN_F_PROPS, &conn->flags);
	if (kick)
		pg_conn_kick(conn);
	return 0;
}

int pg_props_send(struct pg_conn *conn)
{
	u8 buf[PG_PROPS_MAX];
	u32 len = props_encode(conn->grp, buf);

	return len ? send_or_defer(conn, buf, len, true) : 0;
}

int pg_props_pump(struct pg_conn *conn)
{
	u8 buf[PG_PROPS_MAX];
	u32 len;

	if (!test_and_clear_bit(PG_CONN_F_PROPS, &conn->flags))
		return 0;
	len = props_encode(conn->grp, buf);
	/* No kick: the work runs again when the queue has drained. */
	return len ? send_or_defer(conn, buf, len, false) : 0;
}

/* Taken properties, to every neighbour but the one they came from. */
static void props_flood(struct pg_group *grp, const struct pg_origin *origin)
{
	struct pg_neighbour *nb;
	u8 buf[PG_PROPS_MAX];
	u32 len = props_encode(grp, buf);
	int ret;

	if (!len)
		return;
	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node) {
		if (!pg_neighbour_open(nb) || pg_neighbour_is_origin(nb, origin))
			continue;
		ret = send_or_defer(nb->conn, buf, len, true);
		if (ret && ret != -ENOTCONN)
			pg_conn_close(nb->conn, PEERGROUP_REASON_ERROR, ret);
	}
	mutex_unlock(&grp->nb_lock);
}

int pg_props_frame(struct pg_conn *conn, const u8 *p, u32 len)
{
	const struct pg_origin origin = {
		.kind = PG_ORIGIN_PEER,
		.neighbour = conn->nb->id,
	};
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	struct pg_rd r = { .p = p, .left = len };
	enum pg_write_outcome outcome;
	struct pg_write_err err;
	struct pg_props in;
	int ret;

	if (!pg_rd_str(&r, creator, sizeof(creator)))
		return pg_proto_err(conn, "a malformed PROPERTIES");
	in.version = pg_rd_be(&r, 4);
	in.flags = pg_rd_be(&r, 4);
	in.max_record_size = pg_rd_be(&r, 4);
	in.max_records = pg_rd_be(&r, 4);
	in.max_bytes = pg_rd_be(&r, 8);
	in.max_lifetime = pg_rd_be(&r, 4);
	if (r.bad || r.left || !pg_identity_valid(creator))
		return pg_proto_err(conn, "a malformed PROPERTIES");

	ret = pg_group_props_set(conn->grp, &in, PG_PROPS_ALL, creator,
				 &origin, &outcome, &err);
	if (ret)
		return pg_proto_err(conn, err.msg);
	if (outcome == PG_WRITE_STALE)
		return pg_props_send(conn);
	if (outcome == PG_WRITE_ACCEPTED)
		pr_debug("netns %u: group %s: neighbour %llu: properties version %u, creator %s\n",
			 conn->pn->net->ns.inum, conn->grp->name,
			 conn->nb->id, in.version, creator);
	return 0;
}

static int change_props(struct notifier_block *nb, unsigned long kind,
			void *data)
{
	const struct pg_group_change *gc = data;

	if (kind == PG_EVENT_GROUP &&
	    gc->event == PEERGROUP_GROUP_EVENT_PROPERTIES)
		props_flood(gc->grp, gc->origin);
	return NOTIFY_DONE;
}

static struct notifier_block props_nb = {
	.notifier_call = change_props,
};

int __init pg_props_init(void)
{
	return pg_change_subscribe(&props_nb);
}

void pg_props_uninit(void)
{
	pg_change_unsubscribe(&props_nb);
}
