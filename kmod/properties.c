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
 * so), announces it and passes it on to its other neighbours; it answers a
 * lower one with its own, so that any topology converges, as flooding
 * does for records. A creator that does not hash to the group id's
 * authority, or properties out of their bounds, close the connection.
 */
#include "bytes.h"
#include "change.h"
#include "conn.h"
#include "group.h"
#include "peer.h"
#include "pernet.h"
#include "record.h"

#include <linux/net.h>
#include <linux/peergroup.h>
#include <linux/string.h>

#define PG_PROPS_FIXED	(4 + 4 + 4 + 4 + 8 + 4)
#define PG_PROPS_MAX	(2 + PEERGROUP_IDENTITY_MAX + PG_PROPS_FIXED)

struct pg_props {
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	u32 version;
	u32 flags;
	u32 max_record_size;
	u32 max_records;
	u64 max_bytes;
	u32 max_lifetime;
};

/*
 * Ours, as a payload in @buf; 0 while there are none: the creator unknown,
 * or known (a joiner told it) but none of its properties taken yet, which
 * version 0 says and a receiver refuses.
 */
static u32 props_encode(struct pg_group *grp, u8 buf[PG_PROPS_MAX])
{
	u32 n = 0;
	u8 *p;

	mutex_lock(&grp->table_lock);
	if (grp->props_version)
		n = strlen(grp->creator);
	if (n) {
		pg_put_be(buf, n, 2);
		memcpy(buf + 2, grp->creator, n);
		p = buf + 2 + n;
		pg_put_be(p, grp->props_version, 4);
		pg_put_be(p + 4, grp->flags, 4);
		pg_put_be(p + 8, grp->max_record_size, 4);
		pg_put_be(p + 12, grp->max_records, 4);
		pg_put_be(p + 16, grp->max_bytes, 8);
		pg_put_be(p + 24, grp->max_lifetime, 4);
		n += 2 + PG_PROPS_FIXED;
	}
	mutex_unlock(&grp->table_lock);
	return n;
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

void pg_props_flood(struct pg_group *grp, const struct pg_conn *from)
{
	struct pg_neighbour *nb;
	u8 buf[PG_PROPS_MAX];
	u32 len = props_encode(grp, buf);
	int ret;

	if (!len)
		return;
	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node) {
		if (!pg_neighbour_open(nb) || nb->conn == from)
			continue;
		ret = send_or_defer(nb->conn, buf, len, true);
		if (ret && ret != -ENOTCONN)
			pg_conn_close(nb->conn, PEERGROUP_REASON_ERROR, ret);
	}
	mutex_unlock(&grp->nb_lock);
}

static int props_decode(struct pg_conn *conn, const u8 *p, u32 len,
			struct pg_props *in)
{
	struct pg_rd r = { .p = p, .left = len };
	u32 n = pg_rd_be(&r, 2);
	const u8 *s = pg_rd_bytes(&r, n);

	if (!s || n > PEERGROUP_IDENTITY_MAX || memchr(s, 0, n))
		return pg_proto_err(conn, "a malformed PROPERTIES");
	memcpy(in->creator, s, n);
	in->creator[n] = 0;
	in->version = pg_rd_be(&r, 4);
	in->flags = pg_rd_be(&r, 4);
	in->max_record_size = pg_rd_be(&r, 4);
	in->max_records = pg_rd_be(&r, 4);
	in->max_bytes = pg_rd_be(&r, 8);
	in->max_lifetime = pg_rd_be(&r, 4);
	if (r.bad || r.left || !pg_identity_valid(in->creator) || !in->version)
		return pg_proto_err(conn, "a malformed PROPERTIES");
	if ((in->flags & ~PEERGROUP_GROUP_F_DEFER_EXPIRATION) ||
	    in->max_record_size < PEERGROUP_RECORD_SIZE_MIN ||
	    in->max_record_size > PEERGROUP_RECORD_SIZE_MAX ||
	    !in->max_records ||
	    in->max_records > PEERGROUP_MAX_RECORDS_LIMIT ||
	    in->max_bytes < PEERGROUP_MAX_BYTES_MIN ||
	    in->max_bytes > PEERGROUP_MAX_BYTES_LIMIT ||
	    in->max_lifetime < PEERGROUP_MAX_LIFETIME_MIN ||
	    in->max_lifetime > PEERGROUP_MAX_LIFETIME_LIMIT)
		return pg_proto_err(conn, "PROPERTIES out of their bounds");
	if (!pg_group_id_of(conn->grp, in->creator))
		return pg_proto_err(conn, "PROPERTIES whose creator is not the group id's");
	return 0;
}

int pg_props_frame(struct pg_conn *conn, const u8 *p, u32 len)
{
	struct pg_group *grp = conn->grp;
	bool newer, older, learned = false;
	struct pg_props in;
	u64 now;
	int ret;

	ret = props_decode(conn, p, len, &in);
	if (ret)
		return ret;
	/*
	 * Past the reach of the creator's next set (record.h): ignored, not a
	 * reason to close, as a peer whose clock is a little ahead may have
	 * taken them from a member.
	 */
	now = pg_group_now(grp);
	if (in.version > pg_version_limit(0, now, now)) {
		net_info_ratelimited("netns %u: group %s: neighbour %llu: PROPERTIES of version %u, ahead of the peer time: ignored\n",
				     conn->pn->net->ns.inum, grp->name,
				     conn->nb->id, in.version);
		return 0;
	}

	mutex_lock(&grp->write_lock);
	mutex_lock(&grp->table_lock);
	newer = in.version > grp->props_version;
	older = in.version < grp->props_version;
	if (newer) {
		if (!grp->creator[0]) {
			strscpy(grp->creator, in.creator, sizeof(grp->creator));
			learned = true;
		}
		grp->props_version = in.version;
		grp->flags = in.flags;
		grp->max_record_size = in.max_record_size;
		grp->max_records = in.max_records;
		grp->max_bytes = in.max_bytes;
		grp->max_lifetime = in.max_lifetime;
	}
	mutex_unlock(&grp->table_lock);
	if (newer)
		pg_table_rearm(grp);
	mutex_unlock(&grp->write_lock);

	if (older)
		return pg_props_send(conn);
	if (!newer)
		return 0;
	pr_debug("netns %u: group %s: neighbour %llu: properties version %u%s%s\n",
		 conn->pn->net->ns.inum, grp->name, conn->nb->id, in.version,
		 learned ? ", creator " : "", learned ? in.creator : "");
	pg_change_group(grp, PEERGROUP_GROUP_EVENT_PROPERTIES);
	pg_props_flood(grp, conn);
	return 0;
}
