// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Reading the kernel's answers: the errno and extended-ACK TLVs of
 * NLMSG_ERROR and NLMSG_DONE messages. Pure functions over bytes; the
 * callers in nl.c hand them messages libnl has already bounded.
 *
 * NLMSG_ERROR payload: struct nlmsgerr, then (unless NLM_F_CAPPED) the rest
 * of our request, then (if NLM_F_ACK_TLVS) the TLVs.
 * NLMSG_DONE payload: an int error, then (if NLM_F_ACK_TLVS) the TLVs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include "internal.h"

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (nla_len(a) < (int)sizeof(*v))
		return false;
	memcpy(v, nla_data(a), sizeof(*v));
	return true;
}

static void copy_msg(struct pg_error *e, const struct nlattr *a)
{
	size_t n = strnlen(nla_data(a), nla_len(a));

	if (n >= sizeof(e->msg))
		n = sizeof(e->msg) - 1;
	memcpy(e->msg, nla_data(a), n);
	e->msg[n] = '\0';
}

static void parse_policy(struct pg_error *e, const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_attr(a, nla_data(nest), nla_len(nest), rem) {
		if (nla_type(a) == NL_POLICY_TYPE_ATTR_MIN_LENGTH)
			get_u32(a, &e->min_len);
		else if (nla_type(a) == NL_POLICY_TYPE_ATTR_MAX_LENGTH)
			get_u32(a, &e->max_len);
	}
}

/* Where the kernel blamed an attribute of req at offset off. */
static void blame_at(struct pg_error *e, const struct nlmsghdr *req,
		     uint32_t off)
{
	e->depth = pg_request_path_at(req, off, e->path, PG_ERRPATH_MAX);
	e->attr = e->depth ? e->path[0] : 0;
}

/* A missing attribute: type, inside the nest at nest_off if in_nest. */
static void blame_missing(struct pg_error *e, const struct nlmsghdr *req,
			  uint32_t type, bool in_nest, uint32_t nest_off)
{
	e->missing = true;
	e->depth = 0;
	if (in_nest) {
		e->depth = pg_request_path_at(req, nest_off, e->path,
					      PG_ERRPATH_MAX - 1);
		/* A nest we cannot find: blame nothing rather than guess. */
		if (!e->depth) {
			e->attr = 0;
			return;
		}
	}
	e->path[e->depth++] = (uint16_t)type;
	e->attr = e->path[0];
}

static void parse_tlvs(struct pg_error *e, const void *tlvs, size_t len,
		       const struct nlmsghdr *req)
{
	uint32_t off, miss_type = 0, miss_nest = 0;
	bool in_nest = false;
	const struct nlattr *a;
	int rem;

	if (len > INT_MAX)
		return;
	nla_for_each_attr(a, tlvs, (int)len, rem) {
		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG:
			copy_msg(e, a);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (get_u32(a, &off))
				blame_at(e, req, off);
			break;
		case NLMSGERR_ATTR_POLICY:
			parse_policy(e, a);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			get_u32(a, &miss_type);
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			in_nest = get_u32(a, &miss_nest);
			break;
		default:
			break;	/* NLMSGERR_ATTR_COOKIE and newer ones */
		}
	}
	if (miss_type)
		blame_missing(e, req, miss_type, in_nest, miss_nest);
}

int pg_extack_error(struct pg_error *e, const struct nlmsghdr *nlh,
		    const struct nlmsghdr *req)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t len, off = sizeof(*err);

	memset(e, 0, sizeof(*e));
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*err))) {
		e->err = -EPROTO;
		snprintf(e->msg, sizeof(e->msg),
			 "truncated error message from the kernel");
		return e->err;
	}
	e->err = err->error > 0 ? -err->error : err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->err;

	len = nlh->nlmsg_len - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return e->err;
		off = NLMSG_ALIGN(off + err->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (off < len)
		parse_tlvs(e, (const char *)err + off, len - off, req);
	return e->err;
}

int pg_extack_done(struct pg_error *e, const struct nlmsghdr *nlh,
		   const struct nlmsghdr *req)
{
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;
	size_t off = NLMSG_ALIGN(sizeof(int32_t));
	int32_t code;

	memset(e, 0, sizeof(*e));
	/* Old kernels may end a dump with an empty DONE: success. */
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(code)))
		return 0;
	memcpy(&code, NLMSG_DATA(nlh), sizeof(code));
	if (code >= 0)
		return 0;
	e->err = code;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		parse_tlvs(e, (const char *)NLMSG_DATA(nlh) + off, len - off,
			   req);
	return e->err;
}

/*
 * Which attributes of a request are nests, and of what: the walk below goes
 * down only through these, so a value's bytes are never read as attributes.
 */
enum nest_kind {
	K_LEAF,		/* not a nest */
	K_TOP,		/* the request */
	K_RECORD,	/* PEERGROUP_A_RECORD */
	K_ATTRS,	/* PEERGROUP_RECORD_A_ATTRS */
	K_QUERY,	/* PEERGROUP_A_QUERY, _QUERY_A_AND, _QUERY_A_OR */
	K_FLAT,		/* a nest of leaves: an attribute, a clause */
};

static enum nest_kind child_kind(enum nest_kind parent, int type)
{
	switch (parent) {
	case K_TOP:
		if (type == PEERGROUP_A_RECORD)
			return K_RECORD;
		return type == PEERGROUP_A_QUERY ? K_QUERY : K_LEAF;
	case K_RECORD:
		return type == PEERGROUP_RECORD_A_ATTRS ? K_ATTRS : K_LEAF;
	case K_ATTRS:
		return type == PEERGROUP_ATTRS_A_ATTR ? K_FLAT : K_LEAF;
	case K_QUERY:
		if (type == PEERGROUP_QUERY_A_AND || type == PEERGROUP_QUERY_A_OR)
			return K_QUERY;
		return type == PEERGROUP_QUERY_A_CLAUSE ? K_FLAT : K_LEAF;
	default:
		return K_LEAF;
	}
}

int pg_request_path_at(const struct nlmsghdr *req, uint32_t off,
		       uint16_t *path, int max)
{
	size_t start = NLMSG_HDRLEN + GENL_HDRLEN, end, pos = 0;
	enum nest_kind kind = K_TOP;
	const struct nlattr *a, *found;
	int rem, depth = 0;

	if (!req || req->nlmsg_len < start || req->nlmsg_len > INT_MAX ||
	    off < start)
		return 0;
	end = req->nlmsg_len;
	while (depth < max) {
		found = NULL;
		nla_for_each_attr(a, (const struct nlattr *)((const char *)req + start),
				  (int)(end - start), rem) {
			pos = (const char *)a - (const char *)req;
			if (off >= pos && off < pos + a->nla_len) {
				found = a;
				break;
			}
		}
		if (!found)
			break;
		path[depth++] = (uint16_t)nla_type(found);
		kind = child_kind(kind, nla_type(found));
		if (kind == K_LEAF || off < pos + NLA_HDRLEN)
			break;
		start = pos + NLA_HDRLEN;
		end = pos + found->nla_len;
	}
	return depth;
}

int pg_request_attr_at(const struct nlmsghdr *req, uint32_t off)
{
	uint16_t type;

	return pg_request_path_at(req, off, &type, 1) ? type : 0;
}
