// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Records: PeerGroupAddRecord/UpdateRecord/DeleteRecord/GetRecord and the
 * import of one whole record, over PEERGROUP_CMD_RECORD_*; the
 * PEERGROUP_A_RECORD nest both ways.
 *
 * A request carries exactly the fields in rec->present, so tests can send
 * what the kernel ignores or leave out what it requires. A record handed
 * back is one allocation: the struct, its attribute array, then the bytes
 * its pointers point to.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "internal.h"

static size_t str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

size_t pg_record_msg_size(const struct pg_record *rec)
{
	uint32_t p = rec->present;
	size_t size = nla_total_size(0);

	if (p & PG_REC_ID)
		size += nla_total_size(PG_GUID_LEN);
	if (p & PG_REC_TYPE)
		size += nla_total_size(PG_GUID_LEN);
	size += 2 * nla_total_size(sizeof(uint32_t));
	size += 3 * nla_total_size(sizeof(uint64_t));
	if (p & PG_REC_CREATOR)
		size += str_size(rec->creator);
	if (p & PG_REC_MODIFIER)
		size += str_size(rec->modifier);
	if (p & PG_REC_ATTRS)
		size += pg_attrs_msg_size(rec->attrs, rec->nattrs);
	if (p & PG_REC_SECURITY)
		size += nla_total_size(rec->security_len);
	if (p & PG_REC_DATA)
		size += nla_total_size(rec->data_len);
	return size;
}

static int put_u32(struct pg_handle *h, struct nl_msg *msg, int type,
		   uint32_t v)
{
	return nla_put_u32(msg, type, v) ? pg_fail_build(h, NULL) : 0;
}

static int put_u64(struct pg_handle *h, struct nl_msg *msg, int type,
		   uint64_t v)
{
	return nla_put_u64(msg, type, v) ? pg_fail_build(h, NULL) : 0;
}

/* The fields of rec->present, in the order of the uapi enum. */
static int put_fields(struct pg_handle *h, struct nl_msg *msg,
		      const struct pg_record *rec)
{
	uint32_t p = rec->present;
	int err = 0;

	if (p & PG_REC_ID)
		err = pg_put(h, msg, PEERGROUP_RECORD_A_ID, rec->id, PG_GUID_LEN,
			     "record: id");
	if (!err && (p & PG_REC_TYPE))
		err = pg_put(h, msg, PEERGROUP_RECORD_A_TYPE, rec->type,
			     PG_GUID_LEN, "record: type");
	if (!err && (p & PG_REC_VERSION))
		err = put_u32(h, msg, PEERGROUP_RECORD_A_VERSION, rec->version);
	if (!err && (p & PG_REC_FLAGS))
		err = put_u32(h, msg, PEERGROUP_RECORD_A_FLAGS, rec->flags);
	if (!err && (p & PG_REC_CREATOR))
		err = pg_put_str(h, msg, PEERGROUP_RECORD_A_CREATOR, rec->creator,
				 "record: creator");
	if (!err && (p & PG_REC_MODIFIER))
		err = pg_put_str(h, msg, PEERGROUP_RECORD_A_MODIFIER,
				 rec->modifier, "record: modifier");
	if (!err && (p & PG_REC_CREATED))
		err = put_u64(h, msg, PEERGROUP_RECORD_A_CREATED, rec->created);
	if (!err && (p & PG_REC_MODIFIED))
		err = put_u64(h, msg, PEERGROUP_RECORD_A_MODIFIED, rec->modified);
	if (!err && (p & PG_REC_EXPIRES))
		err = put_u64(h, msg, PEERGROUP_RECORD_A_EXPIRES, rec->expires);
	if (!err && (p & PG_REC_ATTRS))
		err = pg_attrs_put(h, msg, rec->attrs, rec->nattrs);
	if (!err && (p & PG_REC_SECURITY))
		err = pg_put(h, msg, PEERGROUP_RECORD_A_SECURITY, rec->security,
			     rec->security_len, "record: security data");
	if (!err && (p & PG_REC_DATA))
		err = pg_put(h, msg, PEERGROUP_RECORD_A_DATA, rec->data,
			     rec->data_len, "record: data");
	return err;
}

