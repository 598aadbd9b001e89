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
				e->attr = pg_request_attr_at(req, off);
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
	/* A missing attribute inside a nest: blame the nest we sent. */
	if (miss_type)
		e->attr = in_nest ? pg_request_attr_at(req, miss_nest) :
				    (int)miss_type;
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

int pg_request_attr_at(const struct nlmsghdr *req, uint32_t off)
{
	const size_t start = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *a;
	size_t pos;
	int rem;

	if (!req || req->nlmsg_len < start || req->nlmsg_len > INT_MAX ||
	    off < start)
		return 0;
	nla_for_each_attr(a, (const struct nlattr *)((const char *)req + start),
			  (int)(req->nlmsg_len - start), rem) {
		pos = (const char *)a - (const char *)req;
		if (off >= pos && off < pos + a->nla_len)
			return nla_type(a);
	}
	return 0;
}
