/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * libpeergroup internals shared by its files (and its offline unit test).
 * Not installed, not part of the API.
 */
#ifndef _PG_INTERNAL_H
#define _PG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "libpeergroup.h"

#define PG_ERRMSG_MAX 256

/* Why the last call failed: what pg_err*() report. */
struct pg_error {
	int err;		/* negative errno, 0 for none */
	int attr;		/* blamed top-level attribute, 0 for none */
	uint32_t min_len;	/* policy limits of the blamed attribute */
	uint32_t max_len;
	char msg[PG_ERRMSG_MAX];
};

struct pg_handle {
	struct nl_sock *sk;
	struct nl_cb *cb;	/* our callbacks, used by pg_transact() */
	int family;

	/* The transaction in flight, valid during pg_transact() only. */
	const struct nlmsghdr *req;
	uint32_t seq;
	bool done;		/* its ACK, error or DONE arrived */
	bool interrupted;	/* a reply carried NLM_F_DUMP_INTR */
	int parse_err;
	int (*parse)(struct nl_msg *msg, void *arg);
	void *parse_arg;

	struct pg_error last;
};

/*
 * nl.c: a request for cmd with room for attr_bytes of attributes (0: one
 * page, as pg_msg_new()); NULL when out of memory.
 */
struct nl_msg *pg_msg_alloc(struct pg_handle *h, uint8_t cmd, int nlm_flags,
			    size_t attr_bytes);

/*
 * group.c: a GROUP_GET-shaped message into *g: 0, or -EPROTO when the
 * group name is missing or an attribute breaks the reply policy (g is then
 * untouched).
 */
int pg_group_parse(struct nl_msg *msg, struct pg_group_info *g);

/* errors.c */
int pg_errno_from_nl(int nlerr);

/* nl.c: forget the last error. */
void pg_clear(struct pg_handle *h);
/* nl.c: record a library-made error with its message; returns err. */
int pg_fail(struct pg_handle *h, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * extack.c: pure parsing of the kernel's answers, bounds-checked against
 * nlmsg_len (which the caller has checked against the buffer).
 *
 * pg_extack_error() reads an NLMSG_ERROR message, pg_extack_done() an
 * NLMSG_DONE one; both fill *e (the errno, and from the extended-ACK TLVs the
 * message, the blamed attribute and the policy limits) and return e->err.
 * req is the request being answered (to turn NLMSGERR_ATTR_OFFS into an
 * attribute), or NULL.
 *
 * pg_request_attr_at() is the type of the top-level attribute of the generic
 * netlink request req that starts at or contains byte offset off (counted
 * from the start of req's nlmsghdr), or 0.
 */
int pg_extack_error(struct pg_error *e, const struct nlmsghdr *nlh,
		    const struct nlmsghdr *req);
int pg_extack_done(struct pg_error *e, const struct nlmsghdr *nlh,
		   const struct nlmsghdr *req);
int pg_request_attr_at(const struct nlmsghdr *req, uint32_t off);

#endif /* _PG_INTERNAL_H */
