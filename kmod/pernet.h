/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state. Every namespace is an independent node: its
 * groups, limits and (later) connections are its own.
 *
 * The module's lock order, outermost first (the one place it is written):
 *   pg_net.lock (mutex)         the namespace's group table: the tree, the
 *                               count and the names in it
 *   pg_group.write_lock (mutex) serializes the writers of one group's
 *                               table, properties, status, neighbours and
 *                               peer time; held across security (crypto)
 *   pg_group.nb_lock (mutex)    a group's neighbours and their state
 *   pg_net.conn_lock (mutex)    the namespace's connections and counts
 *   pg_conn.tx_lock (mutex)     a connection's send queue and sending key;
 *                               the only lock held across socket I/O, and
 *                               that I/O never blocks (peer.h)
 * and a leaf, taken under any of them or none, with nothing taken inside it:
 *   pg_group.table_lock (mutex) the record trees, counters, properties and
 *                               status as readers see them; crypto never
 *                               runs under it (a flood encodes the
 *                               properties under nb_lock, say)
 * Every helper that needs a lock asserts it with lockdep_assert_held();
 * record.h has the rules for work over a whole table.
 */
#ifndef _PG_PERNET_H
#define _PG_PERNET_H

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/types.h>
#include <net/net_namespace.h>

#include "ratelimit.h"

struct ctl_table_header;

struct pg_net {
	struct net *net;		/* the namespace this belongs to */
	atomic_t freeing;		/* groups released, not yet freed */
	atomic_t conns_alive;		/* connections not yet freed */
	atomic64_t next_nb_id;		/* names neighbours */
	u8 node_id[16];			/* random: tells a node it met itself */
	struct mutex lock;		/* protects the fields below */
	struct rb_root groups;		/* struct pg_group, by name */
	unsigned int ngroups;
	u32 gen;			/* changes with the group table; never 0 */
	u64 next_serial;		/* names groups in debug messages */
	struct list_head listeners;	/* struct pg_listener (listen.c) */
	unsigned int nlisteners;

	struct mutex conn_lock;		/* protects the fields below */
	struct list_head conns;		/* struct pg_conn, every one */
	unsigned int nconns;
	unsigned int nhandshakes;	/* accepted, not yet authenticated */
	bool dying;			/* the namespace exits: no new ones */

	struct pg_ratelimit rl;		/* who may start a handshake */

	/* sysctls net.peergroup.* */
	int max_groups;
	int max_connections;
	int max_handshakes;
	int queue_bytes;
	struct ctl_table_header *sysctl;
};

struct pg_net *pg_net(const struct net *net);

/* Marks a change of the group table, for dump consistency checks. */
static inline void pg_net_changed(struct pg_net *pn)
{
	lockdep_assert_held(&pn->lock);
	if (!++pn->gen)
		pn->gen = 1;
}

int __init pg_pernet_init(void);
void pg_pernet_uninit(void);

#endif /* _PG_PERNET_H */
