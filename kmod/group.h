/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Groups: named per network namespace, each with the local identity that
 * created or joined it. The groups of a namespace live in an rbtree keyed by
 * name, under pg_net.lock (see pernet.h for the lock order).
 */
#ifndef _PG_GROUP_H
#define _PG_GROUP_H

#include <linux/kref.h>
#include <linux/peergroup.h>
#include <linux/rbtree.h>
#include <linux/types.h>

struct pg_net;

struct pg_group {
	struct rb_node node;		/* in pg_net.groups */
	struct kref ref;		/* the table holds one */
	struct pg_net *pn;		/* the namespace it belongs to */
	u64 serial;			/* for debug messages */
	u64 created;			/* ns since the Unix epoch */
	char name[PEERGROUP_GROUP_NAME_MAX + 1];
	char id[PEERGROUP_GROUP_ID_MAX + 1];
	char identity[PEERGROUP_IDENTITY_MAX + 1];
};

bool pg_group_name_valid(const char *name);
bool pg_identity_valid(const char *identity);

int pg_group_create(struct pg_net *pn, const char *name, const char *identity,
		    struct pg_group **out);
struct pg_group *pg_group_find(struct pg_net *pn, const char *name);
struct pg_group *pg_group_next(struct pg_net *pn, const char *after);
void pg_group_remove(struct pg_group *grp);
void pg_group_flush(struct pg_net *pn);

void pg_group_put(struct pg_group *grp);

#endif /* _PG_GROUP_H */
