// SPDX-License-Identifier: GPL-2.0
/*
 * The record commands: add, update, delete, get, dump, search and import.
 *
 * This file parses requests and answers them; the record rules are the
 * write layer's (write.h), which a record from a peer passes too. A write
 * goes: the request through its policy, the attributes a write needs
 * present, the group, the answer allocated (a change is never made without
 * it), then the write layer, whose refusal becomes the extended ACK.
 */
#include "compat.h"
#include "group.h"
#include "netlink.h"
#include "pernet.h"
#include "query.h"
#include "record.h"
#include "security.h"
#include "write.h"

#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

static int validate_attr_name(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);

	if (!pg_attr_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "attribute name: use 1 to 64 letters and digits");
		return -EINVAL;
	}
	if (pg_attr_reserved(name)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "attribute name: the peer* names are reserved to the module");
		return -EINVAL;
	}
	return 0;
}

/*
 * Lengths are checked by functions rather than by the policy's own length
 * checks, which answer ERANGE: a malformed argument is EINVAL here
 * (netlink-api.rst, "Errors and their Windows names"), with a message
 * naming the field.
 */
int pg_nl_validate_guid(const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == PEERGROUP_GUID_LEN)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "GUID: must be exactly 16 bytes (record id or type)");
	return -EINVAL;
}

static int validate_security(const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	if (nla_len(attr) <= PG_SECURITY_MAX)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "security data: at most 1024 bytes");
	return -EINVAL;
}

static int validate_pad(const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	if (!nla_len(attr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "padding: must be empty");
	return -EINVAL;
}

/* PAD attributes align 64-bit values where the architecture needs it. */
#define PAD_POLICY	NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_pad)
#define GUID_POLICY	NLA_POLICY_VALIDATE_FN(NLA_BINARY, pg_nl_validate_guid)

static const struct nla_policy attr_policy[PEERGROUP_ATTR_A_MAX + 1] = {
	[PEERGROUP_ATTR_A_PAD]		= PAD_POLICY,
	[PEERGROUP_ATTR_A_NAME]		=
		NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, validate_attr_name,
				       PEERGROUP_ATTR_NAME_MAX),
	[PEERGROUP_ATTR_A_STR]		= { .type = NLA_NUL_STRING,
					    .len = PEERGROUP_RECORD_SIZE_MAX },
	[PEERGROUP_ATTR_A_INT]		= { .type = NLA_S64 },
	[PEERGROUP_ATTR_A_DATE]		= { .type = NLA_U64 },
};

static const struct nla_policy attrs_policy[PEERGROUP_ATTRS_A_MAX + 1] = {
	[PEERGROUP_ATTRS_A_ATTR]	= NLA_POLICY_NESTED(attr_policy),
};

static const struct nla_policy record_policy[PEERGROUP_RECORD_A_MAX + 1] = {
	[PEERGROUP_RECORD_A_PAD]	= PAD_POLICY,
	[PEERGROUP_RECORD_A_ID]		= GUID_POLICY,
	[PEERGROUP_RECORD_A_TYPE]	= GUID_POLICY,
	[PEERGROUP_RECORD_A_VERSION]	= { .type = NLA_U32 },
	[PEERGROUP_RECORD_A_FLAGS]	=
		NLA_POLICY_MASK(NLA_U32, PEERGROUP_RECORD_F_AUTOREFRESH |
					 PEERGROUP_RECORD_F_DELETED),
	[PEERGROUP_RECORD_A_CREATOR]	= IDENTITY_POLICY,
	[PEERGROUP_RECORD_A_MODIFIER]	= IDENTITY_POLICY,
	[PEERGROUP_RECORD_A_CREATED]	= { .type = NLA_U64 },
	[PEERGROUP_RECORD_A_MODIFIED]	= { .type = NLA_U64 },
	[PEERGROUP_RECORD_A_EXPIRES]	= { .type = NLA_U64 },
	[PEERGROUP_RECORD_A_ATTRS]	= NLA_POLICY_NESTED(attrs_policy),
	[PEERGROUP_RECORD_A_SECURITY]	=
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_security),
	/*
	 * Data over the max record size is the write layer's EMSGSIZE, as
	 * any record too large; a netlink attribute bounds it at 64 KiB.
	 */
	[PEERGROUP_RECORD_A_DATA]	= { .type = NLA_BINARY },
};

