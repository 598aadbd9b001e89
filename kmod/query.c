// SPDX-License-Identifier: GPL-2.0
/* placeholder until the query branch lands */
#include "query.h"
#include <linux/slab.h>
const struct nla_policy pg_query_policy[PEERGROUP_QUERY_A_MAX + 1] = {
	[PEERGROUP_QUERY_A_CLAUSE] = { .type = NLA_NESTED },
};
int pg_query_parse(const struct nlattr *query, struct pg_query **out,
		   struct netlink_ext_ack *extack)
{
	*out = kzalloc(8, GFP_KERNEL);
	return *out ? 0 : -ENOMEM;
}
bool pg_query_match(const struct pg_query *q, const struct pg_record *rec)
{
	return true;
}
void pg_query_free(struct pg_query *q)
{
	kfree(q);
}
