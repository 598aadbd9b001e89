/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Groups: named per network namespace, each with the local identity that
 * created or joined it. The groups of a namespace live in an rbtree keyed by
 * name, under pg_net.lock (see pernet.h for the lock order).
 */
#ifndef _PG_GROUP_H
#define _PG_GROUP_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/peergroup.h>
#include <linux/rbtree.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "write.h"

struct pg_net;
struct pg_security_ops;
struct pg_wr;

/*
 * The Argon2id parameters a psk group's key was derived with, in userspace
 * (the kernel derives nothing from a password): passes, memory in KiB,
 * lanes. Told in the handshake's CHALLENGE (protocol.rst), so that a
 * joiner whose key was derived otherwise learns that, not "wrong password".
 */
struct pg_kdf {
	u32 time;
	u32 memory;
	u32 lanes;
};

/*
 * The creator's properties (PeerGroupSetProperties), with the version the
 * creator gave them: 1 when it created the group, one more at each set.
 * What group set and the wire's PROPERTIES carry.
 */
struct pg_props {
	u32 version;
	u32 flags;			/* PEERGROUP_GROUP_F_* */
	u32 max_record_size;
	u32 max_records;
	u64 max_bytes;
	u32 max_lifetime;		/* s from a write to its expiration */
};

/* Their encoding (pg_props_write()): the creator, then the fields. */
#define PG_PROPS_ENCODED_MAX	(2 + PEERGROUP_IDENTITY_MAX + 4 + 4 + 4 + 4 + \
				 8 + 4)

/* Which of them a set gives (pg_group_props_set()). */
#define PG_PROP_FLAGS		BIT(0)
#define PG_PROP_MAX_RECORD_SIZE	BIT(1)
#define PG_PROP_MAX_RECORDS	BIT(2)
#define PG_PROP_MAX_BYTES	BIT(3)
#define PG_PROP_MAX_LIFETIME	BIT(4)
#define PG_PROPS_ALL		GENMASK(4, 0)

/*
 * A group's state has one writer per piece, here (group.c) or, for the
 * table, in write.c: it checks the bounds, takes the locks documented
 * below, and publishes the change through change.h once it has let them
 * go. Netlink and the wire only translate.
 */
struct pg_group {
	struct rb_node node;		/* in pg_net.groups */
	struct kref ref;		/* the table holds one */
	struct work_struct free_work;	/* queued by the last put */
	struct pg_net *pn;		/* the namespace it belongs to */
	struct mem_cgroup *memcg;	/* its creator's: pays (memcg.h) */
	u64 serial;			/* for debug messages */
	u64 created;			/* ns since the Unix epoch */
	char name[PEERGROUP_GROUP_NAME_MAX + 1];
	char id[PEERGROUP_GROUP_ID_MAX + 1];
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	/*
	 * Empty in a group joined by id until a neighbour's PROPERTIES
	 * (properties.c) names it; then it never changes. Written under
	 * write_lock and table_lock.
	 */
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	enum peergroup_role role;	/* of the local identity */
	s64 time_offset;		/* peer time - UTC, ns; see below */
	/* The window that bounds how fast it moves; under write_lock. */
	u64 time_window_at;		/* boot time ns it opened; 0: none */
	s64 time_window_offset;		/* time_offset then */

	const struct pg_security_ops *sec_ops;
	void *sec_ctx;
	/*
	 * The key was drawn at random here and exists nowhere else (a psk
	 * group created without a key): set by the provider's init, then
	 * fixed.
	 */
	bool key_random;
	/* How the given key was derived; all 0 with a random key. Fixed. */
	struct pg_kdf kdf;

	/* The record table; lock order and rules in record.h. */
	struct mutex write_lock;	/* serializes writers */
	struct mutex table_lock;	/* the trees, counters, properties */
	struct rb_root records;		/* struct pg_record, by id */
	struct rb_root timeline;	/* struct pg_record, by deadline */
	u32 nrecords;			/* tombstones included */
	u64 nbytes;
	u32 gen;			/* changes with the table; never 0 */
	u32 max_msg;			/* largest record ever, as netlink */
	bool dead;			/* removed from its namespace */
	struct delayed_work expire_work;

	/* Properties and status, under table_lock (and write_lock to write). */
	u32 status;			/* PEERGROUP_STATUS_* */
	struct pg_props props;		/* version 0: none taken yet */
	u8 *props_sec;			/* the creator's signature of them */
	u32 props_sec_len;		/* (pki), or none */
	u32 neighbours;			/* authenticated, connected */

	/* Replication (peer.h). */
	struct mutex nb_lock;		/* the neighbours and their state */
	struct list_head nbrs;		/* struct pg_neighbour */
	/*
	 * Foreign records the provider deferred (write.h), under write_lock;
	 * the counts read without it.
	 */
	struct list_head parked;	/* struct pg_parked */
	u32 nparked;
	u64 parked_bytes;
	u64 parked_dropped;		/* full, or expired while parked */
	/* A first synchronization resumes after this id; under write_lock. */
	bool have_sync_cursor;
	u8 sync_cursor[PEERGROUP_GUID_LEN];
};

/* The module's workqueue (main.c): record expiry and refresh, freeing. */
extern struct workqueue_struct *pg_wq;

/*
 * What creating a group needs. creator NULL and id NULL: the identity
 * creates it; id (pg_group_id_valid() for name): it is joined by its id,
 * its creator still unknown.
 */