const struct nla_policy pg_record_add_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,
	[PEERGROUP_A_RECORD]		= NLA_POLICY_NESTED(record_policy),
};

#define DUMP_POLICY							\
	[PEERGROUP_A_GROUP_NAME]	= GROUP_NAME_POLICY,		\
	[PEERGROUP_A_RECORD]		= NLA_POLICY_NESTED(record_policy), \
	[PEERGROUP_A_RECORD_TYPE]	= GUID_POLICY,			\
	[PEERGROUP_A_RECORD_CREATOR]	= IDENTITY_POLICY,		\
	[PEERGROUP_A_DUMP_FLAGS]	=				\
		NLA_POLICY_MASK(NLA_U32, PEERGROUP_DUMP_F_TOMBSTONES)

const struct nla_policy pg_record_get_policy[PEERGROUP_A_MAX + 1] = {
	DUMP_POLICY,
};

const struct nla_policy pg_record_search_policy[PEERGROUP_A_MAX + 1] = {
	DUMP_POLICY,
	[PEERGROUP_A_QUERY]		= NLA_POLICY_NESTED(pg_query_policy),
};

static int put_attrs(struct sk_buff *skb, const struct pg_record *rec)
{
	struct nlattr *nest, *entry;
	u32 i;

	if (!rec->nattrs)
		return 0;
	nest = nla_nest_start(skb, PEERGROUP_RECORD_A_ATTRS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < rec->nattrs; i++) {
		const struct pg_attr *attr = &rec->attrs[i];
		int ret;

		entry = nla_nest_start(skb, PEERGROUP_ATTRS_A_ATTR);
		if (!entry || nla_put_string(skb, PEERGROUP_ATTR_A_NAME,
					     attr->name))
			return -EMSGSIZE;
		switch (attr->kind) {
		case PG_ATTR_STR:
			ret = nla_put_string(skb, PEERGROUP_ATTR_A_STR,
					     attr->str);
			break;
		case PG_ATTR_INT:
			ret = nla_put_s64(skb, PEERGROUP_ATTR_A_INT, attr->i,
					  PEERGROUP_ATTR_A_PAD);
			break;
		default:
			ret = nla_put_u64_64bit(skb, PEERGROUP_ATTR_A_DATE,
						attr->date,
						PEERGROUP_ATTR_A_PAD);
			break;
		}
		if (ret)
			return ret;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);
	return 0;
}

int pg_nl_put_record(struct sk_buff *skb, const struct pg_record *rec)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PEERGROUP_A_RECORD);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, PEERGROUP_RECORD_A_ID, PEERGROUP_GUID_LEN, rec->id) ||
	    nla_put(skb, PEERGROUP_RECORD_A_TYPE, PEERGROUP_GUID_LEN,
		    rec->type) ||
	    nla_put_u32(skb, PEERGROUP_RECORD_A_VERSION, rec->version) ||
	    nla_put_u32(skb, PEERGROUP_RECORD_A_FLAGS, rec->flags) ||
	    nla_put_string(skb, PEERGROUP_RECORD_A_CREATOR, rec->creator) ||
	    nla_put_string(skb, PEERGROUP_RECORD_A_MODIFIER, rec->modifier) ||
	    nla_put_u64_64bit(skb, PEERGROUP_RECORD_A_CREATED, rec->created,
			      PEERGROUP_RECORD_A_PAD) ||
	    nla_put_u64_64bit(skb, PEERGROUP_RECORD_A_MODIFIED, rec->modified,
			      PEERGROUP_RECORD_A_PAD) ||
	    nla_put_u64_64bit(skb, PEERGROUP_RECORD_A_EXPIRES, rec->expires,
			      PEERGROUP_RECORD_A_PAD) ||
	    put_attrs(skb, rec) ||
	    nla_put(skb, PEERGROUP_RECORD_A_SECURITY, rec->sec_len, rec->sec) ||
	    (rec->data_len &&
	     nla_put(skb, PEERGROUP_RECORD_A_DATA, rec->data_len, rec->data))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The request's record nest, parsed into @tb. */
static int parse_record(struct genl_info *info, struct nlattr **tb)
{
	if (REQUIRE_ATTR(info, PEERGROUP_A_RECORD, "record: missing"))
		return -EINVAL;
	return nla_parse_nested(tb, PEERGROUP_RECORD_A_MAX,
				info->attrs[PEERGROUP_A_RECORD], record_policy,
				info->extack);
}

