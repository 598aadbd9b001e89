// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: policies, commands and replies.
 *
 * Every command finds its namespace's state with pg_net(), takes pg_net.lock
 * and does its work under it; the family is parallel_ops, so this is the only
 * serialisation. Every error sets an extended ACK message naming the field.
 */
#include "compat.h"
#include "group.h"
#include "netlink.h"
#include "pernet.h"

#include <linux/peergroup.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

static struct genl_family pg_genl_family;

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

static int validate_group_name(const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	if (pg_group_name_valid(nla_data(attr)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "group name: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
	return -EINVAL;
}

static int validate_identity(const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	if (pg_identity_valid(nla_data(attr)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "identity: use 2 to 255 printable ASCII characters, no spaces");
	return -EINVAL;
}

/*
 * Strings are NUL-terminated and bounded by the policy before the validation
 * functions above look at their characters.
 */
#define GROUP_NAME_POLICY \
	NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, validate_group_name, \
			       PEERGROUP_GROUP_NAME_MAX)
#define IDENTITY_POLICY \
	NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, validate_identity, \
			       PEERGROUP_IDENTITY_MAX)

static const struct nla_policy group_add_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_IDENTITY]		= IDENTITY_POLICY,
};

static const struct nla_policy group_name_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
};

static size_t group_msg_size(void)
{
	return nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
	       nla_total_size(PEERGROUP_GROUP_ID_MAX + 1) +
	       nla_total_size(PEERGROUP_IDENTITY_MAX + 1) +
	       nla_total_size_64bit(sizeof(u64));
}

static int put_group(struct sk_buff *skb, const struct pg_group *grp)
{
	if (nla_put_string(skb, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    nla_put_string(skb, PEERGROUP_A_GROUP_ID, grp->id) ||
	    nla_put_string(skb, PEERGROUP_A_IDENTITY, grp->identity) ||
	    nla_put_u64_64bit(skb, PEERGROUP_A_GROUP_CREATED, grp->created,
			      PEERGROUP_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* A reply holding one group, ready to send; NULL when out of memory. */
static struct sk_buff *group_reply(const struct pg_group *grp,
				   struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(group_msg_size(), GFP_KERNEL);
	if (!msg)
		return NULL;
	hdr = genlmsg_put_reply(msg, info, &pg_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || put_group(msg, grp)) {
		/* group_msg_size() bounds every group: this cannot happen. */
		WARN_ON_ONCE(1);
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

static struct pg_group *find_group(struct pg_net *pn, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PEERGROUP_A_GROUP_NAME];
	struct pg_group *grp = pg_group_find(pn, nla_data(attr));

	if (!grp)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "group name: no such group in this network namespace");
	return grp;
}

static int group_add(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct nlattr *name = info->attrs[PEERGROUP_A_GROUP_NAME];
	struct sk_buff *reply = NULL;
	struct pg_group *grp;
	int ret;

	if (REQUIRE_ATTR(info, PEERGROUP_A_GROUP_NAME, "group name: missing") ||
	    REQUIRE_ATTR(info, PEERGROUP_A_IDENTITY, "identity: missing"))
		return -EINVAL;

	mutex_lock(&pn->lock);
	ret = pg_group_create(pn, nla_data(name),
			      nla_data(info->attrs[PEERGROUP_A_IDENTITY]), &grp);
	switch (ret) {
	case 0:
		reply = group_reply(grp, info);
		if (!reply) {
			/* A failed command changes nothing. */
			pg_group_remove(grp);
			ret = -ENOMEM;
			NL_SET_ERR_MSG(info->extack,
				       "out of memory for the reply");
		}
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "group name: a group of this name already exists in this network namespace");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG(info->extack,
			       "too many groups: the sysctl net.peergroup.max_groups is reached");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "out of memory for the group");
		break;
	}
	mutex_unlock(&pn->lock);

	if (ret)
		return ret;
	/* The group exists now; a lost reply does not undo it. */
	genlmsg_reply(reply, info);
	return 0;
}

static int group_del(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct pg_group *grp;

	if (REQUIRE_ATTR(info, PEERGROUP_A_GROUP_NAME, "group name: missing"))
		return -EINVAL;

	mutex_lock(&pn->lock);
	grp = find_group(pn, info);
	if (grp)
		pg_group_remove(grp);
	mutex_unlock(&pn->lock);
	return grp ? 0 : -ENOENT;
}

static int group_get(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct sk_buff *reply = NULL;
	struct pg_group *grp;

	if (REQUIRE_ATTR(info, PEERGROUP_A_GROUP_NAME, "group name: missing"))
		return -EINVAL;

	mutex_lock(&pn->lock);
	grp = find_group(pn, info);
	if (grp)
		reply = group_reply(grp, info);
	mutex_unlock(&pn->lock);

	if (!grp)
		return -ENOENT;
	if (!reply) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		return -ENOMEM;
	}
	return genlmsg_reply(reply, info);
}

/*
 * The dump cursor is a copy of the last name sent (too long for cb->ctx, so
 * allocated in .start and freed in .done): it never points into the table,
 * and the next message resumes at the first name after it.
 */
struct group_dump_ctx {
	char *last;
	bool started;
};

static int group_dump_start(struct netlink_callback *cb)
{
	struct group_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ctx->last = kzalloc(PEERGROUP_GROUP_NAME_MAX + 1, GFP_KERNEL);
	return ctx->last ? 0 : -ENOMEM;
}

/*
 * Requests are checked in the first dumpit call rather than in .start:
 * only there does 6.1 have an extack to explain a refusal (sent back in
 * NLMSG_DONE).
 */
static int group_dump_check(struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_info_dump(cb)->attrs;

	if (attrs[PEERGROUP_A_GROUP_NAME]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[PEERGROUP_A_GROUP_NAME],
				    "group name: a dump lists every group; ask for one group without NLM_F_DUMP");
		return -EINVAL;
	}
	return 0;
}

