// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: its policies, the group commands, the events,
 * and the table of every command (the record commands are in
 * netlink_record.c).
 *
 * Every command finds its namespace's state with pg_net() and its group
 * under pg_net.lock; the family is parallel_ops, so the locks of pernet.h
 * and record.h are the only serialisation. Every error sets an extended ACK
 * message naming the field.
 */
#include "change.h"
#include "compat.h"
#include "group.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"
#include "record.h"
#include "security.h"

#include <linux/peergroup.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

int pg_nl_validate_group_name(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	if (pg_group_name_valid(nla_data(attr)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "group name: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
	return -EINVAL;
}

int pg_nl_validate_identity(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	if (pg_identity_valid(nla_data(attr)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "identity: use 2 to 255 printable ASCII characters, no spaces");
	return -EINVAL;
}

/* EINVAL and a message that says what the key is (EXACT_LEN: ERANGE). */
static int validate_group_key(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == PEERGROUP_GROUP_KEY_LEN)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "group key: exactly 32 bytes, derived from the password with Argon2id (libpeergroup does)");
	return -EINVAL;
}

/* Not const: 6.1's policy points to it without. */
static struct netlink_range_validation kdf_memory_range = {
	.min = PEERGROUP_KDF_MEMORY_MIN,
	.max = PEERGROUP_KDF_MEMORY_MAX,
};

static const struct nla_policy group_add_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_IDENTITY]		= IDENTITY_POLICY,
	[PEERGROUP_A_GROUP_CREATOR]	= IDENTITY_POLICY,
	[PEERGROUP_A_GROUP_ID]		= { .type = NLA_NUL_STRING,
					    .len = PEERGROUP_GROUP_ID_MAX },
	[PEERGROUP_A_GROUP_KEY]		=
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_group_key),
	[PEERGROUP_A_GROUP_KDF_TIME]	=
		NLA_POLICY_RANGE(NLA_U32, 1, PEERGROUP_KDF_TIME_MAX),
	[PEERGROUP_A_GROUP_KDF_MEMORY]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &kdf_memory_range),
	[PEERGROUP_A_GROUP_KDF_LANES]	=
		NLA_POLICY_RANGE(NLA_U32, 1, PEERGROUP_KDF_LANES_MAX),
	[PEERGROUP_A_GROUP_SECURITY]	=
		NLA_POLICY_RANGE(NLA_U8, PEERGROUP_SECURITY_PSK,
				 PEERGROUP_SECURITY_PKI),
	[PEERGROUP_A_GROUP_KEY_SERIAL]	= NLA_POLICY_MIN(NLA_S32, 1),
	[PEERGROUP_A_GROUP_CERTS]	= { .type = NLA_BINARY,
					    .len = PEERGROUP_CERTS_BYTES_MAX },
};

static const struct nla_policy group_set_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_GROUP_FLAGS]	=
		NLA_POLICY_MASK(NLA_U32, PEERGROUP_GROUP_F_DEFER_EXPIRATION),
	[PEERGROUP_A_GROUP_MAX_RECORD_SIZE] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_MAX_RECORDS]	= { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_MAX_BYTES]	= { .type = NLA_U64 },
	[PEERGROUP_A_GROUP_MAX_LIFETIME] = { .type = NLA_U32 },
};

static const struct nla_policy group_time_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_TIME_UTC]		= { .type = NLA_U64 },
	[PEERGROUP_A_TIME_PEER]		= { .type = NLA_U64 },
};

static const struct nla_policy group_name_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
};

static size_t group_msg_size(void)
{
	return nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
	       nla_total_size(PEERGROUP_GROUP_ID_MAX + 1) +
	       2 * nla_total_size(PEERGROUP_IDENTITY_MAX + 1) +
	       2 * nla_total_size(sizeof(u8)) +
	       11 * nla_total_size(sizeof(u32)) +
	       4 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(0);
}