/*
 * Whether field @type of the record is missing (then says so). A macro, as
 * NL_SET_ERR_MSG() takes only string literals.
 */
#define field_missing(info, tb, type, msg) ({				\
	struct genl_info *__fm_info = (info);				\
	bool __fm_missing = !(tb)[type];				\
									\
	if (__fm_missing) {						\
		NL_SET_ERR_ATTR_MISS(__fm_info->extack,			\
				     __fm_info->attrs[PEERGROUP_A_RECORD], \
				     type);				\
		NL_SET_ERR_MSG(__fm_info->extack, msg);			\
	}								\
	__fm_missing;							\
})

/*
 * Parses a PEERGROUP_RECORD_A_ATTRS nest (already through its policy) into
 * *@out (kfree() it), pointing into the message. Checks the rules the
 * policy cannot: one value each, unique and unreserved names, UTF-8.
 */
static int attrs_parse(const struct nlattr *nest, struct pg_attr **out,
		       u32 *nattrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PEERGROUP_ATTR_A_MAX + 1];
	const struct nlattr *entry;
	struct pg_attr *attrs;
	u32 n = 0, i;
	int rem, ret;

	nla_for_each_nested(entry, nest, rem)
		n++;
	if (n > PEERGROUP_RECORD_ATTRS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "attributes: more than 256 in one record");
		return -EINVAL;
	}
	*out = NULL;
	*nattrs = 0;
	if (!n)
		return 0;
	attrs = kcalloc(n, sizeof(*attrs), GFP_KERNEL);
	if (!attrs) {
		NL_SET_ERR_MSG(extack, "out of memory for the attributes");
		return -ENOMEM;
	}

	i = 0;
	nla_for_each_nested(entry, nest, rem) {
		struct pg_attr *attr = &attrs[i++];
		int values = 0;

		ret = -EINVAL;
		if (nla_type(entry) != PEERGROUP_ATTRS_A_ATTR) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "attributes: only attribute entries belong here");
			goto err;
		}
		/* The policy has validated the entry already. */
		if (nla_parse_nested(tb, PEERGROUP_ATTR_A_MAX, entry, NULL, NULL))
			goto err;
		if (!tb[PEERGROUP_ATTR_A_NAME]) {
			NL_SET_ERR_ATTR_MISS(extack, entry, PEERGROUP_ATTR_A_NAME);
			NL_SET_ERR_MSG(extack, "attribute name: missing");
			goto err;
		}
		attr->name = nla_data(tb[PEERGROUP_ATTR_A_NAME]);
		attr->name_len = strlen(attr->name);
		if (tb[PEERGROUP_ATTR_A_STR]) {
			values++;
			attr->kind = PG_ATTR_STR;
			attr->str = nla_data(tb[PEERGROUP_ATTR_A_STR]);
			attr->len = strlen(attr->str);
			if (!pg_utf8_valid(attr->str, attr->len)) {
				NL_SET_ERR_MSG_ATTR(extack, tb[PEERGROUP_ATTR_A_STR],
						    "attribute value: a string must be UTF-8");
				goto err;
			}
		}
		if (tb[PEERGROUP_ATTR_A_INT]) {
			values++;
			attr->kind = PG_ATTR_INT;
			attr->i = nla_get_s64(tb[PEERGROUP_ATTR_A_INT]);
		}
		if (tb[PEERGROUP_ATTR_A_DATE]) {
			values++;
			attr->kind = PG_ATTR_DATE;
			attr->date = nla_get_u64(tb[PEERGROUP_ATTR_A_DATE]);
		}
		if (values != 1) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "attribute: give exactly one value, a string, an int or a date");
			goto err;
		}
	}

	pg_attrs_sort(attrs, n);
	for (i = 1; i < n; i++) {
		if (!strcmp(attrs[i - 1].name, attrs[i].name)) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "attributes: a name appears twice");
			ret = -EINVAL;
			goto err;
		}
	}
	*out = attrs;
	*nattrs = n;
	return 0;

err:
	kfree(attrs);
	return ret;
}