int pg_record_put(struct pg_handle *h, struct nl_msg *msg,
		  const struct pg_record *rec)
{
	struct nlattr *nest = nla_nest_start(msg, PEERGROUP_A_RECORD);
	int err;

	if (!nest)
		return pg_fail_build(h, NULL);
	err = put_fields(h, msg, rec);
	if (!err)
		err = pg_nest_end(h, msg, nest, "record");
	return err;
}

#define GUID_POLICY { .type = NLA_UNSPEC, .minlen = PG_GUID_LEN, \
		      .maxlen = PG_GUID_LEN }
#define U32_POLICY { .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define U64_POLICY { .type = NLA_U64, .maxlen = sizeof(uint64_t) }
#define ID_POLICY { .type = NLA_STRING, .maxlen = PEERGROUP_IDENTITY_MAX + 1 }

static const struct nla_policy record_policy[PEERGROUP_RECORD_A_MAX + 1] = {
	[PEERGROUP_RECORD_A_ID] = GUID_POLICY,
	[PEERGROUP_RECORD_A_TYPE] = GUID_POLICY,
	[PEERGROUP_RECORD_A_VERSION] = U32_POLICY,
	[PEERGROUP_RECORD_A_FLAGS] = U32_POLICY,
	[PEERGROUP_RECORD_A_CREATOR] = ID_POLICY,
	[PEERGROUP_RECORD_A_MODIFIER] = ID_POLICY,
	[PEERGROUP_RECORD_A_CREATED] = U64_POLICY,
	[PEERGROUP_RECORD_A_MODIFIED] = U64_POLICY,
	[PEERGROUP_RECORD_A_EXPIRES] = U64_POLICY,
	[PEERGROUP_RECORD_A_ATTRS] = { .type = NLA_NESTED },
	[PEERGROUP_RECORD_A_SECURITY] = { .type = NLA_UNSPEC },
	[PEERGROUP_RECORD_A_DATA] = { .type = NLA_UNSPEC },
};

static size_t len_of(const struct nlattr *a)
{
	return a ? (size_t)nla_len(a) : 0;
}

/* Copies a's payload to *cursor, returns where it went. */
static const void *take(char **cursor, const struct nlattr *a, size_t *len)
{
	char *p = *cursor;

	*len = len_of(a);
	memcpy(p, nla_data(a), *len);
	*cursor += *len;
	return p;
}

struct field_bit {
	int type;
	uint32_t bit;
};

static const struct field_bit field_bits[] = {
	{ PEERGROUP_RECORD_A_ID, PG_REC_ID },
	{ PEERGROUP_RECORD_A_TYPE, PG_REC_TYPE },
	{ PEERGROUP_RECORD_A_VERSION, PG_REC_VERSION },
	{ PEERGROUP_RECORD_A_FLAGS, PG_REC_FLAGS },
	{ PEERGROUP_RECORD_A_CREATOR, PG_REC_CREATOR },
	{ PEERGROUP_RECORD_A_MODIFIER, PG_REC_MODIFIER },
	{ PEERGROUP_RECORD_A_CREATED, PG_REC_CREATED },
	{ PEERGROUP_RECORD_A_MODIFIED, PG_REC_MODIFIED },
	{ PEERGROUP_RECORD_A_EXPIRES, PG_REC_EXPIRES },
	{ PEERGROUP_RECORD_A_ATTRS, PG_REC_ATTRS },
	{ PEERGROUP_RECORD_A_SECURITY, PG_REC_SECURITY },
	{ PEERGROUP_RECORD_A_DATA, PG_REC_DATA },
};

