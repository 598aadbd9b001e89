/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changes and who hears of them. Every change the table commits (a record
 * added, updated, deleted or expired), every change of a group's status
 * or properties, every turn of a neighbour's connection and every member a
 * certificate group's store takes is published here, once it is made, by
 * the one code that makes it (write.c, group.c, neighbour.c, pki.c), with
 * its origin; its subscribers (the netlink events, and flooding records
 * and properties to the neighbours) are called in turn, in process
 * context; a record's change with the group's write_lock held (so that
 * floods leave in commit order), a member with none of the provider's
 * locks held (the write_lock may be: a membership record brings its
 * member), the others with no lock of the group held. A record change of
 * PEERGROUP_CHANGE_UNSPEC (a tombstone for a record never held) raises no
 * event but is flooded. A subscriber must not fail the change: what it
 * cannot do (an event without memory) it reports its own way.
 */
#ifndef _PG_CHANGE_H
#define _PG_CHANGE_H

#include <linux/notifier.h>
#include <linux/peergroup.h>
#include <linux/types.h>

struct pg_group;
struct pg_member;
struct pg_neighbour;
struct pg_record;

/* Where a change comes from. */
enum pg_origin_kind {
	PG_ORIGIN_LOCAL,	/* a command of this node, or its expiry */
	PG_ORIGIN_IMPORT,	/* an imported database */
	PG_ORIGIN_PEER,		/* a neighbour: .neighbour says which */
};

struct pg_origin {
	enum pg_origin_kind kind;
	u64 neighbour;
};

extern const struct pg_origin pg_origin_local;
extern const struct pg_origin pg_origin_import;

/* What a subscriber is told: the notifier's action, and its data. */
enum pg_event_kind {
	PG_EVENT_RECORD,	/* struct pg_record_change */
	PG_EVENT_GROUP,		/* struct pg_group_change */
	PG_EVENT_NEIGHBOUR,	/* struct pg_neighbour_change */
	PG_EVENT_MEMBER,	/* struct pg_member_change */
};

struct pg_record_change {
	struct pg_group *grp;
	enum peergroup_change change;
	const struct pg_record *rec;
	const struct pg_origin *origin;
};

struct pg_group_change {
	struct pg_group *grp;
	enum peergroup_group_event event;
	const struct pg_origin *origin;
};

struct pg_neighbour_change {
	struct pg_neighbour *nb;
	enum peergroup_neighbour_event event;
};

struct pg_member_change {
	struct pg_group *grp;
	enum peergroup_member_event event;
	const struct pg_member *member;
};

int pg_change_subscribe(struct notifier_block *nb);
void pg_change_unsubscribe(struct notifier_block *nb);

void pg_change_record(struct pg_group *grp, enum peergroup_change change,
		      const struct pg_record *rec,
		      const struct pg_origin *origin);
void pg_change_group(struct pg_group *grp, enum peergroup_group_event event,
		     const struct pg_origin *origin);
void pg_change_neighbour(struct pg_neighbour *nb,
			 enum peergroup_neighbour_event event);
void pg_change_member(struct pg_group *grp, enum peergroup_member_event event,
		      const struct pg_member *member);

#endif /* _PG_CHANGE_H */