/* Parses the optional attributes of a record. */
static int parse_attrs(struct genl_info *info, struct nlattr **tb,
		       struct pg_attr **attrs, u32 *nattrs)
{
	*attrs = NULL;
	*nattrs = 0;
	if (!tb[PEERGROUP_RECORD_A_ATTRS])
		return 0;
	return attrs_parse(tb[PEERGROUP_RECORD_A_ATTRS], attrs, nattrs,
			   info->extack);
}

/*
 * A refusal of the write layer as the request's extended ACK: its message,
 * and the attribute it is about, where the request has it.
 */
static void write_err(struct genl_info *info, struct nlattr **tb,
		      const struct pg_write_err *err)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *bad = NULL;

	if (!extack || !err->msg)
		return;
	/* A fixed string of write.c, as NL_SET_ERR_MSG() would keep it. */
	extack->_msg = err->msg;
	if (err->field == PG_FIELD_RECORD)
		bad = info->attrs[PEERGROUP_A_RECORD];
	else if (err->field && err->field <= PEERGROUP_RECORD_A_MAX)
		bad = tb[err->field];
	if (bad)
		NL_SET_BAD_ATTR(extack, bad);
}

/*
 * The answer to a write: the group, the record's id and new version. Sized
 * exactly: netlink would copy a larger buffer into a smaller one.
 */
static size_t write_reply_size(void)
{
	return nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
	       nla_total_size(0) +
	       nla_total_size(PEERGROUP_GUID_LEN) +
	       nla_total_size(sizeof(u32));
}

static struct sk_buff *write_reply_new(struct genl_info *info, void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(write_reply_size(), GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		return NULL;
	}
	*hdr = genlmsg_put_reply(msg, info, &pg_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int write_reply_send(struct sk_buff *msg, void *hdr,
			    struct genl_info *info, struct pg_group *grp,
			    const struct pg_record *rec)
{
	struct nlattr *nest = NULL;

	if (!nla_put_string(msg, PEERGROUP_A_GROUP_NAME, grp->name))
		nest = nla_nest_start(msg, PEERGROUP_A_RECORD);
	if (nest &&
	    !nla_put(msg, PEERGROUP_RECORD_A_ID, PEERGROUP_GUID_LEN, rec->id) &&
	    !nla_put_u32(msg, PEERGROUP_RECORD_A_VERSION, rec->version)) {
		nla_nest_end(msg, nest);
	} else {
		/*
		 * write_reply_size() holds these fields. Were it wrong, the
		 * caller would still get an answer, without the record: it
		 * waits for one, not for an ACK.
		 */
		WARN_ON_ONCE(1);
		if (nest)
			nla_nest_cancel(msg, nest);
	}
	genlmsg_end(msg, hdr);
	/* The change is made: a lost answer does not undo it. */
	genlmsg_reply(msg, info);
	return 0;
}

typedef int (*local_write_fn)(struct pg_group *grp,
			      const struct pg_write_req *req,
			      struct pg_record **out, struct pg_write_err *err);

/*
 * Carries out a local write of @req on the request's group and answers
 * it. The answer is allocated first: a change is never made without it.
 */
static int local_write(struct genl_info *info, struct nlattr **tb,
		       local_write_fn write, const struct pg_write_req *req)
{
	struct pg_write_err err = { };
	struct pg_record *rec;
	struct pg_group *grp;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	grp = pg_nl_group(info, true, &ret);
	if (!grp)
		return ret;
	msg = write_reply_new(info, &hdr);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = write(grp, req, &rec, &err);
	if (ret) {
		nlmsg_free(msg);
		write_err(info, tb, &err);
		goto out;
	}
	write_reply_send(msg, hdr, info, grp, rec);
	pg_record_put(rec);
out:
	pg_group_put(grp);
	return ret;
}

/* The optional data of a record. */
static void req_data(struct nlattr **tb, struct pg_write_req *req)
{
	if (tb[PEERGROUP_RECORD_A_DATA]) {
		req->data = nla_data(tb[PEERGROUP_RECORD_A_DATA]);
		req->data_len = nla_len(tb[PEERGROUP_RECORD_A_DATA]);
	}
}

int pg_nl_record_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_RECORD_A_MAX + 1];
	struct pg_write_req req = { };
	struct pg_attr *attrs;
	int ret;

	ret = parse_record(info, tb);
	if (ret)
		return ret;
	if (field_missing(info, tb, PEERGROUP_RECORD_A_TYPE,
			  "record type: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_EXPIRES,
			  "expiration: missing"))
		return -EINVAL;
	req.type = nla_data(tb[PEERGROUP_RECORD_A_TYPE]);
	req.expires = nla_get_u64(tb[PEERGROUP_RECORD_A_EXPIRES]);
	if (tb[PEERGROUP_RECORD_A_FLAGS])
		req.flags = nla_get_u32(tb[PEERGROUP_RECORD_A_FLAGS]);
	req_data(tb, &req);
	ret = parse_attrs(info, tb, &attrs, &req.nattrs);
	if (ret)
		return ret;
	req.attrs = attrs;
	ret = local_write(info, tb, pg_write_add, &req);
	kfree(attrs);
	return ret;
}

