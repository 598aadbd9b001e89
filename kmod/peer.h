/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replication's objects: listeners, neighbours and connections.
 *
 * A listener (listen.c) is a kernel TCP socket of one namespace that accepts
 * connections for every group of it. A neighbour (neighbour.c) is a peer of
 * one group: added by the administrator (outbound: the module connects and
 * connects again) or accepted by a listener (inbound: made when its
 * handshake ends, kept a while once closed). A connection (conn.c) is one TCP socket: framing,
 * sealing and all its I/O, in its own work item; handshake.c proves
 * membership over it, sync.c exchanges the tables.
 *
 * Locks: the module's order is written once, in pernet.h. Socket I/O
 * happens under none of them but tx_lock, and never blocks there: the
 * send itself runs in the connection's work.
 *
 * Lifetimes: a connection is referenced by its namespace's list until it is
 * torn down, by its neighbour while attached, and by whoever queues its
 * work; the last reference frees it on pg_wq after its work is cancelled. A
 * neighbour holds its group.
 */
#ifndef _PG_PEER_H
#define _PG_PEER_H

#include "change.h"

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/socket.h>
#include <linux/peergroup.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct pg_conn;
struct pg_group;
struct pg_net;
struct pg_origin;
struct pg_record;
struct sk_buff;
struct socket;
struct genl_info;

/* An address and port, IPv4 or IPv6. */
struct pg_addr {
	sa_family_t family;		/* AF_INET or AF_INET6 */
	u16 port;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

struct sockaddr_storage;
bool pg_addr_equal(const struct pg_addr *a, const struct pg_addr *b);
void pg_addr_to_sockaddr(const struct pg_addr *a, struct sockaddr_storage *ss,
			 int *len);

/* Counters of one neighbour, summed over its connections. */
struct pg_peer_stats {
	atomic64_t frames_tx, frames_rx;
	atomic64_t bytes_tx, bytes_rx;
	atomic64_t records_tx, records_rx;
	atomic64_t refused;
};

struct pg_neighbour {
	struct list_head node;		/* in pg_group.nbrs */
	struct kref ref;
	struct pg_group *grp;		/* referenced */
	u64 id;				/* unique in the namespace */
	struct pg_addr addr;
	enum peergroup_direction dir;
	struct delayed_work connect_work; /* outbound: the next attempt */
	struct pg_peer_stats stats;

	/* Under the group's nb_lock. */
	bool removed;
	enum peergroup_neighbour_state state;
	struct pg_conn *conn;		/* referenced, or NULL */
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	u8 reason;			/* enum peergroup_reason: the last */
	int err;			/* with REASON_CONNECT and _ERROR */
	u64 since;			/* UTC ns of the last state change */
	u32 connects;
	unsigned int backoff_ms;
	/* The last record refused: the write's message (static), errno. */
	const char *refused_why;
	int refused_err;
};

/* Whether @nb's connection is authenticated: it takes changes. nb_lock. */
static inline bool pg_neighbour_open(const struct pg_neighbour *nb)
{
	return nb->conn && (nb->state == PEERGROUP_NEIGHBOUR_SYNCING ||
			    nb->state == PEERGROUP_NEIGHBOUR_ESTABLISHED);
}

/* Whether @nb is where a change came from: a flood passes it by. */
static inline bool pg_neighbour_is_origin(const struct pg_neighbour *nb,
					  const struct pg_origin *origin)
{
	return origin->kind == PG_ORIGIN_PEER && origin->neighbour == nb->id;
}

/* What became of a listener's connections. */
struct pg_listen_stats {
	atomic64_t accepted;		/* taken into a handshake */
	atomic64_t ratelimited;		/* their source over its rate */
	atomic64_t busy;		/* over a limit of the namespace */
};

/* listen.c */
int pg_listen_add(struct pg_net *pn, const struct pg_addr *addr,
		  const char **msg);
int pg_listen_del(struct pg_net *pn, const struct pg_addr *addr);
/*
 * The @idx-th listener's address in *@addr, its counts of accepted,
 * rate-limited and busy connections in @counts; false past the last.
 */
bool pg_listen_get(struct pg_net *pn, unsigned int idx, struct pg_addr *addr,
		   u64 counts[3]);
void pg_listen_stop_all(struct pg_net *pn);

/* neighbour.c */
int pg_neighbour_add(struct pg_group *grp, const struct pg_addr *addr,
		     struct pg_neighbour **out, const char **msg);
int pg_neighbour_del(struct pg_group *grp, const struct pg_addr *addr,
		     u64 id);
/* The neighbour after id @after (0: the first), referenced, or NULL. */
struct pg_neighbour *pg_neighbour_next(struct pg_group *grp, u64 after);
struct pg_neighbour *pg_neighbour_inbound(struct pg_group *grp,
					  const struct pg_addr *addr);
void pg_neighbour_put(struct pg_neighbour *nb);
void pg_neighbour_attach(struct pg_neighbour *nb, struct pg_conn *conn);
/*
 * An accepted connection that named @grp failed before it was
 * authenticated: kept as a CLOSED neighbour, with why.
 */
void pg_neighbour_refused(struct pg_group *grp, const struct pg_addr *addr,
			  u8 reason, int err);
/* Group delete and namespace exit: every neighbour goes, with its link. */
void pg_neighbours_close(struct pg_group *grp);
/* Closes the connections of the neighbours that are @identity. */
void pg_neighbours_close_identity(struct pg_group *grp, const char *identity,
				  u8 reason, int err);
/* A connection reports what became of it (conn.c, sync.c). */
void pg_neighbour_up(struct pg_neighbour *nb, struct pg_conn *conn,
		     const char *identity);
void pg_neighbour_synced(struct pg_neighbour *nb);
void pg_neighbour_down(struct pg_neighbour *nb, struct pg_conn *conn,
		       bool was_up, u8 reason, int err);
u64 pg_neighbour_new_id(struct pg_net *pn);

/* conn.c */
struct pg_conn *pg_conn_connect(struct pg_neighbour *nb, int *err);
struct mem_cgroup;
int pg_conn_accept(struct pg_net *pn, struct socket *sock,
		   struct mem_cgroup *memcg);
void pg_conn_close(struct pg_conn *conn, u8 reason, int err);
void pg_conn_put(struct pg_conn *conn);
void pg_conns_close_all(struct pg_net *pn);
void pg_conns_wait_freed(struct pg_net *pn);
u32 pg_conn_queued(struct pg_conn *conn);
u32 pg_conn_lag_ms(struct pg_conn *conn);
/* Seals and queues one frame of @type with @len bytes of @payload. */
int pg_conn_send(struct pg_conn *conn, u8 type, const void *payload,
		 u32 len);

/* netlink_peer.c: the neighbour events (a subscriber of change.h) */
void pg_nl_notify_neighbour(struct pg_neighbour *nb,
			    enum peergroup_neighbour_event event);

/*
 * Flooding subscribes to the change dispatcher: records (sync.c) and the
 * group's properties (properties.c).
 */
int __init pg_sync_init(void);
void pg_sync_uninit(void);
int __init pg_props_init(void);
void pg_props_uninit(void);

#endif /* _PG_PEER_H */
