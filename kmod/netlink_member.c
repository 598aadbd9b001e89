// SPDX-License-Identifier: GPL-2.0
/*
 * The members of a certificate group (PeerGroupEnumMembers): their dump
 * and their events, as the provider reports them (security.h).
 */
#include "change.h"
#include "compat.h"
#include "group.h"
#include "netlink.h"
#include "pernet.h"
#include "security.h"

#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/peergroup.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <net/genetlink.h>
#include <net/sock.h>

const struct nla_policy pg_member_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
};

static const struct nla_policy member_revoke_nest[PEERGROUP_MEMBER_A_MAX + 1] = {
	[PEERGROUP_MEMBER_A_FINGERPRINT] =
		NLA_POLICY_EXACT_LEN(PEERGROUP_FINGERPRINT_LEN),
};

const struct nla_policy pg_member_revoke_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_MEMBER]		= NLA_POLICY_NESTED(member_revoke_nest),
};

static const struct nla_policy member_invite_nest[PEERGROUP_MEMBER_A_MAX + 1] = {
	[PEERGROUP_MEMBER_A_IDENTITY]	= IDENTITY_POLICY,
	[PEERGROUP_MEMBER_A_PUBLIC_KEY]	= { .type = NLA_BINARY,
					    .len = PEERGROUP_PUBLIC_KEY_BYTES_MAX },
	[PEERGROUP_MEMBER_A_ROLE]	=
		NLA_POLICY_RANGE(NLA_U8, PEERGROUP_ROLE_ADMIN,
				 PEERGROUP_ROLE_MEMBER),
	[PEERGROUP_MEMBER_A_NOT_BEFORE]	= { .type = NLA_U64 },
	[PEERGROUP_MEMBER_A_NOT_AFTER]	= { .type = NLA_U64 },
};

const struct nla_policy pg_member_invite_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_MEMBER]		= NLA_POLICY_NESTED(member_invite_nest),
};

/* The attributes of one member, its nest included. */
#define MEMBER_SIZE							\
	(nla_total_size(0) +						\
	 2 * nla_total_size(PEERGROUP_IDENTITY_MAX + 1) +		\
	 nla_total_size(sizeof(u8)) +					\
	 2 * nla_total_size_64bit(sizeof(u64)) +			\
	 nla_total_size(PEERGROUP_FINGERPRINT_LEN) +			\
	 2 * nla_total_size(0))

/* Seconds since the epoch as the uapi's times: ns, saturated. */
static u64 member_ns(s64 s)
{
	if (s <= 0)
		return 0;
	if (s >= U64_MAX / NSEC_PER_SEC)
		return U64_MAX;
	return (u64)s * NSEC_PER_SEC;
}

static int put_member(struct sk_buff *skb, const struct pg_member *m)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PEERGROUP_A_MEMBER);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, PEERGROUP_MEMBER_A_IDENTITY, m->identity) ||
	    nla_put_string(skb, PEERGROUP_MEMBER_A_ISSUER, m->issuer) ||
	    nla_put_u8(skb, PEERGROUP_MEMBER_A_ROLE, m->role) ||
	    nla_put_u64_64bit(skb, PEERGROUP_MEMBER_A_NOT_BEFORE,
			      member_ns(m->not_before), PEERGROUP_MEMBER_A_PAD) ||
	    nla_put_u64_64bit(skb, PEERGROUP_MEMBER_A_NOT_AFTER,
			      member_ns(m->not_after), PEERGROUP_MEMBER_A_PAD) ||
	    nla_put(skb, PEERGROUP_MEMBER_A_FINGERPRINT,
		    PEERGROUP_FINGERPRINT_LEN, m->fingerprint) ||
	    (m->revoked && nla_put_flag(skb, PEERGROUP_MEMBER_A_REVOKED)) ||
	    (m->own && nla_put_flag(skb, PEERGROUP_MEMBER_A_OWN))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The dump: the state is allocated in .start; the cursor is the
 * fingerprint of the last member sent. Each batch is copied out of the
 * provider's store under its lock, then written with no lock held.
 */
#define MEMBER_BATCH	8

struct member_dump {
	struct pg_group *grp;
	bool have_last;
	u8 last[PEERGROUP_FINGERPRINT_LEN];
	struct pg_member batch[MEMBER_BATCH];
};

struct member_dump_ctx {
	struct member_dump *d;
};