int pg_nl_record_update(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_RECORD_A_MAX + 1];
	struct pg_write_req req = { };
	struct pg_attr *attrs;
	int ret;

	ret = parse_record(info, tb);
	if (ret)
		return ret;
	if (field_missing(info, tb, PEERGROUP_RECORD_A_ID,
			  "record id: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_TYPE,
			  "record type: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_FLAGS,
			  "record flags: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_EXPIRES,
			  "expiration: missing"))
		return -EINVAL;
	req.id = nla_data(tb[PEERGROUP_RECORD_A_ID]);
	req.type = nla_data(tb[PEERGROUP_RECORD_A_TYPE]);
	req.flags = nla_get_u32(tb[PEERGROUP_RECORD_A_FLAGS]);
	req.expires = nla_get_u64(tb[PEERGROUP_RECORD_A_EXPIRES]);
	req_data(tb, &req);
	ret = parse_attrs(info, tb, &attrs, &req.nattrs);
	if (ret)
		return ret;
	req.attrs = attrs;
	ret = local_write(info, tb, pg_write_update, &req);
	kfree(attrs);
	return ret;
}

int pg_nl_record_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_RECORD_A_MAX + 1];
	struct pg_write_req req = { };
	int ret;

	ret = parse_record(info, tb);
	if (ret)
		return ret;
	if (field_missing(info, tb, PEERGROUP_RECORD_A_ID,
			  "record id: missing"))
		return -EINVAL;
	req.id = nla_data(tb[PEERGROUP_RECORD_A_ID]);
	return local_write(info, tb, pg_write_delete, &req);
}

/* A live record by the request's id, referenced; ENOENT otherwise. */
static struct pg_record *find_live(struct genl_info *info,
				   struct pg_group *grp, struct nlattr **tb)
{
	struct pg_record *rec;

	rec = pg_table_find_live(grp, nla_data(tb[PEERGROUP_RECORD_A_ID]));
	if (!rec)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PEERGROUP_RECORD_A_ID],
				    "record id: no such record in this group");
	return rec;
}

int pg_nl_record_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_RECORD_A_MAX + 1];
	struct pg_record *rec;
	struct pg_group *grp;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = parse_record(info, tb);
	if (ret)
		return ret;
	if (field_missing(info, tb, PEERGROUP_RECORD_A_ID,
			  "record id: missing"))
		return -EINVAL;
	grp = pg_nl_group(info, true, &ret);
	if (!grp)
		return ret;
	rec = find_live(info, grp, tb);
	if (!rec) {
		pg_group_put(grp);
		return -ENOENT;
	}

	ret = -ENOMEM;
	msg = genlmsg_new(nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1) +
			  pg_record_msg_size(rec), GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &pg_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_string(msg, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    pg_nl_put_record(msg, rec)) {
		WARN_ON_ONCE(1);	/* pg_record_msg_size() bounds it */
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	if (ret == -ENOMEM)
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
	pg_record_put(rec);
	pg_group_put(grp);
	return ret;
}

/*
 * Import: a whole record from outside, every field present; the write
 * layer checks it exactly like one received from a peer.
 */
