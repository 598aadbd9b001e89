/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one write path of a group's table. A local write (add, update,
 * delete, autorefresh) and a foreign one (a record imported, or received
 * from a peer) pass the same rules in the same code here, in this order:
 *
 *   the record's shape   version, times, tombstone, flags, size
 *   the provider         secure (local writes), then validate (all):
 *                        no field's meaning is judged before the provider
 *                        vouched for what the author wrote
 *   the record's meaning id bound to its creator, not expired, living no
 *                        longer than the group's max lifetime, type rules,
 *                        the modifier entitled to change it
 *   the conflict rule    foreign writes: a copy that loses is not stored
 *   the commit           all or nothing (record.h), then the change goes
 *                        to its subscribers (change.h): events, flooding
 *
 * Nothing here knows netlink: a refusal is a negative errno and a struct
 * pg_write_err saying which field and why, in a fixed string, which the
 * netlink layer turns into an extended ACK and the protocol into a counter.
 * Every function takes the group's write_lock itself, but
 * pg_write_refresh(), whose caller (the expiry work) holds it.
 */
#ifndef _PG_WRITE_H
#define _PG_WRITE_H

#include <linux/peergroup.h>
#include <linux/types.h>

#include "change.h"

struct pg_attr;
struct pg_group;
struct pg_record;
struct pg_record_fields;

/*
 * Why a write was refused: the record field it is about
 * (PEERGROUP_RECORD_A_*), PG_FIELD_RECORD for the record as a whole, or 0
 * for none; and a fixed message, "field: what is wrong".
 */
#define PG_FIELD_RECORD		(PEERGROUP_RECORD_A_MAX + 1)

struct pg_write_err {
	u16 field;
	const char *msg;	/* a literal, under PG_WRITE_MSG_MAX bytes */
};

#define PG_WRITE_MSG_MAX	128

/* Fills *@err (if any) and gives back @ret: a refusal, in one line. */
static inline int pg_write_fail(struct pg_write_err *err, int ret, u16 field,
				const char *msg)
{
	if (err) {
		err->field = field;
		err->msg = msg;
	}
	return ret;
}

/* What a local write asks for; the module sets everything else. */
struct pg_write_req {
	const u8 *id;			/* update, delete */
	const u8 *type;			/* add; update: must be the stored one */
	u32 flags;			/* add: AUTOREFRESH or 0; update: the stored */
	u64 expires;			/* add, update */
	u32 nattrs;			/* add, update */
	const struct pg_attr *attrs;
	u32 data_len;
	const void *data;
	bool module;			/* the module's own: reserved types */
};

/*
 * Local writes: 0 and the stored record in *@out (referenced), or a
 * negative errno and *@err.
 */
int pg_write_add(struct pg_group *grp, const struct pg_write_req *req,
		 struct pg_record **out, struct pg_write_err *err);
int pg_write_update(struct pg_group *grp, const struct pg_write_req *req,
		    struct pg_record **out, struct pg_write_err *err);
int pg_write_delete(struct pg_group *grp, const struct pg_write_req *req,
		    struct pg_record **out, struct pg_write_err *err);

/* The owner re-publishes @old with its lifetime moved on (expiry work). */
int pg_write_refresh(struct pg_group *grp, struct pg_record *old);

/* What became of a foreign record that passed every rule. */
enum pg_write_outcome {
	PG_WRITE_ACCEPTED,	/* stored, and announced */
	PG_WRITE_STALE,		/* the stored copy wins: it is in *stored */
	PG_WRITE_SAME,		/* the stored copy is this very one */
	PG_WRITE_DEFERRED,	/* the provider cannot decide yet: not stored */
};

/*
 * A whole record from outside (@origin: import, or a neighbour): 0 and
 * *@outcome (with PG_WRITE_STALE the newer stored copy in *@stored,
 * referenced, for the sender; with PG_WRITE_DEFERRED *@err says so), or a
 * negative errno and *@err. Refused with EBUSY for an import once the group
 * has neighbours. The first import into a joined group that is not ready
 * makes it synchronized.
 *
 * A neighbour's record that the provider defers (pki: signed with a
 * certificate not known yet) is parked: kept, within PEERGROUP_PARKED_MAX
 * records and PEERGROUP_PARKED_BYTES_MAX bytes (beyond, dropped and
 * counted), and passes the rules again each time a record of the
 * provider's own type (pki: a membership, which brings certificates) is
 * stored; dropped once expired. An import's is not parked: the importer
 * is told (EAGAIN) and may send it again.
 */
int pg_write_foreign(struct pg_group *grp, const struct pg_record_fields *f,
		     const struct pg_origin *origin,
		     enum pg_write_outcome *outcome, struct pg_record **stored,
		     struct pg_write_err *err);

/* Frees the parked records of a group being freed. */
void pg_write_parked_flush(struct pg_group *grp);

#ifdef DEBUG
bool pg_import_selftest(void);
#endif

#endif /* _PG_WRITE_H */
