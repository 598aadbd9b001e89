/* SPDX-License-Identifier: GPL-2.0 */
/* placeholder until the query branch lands */
#ifndef _PG_QUERY_H
#define _PG_QUERY_H
#include <linux/peergroup.h>
#include <net/netlink.h>
struct pg_query;
struct pg_record;
extern const struct nla_policy pg_query_policy[PEERGROUP_QUERY_A_MAX + 1];
int pg_query_parse(const struct nlattr *query, struct pg_query **out,
		   struct netlink_ext_ack *extack);
bool pg_query_match(const struct pg_query *q, const struct pg_record *rec);
void pg_query_free(struct pg_query *q);
#endif