static int import_fields_get(struct genl_info *info, struct nlattr **tb,
			     struct pg_record_fields *f)
{
	if (field_missing(info, tb, PEERGROUP_RECORD_A_ID,
			  "record id: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_TYPE,
			  "record type: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_VERSION,
			  "record version: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_FLAGS,
			  "record flags: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_CREATOR,
			  "record creator: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_MODIFIER,
			  "record modifier: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_CREATED,
			  "creation time: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_MODIFIED,
			  "modification time: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_EXPIRES,
			  "expiration: missing") ||
	    field_missing(info, tb, PEERGROUP_RECORD_A_SECURITY,
			  "security data: missing"))
		return -EINVAL;
	f->id = nla_data(tb[PEERGROUP_RECORD_A_ID]);
	f->type = nla_data(tb[PEERGROUP_RECORD_A_TYPE]);
	f->version = nla_get_u32(tb[PEERGROUP_RECORD_A_VERSION]);
	f->flags = nla_get_u32(tb[PEERGROUP_RECORD_A_FLAGS]);
	f->creator = nla_data(tb[PEERGROUP_RECORD_A_CREATOR]);
	f->modifier = nla_data(tb[PEERGROUP_RECORD_A_MODIFIER]);
	f->created = nla_get_u64(tb[PEERGROUP_RECORD_A_CREATED]);
	f->modified = nla_get_u64(tb[PEERGROUP_RECORD_A_MODIFIED]);
	f->expires = nla_get_u64(tb[PEERGROUP_RECORD_A_EXPIRES]);
	f->sec = nla_data(tb[PEERGROUP_RECORD_A_SECURITY]);
	f->sec_len = nla_len(tb[PEERGROUP_RECORD_A_SECURITY]);
	if (tb[PEERGROUP_RECORD_A_DATA]) {
		f->data = nla_data(tb[PEERGROUP_RECORD_A_DATA]);
		f->data_len = nla_len(tb[PEERGROUP_RECORD_A_DATA]);
	}
	return 0;
}

int pg_nl_record_import(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PEERGROUP_RECORD_A_MAX + 1];
	struct pg_record_fields f = { };
	enum pg_write_outcome outcome;
	struct pg_write_err err = { };
	struct pg_attr *attrs;
	struct pg_group *grp;
	int ret;

	ret = parse_record(info, tb);
	if (ret)
		return ret;
	ret = import_fields_get(info, tb, &f);
	if (ret)
		return ret;
	ret = parse_attrs(info, tb, &attrs, &f.nattrs);
	if (ret)
		return ret;
	f.attrs = attrs;
	grp = pg_nl_group(info, false, &ret);
	if (!grp)
		goto out;
	ret = pg_write_foreign(grp, &f, &pg_origin_import, &outcome, NULL,
			       &err);
	/* A record the provider cannot judge yet is not imported. */
	if (!ret && outcome == PG_WRITE_DEFERRED)
		ret = -EAGAIN;
	if (ret)
		write_err(info, tb, &err);
	pg_group_put(grp);
out:
	kfree(attrs);
	return ret;
}

/*
 * Dumps (record get with NLM_F_DUMP, and search). The state lives in an
 * allocation made in .start; the cursor is a copy of the last id done with
 * (sent, or passed over).
 *
 * The table lock is held only to take a batch: up to DUMP_BATCH records
 * after the cursor that pass the cheap filters (tombstones, type, creator),
 * each referenced, out of at most PG_TABLE_SCAN_BATCH looked at. The query
 * is matched and the messages are written after the lock is let go: a
 * search, whatever its query, holds up no writer (query.c bounds its work
 * per record). A record is immutable, so what is sent is the record as the
 * table held it when its batch was taken, even if it has been replaced or
 * removed since; a change after the dump's first batch flags the messages
 * after it, or the NLMSG_DONE, with NLM_F_DUMP_INTR.
 */
#define DUMP_BATCH	32

struct record_dump {
	struct pg_group *grp;
	struct pg_query *query;
	u32 flags;			/* PEERGROUP_DUMP_F_* */
	bool by_type;
	bool by_creator;
	bool have_last;
	bool have_scanned;
	u8 type[PEERGROUP_GUID_LEN];
	u8 last[PEERGROUP_GUID_LEN];
	u8 scanned[PEERGROUP_GUID_LEN];	/* the last id a batch looked at */
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	struct pg_record *batch[DUMP_BATCH];
};

struct record_dump_ctx {
	struct record_dump *d;
};

/*
 * Every message of a dump must hold the largest record of the group: the
 * size of the largest one ever stored is known, and a dump of a group that
 * only ever held small records needs no large buffers (which cost, under
 * KASAN and everywhere, per message).
 */
