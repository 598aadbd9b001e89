// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * What replication is told: the namespace's listeners
 * (PEERGROUP_CMD_LISTEN_{ADD,DEL,GET}) and each group's neighbours
 * (PEERGROUP_CMD_NEIGHBOUR_{ADD,DEL,GET}), all built on pg_transact().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The neighbour nest. Numbers are read at any width the kernel sends
 * (pg_nla_uint()), so only the address and the identity have a policy
 * here; attributes above PEERGROUP_NEIGHBOUR_A_MAX are ignored.
 */
static const struct nla_policy neighbour_policy[PEERGROUP_NEIGHBOUR_A_MAX + 1] = {
	[PEERGROUP_NEIGHBOUR_A_ADDR] = { .type = NLA_UNSPEC, .minlen = 4,
					 .maxlen = 16 },
	[PEERGROUP_NEIGHBOUR_A_IDENTITY] = { .type = NLA_STRING,
					     .maxlen = PEERGROUP_IDENTITY_MAX + 1 },
	[PEERGROUP_NEIGHBOUR_A_REFUSED_WHY] = { .type = NLA_STRING },
};

/* Where each numeric field of the nest goes. */
enum width { W8, W16, W32, W64 };

static const struct {
	int type;
	size_t off;
	enum width width;
} neighbour_numbers[] = {
	{ PEERGROUP_NEIGHBOUR_A_ID, offsetof(struct pg_neighbour, id), W64 },
	{ PEERGROUP_NEIGHBOUR_A_PORT, offsetof(struct pg_neighbour, port), W16 },
	{ PEERGROUP_NEIGHBOUR_A_DIRECTION,
	  offsetof(struct pg_neighbour, direction), W8 },
	{ PEERGROUP_NEIGHBOUR_A_STATE, offsetof(struct pg_neighbour, state), W8 },
	{ PEERGROUP_NEIGHBOUR_A_REASON, offsetof(struct pg_neighbour, reason), W8 },
	{ PEERGROUP_NEIGHBOUR_A_SINCE,
	  offsetof(struct pg_neighbour, since_ns), W64 },
	{ PEERGROUP_NEIGHBOUR_A_FRAMES_TX,
	  offsetof(struct pg_neighbour, frames_tx), W64 },
	{ PEERGROUP_NEIGHBOUR_A_FRAMES_RX,
	  offsetof(struct pg_neighbour, frames_rx), W64 },
	{ PEERGROUP_NEIGHBOUR_A_BYTES_TX,
	  offsetof(struct pg_neighbour, bytes_tx), W64 },
	{ PEERGROUP_NEIGHBOUR_A_BYTES_RX,
	  offsetof(struct pg_neighbour, bytes_rx), W64 },
	{ PEERGROUP_NEIGHBOUR_A_RECORDS_TX,
	  offsetof(struct pg_neighbour, records_tx), W64 },
	{ PEERGROUP_NEIGHBOUR_A_RECORDS_RX,
	  offsetof(struct pg_neighbour, records_rx), W64 },
	{ PEERGROUP_NEIGHBOUR_A_REFUSED,
	  offsetof(struct pg_neighbour, refused), W64 },
	{ PEERGROUP_NEIGHBOUR_A_QUEUE, offsetof(struct pg_neighbour, queue), W32 },
	{ PEERGROUP_NEIGHBOUR_A_CONNECTS,
	  offsetof(struct pg_neighbour, connects), W32 },
	{ PEERGROUP_NEIGHBOUR_A_LAG, offsetof(struct pg_neighbour, lag_ms), W32 },
};

/* v into the field at p of the given width: false when it does not fit. */
static bool store(void *p, enum width width, uint64_t v)
{
	switch (width) {
	case W8:
		if (v > UINT8_MAX)
			return false;
		*(uint8_t *)p = (uint8_t)v;
		return true;
	case W16:
		if (v > UINT16_MAX)
			return false;
		*(uint16_t *)p = (uint16_t)v;
		return true;
	case W32:
		if (v > UINT32_MAX)
			return false;
		*(uint32_t *)p = (uint32_t)v;
		return true;
	default:
		*(uint64_t *)p = v;
		return true;
	}
}

