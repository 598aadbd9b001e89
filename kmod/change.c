// SPDX-License-Identifier: GPL-2.0
/*
 * The change dispatcher: one blocking notifier chain for every change of
 * every group (change.h).
 */
#include "change.h"

#include <linux/kernel.h>
#include <linux/notifier.h>

const struct pg_origin pg_origin_local = { .kind = PG_ORIGIN_LOCAL };
const struct pg_origin pg_origin_import = { .kind = PG_ORIGIN_IMPORT };

static BLOCKING_NOTIFIER_HEAD(subscribers);

int pg_change_subscribe(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&subscribers, nb);
}

void pg_change_unsubscribe(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&subscribers, nb);
}

void pg_change_record(struct pg_group *grp, enum peergroup_change change,
		      const struct pg_record *rec,
		      const struct pg_origin *origin)
{
	struct pg_record_change c = {
		.grp = grp,
		.change = change,
		.rec = rec,
		.origin = origin,
	};

	might_sleep();
	blocking_notifier_call_chain(&subscribers, PG_EVENT_RECORD, &c);
}

void pg_change_group(struct pg_group *grp, enum peergroup_group_event event,
		     const struct pg_origin *origin)
{
	struct pg_group_change c = {
		.grp = grp,
		.event = event,
		.origin = origin,
	};

	might_sleep();
	blocking_notifier_call_chain(&subscribers, PG_EVENT_GROUP, &c);
}

void pg_change_neighbour(struct pg_neighbour *nb,
			 enum peergroup_neighbour_event event)
{
	struct pg_neighbour_change c = { .nb = nb, .event = event };

	might_sleep();
	blocking_notifier_call_chain(&subscribers, PG_EVENT_NEIGHBOUR, &c);
}

void pg_change_member(struct pg_group *grp, enum peergroup_member_event event,
		      const struct pg_member *member)
{
	struct pg_member_change c = {
		.grp = grp,
		.event = event,
		.member = member,
	};

	might_sleep();
	blocking_notifier_call_chain(&subscribers, PG_EVENT_MEMBER, &c);
}
