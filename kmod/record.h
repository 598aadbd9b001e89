/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records and a group's record table.
 *
 * A record is one allocation, immutable once it is in a table and counted
 * by a refcount: an update builds a new record, secures and validates it,
 * then swaps it in. Readers that need a record beyond the table lock take a
 * reference.
 *
 * Locks: pg_group.write_lock and pg_group.table_lock (pernet.h has the
 * order of all of the module's locks).
 *
 * Whole-table work: a table may hold a million records
 * (PEERGROUP_MAX_RECORDS_LIMIT), and on a debug kernel freeing one takes up
 * to a quarter of a millisecond. So every loop over a whole table - freeing
 * it, expiry and refresh sweeps, dumps and searches, and what replication
 * adds (full sync, reconciliation scans) - works in steps of a bounded
 * number of records (PG_TABLE_BATCH written, expired or freed;
 * PG_TABLE_SCAN_BATCH looked at), yields between steps, and holds no lock
 * across a yield that a writer needs. A walk of a table others can reach
 * resumes after a yield from a key (a record id), never from a pointer kept
 * across it; only the freeing of an unreachable table walks on by pointer.
 * None of it runs where it may not sleep: the last reference to a group only
 * queues its freeing (group.h).
 */
#ifndef _PG_RECORD_H
#define _PG_RECORD_H

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/peergroup.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/time64.h>
#include <linux/types.h>

struct pg_group;
struct pg_origin;
struct pg_write_err;

/* Whole-table work per step, between two yields (see above). */
#define PG_TABLE_BATCH		256
#define PG_TABLE_SCAN_BATCH	1024

/*
 * A record's digest, for reconciliation (protocol.rst): the first bytes of
 * SHA-256 over every field the conflict rule reads, and the security data,
 * which covers all the others.
 */
#define PG_RECORD_DIGEST_LEN	16

enum pg_attr_kind {
	PG_ATTR_STR = 1,
	PG_ATTR_INT,
	PG_ATTR_DATE,
};

/* One typed attribute; strings point into the record's own buffer. */
struct pg_attr {
	const char *name;		/* NUL-terminated, letters and digits */
	u8 name_len;
	u8 kind;			/* enum pg_attr_kind */
	u32 len;			/* PG_ATTR_STR: bytes, without the NUL */
	union {
		const char *str;	/* NUL-terminated as well */
		s64 i;
		u64 date;
	};
};

struct pg_record {
	struct rb_node by_id;		/* in pg_group.records */
	struct rb_node by_deadline;	/* in pg_group.timeline */
	refcount_t ref;
	u8 id[PEERGROUP_GUID_LEN];
	u8 type[PEERGROUP_GUID_LEN];
	u32 version;
	u32 flags;			/* PEERGROUP_RECORD_F_* */
	u64 created;			/* peer time, ns since the epoch */
	u64 modified;
	u64 expires;
	u64 deadline;			/* next timer action: expiry or refresh */
	const char *creator;
	const char *modifier;
	u32 nattrs;
	const struct pg_attr *attrs;	/* sorted by name */
	u32 data_len;
	const u8 *data;
	u32 sec_len;
	const u8 *sec;
	u32 size;			/* data + encoded attributes */
	size_t mem;			/* bytes charged to the table */
	u8 digest[PG_RECORD_DIGEST_LEN];	/* set as the table takes it */
};

/* Encoded length of one attribute, as counted in a record's size. */
static inline u32 pg_attr_size(const struct pg_attr *attr)
{
	return 2 + attr->name_len + 1 + 4 +
	       (attr->kind == PG_ATTR_STR ? attr->len : 8);
}

static inline bool pg_record_deleted(const struct pg_record *rec)
{
	return rec->flags & PEERGROUP_RECORD_F_DELETED;
}

/* The reserved attribute names, searchable but never settable. */
enum pg_reserved_attr {
	PG_RESERVED_NONE,
	PG_RESERVED_CREATORID,
	PG_RESERVED_RECORDID,
	PG_RESERVED_RECORDTYPE,
	PG_RESERVED_CREATIONTIME,
	PG_RESERVED_LASTMODIFICATIONTIME,
	PG_RESERVED_LASTMODIFIEDBY,
};

enum pg_reserved_attr pg_attr_reserved(const char *name);
bool pg_attr_name_valid(const char *name);

/* The attribute of @rec called @name, or NULL. */
const struct pg_attr *pg_record_attr(const struct pg_record *rec,
				     const char *name);

void pg_record_put(struct pg_record *rec);

static inline struct pg_record *pg_record_get(struct pg_record *rec)
{
	refcount_inc(&rec->ref);
	return rec;
}

/* What a new record is built from; strings and buffers are copied. */
struct pg_record_fields {
	const u8 *id;
	const u8 *type;
	u32 version;
	u32 flags;
	const char *creator;
	const char *modifier;
	u64 created;
	u64 modified;
	u64 expires;
	u32 nattrs;
	const struct pg_attr *attrs;	/* any order, names unique */
	u32 data_len;
	const void *data;
	u32 sec_len;			/* security data to copy, or */
	const void *sec;
	u32 sec_room;			/* room for security data to come */
};

struct pg_record *pg_record_build(const struct pg_record_fields *f);
u32 pg_attrs_size(const struct pg_attr *attrs, u32 nattrs);

/* Record ids: bytes 0..7 bound to the creator, 8..15 random. */
void pg_record_new_id(const char *creator, u8 *id);
bool pg_record_id_bound(const u8 *id, const char *creator);
bool pg_type_reserved(const u8 *type);
bool pg_type_nil(const u8 *type);

/*
 * The modification time of a change to @old: now, but always later than
 * the last one, so that a changed record never looks unmodified even on a
 * coarse clock.
 */
static inline u64 pg_record_next_modified(const struct pg_record *old, u64 now)
{
	return now > old->modified ? now : old->modified + 1;
}

/*
 * How far a version may run (records.rst, "Versions"): PG_VERSION_BURST,
 * then one more for each second of the record's age, from its creation to
 * its modification, counted no further than the peer time @now plus
 * PG_TIME_LEAD: a copy dated ahead runs no further ahead. The highest
 * version anyone may give a record now is one its creator passes a few
 * seconds later, so no member can freeze a record at the end of the range,
 * where no later copy could win; and the range lasts until 2106 even for a
 * record dated at the epoch. The group's properties version runs the same
 * way from the epoch.
 */
#define PG_VERSION_BURST	65536
#define PG_TIME_LEAD		(2ULL * NSEC_PER_SEC)

static inline u64 pg_version_limit(u64 created, u64 modified, u64 now)
{
	u64 until = min_t(u64, modified, now + PG_TIME_LEAD);
	u64 age = until > created ? until - created : 0;

	return min_t(u64, U32_MAX, PG_VERSION_BURST + div_u64(age, NSEC_PER_SEC));
}

/*
 * The latest expiration a record written at @modified may have under a max
 * lifetime of @max_lifetime seconds (records.rst, "Lifetime"): the write
 * counted, as for versions, no later than the peer time @now plus
 * PG_TIME_LEAD, so that a copy dated ahead gains nothing. Every peer judges
 * a copy dated no later than that the same, whenever it comes; one dated
 * further ahead only more leniently as its time comes nearer.
 */
static inline u64 pg_expires_limit(u64 modified, u64 now, u32 max_lifetime)
{
	return min_t(u64, modified, now + PG_TIME_LEAD) +
	       (u64)max_lifetime * NSEC_PER_SEC;
}

/* Whether copy @a wins over copy @b of one record (the conflict rule). */
bool pg_record_newer(const struct pg_record *a, const struct pg_record *b);

/* Sorts attributes by name, as a record keeps them. */
void pg_attrs_sort(struct pg_attr *attrs, u32 nattrs);
bool pg_utf8_valid(const u8 *s, size_t len);

/* The size of @rec as a netlink attribute: a bound on every stored record. */
size_t pg_record_msg_size(const struct pg_record *rec);

/* The table of a group. */
void pg_table_init(struct pg_group *grp);
void pg_table_close(struct pg_group *grp);
void pg_table_flush(struct pg_group *grp);

/* A referenced record by id, tombstones too; NULL if none. */
struct pg_record *pg_table_find(struct pg_group *grp, const u8 *id);
/* The same, but NULL for a tombstone too: what get, update and delete see. */
struct pg_record *pg_table_find_live(struct pg_group *grp, const u8 *id);
/*
 * The first record with an id above @after (NULL: the very first), under
 * table_lock; not referenced.
 */
struct pg_record *pg_table_next(struct pg_group *grp, const u8 *after);
/* The first record with an id at or above @from, under table_lock. */
struct pg_record *pg_table_seek(struct pg_group *grp, const u8 *from);
/* The record after @rec in id order, under table_lock. */
struct pg_record *pg_table_succ(struct pg_record *rec);

/*
 * Puts @rec in the table in place of @old (NULL for a new id), under
 * write_lock; once the table holds it, publishes the change @change from
 * @origin (change.h): PEERGROUP_CHANGE_UNSPEC for one that raises no event
 * (a tombstone of a record never seen), which is still flooded. 0, -ENOENT (the
 * group was deleted meanwhile) or -ENOSPC (a cap), with *@err.
 */
int pg_table_commit(struct pg_group *grp, struct pg_record *old,
		    struct pg_record *rec, enum peergroup_change change,
		    const struct pg_origin *origin, struct pg_write_err *err);

/* Re-arms the expiry work after the timing rules changed. */
void pg_table_rearm(struct pg_group *grp);

#ifdef DEBUG
/* In-kernel tests of the conflict rule and the canonical encoding. */
bool pg_record_selftest(void);
#endif

#endif /* _PG_RECORD_H */