int pg_neighbour_parse(const struct nlattr *nest, struct pg_neighbour *n)
{
	struct nlattr *tb[PEERGROUP_NEIGHBOUR_A_MAX + 1];
	uint64_t v;
	size_t i;

	if (nla_parse_nested(tb, PEERGROUP_NEIGHBOUR_A_MAX,
			     (struct nlattr *)nest, neighbour_policy) ||
	    !tb[PEERGROUP_NEIGHBOUR_A_ID] || !tb[PEERGROUP_NEIGHBOUR_A_ADDR])
		return -EPROTO;
	memset(n, 0, sizeof(*n));
	if (!pg_addr_get(tb[PEERGROUP_NEIGHBOUR_A_ADDR], &n->addr))
		return -EPROTO;
	for (i = 0; i < ARRAY_SIZE(neighbour_numbers); i++) {
		const struct nlattr *a = tb[neighbour_numbers[i].type];

		if (a && (!pg_nla_uint(a, &v) ||
			  !store((char *)n + neighbour_numbers[i].off,
				 neighbour_numbers[i].width, v)))
			return -EPROTO;
	}
	if (tb[PEERGROUP_NEIGHBOUR_A_ERRNO]) {
		if (!pg_nla_uint(tb[PEERGROUP_NEIGHBOUR_A_ERRNO], &v) ||
		    v > UINT32_MAX)
			return -EPROTO;
		/* A positive errno; a negative one sent as u32 is taken too. */
		if (v > INT32_MAX)
			v = (uint32_t)-(uint32_t)v;
		if (v > INT32_MAX)
			return -EPROTO;
		n->error = (int)v;
	}
	if (tb[PEERGROUP_NEIGHBOUR_A_IDENTITY])
		nla_strlcpy(n->identity, tb[PEERGROUP_NEIGHBOUR_A_IDENTITY],
			    sizeof(n->identity));
	if (tb[PEERGROUP_NEIGHBOUR_A_REFUSED_WHY])
		nla_strlcpy(n->refused_why, tb[PEERGROUP_NEIGHBOUR_A_REFUSED_WHY],
			    sizeof(n->refused_why));
	if (tb[PEERGROUP_NEIGHBOUR_A_REFUSED_ERRNO]) {
		if (!pg_nla_uint(tb[PEERGROUP_NEIGHBOUR_A_REFUSED_ERRNO], &v) ||
		    v > INT32_MAX)
			return -EPROTO;
		n->refused_error = (int)v;
	}
	return 0;
}

/* What a request carries; NULL and 0 leave attributes out. */
struct endpoint_req {
	const char *group;
	const struct pg_addr *addr;
	uint16_t port;
	bool by_id;
	uint64_t id;
};

static struct nl_msg *endpoint_msg(struct pg_handle *h, uint8_t cmd,
				   int flags, const struct endpoint_req *r)
{
	struct nl_msg *msg;
	size_t size;
	int err;

	size = (r->group ? nla_total_size(strlen(r->group) + 1) : 0) +
	       nla_total_size(16) + nla_total_size(sizeof(uint16_t)) +
	       nla_total_size(sizeof(uint64_t)) + NLA_HDRLEN;
	if (r->addr && r->addr->family != AF_UNSPEC && !pg_addr_len(r->addr)) {
		pg_fail(h, -EINVAL, "address: family %u is neither IPv4 nor IPv6",
			(unsigned int)r->addr->family);
		return NULL;
	}
	msg = pg_msg_alloc(h, cmd, flags, size);
	if (!msg) {
		pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
		return NULL;
	}
	if (pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, r->group, "group name")) {
		nlmsg_free(msg);
		return NULL;
	}
	err = pg_addr_put(msg, PEERGROUP_A_ADDR, r->addr);
	if (!err && r->port && nla_put_u16(msg, PEERGROUP_A_PORT, r->port))
		err = -ENOMEM;
	if (!err && r->by_id &&
	    nla_put_u64(msg, PEERGROUP_A_NEIGHBOUR_ID, r->id))
		err = -ENOMEM;
	if (err) {
		pg_fail_build(h, msg);
		return NULL;
	}
	return msg;
}

/* A request answered with an ACK only. */
static int endpoint_call(struct pg_handle *h, uint8_t cmd,
			 const struct endpoint_req *r)
{
	struct nl_msg *msg = endpoint_msg(h, cmd, 0, r);

	return msg ? pg_transact(h, msg, NULL, NULL) : h->last.err;
}

int pg_listen_add(struct pg_handle *h, const struct pg_addr *addr,
		  uint16_t port)
{
	struct endpoint_req r = { .addr = addr, .port = port };

	return endpoint_call(h, PEERGROUP_CMD_LISTEN_ADD, &r);
}

int pg_listen_delete(struct pg_handle *h, const struct pg_addr *addr,
		     uint16_t port)
{
	struct endpoint_req r = { .addr = addr, .port = port };

	return endpoint_call(h, PEERGROUP_CMD_LISTEN_DEL, &r);
}

static const struct nla_policy listen_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
};