static int dump_alloc(struct netlink_callback *cb)
{
	struct nlattr *name = genl_info_dump(cb)->attrs[PEERGROUP_A_GROUP_NAME];
	struct pg_net *pn = pg_net(sock_net(cb->skb->sk));
	struct pg_group *grp;
	u32 max_msg = 0;

	if (!name)
		return NLMSG_GOODSIZE;
	grp = pg_group_lookup(pn, nla_data(name));
	if (grp) {
		max_msg = READ_ONCE(grp->max_msg);
		pg_group_put(grp);
	}
	return max_t(u32, NLMSG_GOODSIZE,
		     NLMSG_HDRLEN + GENL_HDRLEN + max_msg +
		     nla_total_size(PEERGROUP_GROUP_NAME_MAX + 1));
}

int pg_nl_record_dump_start(struct netlink_callback *cb)
{
	struct record_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ctx->d = kzalloc(sizeof(*ctx->d), GFP_KERNEL);
	if (!ctx->d)
		return -ENOMEM;
	cb->min_dump_alloc = dump_alloc(cb);
	return 0;
}

int pg_nl_record_dump_done(struct netlink_callback *cb)
{
	struct record_dump_ctx *ctx = (void *)cb->ctx;

	if (ctx->d) {
		if (ctx->d->grp)
			pg_group_put(ctx->d->grp);
		pg_query_free(ctx->d->query);
		kfree(ctx->d);
	}
	return 0;
}

static u8 dump_cmd(const struct netlink_callback *cb)
{
	return ((struct genlmsghdr *)nlmsg_data(cb->nlh))->cmd;
}

/*
 * The request is checked in the first dumpit call: only there does 6.1 give
 * an extack to explain a refusal.
 */
static int dump_begin(struct sk_buff *skb, struct netlink_callback *cb,
		      struct record_dump *d)
{
	struct nlattr **attrs = genl_info_dump(cb)->attrs;
	struct netlink_ext_ack *extack = cb->extack;
	struct nlattr *name = attrs[PEERGROUP_A_GROUP_NAME];
	struct pg_net *pn = pg_net(sock_net(skb->sk));
	struct pg_group *grp;
	int ret;

	if (!name) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, PEERGROUP_A_GROUP_NAME);
		NL_SET_ERR_MSG(extack, "group name: missing");
		return -EINVAL;
	}
	if (attrs[PEERGROUP_A_RECORD]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PEERGROUP_A_RECORD],
				    "record: a dump lists records; ask for one without NLM_F_DUMP");
		return -EINVAL;
	}
	if (attrs[PEERGROUP_A_RECORD_TYPE]) {
		d->by_type = true;
		memcpy(d->type, nla_data(attrs[PEERGROUP_A_RECORD_TYPE]),
		       PEERGROUP_GUID_LEN);
	}
	if (attrs[PEERGROUP_A_RECORD_CREATOR]) {
		d->by_creator = true;
		nla_strscpy(d->creator, attrs[PEERGROUP_A_RECORD_CREATOR],
			    sizeof(d->creator));
	}
	if (attrs[PEERGROUP_A_DUMP_FLAGS])
		d->flags = nla_get_u32(attrs[PEERGROUP_A_DUMP_FLAGS]);
	if (dump_cmd(cb) == PEERGROUP_CMD_RECORD_SEARCH) {
		if (!attrs[PEERGROUP_A_QUERY]) {
			NL_SET_ERR_ATTR_MISS(extack, NULL, PEERGROUP_A_QUERY);
			NL_SET_ERR_MSG(extack, "search query: missing");
			return -EINVAL;
		}
		ret = pg_query_parse(attrs[PEERGROUP_A_QUERY], &d->query,
				     extack);
		if (ret)
			return ret;
	}

	grp = pg_group_lookup(pn, nla_data(name));
	if (!grp) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "group name: no such group in this network namespace");
		return -ENOENT;
	}
	d->grp = grp;
	if (!pg_group_ready(grp)) {
		NL_SET_ERR_MSG(extack,
			       "group: not synchronized yet (joined, and no database imported)");
		return -EAGAIN;
	}
	return 0;
}

/* The filters cheap enough to run under the table lock. */
static bool dump_filter(const struct record_dump *d,
			const struct pg_record *rec)
{
	if (pg_record_deleted(rec) &&
	    !(d->flags & PEERGROUP_DUMP_F_TOMBSTONES))
		return false;
	if (d->by_type && memcmp(rec->type, d->type, PEERGROUP_GUID_LEN))
		return false;
	return !d->by_creator || !strcmp(rec->creator, d->creator);
}

