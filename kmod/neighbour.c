// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbours: the peers of a group. One added by the administrator is
 * connected, and connected again after every failure, with a capped and
 * jittered exponential backoff. One accepted by a listener is made when its
 * handshake ends: when the peer's proof verifies, or when a peer that named
 * the group in a well-formed HELLO fails; an outsider's connection costs
 * no neighbour while it lasts. Once its connection is over, an accepted
 * neighbour stays, CLOSED, with why it ended, among the group's last
 * PG_INBOUND_KEPT so kept. Their list and state are under the group's nb_lock;
 * the group's count of connected neighbours and its HAS_CONNECTIONS status
 * follow them under write_lock.
 */
#include "change.h"
#include "conn.h"
#include "group.h"
#include "pernet.h"
#include "peer.h"

#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#define PG_BACKOFF_MIN_MS	500
#define PG_BACKOFF_MAX_MS	30000
/* Accepted neighbours kept, per group, once their connection is over. */
#define PG_INBOUND_KEPT		8

u64 pg_neighbour_new_id(struct pg_net *pn)
{
	return atomic64_inc_return(&pn->next_nb_id);
}

static void neighbour_release(struct kref *ref)
{
	struct pg_neighbour *nb = container_of(ref, struct pg_neighbour, ref);

	pg_group_put(nb->grp);
	kfree(nb);
}

void pg_neighbour_put(struct pg_neighbour *nb)
{
	kref_put(&nb->ref, neighbour_release);
}

static void set_state(struct pg_neighbour *nb,
		      enum peergroup_neighbour_state state)
{
	lockdep_assert_held(&nb->grp->nb_lock);
	nb->state = state;
	nb->since = ktime_get_real_ns();
}

/* The next attempt: half the backoff, plus up to the other half at random. */
static void schedule_connect(struct pg_neighbour *nb)
{
	unsigned int ms = nb->backoff_ms ?: PG_BACKOFF_MIN_MS;

	lockdep_assert_held(&nb->grp->nb_lock);
	set_state(nb, PEERGROUP_NEIGHBOUR_BACKOFF);
	queue_delayed_work(pg_wq, &nb->connect_work,
			   msecs_to_jiffies(ms / 2 + get_random_u32_below(ms / 2 + 1)));
	nb->backoff_ms = min(ms * 2, PG_BACKOFF_MAX_MS);
}

static void connect_work(struct work_struct *work)
{
	struct pg_neighbour *nb = container_of(to_delayed_work(work),
					       struct pg_neighbour,
					       connect_work);
	struct pg_group *grp = nb->grp;
	struct pg_conn *conn;
	bool failed = false;
	int err;

	mutex_lock(&grp->nb_lock);
	if (nb->removed || nb->conn) {
		mutex_unlock(&grp->nb_lock);
		return;
	}
	set_state(nb, PEERGROUP_NEIGHBOUR_CONNECTING);
	conn = pg_conn_connect(nb, &err);
	if (conn) {
		nb->conn = conn;
	} else {
		nb->reason = err == -ENOSPC ? PEERGROUP_REASON_LIMIT :
			     PEERGROUP_REASON_CONNECT;
		nb->err = -err;
		schedule_connect(nb);
		failed = true;
	}
	mutex_unlock(&grp->nb_lock);
	if (failed)
		pg_change_neighbour(nb, PEERGROUP_NEIGHBOUR_EVENT_FAILED);
}

static struct pg_neighbour *neighbour_new(struct pg_group *grp,
					  const struct pg_addr *addr,
					  enum peergroup_direction dir)
{
	struct pg_neighbour *nb;

	nb = kzalloc(sizeof(*nb), GFP_KERNEL_ACCOUNT);
	if (!nb)
		return NULL;
	kref_init(&nb->ref);
	pg_group_get(grp);
	nb->grp = grp;
	nb->id = pg_neighbour_new_id(grp->pn);
	nb->addr = *addr;
	nb->dir = dir;
	nb->since = ktime_get_real_ns();
	INIT_DELAYED_WORK(&nb->connect_work, connect_work);
	return nb;
}

static struct pg_neighbour *find_out(struct pg_group *grp,
				     const struct pg_addr *addr)
{
	struct pg_neighbour *nb;

	lockdep_assert_held(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node)
		if (nb->dir == PEERGROUP_DIRECTION_OUT &&
		    pg_addr_equal(&nb->addr, addr))
			return nb;
	return NULL;
}

int pg_neighbour_add(struct pg_group *grp, const struct pg_addr *addr,
		     struct pg_neighbour **out, const char **msg)
{
	struct pg_neighbour *nb, *it;
	unsigned int n = 0;
	int ret = 0;