/* Properties, status and counters are read under the table lock. */
static int put_group(struct sk_buff *skb, struct pg_group *grp)
{
	int ret = -EMSGSIZE;

	mutex_lock(&grp->table_lock);
	if (nla_put_string(skb, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    nla_put_string(skb, PEERGROUP_A_GROUP_ID, grp->id) ||
	    nla_put_string(skb, PEERGROUP_A_IDENTITY, grp->identity) ||
	    nla_put_u64_64bit(skb, PEERGROUP_A_GROUP_CREATED, grp->created,
			      PEERGROUP_A_PAD) ||
	    (grp->creator[0] &&
	     nla_put_string(skb, PEERGROUP_A_GROUP_CREATOR, grp->creator)) ||
	    nla_put_u8(skb, PEERGROUP_A_GROUP_ROLE, grp->role) ||
	    nla_put_u8(skb, PEERGROUP_A_GROUP_SECURITY, grp->sec_ops->kind) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_STATUS, grp->status) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_FLAGS, grp->props.flags) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_MAX_RECORD_SIZE,
			grp->props.max_record_size) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_MAX_RECORDS, grp->props.max_records) ||
	    nla_put_u64_64bit(skb, PEERGROUP_A_GROUP_MAX_BYTES, grp->props.max_bytes,
			      PEERGROUP_A_PAD) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_MAX_LIFETIME,
			grp->props.max_lifetime) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_RECORDS, grp->nrecords) ||
	    nla_put_u64_64bit(skb, PEERGROUP_A_GROUP_BYTES, grp->nbytes,
			      PEERGROUP_A_PAD) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_NEIGHBOURS, grp->neighbours) ||
	    nla_put_u32(skb, PEERGROUP_A_GROUP_PARKED, READ_ONCE(grp->nparked)) ||
	    nla_put_u64_64bit(skb, PEERGROUP_A_GROUP_PARKED_DROPPED,
			      READ_ONCE(grp->parked_dropped), PEERGROUP_A_PAD) ||
	    (grp->key_random &&
	     nla_put_flag(skb, PEERGROUP_A_GROUP_KEY_RANDOM)) ||
	    (!grp->key_random &&
	     (nla_put_u32(skb, PEERGROUP_A_GROUP_KDF_TIME, grp->kdf.time) ||
	      nla_put_u32(skb, PEERGROUP_A_GROUP_KDF_MEMORY,
			  grp->kdf.memory) ||
	      nla_put_u32(skb, PEERGROUP_A_GROUP_KDF_LANES, grp->kdf.lanes))))
		goto out;
	ret = 0;
out:
	mutex_unlock(&grp->table_lock);
	return ret;
}

/* A reply holding one group, ready to send; NULL when out of memory. */
static struct sk_buff *group_reply(struct pg_group *grp,
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

static const struct {
	int attr;
	const char *missing;
} kdf_attrs[] = {
	{ PEERGROUP_A_GROUP_KDF_TIME,
	  "kdf time: missing: a group key comes with its Argon2id passes" },
	{ PEERGROUP_A_GROUP_KDF_MEMORY,
	  "kdf memory: missing: a group key comes with its Argon2id memory" },
	{ PEERGROUP_A_GROUP_KDF_LANES,
	  "kdf lanes: missing: a group key comes with its Argon2id lanes" },
};

/*
 * The group key and how it was derived: the three parameters come with a
 * key, and only with one (a random key was derived from nothing).
 */
static int kdf_params(struct genl_info *info, struct pg_group_params *params)
{
	struct nlattr *key = info->attrs[PEERGROUP_A_GROUP_KEY];
	struct nlattr *attr;
	u32 v[ARRAY_SIZE(kdf_attrs)];
	int i;

	for (i = 0; i < ARRAY_SIZE(kdf_attrs); i++) {
		attr = info->attrs[kdf_attrs[i].attr];
		if (!key && attr) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "kdf: parameters without a group key (a random key is derived from nothing)");
			return -EINVAL;
		}
		if (key && GENL_REQ_ATTR_CHECK(info, kdf_attrs[i].attr)) {
			if (info->extack)
				info->extack->_msg = kdf_attrs[i].missing;
			return -EINVAL;
		}
		v[i] = attr ? nla_get_u32(attr) : 0;
	}
	if (!key)
		return 0;
	if (v[1] < 8 * v[2]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PEERGROUP_A_GROUP_KDF_MEMORY],
				    "kdf memory: Argon2id needs at least 8 KiB per lane");
		return -EINVAL;
	}
	params->key = nla_data(key);
	params->kdf.time = v[0];
	params->kdf.memory = v[1];
	params->kdf.lanes = v[2];
	return 0;
}

/*
 * A certificate group's key and chain come together and only with
 * security pki; a password's key never with them.
 */