/*
 * Whether the group is gone; if not, the table's generation for the next
 * message: a change while the table lock was let go flags it, and so does
 * one before the first message.
 */
static bool dump_relock_check(struct netlink_callback *cb, struct pg_group *grp)
{
	lockdep_assert_held(&grp->table_lock);
	if (grp->dead) {
		NL_SET_ERR_MSG(cb->extack, "group: deleted during the dump");
		return false;
	}
	cb->seq = grp->gen;
	if (!cb->prev_seq)
		cb->prev_seq = cb->seq;
	return true;
}

/*
 * Takes the next batch into d->batch: their number, or -ENOENT (the group
 * was deleted). *@end says whether the table ends after it.
 */
static int dump_take(struct netlink_callback *cb, struct record_dump *d,
		     bool *end)
{
	struct pg_group *grp = d->grp;
	unsigned int scanned = 0;
	struct pg_record *rec;
	int n = 0;

	mutex_lock(&grp->table_lock);
	if (!dump_relock_check(cb, grp)) {
		mutex_unlock(&grp->table_lock);
		return -ENOENT;
	}
	/* From the cursor by key once, then from node to node. */
	for (rec = pg_table_next(grp, d->have_last ? d->last : NULL);
	     rec && n < DUMP_BATCH && scanned < PG_TABLE_SCAN_BATCH;
	     rec = pg_table_succ(rec), scanned++) {
		if (dump_filter(d, rec))
			d->batch[n++] = pg_record_get(rec);
		memcpy(d->scanned, rec->id, PEERGROUP_GUID_LEN);
		d->have_scanned = true;
	}
	*end = !rec;
	mutex_unlock(&grp->table_lock);
	return n;
}

/* One message holding @rec: 0, or -EMSGSIZE (the buffer is full). */
static int dump_put(struct sk_buff *skb, struct netlink_callback *cb,
		    const struct pg_group *grp, const struct pg_record *rec)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &pg_genl_family, NLM_F_MULTI,
			  dump_cmd(cb));
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, PEERGROUP_A_GROUP_NAME, grp->name) ||
	    pg_nl_put_record(skb, rec)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Matches and sends the batch of @n records, moving the cursor past each
 * one done with, and lets the batch go: 0, -EMSGSIZE when the buffer
 * filled first, or -EINTR (a fatal signal: a long search can be stopped).
 * *@sent counts the messages.
 */
static int dump_send(struct sk_buff *skb, struct netlink_callback *cb,
		     struct record_dump *d, int n, int *sent)
{
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++) {
		const struct pg_record *rec = d->batch[i];

		if (!d->query || pg_query_match(d->query, rec)) {
			ret = dump_put(skb, cb, d->grp, rec);
			if (ret)
				break;
			++*sent;
		}
		memcpy(d->last, rec->id, PEERGROUP_GUID_LEN);
		d->have_last = true;
		cond_resched();
		if (fatal_signal_pending(current)) {
			NL_SET_ERR_MSG(cb->extack,
				       "dump: stopped by a fatal signal");
			ret = -EINTR;
		}
	}
	for (i = 0; i < n; i++)
		pg_record_put(d->batch[i]);
	return ret;
}

int pg_nl_record_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct record_dump_ctx *ctx = (void *)cb->ctx;
	struct record_dump *d = ctx->d;
	int n, ret = 0, sent = 0;
	bool end = false;

	if (!d->grp) {
		ret = dump_begin(skb, cb, d);
		if (ret)
			return ret;
	}
	while (!end) {
		n = dump_take(cb, d, &end);
		if (n < 0)
			return n;
		ret = dump_send(skb, cb, d, n, &sent);
		if (ret == -EMSGSIZE)
			break;
		if (ret)
			return ret;
		/* Every record the batch looked at is done with. */
		if (d->have_scanned) {
			memcpy(d->last, d->scanned, PEERGROUP_GUID_LEN);
			d->have_last = true;
		}
		/* A search that matches little looks at much: yield. */
		cond_resched();
	}
	if (ret == -EMSGSIZE && !sent) {
		/* Larger than any record when the dump began: rare. */
		NL_SET_ERR_MSG(cb->extack,
			       "group: a record larger than any before arrived during the dump; start it again");
		return -EAGAIN;
	}
	return skb->len;
}