	nb = neighbour_new(grp, addr, PEERGROUP_DIRECTION_OUT);
	if (!nb) {
		*msg = "out of memory for the neighbour";
		return -ENOMEM;
	}
	mutex_lock(&grp->nb_lock);
	list_for_each_entry(it, &grp->nbrs, node)
		n += it->dir == PEERGROUP_DIRECTION_OUT;
	if (READ_ONCE(grp->dead)) {
		*msg = "group: deleted meanwhile";
		ret = -ENOENT;
	} else if (find_out(grp, addr)) {
		*msg = "neighbour: the group has this address and port already";
		ret = -EEXIST;
	} else if (n >= PEERGROUP_NEIGHBOURS_MAX) {
		*msg = "neighbour: at most 64 added per group";
		ret = -ENOSPC;
	} else {
		list_add_tail(&nb->node, &grp->nbrs);
		kref_get(&nb->ref);
		*out = nb;
		set_state(nb, PEERGROUP_NEIGHBOUR_CONNECTING);
		queue_delayed_work(pg_wq, &nb->connect_work, 0);
	}
	mutex_unlock(&grp->nb_lock);
	if (ret)
		pg_neighbour_put(nb);
	return ret;
}

/* Unlinks @nb; the caller then cancels its work and puts the list's ref. */
static struct pg_conn *unlink_locked(struct pg_neighbour *nb)
{
	lockdep_assert_held(&nb->grp->nb_lock);
	nb->removed = true;
	list_del(&nb->node);
	return nb->conn;
}

static void neighbour_gone(struct pg_neighbour *nb)
{
	cancel_delayed_work_sync(&nb->connect_work);
	pg_neighbour_put(nb);
}

int pg_neighbour_del(struct pg_group *grp, const struct pg_addr *addr, u64 id)
{
	struct pg_neighbour *nb = NULL, *it;
	struct pg_conn *conn = NULL;

	mutex_lock(&grp->nb_lock);
	if (addr) {
		nb = find_out(grp, addr);
	} else {
		list_for_each_entry(it, &grp->nbrs, node)
			if (it->id == id) {
				nb = it;
				break;
			}
	}
	if (nb) {
		conn = unlink_locked(nb);
		if (conn)
			pg_conn_close(conn, PEERGROUP_REASON_DELETED, 0);
	}
	mutex_unlock(&grp->nb_lock);
	if (!nb)
		return -ENOENT;
	neighbour_gone(nb);
	return 0;
}

void pg_neighbours_close(struct pg_group *grp)
{
	struct pg_neighbour *nb, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&grp->nb_lock);
	list_for_each_entry_safe(nb, tmp, &grp->nbrs, node) {
		struct pg_conn *conn = unlink_locked(nb);

		if (conn)
			pg_conn_close(conn, PEERGROUP_REASON_DELETED, 0);
		list_add_tail(&nb->node, &gone);
	}
	mutex_unlock(&grp->nb_lock);
	list_for_each_entry_safe(nb, tmp, &gone, node) {
		list_del(&nb->node);
		neighbour_gone(nb);
	}
}

void pg_neighbours_close_identity(struct pg_group *grp, const char *identity,
				  u8 reason, int err)
{
	struct pg_neighbour *nb;

	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node)
		if (nb->conn && !strcmp(nb->identity, identity))
			pg_conn_close(nb->conn, reason, err);
	mutex_unlock(&grp->nb_lock);
}

struct pg_neighbour *pg_neighbour_next(struct pg_group *grp, u64 after)
{
	struct pg_neighbour *nb, *next = NULL;

	mutex_lock(&grp->nb_lock);
	list_for_each_entry(nb, &grp->nbrs, node) {
		if (nb->id > after && (!next || nb->id < next->id))
			next = nb;
	}
	if (next)
		kref_get(&next->ref);
	mutex_unlock(&grp->nb_lock);
	return next;
}

/*
 * @nb, accepted, is closed: it stays, and the oldest closed one beyond
 * PG_INBOUND_KEPT goes; returned to be put once nb_lock is dropped.
 */
static struct pg_neighbour *keep_closed(struct pg_neighbour *nb)
{
	struct pg_neighbour *it, *oldest = NULL;
	unsigned int n = 0;

	lockdep_assert_held(&nb->grp->nb_lock);
	set_state(nb, PEERGROUP_NEIGHBOUR_CLOSED);
	list_for_each_entry(it, &nb->grp->nbrs, node) {
		if (it->state != PEERGROUP_NEIGHBOUR_CLOSED)
			continue;
		n++;
		if (!oldest || it->since < oldest->since)
			oldest = it;
	}
	if (n <= PG_INBOUND_KEPT)
		return NULL;
	unlink_locked(oldest);
	return oldest;
}