static int pki_params(struct genl_info *info, struct pg_group_params *params)
{
	struct nlattr *security = info->attrs[PEERGROUP_A_GROUP_SECURITY];
	struct nlattr *serial = info->attrs[PEERGROUP_A_GROUP_KEY_SERIAL];
	struct nlattr *certs = info->attrs[PEERGROUP_A_GROUP_CERTS];

	if (security)
		params->security = nla_get_u8(security);
	if (params->security != PEERGROUP_SECURITY_PKI) {
		if (!serial && !certs)
			return 0;
		NL_SET_ERR_MSG_ATTR(info->extack, serial ?: certs,
				    "security: a key serial and certificates are for a certificate group (security pki)");
		return -EINVAL;
	}
	if (info->attrs[PEERGROUP_A_GROUP_KEY]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PEERGROUP_A_GROUP_KEY],
				    "group key: a certificate group has no group key; its members sign with their own");
		return -EINVAL;
	}
	if (REQUIRE_ATTR(info, PEERGROUP_A_GROUP_KEY_SERIAL,
			 "key serial: missing (the keyring serial of this node's private key)") ||
	    REQUIRE_ATTR(info, PEERGROUP_A_GROUP_CERTS,
			 "certificates: missing (this node's chain, the root last)"))
		return -EINVAL;
	params->key_serial = nla_get_s32(serial);
	params->certs = nla_data(certs);
	params->certs_len = nla_len(certs);
	return 0;
}

static int group_add(struct sk_buff *skb, struct genl_info *info)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct nlattr *name = info->attrs[PEERGROUP_A_GROUP_NAME];
	struct nlattr *key = info->attrs[PEERGROUP_A_GROUP_KEY];
	struct nlattr *creator = info->attrs[PEERGROUP_A_GROUP_CREATOR];
	struct nlattr *id = info->attrs[PEERGROUP_A_GROUP_ID];
	struct pg_group_params params = { .security = PEERGROUP_SECURITY_PSK };
	struct pg_write_err err = { };
	struct sk_buff *reply = NULL;
	struct pg_group *grp;
	int ret;

	if (REQUIRE_ATTR(info, PEERGROUP_A_GROUP_NAME, "group name: missing") ||
	    REQUIRE_ATTR(info, PEERGROUP_A_IDENTITY, "identity: missing"))
		return -EINVAL;
	params.name = nla_data(name);
	params.identity = nla_data(info->attrs[PEERGROUP_A_IDENTITY]);
	params.creator = creator ? nla_data(creator) : NULL;
	params.id = id ? nla_data(id) : NULL;
	ret = kdf_params(info, &params) ?: pki_params(info, &params);
	if (ret)
		goto out;
	if (id && creator) {
		NL_SET_ERR_MSG_ATTR(info->extack, id,
				    "group id: give the creator or the group id, not both");
		ret = -EINVAL;
		goto out;
	}
	if (id && !pg_group_id_valid(params.id, params.name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id,
				    "group id: 40 lowercase hex digits, '.', then the group name");
		ret = -EINVAL;
		goto out;
	}

	mutex_lock(&pn->lock);
	ret = pg_group_create(pn, &params, &grp, &err);
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
	case -ENOMEM:
		NL_SET_ERR_MSG(info->extack, "out of memory for the group");
		break;
	default:
		/* A fixed string of the provider, as NL_SET_ERR_MSG() keeps it. */
		if (info->extack)
			info->extack->_msg = err.msg ?:
				"security: the group's provider could not be set up";
		if (info->extack && err.field && err.field <= PEERGROUP_A_MAX)
			NL_SET_BAD_ATTR(info->extack, info->attrs[err.field]);
		break;
	}
	mutex_unlock(&pn->lock);
out:
	/* The provider has keyed its hashes: the request's copy goes too. */
	if (key)
		memzero_explicit(nla_data(key), nla_len(key));

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

struct pg_group *pg_nl_group(struct genl_info *info, bool ready, int *err)
{
	struct pg_net *pn = pg_net(genl_info_net(info));
	struct pg_group *grp;

	*err = -EINVAL;
	if (REQUIRE_ATTR(info, PEERGROUP_A_GROUP_NAME, "group name: missing"))
		return NULL;
	grp = pg_group_lookup(pn, nla_data(info->attrs[PEERGROUP_A_GROUP_NAME]));
	if (!grp) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PEERGROUP_A_GROUP_NAME],
				    "group name: no such group in this network namespace");
		*err = -ENOENT;
		return NULL;
	}
	if (ready && !pg_group_ready(grp)) {
		NL_SET_ERR_MSG(info->extack,
			       "group: not synchronized yet (joined, and no database imported)");
		pg_group_put(grp);
		*err = -EAGAIN;
		return NULL;
	}
	return grp;
}