static int group_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pg_net *pn = pg_net(sock_net(skb->sk));
	struct group_dump_ctx *ctx = (void *)cb->ctx;
	struct pg_group *grp;
	void *hdr;
	int ret;

	if (!ctx->started) {
		ret = group_dump_check(cb);
		if (ret)
			return ret;
		ctx->started = true;
	}

	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	for (grp = pg_group_next(pn, ctx->last); grp;
	     grp = pg_group_next(pn, grp->name)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &pg_genl_family,
				  NLM_F_MULTI, PEERGROUP_CMD_GROUP_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put_group(skb, grp)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		strscpy(ctx->last, grp->name, PEERGROUP_GROUP_NAME_MAX + 1);
	}
	mutex_unlock(&pn->lock);
	return skb->len;
}

static int group_dump_done(struct netlink_callback *cb)
{
	struct group_dump_ctx *ctx = (void *)cb->ctx;

	kfree(ctx->last);
	return 0;
}

static const struct genl_ops pg_genl_ops[] = {
	{
		.cmd	= PEERGROUP_CMD_GROUP_ADD,
		.doit	= group_add,
		.policy	= group_add_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_GROUP_DEL,
		.doit	= group_del,
		.policy	= group_name_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_GROUP_GET,
		.doit	= group_get,
		.start	= group_dump_start,
		.dumpit	= group_dump,
		.done	= group_dump_done,
		.policy	= group_name_policy,
		.maxattr = PEERGROUP_A_MAX,
	},
};

static struct genl_family pg_genl_family __ro_after_init = {
	.name		= PEERGROUP_GENL_NAME,
	.version	= PEERGROUP_GENL_VERSION,
	.maxattr	= PEERGROUP_A_MAX,
	.module		= THIS_MODULE,
	.ops		= pg_genl_ops,
	.n_ops		= ARRAY_SIZE(pg_genl_ops),
	.netnsok	= true,
	.parallel_ops	= true,
};

int __init pg_genetlink_init(void)
{
	return genl_register_family(&pg_genl_family);
}

void pg_genetlink_uninit(void)
{
	genl_unregister_family(&pg_genl_family);
}