static void fill(struct pg_record *r, struct nlattr **tb, char *cursor)
{
	size_t i, len;

	for (i = 0; i < sizeof(field_bits) / sizeof(field_bits[0]); i++)
		if (tb[field_bits[i].type])
			r->present |= field_bits[i].bit;
	if (tb[PEERGROUP_RECORD_A_ID])
		memcpy(r->id, nla_data(tb[PEERGROUP_RECORD_A_ID]), PG_GUID_LEN);
	if (tb[PEERGROUP_RECORD_A_TYPE])
		memcpy(r->type, nla_data(tb[PEERGROUP_RECORD_A_TYPE]),
		       PG_GUID_LEN);
	if (tb[PEERGROUP_RECORD_A_VERSION])
		r->version = nla_get_u32(tb[PEERGROUP_RECORD_A_VERSION]);
	if (tb[PEERGROUP_RECORD_A_FLAGS])
		r->flags = nla_get_u32(tb[PEERGROUP_RECORD_A_FLAGS]);
	if (tb[PEERGROUP_RECORD_A_CREATED])
		r->created = nla_get_u64(tb[PEERGROUP_RECORD_A_CREATED]);
	if (tb[PEERGROUP_RECORD_A_MODIFIED])
		r->modified = nla_get_u64(tb[PEERGROUP_RECORD_A_MODIFIED]);
	if (tb[PEERGROUP_RECORD_A_EXPIRES])
		r->expires = nla_get_u64(tb[PEERGROUP_RECORD_A_EXPIRES]);
	if (tb[PEERGROUP_RECORD_A_CREATOR])
		r->creator = take(&cursor, tb[PEERGROUP_RECORD_A_CREATOR], &len);
	if (tb[PEERGROUP_RECORD_A_MODIFIER])
		r->modifier = take(&cursor, tb[PEERGROUP_RECORD_A_MODIFIER],
				   &len);
	if (tb[PEERGROUP_RECORD_A_SECURITY])
		r->security = take(&cursor, tb[PEERGROUP_RECORD_A_SECURITY],
				   &r->security_len);
	if (tb[PEERGROUP_RECORD_A_DATA])
		r->data = take(&cursor, tb[PEERGROUP_RECORD_A_DATA],
			       &r->data_len);
}

int pg_record_parse(const struct nlattr *nest, struct pg_record **out)
{
	struct nlattr *tb[PEERGROUP_RECORD_A_MAX + 1];
	struct pg_attrs_out ao = { .v = NULL };
	struct nlattr *attrs;
	struct pg_record *r;
	size_t size, bytes;
	char *cursor;

	*out = NULL;
	if (nla_parse_nested(tb, PEERGROUP_RECORD_A_MAX, (struct nlattr *)nest,
			     record_policy))
		return -EPROTO;
	attrs = tb[PEERGROUP_RECORD_A_ATTRS];
	if (attrs && pg_attrs_parse(attrs, &ao))
		return -EPROTO;
	bytes = len_of(tb[PEERGROUP_RECORD_A_CREATOR]) +
		len_of(tb[PEERGROUP_RECORD_A_MODIFIER]) +
		len_of(tb[PEERGROUP_RECORD_A_SECURITY]) +
		len_of(tb[PEERGROUP_RECORD_A_DATA]);
	size = sizeof(*r) + ao.n * sizeof(struct pg_attribute) + ao.bytes +
	       bytes;
	r = calloc(1, size);
	if (!r)
		return -ENOMEM;
	cursor = (char *)(r + 1) + ao.n * sizeof(struct pg_attribute);
	if (attrs) {
		ao.v = (struct pg_attribute *)(r + 1);
		ao.strings = cursor;
		cursor += ao.bytes;
		ao.n = 0;
		pg_attrs_parse(attrs, &ao);	/* cannot fail: checked above */
		r->attrs = ao.v;
		r->nattrs = ao.n;
	}
	fill(r, tb, cursor);
	*out = r;
	return 0;
}

void pg_record_free(struct pg_record *rec)
{
	free(rec);
}

/* The reply of a record command: one PEERGROUP_A_RECORD. */
static const struct nla_policy reply_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME] = { .type = NLA_STRING,
				     .maxlen = PEERGROUP_GROUP_NAME_MAX + 1 },
	[PEERGROUP_A_RECORD] = { .type = NLA_NESTED },
};

int pg_record_from_msg(struct nl_msg *msg, struct pg_record **out,
		       struct nlattr **raw)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];

	if (out)
		*out = NULL;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX, reply_policy) ||
	    !tb[PEERGROUP_A_RECORD])
		return -EPROTO;
	if (raw)
		*raw = tb[PEERGROUP_A_RECORD];
	return out ? pg_record_parse(tb[PEERGROUP_A_RECORD], out) : 0;
}

static int parse_reply(struct nl_msg *msg, void *arg)
{
	struct pg_record **out = arg;

	if (*out)
		return -EPROTO;	/* one record only */
	return pg_record_from_msg(msg, out, NULL);
}

