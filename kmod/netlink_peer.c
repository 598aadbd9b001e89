// SPDX-License-Identifier: GPL-2.0
/*
 * The replication commands of the family: listeners and neighbours, and
 * the neighbour events (uapi/linux/peergroup.h documents them).
 */
#include "compat.h"
#include "conn.h"
#include "group.h"
#include "netlink.h"
#include "pernet.h"
#include "peer.h"
#include "write.h"

#include <linux/peergroup.h>
#include <net/genetlink.h>
#include <net/sock.h>

static int validate_addr(const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == 4 || nla_len(attr) == 16)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "address: 4 bytes (IPv4) or 16 (IPv6)");
	return -EINVAL;
}

const struct nla_policy pg_listen_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_ADDR]	= NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							 validate_addr, 16),
	[PEERGROUP_A_PORT]	= { .type = NLA_U16 },
};

const struct nla_policy pg_neighbour_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_ADDR]		= NLA_POLICY_VALIDATE_FN(NLA_BINARY,
								 validate_addr,
								 16),
	[PEERGROUP_A_PORT]		= { .type = NLA_U16 },
	[PEERGROUP_A_NEIGHBOUR_ID]	= { .type = NLA_U64 },
};

/*
 * The address and port of a request; without an address, @wildcard says
 * whether the IPv6 wildcard stands for it (listeners) or it is missing.
 */
static int parse_addr(struct genl_info *info, bool wildcard,
		      struct pg_addr *addr)
{
	struct nlattr *a = info->attrs[PEERGROUP_A_ADDR];
	struct nlattr *port = info->attrs[PEERGROUP_A_PORT];

	memset(addr, 0, sizeof(*addr));
	if (!a && !wildcard) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, PEERGROUP_A_ADDR);
		NL_SET_ERR_MSG(info->extack, "address: missing");
		return -EINVAL;
	}
	if (!a) {
		addr->family = AF_INET6;
	} else if (nla_len(a) == 4) {
		addr->family = AF_INET;
		memcpy(&addr->v4, nla_data(a), 4);
	} else {
		addr->family = AF_INET6;
		memcpy(&addr->v6, nla_data(a), 16);
	}
	addr->port = port ? nla_get_u16(port) : PEERGROUP_DEFAULT_PORT;
	if (!addr->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, port, "port: 1 to 65535");
		return -EINVAL;
	}
	return 0;
}

/* A fixed message of listen.c or neighbour.c, about @attr if given. */
static void set_err(struct genl_info *info, const struct nlattr *attr,
		    const char *msg)
{
	if (!info->extack)
		return;
	info->extack->_msg = msg;
	if (attr)
		NL_SET_BAD_ATTR(info->extack, attr);
}

static int put_addr(struct sk_buff *skb, int addr_type, int port_type,
		    const struct pg_addr *addr)
{
	if (addr->family == AF_INET ?
	    nla_put(skb, addr_type, 4, &addr->v4) :
	    nla_put(skb, addr_type, 16, &addr->v6))
		return -EMSGSIZE;
	return nla_put_u16(skb, port_type, addr->port);
}

int pg_nl_listen_add(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct pg_addr addr;
	const char *msg;
	int ret;

	ret = parse_addr(info, true, &addr);
	if (ret)
		return ret;
	ret = pg_listen_add(pn, &addr, &msg);
	if (ret)
		set_err(info, info->attrs[PEERGROUP_A_ADDR], msg);
	return ret;
}

int pg_nl_listen_del(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct pg_addr addr;
	int ret;

	ret = parse_addr(info, true, &addr);
	if (ret)
		return ret;
	ret = pg_listen_del(pn, &addr);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PEERGROUP_A_ADDR],
				    "listener: none on this address and port");
	return ret;
}