/*
 * PeerGroupSetProperties: the creator's, applied all at once. Ranges are
 * checked by the one setter rather than by range policies, which answer
 * ERANGE: a bad property is EINVAL (PEER_E_INVALID_GROUP_PROPERTIES in
 * netlink-api.rst, "Errors and their Windows names"), and the message
 * names it with its bounds.
 */
static int group_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	enum pg_write_outcome outcome;
	struct pg_write_err err = { };
	struct pg_props p = { };
	struct pg_group *grp;
	u32 mask = 0;
	int ret;

	if (attrs[PEERGROUP_A_GROUP_FLAGS]) {
		p.flags = nla_get_u32(attrs[PEERGROUP_A_GROUP_FLAGS]);
		mask |= PG_PROP_FLAGS;
	}
	if (attrs[PEERGROUP_A_GROUP_MAX_RECORD_SIZE]) {
		p.max_record_size =
			nla_get_u32(attrs[PEERGROUP_A_GROUP_MAX_RECORD_SIZE]);
		mask |= PG_PROP_MAX_RECORD_SIZE;
	}
	if (attrs[PEERGROUP_A_GROUP_MAX_RECORDS]) {
		p.max_records = nla_get_u32(attrs[PEERGROUP_A_GROUP_MAX_RECORDS]);
		mask |= PG_PROP_MAX_RECORDS;
	}
	if (attrs[PEERGROUP_A_GROUP_MAX_BYTES]) {
		p.max_bytes = nla_get_u64(attrs[PEERGROUP_A_GROUP_MAX_BYTES]);
		mask |= PG_PROP_MAX_BYTES;
	}
	if (attrs[PEERGROUP_A_GROUP_MAX_LIFETIME]) {
		p.max_lifetime =
			nla_get_u32(attrs[PEERGROUP_A_GROUP_MAX_LIFETIME]);
		mask |= PG_PROP_MAX_LIFETIME;
	}
	grp = pg_nl_group(info, true, &ret);
	if (!grp)
		return ret;
	ret = pg_group_props_set(grp, &p, mask, NULL, NULL, 0,
				 &pg_origin_local, &outcome, &err);
	if (ret && info->extack) {
		/* A fixed string of group.c, as NL_SET_ERR_MSG() keeps it. */
		info->extack->_msg = err.msg;
		if (err.field && err.field <= PEERGROUP_A_MAX)
			NL_SET_BAD_ATTR(info->extack, attrs[err.field]);
	}
	pg_group_put(grp);
	return ret;
}

/* UTC <-> peer time, both ways, or now. */
static int group_time(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *utc_attr = info->attrs[PEERGROUP_A_TIME_UTC];
	struct nlattr *peer_attr = info->attrs[PEERGROUP_A_TIME_PEER];
	struct pg_group *grp;
	struct sk_buff *msg;
	u64 utc, peer;
	s64 offset;
	void *hdr;
	int ret;

	if (utc_attr && peer_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, peer_attr,
				    "time: give a UTC time or a peer time, not both");
		return -EINVAL;
	}
	grp = pg_nl_group(info, true, &ret);
	if (!grp)
		return ret;
	offset = pg_group_time_offset(grp);
	if (utc_attr) {
		utc = nla_get_u64(utc_attr);
		peer = utc + offset;
	} else if (peer_attr) {
		peer = nla_get_u64(peer_attr);
		utc = peer - offset;
	} else {
		utc = ktime_get_real_ns();
		peer = utc + offset;
	}

	ret = -ENOMEM;
	msg = genlmsg_new(nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
			  2 * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &pg_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_string(msg, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    nla_put_u64_64bit(msg, PEERGROUP_A_TIME_UTC, utc, PEERGROUP_A_PAD) ||
	    nla_put_u64_64bit(msg, PEERGROUP_A_TIME_PEER, peer,
			      PEERGROUP_A_PAD)) {
		WARN_ON_ONCE(1);	/* sized for these */
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	if (ret == -ENOMEM)
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
	pg_group_put(grp);
	return ret;
}

/*
 * Events go to the listeners of the group's namespace, once the table holds
 * the change. A lost event (no memory) is not an error of the change, but
 * the listeners learn of it: their next read fails with ENOBUFS, as when
 * their socket overflows, and they know to read the table anew. An event
 * is the group's name and @size bytes of attributes, allocated exactly:
 * netlink would copy a larger buffer into a smaller one.
 */
struct sk_buff *pg_nl_event_new(struct pg_group *grp, enum pg_mcgrp mcgrp,
				u8 cmd, size_t size, void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&pg_genl_family, grp->pn->net, mcgrp))
		return NULL;
	msg = genlmsg_new(nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) + size,
			  GFP_KERNEL);
	if (!msg) {
		genl_set_err(&pg_genl_family, grp->pn->net, 0, mcgrp, -ENOBUFS);
		return NULL;
	}
	*hdr = genlmsg_put(msg, 0, 0, &pg_genl_family, 0, cmd);
	if (WARN_ON_ONCE(!*hdr ||
			 nla_put_string(msg, PEERGROUP_A_GROUP_NAME, grp->name))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void pg_nl_event_send(struct pg_group *grp, enum pg_mcgrp mcgrp,
		      struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&pg_genl_family, grp->pn->net, msg, 0, mcgrp,
				GFP_KERNEL);
}

