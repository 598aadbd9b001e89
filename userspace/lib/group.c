// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Group calls: PeerGroupCreate/Delete/GetProperties/Enum over
 * PEERGROUP_CMD_GROUP_{ADD,DEL,GET}, all built on pg_transact().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "internal.h"

/*
 * What we accept from the kernel. Strings must fit their buffers (the
 * maximum counts the NUL), so a copy never truncates. Attributes above
 * PEERGROUP_A_MAX (newer kernels) are ignored by genlmsg_parse().
 */
static const struct nla_policy group_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME] = { .type = NLA_STRING,
				     .maxlen = PEERGROUP_GROUP_NAME_MAX + 1 },
	[PEERGROUP_A_GROUP_ID] = { .type = NLA_STRING,
				   .maxlen = PEERGROUP_GROUP_ID_MAX + 1 },
	[PEERGROUP_A_IDENTITY] = { .type = NLA_STRING,
				   .maxlen = PEERGROUP_IDENTITY_MAX + 1 },
	[PEERGROUP_A_GROUP_CREATED] = { .type = NLA_U64 },
};

int pg_group_parse(struct nl_msg *msg, struct pg_group_info *g)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX, group_policy) ||
	    !tb[PEERGROUP_A_GROUP_NAME])
		return -EPROTO;
	memset(g, 0, sizeof(*g));
	nla_strlcpy(g->name, tb[PEERGROUP_A_GROUP_NAME], sizeof(g->name));
	if (tb[PEERGROUP_A_GROUP_ID])
		nla_strlcpy(g->id, tb[PEERGROUP_A_GROUP_ID], sizeof(g->id));
	if (tb[PEERGROUP_A_IDENTITY])
		nla_strlcpy(g->identity, tb[PEERGROUP_A_IDENTITY],
			    sizeof(g->identity));
	if (tb[PEERGROUP_A_GROUP_CREATED])
		g->created_ns = nla_get_u64(tb[PEERGROUP_A_GROUP_CREATED]);
	return 0;
}

/* A reply expected to carry one group. */
struct one_group {
	struct pg_group_info *out;
	bool seen;
};

static int parse_one(struct nl_msg *msg, void *arg)
{
	struct one_group *one = arg;
	int err;

	if (one->seen)
		return -EPROTO;
	err = pg_group_parse(msg, one->out);
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

/* Strings as given, NUL-terminated; NULL leaves the attribute out. */
static int put_string(struct nl_msg *msg, int type, const char *s)
{
	if (!s)
		return 0;
	if (strlen(s) + 1 > (size_t)(UINT16_MAX - NLA_HDRLEN))
		return -EMSGSIZE;
	return nla_put_string(msg, type, s) ? -ENOMEM : 0;
}

/*
 * Sends cmd with the given group name and identity (either may be NULL) and
 * reads the answer with parse.
 */
static int group_call(struct pg_handle *h, uint8_t cmd, int flags,
		      const char *name, const char *identity,
		      int (*parse)(struct nl_msg *, void *), void *arg)
{
	size_t size = 0;
	struct nl_msg *msg;
	int err;

	if (name)
		size += nla_total_size(strlen(name) + 1);
	if (identity)
		size += nla_total_size(strlen(identity) + 1);
	msg = pg_msg_alloc(h, cmd, flags, size);
	if (!msg)
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	err = put_string(msg, PEERGROUP_A_GROUP_NAME, name);
	if (!err)
		err = put_string(msg, PEERGROUP_A_IDENTITY, identity);
	if (err) {
		nlmsg_free(msg);
		return pg_fail(h, err, "cannot build the request: %s",
			       strerror(-err));
	}
	return pg_transact(h, msg, parse, arg);
}

static int group_call_one(struct pg_handle *h, uint8_t cmd, const char *name,
			  const char *identity, struct pg_group_info *out)
{
	struct one_group one = { .out = out };
	int err;

	err = group_call(h, cmd, 0, name, identity, out ? parse_one : NULL,
			 &one);
	if (!err && out && !one.seen)
		err = pg_fail(h, -EPROTO, "the kernel's reply carried no group");
	return err;
}

int pg_group_create(struct pg_handle *h, const char *name, const char *identity,
		    struct pg_group_info *out)
{
	return group_call_one(h, PEERGROUP_CMD_GROUP_ADD, name, identity, out);
}

int pg_group_delete(struct pg_handle *h, const char *name)
{
	return group_call_one(h, PEERGROUP_CMD_GROUP_DEL, name, NULL, NULL);
}

int pg_group_get(struct pg_handle *h, const char *name,
		 struct pg_group_info *out)
{
	return group_call_one(h, PEERGROUP_CMD_GROUP_GET, name, NULL, out);
}

int pg_group_enum(struct pg_handle *h, struct pg_group_info **groups,
		  size_t *count)
{
	struct group_list list;
	int err, restarts = 0;

	*groups = NULL;
	*count = 0;
	for (;;) {
		memset(&list, 0, sizeof(list));
		err = group_call(h, PEERGROUP_CMD_GROUP_GET, NLM_F_DUMP, NULL,
				 NULL, parse_list, &list);
		if (!err)
			break;
		free(list.v);
		if (err != -EINTR || !h->interrupted)
			return err;
		if (restarts++ == PG_DUMP_RESTARTS)
			return pg_fail(h, -EAGAIN,
				       "group list kept changing during the dump");
	}
	if (!list.n) {
		free(list.v);
		list.v = NULL;
	}
	*groups = list.v;
	*count = list.n;
	return 0;
}