/* cb->args[0]: the index of the next listener. */
int pg_nl_listen_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pg_net *pn = pg_net(sock_net(skb->sk));
	struct pg_addr addr;
	u64 counts[3];
	void *hdr;

	while (pg_listen_get(pn, cb->args[0], &addr, counts)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &pg_genl_family,
				  NLM_F_MULTI, PEERGROUP_CMD_LISTEN_GET);
		if (!hdr)
			break;
		if (put_addr(skb, PEERGROUP_A_ADDR, PEERGROUP_A_PORT, &addr) ||
		    nla_put_u64_64bit(skb, PEERGROUP_A_LISTEN_ACCEPTED,
				      counts[0], PEERGROUP_A_PAD) ||
		    nla_put_u64_64bit(skb, PEERGROUP_A_LISTEN_RATELIMITED,
				      counts[1], PEERGROUP_A_PAD) ||
		    nla_put_u64_64bit(skb, PEERGROUP_A_LISTEN_BUSY,
				      counts[2], PEERGROUP_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	return skb->len;
}

#define NEIGHBOUR_MSG_SIZE						\
	(nla_total_size(0) + nla_total_size(16) +			\
	 nla_total_size(PEERGROUP_IDENTITY_MAX + 1) +			\
	 nla_total_size(PG_WRITE_MSG_MAX) +				\
	 9 * nla_total_size(sizeof(u32)) +				\
	 10 * nla_total_size_64bit(sizeof(u64)))

/* The counters of struct pg_peer_stats, by attribute. */
static const struct {
	u16 attr;
	u16 offset;
} counters[] = {
	{ PEERGROUP_NEIGHBOUR_A_FRAMES_TX, offsetof(struct pg_peer_stats, frames_tx) },
	{ PEERGROUP_NEIGHBOUR_A_FRAMES_RX, offsetof(struct pg_peer_stats, frames_rx) },
	{ PEERGROUP_NEIGHBOUR_A_BYTES_TX, offsetof(struct pg_peer_stats, bytes_tx) },
	{ PEERGROUP_NEIGHBOUR_A_BYTES_RX, offsetof(struct pg_peer_stats, bytes_rx) },
	{ PEERGROUP_NEIGHBOUR_A_RECORDS_TX, offsetof(struct pg_peer_stats, records_tx) },
	{ PEERGROUP_NEIGHBOUR_A_RECORDS_RX, offsetof(struct pg_peer_stats, records_rx) },
	{ PEERGROUP_NEIGHBOUR_A_REFUSED, offsetof(struct pg_peer_stats, refused) },
};

static int put_neighbour(struct sk_buff *skb, struct pg_neighbour *nb)
{
	struct pg_peer_stats *st = &nb->stats;
	struct pg_group *grp = nb->grp;
	struct nlattr *nest;
	int ret = -EMSGSIZE;
	unsigned int i;
	u32 queued, lag;

	nest = nla_nest_start(skb, PEERGROUP_A_NEIGHBOUR);
	if (!nest)
		return -EMSGSIZE;
	mutex_lock(&grp->nb_lock);
	queued = nb->conn ? pg_conn_queued(nb->conn) : 0;
	lag = nb->conn ? pg_conn_lag_ms(nb->conn) : 0;
	if (nla_put_u64_64bit(skb, PEERGROUP_NEIGHBOUR_A_ID, nb->id,
			      PEERGROUP_NEIGHBOUR_A_PAD) ||
	    put_addr(skb, PEERGROUP_NEIGHBOUR_A_ADDR, PEERGROUP_NEIGHBOUR_A_PORT,
		     &nb->addr) ||
	    nla_put_u8(skb, PEERGROUP_NEIGHBOUR_A_DIRECTION, nb->dir) ||
	    nla_put_u8(skb, PEERGROUP_NEIGHBOUR_A_STATE, nb->state) ||
	    (nb->identity[0] &&
	     nla_put_string(skb, PEERGROUP_NEIGHBOUR_A_IDENTITY, nb->identity)) ||
	    nla_put_u8(skb, PEERGROUP_NEIGHBOUR_A_REASON, nb->reason) ||
	    (nb->err && nla_put_u32(skb, PEERGROUP_NEIGHBOUR_A_ERRNO, nb->err)) ||
	    nla_put_u64_64bit(skb, PEERGROUP_NEIGHBOUR_A_SINCE, nb->since,
			      PEERGROUP_NEIGHBOUR_A_PAD) ||
	    nla_put_u32(skb, PEERGROUP_NEIGHBOUR_A_QUEUE, queued) ||
	    nla_put_u32(skb, PEERGROUP_NEIGHBOUR_A_CONNECTS, nb->connects) ||
	    nla_put_u32(skb, PEERGROUP_NEIGHBOUR_A_LAG, lag) ||
	    (nb->refused_why &&
	     (nla_put_string(skb, PEERGROUP_NEIGHBOUR_A_REFUSED_WHY,
			     nb->refused_why) ||
	      nla_put_u32(skb, PEERGROUP_NEIGHBOUR_A_REFUSED_ERRNO,
			  nb->refused_err))))
		goto out;
	mutex_unlock(&grp->nb_lock);
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(skb, counters[i].attr,
				      atomic64_read((atomic64_t *)((char *)st +
						    counters[i].offset)),
				      PEERGROUP_NEIGHBOUR_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
out:
	mutex_unlock(&grp->nb_lock);
	return ret;
}

static int neighbour_reply(struct genl_info *info, struct pg_neighbour *nb)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
			  NEIGHBOUR_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		goto nomem;
	hdr = genlmsg_put_reply(msg, info, &pg_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr ||
	    nla_put_string(msg, PEERGROUP_A_GROUP_NAME, nb->grp->name) ||
	    put_neighbour(msg, nb)) {
		WARN_ON_ONCE(1);	/* sized for it */
		nlmsg_free(msg);
		goto nomem;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nomem:
	NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
	return -ENOMEM;
}

int pg_nl_neighbour_add(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_neighbour *nb;
	struct pg_group *grp;
	struct pg_addr addr;
	const char *msg;
	int ret;

	if (info->attrs[PEERGROUP_A_NEIGHBOUR_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PEERGROUP_A_NEIGHBOUR_ID],
				    "neighbour id: the module chooses it");
		return -EINVAL;
	}
	ret = parse_addr(info, false, &addr);
	if (ret)
		return ret;
	grp = pg_nl_group(info, false, &ret);
	if (!grp)
		return ret;
	ret = pg_neighbour_add(grp, &addr, &nb, &msg);
	if (ret) {
		set_err(info, info->attrs[PEERGROUP_A_ADDR], msg);
	} else {
		ret = neighbour_reply(info, nb);
		pg_neighbour_put(nb);
	}
	pg_group_put(grp);
	return ret;
}

int pg_nl_neighbour_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[PEERGROUP_A_NEIGHBOUR_ID];
	struct pg_group *grp;
	struct pg_addr addr;
	int ret;

	if (id && info->attrs[PEERGROUP_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, id,
				    "neighbour: give an address or an id, not both");
		return -EINVAL;
	}
	if (!id) {
		ret = parse_addr(info, false, &addr);
		if (ret)
			return ret;
	}
	grp = pg_nl_group(info, false, &ret);
	if (!grp)
		return ret;
	ret = pg_neighbour_del(grp, id ? NULL : &addr,
			       id ? nla_get_u64(id) : 0);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    id ?: info->attrs[PEERGROUP_A_ADDR],
				    "neighbour: the group has no such neighbour");
	pg_group_put(grp);
	return ret;
}