int pg_nl_member_dump_start(struct netlink_callback *cb)
{
	struct member_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ctx->d = kzalloc(sizeof(*ctx->d), GFP_KERNEL);
	return ctx->d ? 0 : -ENOMEM;
}

int pg_nl_member_dump_done(struct netlink_callback *cb)
{
	struct member_dump_ctx *ctx = (void *)cb->ctx;

	if (ctx->d) {
		if (ctx->d->grp)
			pg_group_put(ctx->d->grp);
		kfree(ctx->d);
	}
	return 0;
}

/*
 * The request is checked in the first dumpit call: only there does 6.1 give
 * an extack to explain a refusal.
 */
static int member_dump_begin(struct sk_buff *skb, struct netlink_callback *cb,
			     struct member_dump *d)
{
	struct nlattr *name = genl_info_dump(cb)->attrs[PEERGROUP_A_GROUP_NAME];
	struct pg_net *pn = pg_net(sock_net(skb->sk));
	struct pg_group *grp;

	if (!name) {
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, PEERGROUP_A_GROUP_NAME);
		NL_SET_ERR_MSG(cb->extack, "group name: missing");
		return -EINVAL;
	}
	grp = pg_group_lookup(pn, nla_data(name));
	if (!grp) {
		NL_SET_ERR_MSG_ATTR(cb->extack, name,
				    "group name: no such group in this network namespace");
		return -ENOENT;
	}
	if (!grp->sec_ops->members) {
		NL_SET_ERR_MSG(cb->extack,
			       "members: a password group has no member list; every member holds the one key");
		pg_group_put(grp);
		return -EOPNOTSUPP;
	}
	d->grp = grp;
	return 0;
}

/* One message holding @m: 0, or -EMSGSIZE (the buffer is full). */
static int member_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			   const struct pg_group *grp,
			   const struct pg_member *m)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &pg_genl_family, NLM_F_MULTI,
			  PEERGROUP_CMD_MEMBER_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    put_member(skb, m)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int pg_nl_member_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct member_dump_ctx *ctx = (void *)cb->ctx;
	struct member_dump *d = ctx->d;
	unsigned int i, n;
	u32 gen;
	int ret;

	if (!d->grp) {
		ret = member_dump_begin(skb, cb, d);
		if (ret)
			return ret;
	}
	do {
		n = d->grp->sec_ops->members(d->grp,
					     d->have_last ? d->last : NULL,
					     d->batch, MEMBER_BATCH, &gen);
		/* A change between two batches flags what follows. */
		cb->seq = gen;
		if (!cb->prev_seq)
			cb->prev_seq = gen;
		for (i = 0; i < n; i++) {
			if (!member_dump_put(skb, cb, d->grp, &d->batch[i]))
				goto sent;
			if (skb->len)
				return skb->len;
			/* MEMBER_SIZE is far below a dump's buffer. */
			WARN_ON_ONCE(1);
			NL_SET_ERR_MSG(cb->extack,
				       "member: larger than a dump message");
			return -EMSGSIZE;
sent:
			memcpy(d->last, d->batch[i].fingerprint,
			       PEERGROUP_FINGERPRINT_LEN);
			d->have_last = true;
		}
	} while (n == MEMBER_BATCH);
	return skb->len;
}

void pg_nl_notify_member(struct pg_group *grp,
			 enum peergroup_member_event event,
			 const struct pg_member *m)
{
	struct sk_buff *msg;
	void *hdr;

	msg = pg_nl_event_new(grp, PG_MCGRP_EVENTS, PEERGROUP_CMD_MEMBER_EVENT,
			      nla_total_size(sizeof(u8)) + MEMBER_SIZE, &hdr);
	if (!msg)
		return;
	if (WARN_ON_ONCE(nla_put_u8(msg, PEERGROUP_A_MEMBER_EVENT, event) ||
			 put_member(msg, m))) {
		nlmsg_free(msg);
		return;
	}
	pg_nl_event_send(grp, PG_MCGRP_EVENTS, msg, hdr);
}