static int parse_listener(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct pg_listener *ln;
	struct pg_list *l = arg;
	uint64_t port;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX, listen_policy) ||
	    !tb[PEERGROUP_A_ADDR] || !tb[PEERGROUP_A_PORT] ||
	    !pg_nla_uint(tb[PEERGROUP_A_PORT], &port) || port > UINT16_MAX)
		return -EPROTO;
	ln = pg_list_slot(l);
	if (!ln)
		return -ENOMEM;
	if (!pg_addr_get(tb[PEERGROUP_A_ADDR], &ln->addr))
		return -EPROTO;
	ln->port = (uint16_t)port;
	if ((tb[PEERGROUP_A_LISTEN_ACCEPTED] &&
	     !pg_nla_uint(tb[PEERGROUP_A_LISTEN_ACCEPTED], &ln->accepted)) ||
	    (tb[PEERGROUP_A_LISTEN_RATELIMITED] &&
	     !pg_nla_uint(tb[PEERGROUP_A_LISTEN_RATELIMITED], &ln->ratelimited)) ||
	    (tb[PEERGROUP_A_LISTEN_BUSY] &&
	     !pg_nla_uint(tb[PEERGROUP_A_LISTEN_BUSY], &ln->busy)))
		return -EPROTO;
	l->n++;
	return 0;
}

int pg_listen_enum(struct pg_handle *h, struct pg_listener **v, size_t *n)
{
	struct pg_list l = { .size = sizeof(**v) };
	struct endpoint_req r = { .group = NULL };

	int err;

	err = pg_list_dump(h, endpoint_msg(h, PEERGROUP_CMD_LISTEN_GET,
					   NLM_F_DUMP, &r),
			   parse_listener, &l, "listener list");
	*v = l.v;
	*n = l.n;
	return err;
}

static const struct nla_policy neighbour_msg_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_GROUP_NAME] = { .type = NLA_STRING,
				     .maxlen = PEERGROUP_GROUP_NAME_MAX + 1 },
	[PEERGROUP_A_NEIGHBOUR] = { .type = NLA_NESTED },
};

/* A message carrying a PEERGROUP_A_NEIGHBOUR into *n. */
static int neighbour_from_msg(struct nl_msg *msg, struct pg_neighbour *n)
{
	struct nlattr *tb[PEERGROUP_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PEERGROUP_A_MAX,
			  neighbour_msg_policy) ||
	    !tb[PEERGROUP_A_NEIGHBOUR])
		return -EPROTO;
	return pg_neighbour_parse(tb[PEERGROUP_A_NEIGHBOUR], n);
}

struct one_neighbour {
	struct pg_neighbour *out;
	bool seen;
};

static int parse_one(struct nl_msg *msg, void *arg)
{
	struct one_neighbour *one = arg;
	int err;

	if (one->seen)
		return -EPROTO;
	err = neighbour_from_msg(msg, one->out);
	one->seen = !err;
	return err;
}

int pg_neighbour_add(struct pg_handle *h, const char *group,
		     const struct pg_addr *addr, uint16_t port,
		     struct pg_neighbour *out)
{
	struct endpoint_req r = { .group = group, .addr = addr, .port = port };
	struct one_neighbour one = { .out = out };
	struct nl_msg *msg;
	int err;

	msg = endpoint_msg(h, PEERGROUP_CMD_NEIGHBOUR_ADD, 0, &r);
	if (!msg)
		return h->last.err;
	/*
	 * The reply, then the ACK: asking for both, the transaction ends the
	 * same way whether or not the kernel answers with the neighbour.
	 */
	err = pg_transact(h, msg, out ? parse_one : NULL, &one);
	if (!err && out && !one.seen)
		err = pg_fail(h, -EPROTO, "the kernel's reply carried no neighbour");
	return err;
}

int pg_neighbour_delete(struct pg_handle *h, const char *group,
			const struct pg_addr *addr, uint16_t port)
{
	struct endpoint_req r = { .group = group, .addr = addr, .port = port };

	return endpoint_call(h, PEERGROUP_CMD_NEIGHBOUR_DEL, &r);
}

int pg_neighbour_delete_id(struct pg_handle *h, const char *group,
			   uint64_t id)
{
	struct endpoint_req r = { .group = group, .by_id = true, .id = id };

	return endpoint_call(h, PEERGROUP_CMD_NEIGHBOUR_DEL, &r);
}

static int parse_neighbour(struct nl_msg *msg, void *arg)
{
	struct pg_neighbour *n;
	struct pg_list *l = arg;
	int err;

	n = pg_list_slot(l);
	if (!n)
		return -ENOMEM;
	err = neighbour_from_msg(msg, n);
	if (!err)
		l->n++;
	return err;
}

int pg_neighbour_enum(struct pg_handle *h, const char *group,
		      struct pg_neighbour **v, size_t *n)
{
	struct pg_list l = { .size = sizeof(**v) };
	struct endpoint_req r = { .group = group };

	int err;

	err = pg_list_dump(h, endpoint_msg(h, PEERGROUP_CMD_NEIGHBOUR_GET,
					   NLM_F_DUMP, &r),
			   parse_neighbour, &l, "neighbour list");
	*v = l.v;
	*n = l.n;
	return err;
}
