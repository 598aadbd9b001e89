/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records and a group's record table.
 *
 * A record is one allocation, immutable once it is in a table and counted
 * by a refcount: an update builds a new record, secures and validates it,
 * then swaps it in. Readers that need a record beyond the table lock take a
 * reference.
 *
 * Lock order, outermost first (see also pernet.h):
 *   pg_group.write_lock (mutex) - serializes the writers of one group,
 *                                 held across security (crypto) calls
 *   pg_group.table_lock (mutex) - the record trees and counters; crypto
 *                                 never runs under it
 */
#ifndef _PG_RECORD_H
#define _PG_RECORD_H

#include <linux/peergroup.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct nlattr;
struct pg_group;

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

#endif /* _PG_RECORD_H */