struct pg_group_params {
	const char *name;
	const char *identity;
	const char *creator;
	const char *id;
	enum peergroup_security security;
	/* psk */
	const u8 *key;		/* PEERGROUP_GROUP_KEY_LEN bytes, or NULL */
	struct pg_kdf kdf;	/* how @key was derived */
	/* pki: the private key's serial, the chain (this node's first) */
	s32 key_serial;
	const u8 *certs;
	u32 certs_len;
};

bool pg_group_name_valid(const char *name);
/* A group id: 40 lowercase hex digits, '.', then @name itself. */
bool pg_group_id_valid(const char *id, const char *name);
/* Whether @creator's hash is the authority of @grp's id. */
bool pg_group_id_of(const struct pg_group *grp, const char *creator);
/* Whether the creator is known (a group joined by id learns it). */
bool pg_group_creator_known(const struct pg_group *grp);
bool pg_identity_valid(const char *identity);

/*
 * A new group of @pn (under pn->lock) in *@out; a refusal of its provider
 * says why in *@err.
 */
int pg_group_create(struct pg_net *pn, const struct pg_group_params *params,
		    struct pg_group **out, struct pg_write_err *err);
struct pg_group *pg_group_find(struct pg_net *pn, const char *name);
struct pg_group *pg_group_lookup(struct pg_net *pn, const char *name);
/* The group of a group id, referenced, or NULL. */
struct pg_group *pg_group_lookup_id(struct pg_net *pn, const char *id);
struct pg_group *pg_group_next(struct pg_net *pn, const char *after);
void pg_group_remove(struct pg_group *grp);
void pg_group_flush(struct pg_net *pn);

/*
 * Drops a reference. The last one may go in any context: it only queues
 * the freeing on pg_wq, which frees the table in batches that yield; the
 * namespace's exit waits for it (pg_group_wait_freed()).
 */
void pg_group_put(struct pg_group *grp);
void pg_group_wait_freed(struct pg_net *pn);

static inline void pg_group_get(struct pg_group *grp)
{
	kref_get(&grp->ref);
}

/*
 * The group's peer time now, ns since the Unix epoch, and its offset from
 * UTC: read anywhere; set under write_lock (replication moves it). A
 * first-time joiner sets it outright; after that, steps toward neighbours
 * move it at most PG_TIME_WINDOW_MAX away from where it was when a window of
 * PG_TIME_WINDOW opened, however many connections step it: a peer cannot
 * drag a group's clock by connecting again and again (protocol.rst).
 */
#define PG_TIME_WINDOW		(60ULL * NSEC_PER_SEC)
#define PG_TIME_WINDOW_MAX	((s64)NSEC_PER_SEC)

u64 pg_group_now(const struct pg_group *grp);
s64 pg_group_time_offset(const struct pg_group *grp);
void pg_group_time_offset_set(struct pg_group *grp, s64 offset);
/* Moves peer time by @step ns within the window: the step taken. */
s64 pg_group_time_step(struct pg_group *grp, s64 step);

/*
 * The one writer of the properties. From this node (@origin local): its
 * creator's set of the @mask fields of @p, under the next version (signed
 * with the creator's key in a certificate group). From a neighbour or an
 * import: the creator's whole set, version and all, by @creator with its
 * signature @sec (@sec_len bytes; none in a psk group, whose creator's
 * identity must hash to the group id's authority: a group joined by id
 * learns its creator so); taken only if newer than ours (*@outcome
 * PG_WRITE_ACCEPTED; PG_WRITE_STALE if ours is newer, for the sender;
 * PG_WRITE_SAME otherwise, or if its version is beyond the reach of the
 * creator's next set: ignored). Taken ones are checked against their
 * bounds, expiry is re-armed, and the change is published with @origin
 * (the flooding subscriber passes it on). A refusal: a negative errno and
 * *@err, its field a PEERGROUP_A_GROUP_* attribute. Takes write_lock.
 */
int pg_group_props_set(struct pg_group *grp, const struct pg_props *p,
		       u32 mask, const char *creator, const u8 *sec,
		       u32 sec_len, const struct pg_origin *origin,
		       enum pg_write_outcome *outcome,
		       struct pg_write_err *err);
/*
 * A copy of the properties, the creator and (if @sec, PG_SECURITY_MAX
 * bytes) the creator's signature, as one: the signature's length.
 */
u32 pg_group_props_get(struct pg_group *grp, struct pg_props *p,
		       char creator[PEERGROUP_IDENTITY_MAX + 1],
		       u8 *sec);
/* The properties' encoding, as PROPERTIES carries and the creator signs. */
void pg_props_write(struct pg_wr *w, const char *creator,
		    const struct pg_props *p);

/* LISTENING follows whether the namespace listens; published. */
void pg_group_listening(struct pg_group *grp, bool on);
/*
 * SYNCHRONIZED, once: a first synchronization or an import has ended. The
 * cursor is forgotten, the change published. Whether it was news.
 */
bool pg_group_synchronized(struct pg_group *grp);
/*
 * A neighbour authenticated (+1) or left (-1): the count, and
 * HAS_CONNECTIONS, published when it turns; expiry re-armed (as
 * DEFER_EXPIRATION depends on it).
 */
void pg_group_connected(struct pg_group *grp, int delta);
/* A first synchronization resumes after @id. Takes write_lock. */
void pg_group_sync_cursor_set(struct pg_group *grp, const u8 *id);

static inline bool pg_group_ready(const struct pg_group *grp)
{
	return grp->status & PEERGROUP_STATUS_SYNCHRONIZED;
}

#endif /* _PG_GROUP_H */
