// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Group calls: PeerGroupCreate/Join/Delete/GetProperties/SetProperties/Enum
 * and the peer time conversions, over PEERGROUP_CMD_GROUP_{ADD,DEL,GET,SET,
 * TIME}, all built on pg_transact().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <sha2.h>
#include "internal.h"

#define STRING_POLICY(max) { .type = NLA_STRING, .maxlen = (max) + 1 }

/*
 * What we accept from the kernel. Strings must fit their buffers (the
 * maximum counts the NUL), so a copy never truncates. Attributes above
 * PEERGROUP_A_MAX (newer kernels) are ignored by genlmsg_parse().
 */
static const struct nla_policy group_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME] = STRING_POLICY(PEERGROUP_GROUP_NAME_MAX),
	[PEERGROUP_A_GROUP_ID] = STRING_POLICY(PEERGROUP_GROUP_ID_MAX),
	[PEERGROUP_A_IDENTITY] = STRING_POLICY(PEERGROUP_IDENTITY_MAX),
	[PEERGROUP_A_GROUP_CREATED] = { .type = NLA_U64 },
	[PEERGROUP_A_GROUP_CREATOR] = STRING_POLICY(PEERGROUP_IDENTITY_MAX),
	[PEERGROUP_A_GROUP_ROLE] = { .type = NLA_U8 },
	[PEERGROUP_A_GROUP_SECURITY] = { .type = NLA_U8 },
	[PEERGROUP_A_GROUP_STATUS] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_FLAGS] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_MAX_RECORD_SIZE] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_MAX_RECORDS] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_MAX_BYTES] = { .type = NLA_U64 },
	[PEERGROUP_A_GROUP_MAX_LIFETIME] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_RECORDS] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_BYTES] = { .type = NLA_U64 },
	[PEERGROUP_A_GROUP_NEIGHBOURS] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_PARKED] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_PARKED_DROPPED] = { .type = NLA_U64 },
	[PEERGROUP_A_GROUP_KEY_RANDOM] = { .type = NLA_FLAG },
	[PEERGROUP_A_GROUP_KDF_TIME] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_KDF_MEMORY] = { .type = NLA_U32 },
	[PEERGROUP_A_GROUP_KDF_LANES] = { .type = NLA_U32 },
	[PEERGROUP_A_TIME_UTC] = { .type = NLA_U64 },
	[PEERGROUP_A_TIME_PEER] = { .type = NLA_U64 },
};

static void get_str(char *buf, size_t size, struct nlattr *a)
{
	if (a)
		nla_strlcpy(buf, a, size);
}

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint8_t get_u8(struct nlattr *a)
{
	return a ? nla_get_u8(a) : 0;
}

static int parse_attrs(struct nl_msg *msg, struct nlattr **tb)
{
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX, group_policy) ||
	    !tb[PEERGROUP_A_GROUP_NAME])
		return -EPROTO;
	return 0;
}

static int parse_status(struct nl_msg *msg, struct pg_group_status *s)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct pg_group_info *g = &s->info;

	if (parse_attrs(msg, tb))
		return -EPROTO;
	memset(s, 0, sizeof(*s));
	get_str(g->name, sizeof(g->name), tb[PEERGROUP_A_GROUP_NAME]);
	get_str(g->id, sizeof(g->id), tb[PEERGROUP_A_GROUP_ID]);
	get_str(g->identity, sizeof(g->identity), tb[PEERGROUP_A_IDENTITY]);
	g->created_ns = get_u64(tb[PEERGROUP_A_GROUP_CREATED]);
	g->key_random = tb[PEERGROUP_A_GROUP_KEY_RANDOM] != NULL;
	g->kdf.time = get_u32(tb[PEERGROUP_A_GROUP_KDF_TIME]);
	g->kdf.memory_kib = get_u32(tb[PEERGROUP_A_GROUP_KDF_MEMORY]);
	g->kdf.lanes = get_u32(tb[PEERGROUP_A_GROUP_KDF_LANES]);
	get_str(s->creator, sizeof(s->creator), tb[PEERGROUP_A_GROUP_CREATOR]);
	s->role = get_u8(tb[PEERGROUP_A_GROUP_ROLE]);
	g->security = get_u8(tb[PEERGROUP_A_GROUP_SECURITY]);
	s->security = g->security;
	s->status = get_u32(tb[PEERGROUP_A_GROUP_STATUS]);
	s->flags = get_u32(tb[PEERGROUP_A_GROUP_FLAGS]);
	s->max_record_size = get_u32(tb[PEERGROUP_A_GROUP_MAX_RECORD_SIZE]);
	s->max_records = get_u32(tb[PEERGROUP_A_GROUP_MAX_RECORDS]);
	s->max_bytes = get_u64(tb[PEERGROUP_A_GROUP_MAX_BYTES]);
	s->max_lifetime = get_u32(tb[PEERGROUP_A_GROUP_MAX_LIFETIME]);
	s->records = get_u32(tb[PEERGROUP_A_GROUP_RECORDS]);
	s->bytes = get_u64(tb[PEERGROUP_A_GROUP_BYTES]);
	s->neighbours = get_u32(tb[PEERGROUP_A_GROUP_NEIGHBOURS]);
	s->parked = get_u32(tb[PEERGROUP_A_GROUP_PARKED]);
	s->parked_dropped = get_u64(tb[PEERGROUP_A_GROUP_PARKED_DROPPED]);
	return 0;
}