static u8 origin_of(const struct pg_origin *origin)
{
	switch (origin->kind) {
	case PG_ORIGIN_LOCAL:
		return PEERGROUP_ORIGIN_LOCAL;
	case PG_ORIGIN_IMPORT:
		return PEERGROUP_ORIGIN_IMPORT;
	default:
		return PEERGROUP_ORIGIN_PEER;
	}
}

static void notify_record(struct pg_group *grp, enum peergroup_change change,
			  const struct pg_record *rec,
			  const struct pg_origin *origin)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (change == PEERGROUP_CHANGE_UNSPEC)
		return;
	msg = pg_nl_event_new(grp, PG_MCGRP_EVENTS, PEERGROUP_CMD_RECORD_EVENT,
			      2 * nla_total_size(sizeof(u8)) + nla_total_size(0) +
			      2 * nla_total_size(PEERGROUP_GUID_LEN) +
			      nla_total_size(sizeof(u32)) +
			      nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg)
		return;
	if (nla_put_u8(msg, PEERGROUP_A_RECORD_CHANGE, change) ||
	    nla_put_u8(msg, PEERGROUP_A_RECORD_ORIGIN, origin_of(origin)))
		goto overflow;
	if (origin->kind == PG_ORIGIN_PEER &&
	    nla_put_u64_64bit(msg, PEERGROUP_A_NEIGHBOUR_ID, origin->neighbour,
			      PEERGROUP_A_PAD))
		goto overflow;
	nest = nla_nest_start(msg, PEERGROUP_A_RECORD);
	if (!nest ||
	    nla_put(msg, PEERGROUP_RECORD_A_ID, PEERGROUP_GUID_LEN, rec->id) ||
	    nla_put(msg, PEERGROUP_RECORD_A_TYPE, PEERGROUP_GUID_LEN,
		    rec->type) ||
	    nla_put_u32(msg, PEERGROUP_RECORD_A_VERSION, rec->version))
		goto overflow;
	nla_nest_end(msg, nest);
	pg_nl_event_send(grp, PG_MCGRP_EVENTS, msg, hdr);
	return;
overflow:
	WARN_ON_ONCE(1);	/* pg_nl_event_new() was given the size */
	nlmsg_free(msg);
}

static void notify_group(struct pg_group *grp,
			 enum peergroup_group_event event)
{
	struct sk_buff *msg;
	void *hdr;

