/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Search queries (PEERGROUP_CMD_RECORD_SEARCH): a PEERGROUP_A_QUERY nest is
 * validated by pg_query_policy, compiled once by pg_query_parse() and then
 * evaluated against each record by pg_query_match(), which neither
 * allocates nor sleeps. The semantics are documented at the top of query.c.
 */
#ifndef _PG_QUERY_H
#define _PG_QUERY_H

#include <linux/peergroup.h>
#include <linux/types.h>
#include <net/netlink.h>

struct pg_query;
struct pg_record;

/*
 * The policy of the PEERGROUP_A_QUERY nest, for a PEERGROUP_A_QUERY placed
 * directly in the message's top-level attributes:
 *	[PEERGROUP_A_QUERY] = NLA_POLICY_NESTED(pg_query_policy)
 * It bounds the nesting itself (see query.c): nested deeper, the netlink
 * validator's own recursion limit would cut in first.
 */
extern const struct nla_policy pg_query_policy[PEERGROUP_QUERY_A_MAX + 1];

/*
 * Builds a query from a PEERGROUP_A_QUERY attribute that passed
 * pg_query_policy. 0 and *out set, or -EINVAL (a malformed query) or
 * -ENOMEM, with an extended ACK message either way.
 */
int pg_query_parse(const struct nlattr *query, struct pg_query **out,
		   struct netlink_ext_ack *extack);
bool pg_query_match(const struct pg_query *q, const struct pg_record *rec);
/* Frees a query from pg_query_parse(); NULL is fine. */
void pg_query_free(struct pg_query *q);

#ifdef DEBUG
bool pg_query_selftest(void);
#endif

#endif /* _PG_QUERY_H */