int pg_record_request(struct pg_handle *h, uint8_t cmd, const char *group,
		      const struct pg_record *rec, const struct nlattr *nest,
		      struct nl_msg **out)
{
	size_t size = nest ? NLA_ALIGN(nest->nla_len) : pg_record_msg_size(rec);
	struct nl_msg *msg;
	void *p;
	int err;

	*out = NULL;
	msg = pg_msg_alloc(h, cmd, 0, str_size(group) + size);
	if (!msg)
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	err = pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, group, "group name");
	if (!err && nest) {
		p = nlmsg_reserve(msg, nest->nla_len, NLA_ALIGNTO);
		if (p)
			memcpy(p, nest, nest->nla_len);
		else
			err = pg_fail_build(h, NULL);
	} else if (!err) {
		err = pg_record_put(h, msg, rec);
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	*out = msg;
	return 0;
}

/*
 * cmd with group and rec; *reply (when not NULL) receives the record the
 * kernel answered with.
 */
static int record_call(struct pg_handle *h, uint8_t cmd, const char *group,
		       const struct pg_record *rec, struct pg_record **reply)
{
	struct pg_record *got = NULL;
	struct nl_msg *msg;
	int err;

	err = pg_record_request(h, cmd, group, rec, NULL, &msg);
	if (err)
		return err;
	/* Every command here but import answers with the record. */
	if (cmd == PEERGROUP_CMD_RECORD_IMPORT)
		err = pg_transact(h, msg, NULL, NULL);
	else
		err = pg_transact_reply(h, msg, parse_reply, &got);
	if (!err && reply && !got)
		err = pg_fail(h, -EPROTO, "the kernel's reply carried no record");
	if (err || !reply)
		pg_record_free(got);
	else
		*reply = got;
	return err;
}

/* A call answered with the record's id and version. */
static int record_call_version(struct pg_handle *h, uint8_t cmd,
			       const char *group, const struct pg_record *rec,
			       uint8_t id[PG_GUID_LEN], uint32_t *version)
{
	struct pg_record *got = NULL;
	int err;

	err = record_call(h, cmd, group, rec, &got);
	if (err)
		return err;
	if ((id && !(got->present & PG_REC_ID)) ||
	    (version && !(got->present & PG_REC_VERSION))) {
		pg_record_free(got);
		return pg_fail(h, -EPROTO,
			       "the kernel's reply lacks the record's id or version");
	}
	if (id)
		memcpy(id, got->id, PG_GUID_LEN);
	if (version)
		*version = got->version;
	pg_record_free(got);
	return 0;
}

int pg_record_add(struct pg_handle *h, const char *group,
		  const struct pg_record *rec, uint8_t id[PG_GUID_LEN],
		  uint32_t *version)
{
	return record_call_version(h, PEERGROUP_CMD_RECORD_ADD, group, rec, id,
				   version);
}

int pg_record_update(struct pg_handle *h, const char *group,
		     const struct pg_record *rec, uint32_t *version)
{
	return record_call_version(h, PEERGROUP_CMD_RECORD_UPDATE, group, rec,
				   NULL, version);
}

void pg_record_of_id(struct pg_record *rec, const uint8_t id[PG_GUID_LEN])
{
	memset(rec, 0, sizeof(*rec));
	if (id) {
		rec->present = PG_REC_ID;
		memcpy(rec->id, id, PG_GUID_LEN);
	}
}

int pg_record_delete(struct pg_handle *h, const char *group,
		     const uint8_t id[PG_GUID_LEN], uint32_t *version)
{
	struct pg_record rec;

	pg_record_of_id(&rec, id);
	return record_call_version(h, PEERGROUP_CMD_RECORD_DEL, group, &rec,
				   NULL, version);
}

int pg_record_get(struct pg_handle *h, const char *group,
		  const uint8_t id[PG_GUID_LEN], struct pg_record **out)
{
	struct pg_record rec;

	*out = NULL;
	pg_record_of_id(&rec, id);
	return record_call(h, PEERGROUP_CMD_RECORD_GET, group, &rec, out);
}

int pg_record_import(struct pg_handle *h, const char *group,
		     const struct pg_record *rec)
{
	return record_call(h, PEERGROUP_CMD_RECORD_IMPORT, group, rec, NULL);
}