	msg = pg_nl_event_new(grp, PG_MCGRP_EVENTS, PEERGROUP_CMD_GROUP_EVENT,
			      nla_total_size(sizeof(u8)) +
			      nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return;
	if (WARN_ON_ONCE(nla_put_u8(msg, PEERGROUP_A_GROUP_EVENT, event) ||
			 nla_put_u32(msg, PEERGROUP_A_GROUP_STATUS,
				     READ_ONCE(grp->status)))) {
		nlmsg_free(msg);
		return;
	}
	pg_nl_event_send(grp, PG_MCGRP_EVENTS, msg, hdr);
}

/* The netlink events are a subscriber of the change dispatcher. */
static int change_notify(struct notifier_block *nb, unsigned long kind,
			 void *data)
{
	const struct pg_neighbour_change *nc = data;
	const struct pg_member_change *mc = data;
	const struct pg_record_change *rc = data;
	const struct pg_group_change *gc = data;

	switch (kind) {
	case PG_EVENT_RECORD:
		notify_record(rc->grp, rc->change, rc->rec, rc->origin);
		break;
	case PG_EVENT_GROUP:
		notify_group(gc->grp, gc->event);
		break;
	case PG_EVENT_NEIGHBOUR:
		pg_nl_notify_neighbour(nc->nb, nc->event);
		break;
	case PG_EVENT_MEMBER:
		pg_nl_notify_member(mc->grp, mc->event, mc->member);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block change_nb = {
	.notifier_call = change_notify,
};

#define RECORD_DUMP_OPS					\
	.start	= pg_nl_record_dump_start,		\
	.dumpit	= pg_nl_record_dump,			\
	.done	= pg_nl_record_dump_done

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
	{
		.cmd	= PEERGROUP_CMD_GROUP_SET,
		.doit	= group_set,
		.policy	= group_set_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_GROUP_TIME,
		.doit	= group_time,
		.policy	= group_time_policy,
		.maxattr = PEERGROUP_A_MAX,
	},
	{
		.cmd	= PEERGROUP_CMD_RECORD_ADD,
		.doit	= pg_nl_record_add,
		.policy	= pg_record_add_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_RECORD_UPDATE,
		.doit	= pg_nl_record_update,
		.policy	= pg_record_add_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_RECORD_DEL,
		.doit	= pg_nl_record_del,
		.policy	= pg_record_add_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_RECORD_GET,
		.doit	= pg_nl_record_get,
		RECORD_DUMP_OPS,
		.policy	= pg_record_get_policy,
		.maxattr = PEERGROUP_A_MAX,
	},
	{
		.cmd	= PEERGROUP_CMD_RECORD_SEARCH,
		RECORD_DUMP_OPS,
		.policy	= pg_record_search_policy,
		.maxattr = PEERGROUP_A_MAX,
	},
	{
		.cmd	= PEERGROUP_CMD_RECORD_IMPORT,
		.doit	= pg_nl_record_import,
		.policy	= pg_record_add_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_LISTEN_ADD,
		.doit	= pg_nl_listen_add,
		.policy	= pg_listen_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_LISTEN_DEL,
		.doit	= pg_nl_listen_del,
		.policy	= pg_listen_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_LISTEN_GET,
		.dumpit	= pg_nl_listen_dump,
		.policy	= pg_listen_policy,
		.maxattr = PEERGROUP_A_MAX,
	},
	{
		.cmd	= PEERGROUP_CMD_NEIGHBOUR_ADD,
		.doit	= pg_nl_neighbour_add,
		.policy	= pg_neighbour_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_NEIGHBOUR_DEL,
		.doit	= pg_nl_neighbour_del,
		.policy	= pg_neighbour_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_NEIGHBOUR_GET,
		.dumpit	= pg_nl_neighbour_dump,
		.policy	= pg_neighbour_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		/* Certificates are public: anyone may list them. */
		.cmd	= PEERGROUP_CMD_MEMBER_GET,
		.start	= pg_nl_member_dump_start,
		.dumpit	= pg_nl_member_dump,
		.done	= pg_nl_member_dump_done,
		.policy	= pg_member_policy,
		.maxattr = PEERGROUP_A_MAX,
	},
	{
		.cmd	= PEERGROUP_CMD_MEMBER_REVOKE,
		.doit	= pg_nl_member_revoke,
		.policy	= pg_member_revoke_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PEERGROUP_CMD_MEMBER_INVITE,
		.doit	= pg_nl_member_invite,
		.policy	= pg_member_invite_policy,
		.maxattr = PEERGROUP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

/*
 * Neighbour events tell what NEIGHBOUR_GET tells, which is for
 * administrators: so is their group.
 */
static const struct genl_multicast_group pg_mcgrps[] = {
	[PG_MCGRP_EVENTS] = { .name = PEERGROUP_MCGRP_EVENTS },
	[PG_MCGRP_NEIGHBOURS] = { .name = PEERGROUP_MCGRP_NEIGHBOURS,
				  .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family pg_genl_family __ro_after_init = {
	.name		= PEERGROUP_GENL_NAME,
	.version	= PEERGROUP_GENL_VERSION,
	.maxattr	= PEERGROUP_A_MAX,
	.module		= THIS_MODULE,
	.ops		= pg_genl_ops,
	.n_ops		= ARRAY_SIZE(pg_genl_ops),
	.mcgrps		= pg_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pg_mcgrps),
	.netnsok	= true,
	.parallel_ops	= true,
};

int __init pg_genetlink_init(void)
{
	int ret;

	ret = genl_register_family(&pg_genl_family);
	if (ret)
		return ret;
	ret = pg_change_subscribe(&change_nb);
	if (ret)
		genl_unregister_family(&pg_genl_family);
	return ret;
}

void pg_genetlink_uninit(void)
{
	pg_change_unsubscribe(&change_nb);
	genl_unregister_family(&pg_genl_family);
}