int pg_group_parse(struct nl_msg *msg, struct pg_group_info *g)
{
	struct pg_group_status s;
	int err = parse_status(msg, &s);

	if (!err)
		*g = s.info;
	return err;
}

/* A reply expected to carry one group. */
struct one_group {
	struct pg_group_status *out;
	bool seen;
};

static int parse_one(struct nl_msg *msg, void *arg)
{
	struct one_group *one = arg;
	int err;

	if (one->seen)
		return -EPROTO;
	err = parse_status(msg, one->out);
	one->seen = !err;
	return err;
}

/* A dump: groups appended to a growing array. */
struct group_list {
	struct pg_group_info *v;
	size_t n, cap;
};

static int parse_list(struct nl_msg *msg, void *arg)
{
	struct group_list *list = arg;
	struct pg_group_info *v;
	size_t cap;
	int err;

	if (list->n == list->cap) {
		cap = list->cap ? 2 * list->cap : 16;
		v = reallocarray(list->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		list->v = v;
		list->cap = cap;
	}
	err = pg_group_parse(msg, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

static void reset_list(void *arg)
{
	struct group_list *list = arg;

	list->n = 0;
}

/* What a group request carries; NULL and 0 leave attributes out. */
struct group_call_req {
	const char *name;
	const char *identity;
	const char *creator;
	const char *group_id;
	const uint8_t *key;		/* PEERGROUP_GROUP_KEY_LEN bytes */
	struct pg_kdf kdf;		/* how key was derived */
	uint8_t security;		/* enum peergroup_security, or 0 */
	int32_t key_serial;		/* pki: a keyring key, or 0 */
	const void *certs;		/* pki: DER certificates */
	size_t certs_len;
	const struct pg_group_props *props;
	int time_attr;			/* PEERGROUP_A_TIME_UTC/_PEER, or 0 */
	uint64_t time;
};

static size_t str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

static int put_props(struct pg_handle *h, struct nl_msg *msg,
		     const struct pg_group_props *p)
{
	if (!p)
		return 0;
	if (((p->mask & PG_SET_FLAGS) &&
	     nla_put_u32(msg, PEERGROUP_A_GROUP_FLAGS, p->flags)) ||
	    ((p->mask & PG_SET_MAX_RECORD_SIZE) &&
	     nla_put_u32(msg, PEERGROUP_A_GROUP_MAX_RECORD_SIZE,
			 p->max_record_size)) ||
	    ((p->mask & PG_SET_MAX_RECORDS) &&
	     nla_put_u32(msg, PEERGROUP_A_GROUP_MAX_RECORDS, p->max_records)) ||
	    ((p->mask & PG_SET_MAX_BYTES) &&
	     nla_put_u64(msg, PEERGROUP_A_GROUP_MAX_BYTES, p->max_bytes)) ||
	    ((p->mask & PG_SET_MAX_LIFETIME) &&
	     nla_put_u32(msg, PEERGROUP_A_GROUP_MAX_LIFETIME, p->max_lifetime)))
		return pg_fail_build(h, NULL);
	return 0;
}

/* Strings as given, NUL-terminated; NULL leaves an attribute out. */
static int put_req(struct pg_handle *h, struct nl_msg *msg,
		   const struct group_call_req *r)
{
	int err;

	err = pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, r->name, "group name");
	if (!err)
		err = pg_put_str(h, msg, PEERGROUP_A_IDENTITY, r->identity,
				 "identity");
	if (!err)
		err = pg_put_str(h, msg, PEERGROUP_A_GROUP_CREATOR, r->creator,
				 "creator");
	if (!err)
		err = pg_put_str(h, msg, PEERGROUP_A_GROUP_ID, r->group_id,
				 "group id");
	if (!err && r->key)
		err = pg_put(h, msg, PEERGROUP_A_GROUP_KEY, r->key,
			     PEERGROUP_GROUP_KEY_LEN, "group key");
	if (!err && r->key &&
	    (nla_put_u32(msg, PEERGROUP_A_GROUP_KDF_TIME, r->kdf.time) ||
	     nla_put_u32(msg, PEERGROUP_A_GROUP_KDF_MEMORY, r->kdf.memory_kib) ||
	     nla_put_u32(msg, PEERGROUP_A_GROUP_KDF_LANES, r->kdf.lanes)))
		err = pg_fail_build(h, NULL);
	if (!err && ((r->security &&
		      nla_put_u8(msg, PEERGROUP_A_GROUP_SECURITY, r->security)) ||
		     (r->key_serial &&
		      nla_put_s32(msg, PEERGROUP_A_GROUP_KEY_SERIAL, r->key_serial))))
		err = pg_fail_build(h, NULL);
	if (!err && r->certs)
		err = pg_put(h, msg, PEERGROUP_A_GROUP_CERTS, r->certs,
			     r->certs_len, "certificates");
	if (!err)
		err = put_props(h, msg, r->props);
	if (!err && r->time_attr && nla_put_u64(msg, r->time_attr, r->time))
		err = pg_fail_build(h, NULL);
	return err;
}

/* The request r for cmd as a message, or NULL with the failure on h. */
static struct nl_msg *group_msg(struct pg_handle *h, uint8_t cmd, int flags,
				const struct group_call_req *r)
{
	struct nl_msg *msg;
	size_t size;

	size = str_size(r->name) + str_size(r->identity) +
	       str_size(r->creator) + str_size(r->group_id) +
	       8 * nla_total_size(sizeof(uint64_t)) +
	       (r->key ? nla_total_size(PEERGROUP_GROUP_KEY_LEN) : 0) +
	       (r->certs ? nla_total_size(r->certs_len) : 0);
	msg = pg_msg_alloc(h, cmd, flags, size);
	if (!msg) {
		pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
		return NULL;
	}
	if (put_req(h, msg, r)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * One request msg (for cmd) for one group, or the failure that left msg
 * NULL: out, when not NULL, receives the group.
 */
static int group_send(struct pg_handle *h, uint8_t cmd, struct nl_msg *msg,
		      struct pg_group_status *out)
{
	struct one_group one = { .out = out };
	int err;

	if (!msg)
		return h->last.err;
	/* Add and get answer with the group; set with an ACK. */
	if (cmd == PEERGROUP_CMD_GROUP_ADD || cmd == PEERGROUP_CMD_GROUP_GET)
		err = pg_transact_reply(h, msg, out ? parse_one : NULL, &one);
	else
		err = pg_transact(h, msg, out ? parse_one : NULL, &one);
	if (!err && out && !one.seen)
		err = pg_fail(h, -EPROTO, "the kernel's reply carried no group");
	return err;
}

static int group_call(struct pg_handle *h, uint8_t cmd,
		      const struct group_call_req *r, struct pg_group_status *out)
{
	return group_send(h, cmd, group_msg(h, cmd, 0, r), out);
}

/* group_call() for the callers that want a pg_group_info. */
static int group_call_info(struct pg_handle *h, uint8_t cmd,
			   const struct group_call_req *r, struct pg_group_info *out)
{
	struct pg_group_status s;
	int err;

	err = group_call(h, cmd, r, out ? &s : NULL);
	if (!err && out)
		*out = s.info;
	return err;
}

int pg_group_create(struct pg_handle *h, const char *name, const char *identity,
		    struct pg_group_info *out)
{
	struct group_call_req r = { .name = name, .identity = identity };

	return group_call_info(h, PEERGROUP_CMD_GROUP_ADD, &r, out);
}

/*
 * The id of the group p creates or joins, as the kernel derives it
 * (kmod/group.c): the first 20 bytes of SHA-256(creator) in lowercase hex,
 * '.', the name; or the id given.
 */
static int group_id_of(struct pg_handle *h, const struct pg_group_params *p,
		       char id[PEERGROUP_GROUP_ID_MAX + 1])
{
	const char *creator = p->creator ?: p->identity;
	uint8_t md[SHA256_DIGEST_LENGTH];
	SHA2_CTX ctx;
	int i;

	if (p->group_id) {
		snprintf(id, PEERGROUP_GROUP_ID_MAX + 1, "%s", p->group_id);
		return 0;
	}
	if (!p->name || !creator)
		return pg_fail(h, -EINVAL, "password: the group key is derived from the group id, which needs the group name and its creator");
	SHA256Init(&ctx);
	SHA256Update(&ctx, (const uint8_t *)creator, strlen(creator));
	SHA256Final(md, &ctx);
	for (i = 0; i < PEERGROUP_GROUP_AUTHORITY_LEN / 2; i++)
		sprintf(id + 2 * i, "%02x", md[i]);
	snprintf(id + PEERGROUP_GROUP_AUTHORITY_LEN,
		 PEERGROUP_GROUP_ID_MAX + 1 - PEERGROUP_GROUP_AUTHORITY_LEN,
		 ".%s", p->name);
	return 0;
}

struct nl_msg *pg_group_add_msg(struct pg_handle *h,
				const struct pg_group_params *p,
				uint8_t key[PEERGROUP_GROUP_KEY_LEN])
{
	struct group_call_req r = {
		.name = p->name,
		.identity = p->identity,
		.creator = p->creator,
		.group_id = p->group_id,
		.security = p->security,
		.key_serial = p->key_serial,
		.certs = p->certs,
		.certs_len = p->certs_len,
	};
	char id[PEERGROUP_GROUP_ID_MAX + 1];
	const char *why = NULL;
	int err;

	if (p->password && p->security == PEERGROUP_SECURITY_PKI) {
		pg_fail(h, -EINVAL, "password: a certificate group (pki) has none: its members sign with their keys");
		return NULL;
	}
	if (p->password) {
		if (group_id_of(h, p, id))
			return NULL;
		err = pg_kdf_derive(p->password, p->password_len, id, p->kdf,
				    &r.kdf, key, &why);
		if (err) {
			pg_fail(h, err, "%s", why);
			return NULL;
		}
		r.key = key;
	}
	return group_msg(h, PEERGROUP_CMD_GROUP_ADD, 0, &r);
}

int pg_group_create_ex(struct pg_handle *h, const struct pg_group_params *p,
		       struct pg_group_info *out)
{
	uint8_t key[PEERGROUP_GROUP_KEY_LEN];
	struct pg_group_status s;
	int err;

	err = group_send(h, PEERGROUP_CMD_GROUP_ADD, pg_group_add_msg(h, p, key),
			 out ? &s : NULL);
	explicit_bzero(key, sizeof(key));
	if (!err && out)
		*out = s.info;
	return err;
}

int pg_group_delete(struct pg_handle *h, const char *name)
{
	struct group_call_req r = { .name = name };

	return group_call_info(h, PEERGROUP_CMD_GROUP_DEL, &r, NULL);
}

int pg_group_get(struct pg_handle *h, const char *name,
		 struct pg_group_info *out)
{
	struct group_call_req r = { .name = name };

	return group_call_info(h, PEERGROUP_CMD_GROUP_GET, &r, out);
}

int pg_group_status(struct pg_handle *h, const char *name,
		    struct pg_group_status *out)
{
	struct group_call_req r = { .name = name };

	return group_call(h, PEERGROUP_CMD_GROUP_GET, &r, out);
}

int pg_group_set(struct pg_handle *h, const char *name,
		 const struct pg_group_props *props)
{
	struct group_call_req r = { .name = name, .props = props };

	return group_call(h, PEERGROUP_CMD_GROUP_SET, &r, NULL);
}

struct times {
	uint64_t utc, peer;
	bool seen;
};

static int parse_times(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct times *t = arg;

	if (parse_attrs(msg, tb) || !tb[PEERGROUP_A_TIME_UTC] ||
	    !tb[PEERGROUP_A_TIME_PEER])
		return -EPROTO;
	t->utc = nla_get_u64(tb[PEERGROUP_A_TIME_UTC]);
	t->peer = nla_get_u64(tb[PEERGROUP_A_TIME_PEER]);
	t->seen = true;
	return 0;
}

int pg_time_convert(struct pg_handle *h, const char *group,
		    enum pg_time_from from, uint64_t in,
		    uint64_t *utc, uint64_t *peer)
{
	struct group_call_req r = { .name = group, .time = in };
	struct times t = { .seen = false };
	struct nl_msg *msg;
	int err;

	if (from == PG_TIME_UTC)
		r.time_attr = PEERGROUP_A_TIME_UTC;
	else if (from == PG_TIME_PEER)
		r.time_attr = PEERGROUP_A_TIME_PEER;
	msg = group_msg(h, PEERGROUP_CMD_GROUP_TIME, 0, &r);
	if (!msg)
		return h->last.err;
	err = pg_transact_reply(h, msg, parse_times, &t);
	if (!err && !t.seen)
		err = pg_fail(h, -EPROTO, "the kernel's reply carried no time");
	if (err)
		return err;
	if (utc)
		*utc = t.utc;
	if (peer)
		*peer = t.peer;
	return 0;
}

int pg_group_enum(struct pg_handle *h, struct pg_group_info **groups,
		  size_t *count)
{
	struct group_list list = { .v = NULL };
	struct group_call_req r = { .name = NULL };
	struct nl_msg *msg;
	int err;

	*groups = NULL;
	*count = 0;
	msg = group_msg(h, PEERGROUP_CMD_GROUP_GET, NLM_F_DUMP, &r);
	if (!msg)
		return h->last.err;
	err = pg_dump(h, msg, parse_list, reset_list, &list, true,
		      "group list");
	if (err || !list.n) {
		free(list.v);
		return err;
	}
	*groups = list.v;
	*count = list.n;
	return 0;
}
