/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "peergroup"; uapi/linux/peergroup.h documents
 * it. netlink.c has the family, the group commands and the events,
 * netlink_record.c the record commands, netlink_member.c the members.
 */
#ifndef _PG_NETLINK_H
#define _PG_NETLINK_H

#include <linux/init.h>
#include <linux/peergroup.h>
#include <net/genetlink.h>

struct pg_group;
struct pg_record;

extern struct genl_family pg_genl_family;

/* The family's multicast groups, by their index in pg_genl_family. */
enum pg_mcgrp {
	PG_MCGRP_EVENTS,	/* PEERGROUP_MCGRP_EVENTS */
	PG_MCGRP_NEIGHBOURS,	/* PEERGROUP_MCGRP_NEIGHBOURS: CAP_NET_ADMIN */
};

/*
 * GENL_REQ_ATTR_CHECK names the missing attribute in NLMSGERR_ATTR_MISS_TYPE;
 * this adds the message that says it in words.
 */
#define REQUIRE_ATTR(info, attr, msg) ({			\
	struct genl_info *__pg_info = (info);			\
	bool __missing = GENL_REQ_ATTR_CHECK(__pg_info, attr);	\
								\
	if (__missing)						\
		NL_SET_ERR_MSG(__pg_info->extack, msg);		\
	__missing;						\
})

int pg_nl_validate_identity(const struct nlattr *attr,
			    struct netlink_ext_ack *extack);
int pg_nl_validate_guid(const struct nlattr *attr,
			struct netlink_ext_ack *extack);
int pg_nl_validate_group_name(const struct nlattr *attr,
			      struct netlink_ext_ack *extack);

/*
 * Strings are NUL-terminated and bounded by the policy before the validation
 * functions above look at their characters.
 */
#define GROUP_NAME_POLICY \
	NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, pg_nl_validate_group_name, \
			       PEERGROUP_GROUP_NAME_MAX)
#define IDENTITY_POLICY \
	NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, pg_nl_validate_identity, \
			       PEERGROUP_IDENTITY_MAX)

/*
 * The group named by PEERGROUP_A_GROUP_NAME (required), referenced: put it
 * with pg_group_put(). With @ready, a group not yet synchronized is
 * refused (EAGAIN). NULL with the errno in *@err and an extack message.
 */
struct pg_group *pg_nl_group(struct genl_info *info, bool ready, int *err);

/*
 * An event of @grp's namespace for the multicast group @mcgrp: the group's
 * name and @size bytes more of attributes; NULL when no one listens, or
 * without memory (the listeners then get ENOBUFS). pg_nl_event_send() ends
 * and multicasts it to the same @mcgrp.
 */
struct sk_buff *pg_nl_event_new(struct pg_group *grp, enum pg_mcgrp mcgrp,
				u8 cmd, size_t size, void **hdr);
void pg_nl_event_send(struct pg_group *grp, enum pg_mcgrp mcgrp,
		      struct sk_buff *msg, void *hdr);

/* netlink_peer.c */
int pg_nl_listen_add(struct sk_buff *skb, struct genl_info *info);
int pg_nl_listen_del(struct sk_buff *skb, struct genl_info *info);
int pg_nl_listen_dump(struct sk_buff *skb, struct netlink_callback *cb);
int pg_nl_neighbour_add(struct sk_buff *skb, struct genl_info *info);
int pg_nl_neighbour_del(struct sk_buff *skb, struct genl_info *info);
int pg_nl_neighbour_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct nla_policy pg_listen_policy[PEERGROUP_A_MAX + 1];
extern const struct nla_policy pg_neighbour_policy[PEERGROUP_A_MAX + 1];

/* netlink_record.c */
extern const struct nla_policy pg_record_add_policy[PEERGROUP_A_MAX + 1];
extern const struct nla_policy pg_record_get_policy[PEERGROUP_A_MAX + 1];
extern const struct nla_policy pg_record_search_policy[PEERGROUP_A_MAX + 1];
int pg_nl_record_add(struct sk_buff *skb, struct genl_info *info);
int pg_nl_record_update(struct sk_buff *skb, struct genl_info *info);
int pg_nl_record_del(struct sk_buff *skb, struct genl_info *info);
int pg_nl_record_get(struct sk_buff *skb, struct genl_info *info);
int pg_nl_record_import(struct sk_buff *skb, struct genl_info *info);
int pg_nl_record_dump_start(struct netlink_callback *cb);
int pg_nl_record_dump(struct sk_buff *skb, struct netlink_callback *cb);
int pg_nl_record_dump_done(struct netlink_callback *cb);
int pg_nl_put_record(struct sk_buff *skb, const struct pg_record *rec);

/* netlink_member.c */
struct pg_member;
extern const struct nla_policy pg_member_policy[PEERGROUP_A_MAX + 1];
int pg_nl_member_dump_start(struct netlink_callback *cb);
int pg_nl_member_dump(struct sk_buff *skb, struct netlink_callback *cb);
int pg_nl_member_dump_done(struct netlink_callback *cb);
extern const struct nla_policy pg_member_revoke_policy[];
int pg_nl_member_revoke(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy pg_member_invite_policy[];
int pg_nl_member_invite(struct sk_buff *skb, struct genl_info *info);
void pg_nl_notify_member(struct pg_group *grp,
			 enum peergroup_member_event event,
			 const struct pg_member *m);

int __init pg_genetlink_init(void);
void pg_genetlink_uninit(void);

#endif /* _PG_NETLINK_H */