/*
 * A listener's connection to @grp is authenticated: it becomes an inbound
 * neighbour, referenced for the connection. NULL if the group is going.
 */
struct pg_neighbour *pg_neighbour_inbound(struct pg_group *grp,
					  const struct pg_addr *addr)
{
	struct pg_neighbour *nb;

	nb = neighbour_new(grp, addr, PEERGROUP_DIRECTION_IN);
	if (!nb)
		return NULL;
	mutex_lock(&grp->nb_lock);
	if (READ_ONCE(grp->dead)) {
		mutex_unlock(&grp->nb_lock);
		pg_neighbour_put(nb);
		return NULL;
	}
	set_state(nb, PEERGROUP_NEIGHBOUR_HANDSHAKE);
	list_add_tail(&nb->node, &grp->nbrs);
	kref_get(&nb->ref);
	mutex_unlock(&grp->nb_lock);
	return nb;
}

void pg_neighbour_refused(struct pg_group *grp, const struct pg_addr *addr,
			  u8 reason, int err)
{
	struct pg_neighbour *nb, *gone = NULL;

	nb = neighbour_new(grp, addr, PEERGROUP_DIRECTION_IN);
	if (!nb)
		return;
	nb->reason = reason;
	nb->err = err < 0 ? -err : err;
	mutex_lock(&grp->nb_lock);
	if (READ_ONCE(grp->dead)) {
		mutex_unlock(&grp->nb_lock);
		pg_neighbour_put(nb);
		return;
	}
	list_add_tail(&nb->node, &grp->nbrs);
	gone = keep_closed(nb);
	mutex_unlock(&grp->nb_lock);
	pg_change_neighbour(nb, PEERGROUP_NEIGHBOUR_EVENT_FAILED);
	if (gone)
		pg_neighbour_put(gone);
}

/* Attaches @conn (referenced for it) to an inbound @nb. */
void pg_neighbour_attach(struct pg_neighbour *nb, struct pg_conn *conn)
{
	struct pg_group *grp = nb->grp;
	bool closed = false;

	kref_get(&conn->ref);
	mutex_lock(&grp->nb_lock);
	if (nb->removed || nb->conn)
		closed = true;
	else
		nb->conn = conn;
	mutex_unlock(&grp->nb_lock);
	if (closed) {
		pg_conn_close(conn, PEERGROUP_REASON_DELETED, 0);
		pg_conn_put(conn);
	}
}

void pg_neighbour_up(struct pg_neighbour *nb, struct pg_conn *conn,
		     const char *identity)
{
	struct pg_group *grp = nb->grp;

	mutex_lock(&grp->nb_lock);
	strscpy(nb->identity, identity, sizeof(nb->identity));
	nb->reason = PEERGROUP_REASON_NONE;
	nb->err = 0;
	nb->connects++;
	nb->backoff_ms = 0;
	set_state(nb, PEERGROUP_NEIGHBOUR_SYNCING);
	mutex_unlock(&grp->nb_lock);
	conn->was_up = true;
	pg_group_connected(grp, 1);
	pg_change_neighbour(nb, PEERGROUP_NEIGHBOUR_EVENT_CONNECTED);
}

void pg_neighbour_synced(struct pg_neighbour *nb)
{
	mutex_lock(&nb->grp->nb_lock);
	set_state(nb, PEERGROUP_NEIGHBOUR_ESTABLISHED);
	mutex_unlock(&nb->grp->nb_lock);
	pg_change_neighbour(nb, PEERGROUP_NEIGHBOUR_EVENT_SYNCED);
}

void pg_neighbour_down(struct pg_neighbour *nb, struct pg_conn *conn,
		       bool was_up, u8 reason, int err)
{
	struct pg_neighbour *gone = NULL;
	struct pg_group *grp = nb->grp;
	bool ours = false;

	mutex_lock(&grp->nb_lock);
	if (nb->conn == conn) {
		nb->conn = NULL;
		ours = true;
	}
	nb->reason = reason;
	nb->err = err < 0 ? -err : err;
	if (nb->removed)
		set_state(nb, PEERGROUP_NEIGHBOUR_UNSPEC);
	else if (nb->dir == PEERGROUP_DIRECTION_OUT)
		schedule_connect(nb);
	else
		gone = keep_closed(nb);
	mutex_unlock(&grp->nb_lock);
	if (was_up)
		pg_group_connected(grp, -1);
	pg_change_neighbour(nb, was_up ? PEERGROUP_NEIGHBOUR_EVENT_DISCONNECTED :
				    PEERGROUP_NEIGHBOUR_EVENT_FAILED);
	if (ours)
		pg_conn_put(conn);
	if (gone)
		pg_neighbour_put(gone);
}