/* An administrator revokes the certificate of a member's fingerprint. */
int pg_nl_member_revoke(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_MEMBER_A_MAX + 1];
	struct nlattr *member = info->attrs[PEERGROUP_A_MEMBER];
	struct pg_write_err err = { };
	struct pg_group *grp;
	int ret;

	if (REQUIRE_ATTR(info, PEERGROUP_A_MEMBER,
			 "member: missing (the fingerprint of its certificate)"))
		return -EINVAL;
	ret = nla_parse_nested(tb, PEERGROUP_MEMBER_A_MAX, member,
			       member_revoke_nest, info->extack);
	if (ret)
		return ret;
	if (!tb[PEERGROUP_MEMBER_A_FINGERPRINT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, member,
				    "member fingerprint: missing");
		return -EINVAL;
	}
	grp = pg_nl_group(info, true, &ret);
	if (!grp)
		return ret;
	if (!grp->sec_ops->revoke) {
		NL_SET_ERR_MSG(info->extack,
			       "member revoke: a password group has no member of its own to revoke; change its password instead");
		ret = -EOPNOTSUPP;
	} else {
		ret = grp->sec_ops->revoke(grp,
					   nla_data(tb[PEERGROUP_MEMBER_A_FINGERPRINT]),
					   &err);
		/* A fixed string of the provider, as NL_SET_ERR_MSG() keeps it. */
		if (ret && info->extack)
			info->extack->_msg = err.msg ?:
				"member revoke: the revocation could not be written";
	}
	pg_group_put(grp);
	return ret;
}

/* A time of the uapi (ns) as a certificate's (s); 0 stays 0: absent. */
static s64 member_s(const struct nlattr *attr)
{
	return attr ? div_u64(nla_get_u64(attr), NSEC_PER_SEC) : 0;
}

/* The reply: the chain the invitee joins with, and what its certificate says. */
static int member_invite_reply(struct genl_info *info, struct pg_group *grp,
			       const u8 *chain, u32 len,
			       const struct pg_member *m)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
			  nla_total_size(len) + MEMBER_SIZE, GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &pg_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_string(msg, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    nla_put(msg, PEERGROUP_A_GROUP_CERTS, len, chain) ||
	    put_member(msg, m)) {
		WARN_ON_ONCE(1);	/* sized for these */
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* An administrator issues a certificate (PeerGroupCreateInvitation). */
int pg_nl_member_invite(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_MEMBER_A_MAX + 1];
	struct nlattr *member = info->attrs[PEERGROUP_A_MEMBER];
	struct pg_write_err err = { };
	struct pg_invite inv = { };
	struct pg_member m;
	struct pg_group *grp;
	u8 *chain = NULL;
	u32 len = 0;
	int ret;

	if (REQUIRE_ATTR(info, PEERGROUP_A_MEMBER,
			 "member: missing (the invitee's identity and public key)"))
		return -EINVAL;
	ret = nla_parse_nested(tb, PEERGROUP_MEMBER_A_MAX, member,
			       member_invite_nest, info->extack);
	if (ret)
		return ret;
	if (!tb[PEERGROUP_MEMBER_A_IDENTITY]) {
		NL_SET_ERR_MSG_ATTR(info->extack, member,
				    "member identity: missing");
		return -EINVAL;
	}
	if (!tb[PEERGROUP_MEMBER_A_PUBLIC_KEY]) {
		NL_SET_ERR_MSG_ATTR(info->extack, member,
				    "member public key: missing");
		return -EINVAL;
	}
	inv.identity = nla_data(tb[PEERGROUP_MEMBER_A_IDENTITY]);
	inv.spki = nla_data(tb[PEERGROUP_MEMBER_A_PUBLIC_KEY]);
	inv.spki_len = nla_len(tb[PEERGROUP_MEMBER_A_PUBLIC_KEY]);
	inv.admin = tb[PEERGROUP_MEMBER_A_ROLE] &&
		    nla_get_u8(tb[PEERGROUP_MEMBER_A_ROLE]) ==
		    PEERGROUP_ROLE_ADMIN;
	inv.not_before = member_s(tb[PEERGROUP_MEMBER_A_NOT_BEFORE]);
	inv.not_after = member_s(tb[PEERGROUP_MEMBER_A_NOT_AFTER]);
	grp = pg_nl_group(info, false, &ret);
	if (!grp)
		return ret;
	if (!grp->sec_ops->invite) {
		NL_SET_ERR_MSG(info->extack,
			       "member invite: a password group issues no certificates; every member holds the one key");
		ret = -EOPNOTSUPP;
	} else {
		ret = grp->sec_ops->invite(grp, &inv, &chain, &len, &m, &err);
		/* A fixed string of the provider, as NL_SET_ERR_MSG() keeps it. */
		if (ret && info->extack)
			info->extack->_msg = err.msg ?:
				"member invite: the certificate could not be issued";
	}
	if (!ret)
		ret = member_invite_reply(info, grp, chain, len, &m);
	kvfree(chain);
	pg_group_put(grp);
	return ret;
}
