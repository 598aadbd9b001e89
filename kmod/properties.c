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
#include "security.h"

#include <linux/init.h>
#include <linux/net.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/peergroup.h>
#include <linux/string.h>

/* The properties, then the creator's signature: be16 length, bytes. */
#define PG_PROPS_MAX	(PG_PROPS_ENCODED_MAX + 2 + PG_SECURITY_MAX)

/*
 * Ours, as a payload in a new buffer (*@len bytes, for kfree()); NULL while
 * there are none: the creator unknown, or known (a joiner told it) but none
 * of its properties taken yet, which version 0 says and a receiver
 * refuses; or ERR_PTR(-ENOMEM).
 */
static u8 *props_encode(struct pg_group *grp, u32 *len)
{
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	struct pg_props p;
	struct pg_wr w;
	u32 sec_len;
	u8 *buf;

	/* The signature is copied to the end, then moved after the rest. */
	buf = kmalloc(PG_PROPS_MAX + PG_SECURITY_MAX, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	sec_len = pg_group_props_get(grp, &p, creator, buf + PG_PROPS_MAX);
	if (!p.version || !creator[0]) {
		kfree(buf);
		return NULL;
	}
	w = (struct pg_wr){ .p = buf, .left = PG_PROPS_MAX };
	pg_props_write(&w, creator, &p);
	pg_wr_be(&w, sec_len, 2);
	pg_wr_mem(&w, buf + PG_PROPS_MAX, sec_len);
	if (WARN_ON_ONCE(w.bad)) {
		kfree(buf);
		return ERR_PTR(-EMSGSIZE);
	}
	*len = PG_PROPS_MAX - w.left;
	return buf;
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

/* Ours to @conn, if there are any. */
static int props_to(struct pg_conn *conn, bool kick)
{
	u8 *buf;
	u32 len;
	int ret;

	buf = props_encode(conn->grp, &len);
	if (IS_ERR_OR_NULL(buf))
		return PTR_ERR_OR_ZERO(buf);
	ret = send_or_defer(conn, buf, len, kick);
	kfree(buf);
	return ret;
}

int pg_props_send(struct pg_conn *conn)
{
	return props_to(conn, true);
}

int pg_props_pump(struct pg_conn *conn)
{
	if (!test_and_clear_bit(PG_CONN_F_PROPS, &conn->flags))
		return 0;
	/* No kick: the work runs again when the queue has drained. */
	return props_to(conn, false);
}

/* Taken properties, to every neighbour but the one they came from. */
static void props_flood(struct pg_group *grp, const struct pg_origin *origin)
{
	struct pg_neighbour *nb;
	u8 *buf;
	u32 len;
	int ret;

	buf = props_encode(grp, &len);
	if (IS_ERR_OR_NULL(buf)) {
		if (IS_ERR(buf))
			net_info_ratelimited("netns %u: group %s: out of memory: properties not passed on\n",
					     grp->pn->net->ns.inum, grp->name);
		return;
	}
	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node) {
		if (!pg_neighbour_open(nb) || pg_neighbour_is_origin(nb, origin))
			continue;
		ret = send_or_defer(nb->conn, buf, len, true);
		if (ret && ret != -ENOTCONN)
			pg_conn_close(nb->conn, PEERGROUP_REASON_ERROR, ret);
	}
	mutex_unlock(&grp->nb_lock);
	kfree(buf);
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
	const u8 *sec;
	u32 sec_len;
	int ret;

	if (!pg_rd_str(&r, creator, sizeof(creator)))
		return pg_proto_err(conn, "a malformed PROPERTIES");
	in.version = pg_rd_be(&r, 4);
	in.flags = pg_rd_be(&r, 4);
	in.max_record_size = pg_rd_be(&r, 4);
	in.max_records = pg_rd_be(&r, 4);
	in.max_bytes = pg_rd_be(&r, 8);
	in.max_lifetime = pg_rd_be(&r, 4);
	sec_len = pg_rd_be(&r, 2);
	sec = pg_rd_bytes(&r, sec_len);
	if (r.bad || r.left || !pg_identity_valid(creator) ||
	    sec_len > PG_SECURITY_MAX)
		return pg_proto_err(conn, "a malformed PROPERTIES");

	ret = pg_group_props_set(conn->grp, &in, PG_PROPS_ALL, creator, sec,
				 sec_len, &origin, &outcome, &err);
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