/*
 * cb->args[0]: the id of the last neighbour sent. The group is looked up
 * by name on every call: it may go meanwhile, and the dump ends.
 */
int pg_nl_neighbour_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_info_dump(cb)->attrs;
	struct pg_net *pn = pg_net(sock_net(skb->sk));
	struct pg_neighbour *nb;
	struct pg_group *grp;
	void *hdr;

	if (!attrs[PEERGROUP_A_GROUP_NAME]) {
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, PEERGROUP_A_GROUP_NAME);
		NL_SET_ERR_MSG(cb->extack, "group name: missing");
		return -EINVAL;
	}
	grp = pg_group_lookup(pn, nla_data(attrs[PEERGROUP_A_GROUP_NAME]));
	if (!grp) {
		if (cb->args[0])
			return 0;
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[PEERGROUP_A_GROUP_NAME],
				    "group: no such group");
		return -ENOENT;
	}
	while ((nb = pg_neighbour_next(grp, cb->args[0]))) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &pg_genl_family,
				  NLM_F_MULTI, PEERGROUP_CMD_NEIGHBOUR_GET);
		if (!hdr || nla_put_string(skb, PEERGROUP_A_GROUP_NAME,
					   grp->name) ||
		    put_neighbour(skb, nb)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			pg_neighbour_put(nb);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = nb->id;
		pg_neighbour_put(nb);
	}
	pg_group_put(grp);
	return skb->len;
}

/* What NEIGHBOUR_GET tells, to the group only administrators may join. */
void pg_nl_notify_neighbour(struct pg_neighbour *nb,
			    enum peergroup_neighbour_event event)
{
	struct sk_buff *msg;
	void *hdr;

	msg = pg_nl_event_new(nb->grp, PG_MCGRP_NEIGHBOURS,
			      PEERGROUP_CMD_NEIGHBOUR_EVENT,
			      nla_total_size(sizeof(u8)) + NEIGHBOUR_MSG_SIZE,
			      &hdr);
	if (!msg)
		return;
	if (WARN_ON_ONCE(nla_put_u8(msg, PEERGROUP_A_NEIGHBOUR_EVENT, event) ||
			 put_neighbour(msg, nb))) {
		nlmsg_free(msg);
		return;
	}
	pg_nl_event_send(nb->grp, PG_MCGRP_NEIGHBOURS, msg, hdr);
}
