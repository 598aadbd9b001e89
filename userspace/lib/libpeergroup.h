/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * libpeergroup: the peergroup generic netlink family from userspace, over
 * libnl-genl-3, shaped after the Windows Peer Grouping API (p2p.h).
 *
 *   Windows (p2p.h)           libpeergroup
 *   PeerGroupStartup()        pg_open()
 *   PeerGroupShutdown()       pg_close()
 *   PeerGroupCreate()         pg_group_create()
 *   PeerGroupDelete()         pg_group_delete()
 *   PeerGroupGetProperties()  pg_group_get()
 *   PeerGroupEnum()           pg_group_enum()
 *
 * Conventions
 * -----------
 * Every call that can fail returns 0 or a negative errno (-EEXIST, ...), the
 * errno the kernel answered wherever there is one. After a failure the handle
 * explains it:
 *   pg_errmsg()     the kernel's extended-ACK message (NLMSGERR_ATTR_MSG), or
 *                   the library's own message for failures that never reached
 *                   the kernel; "" when there is neither (use strerror()).
 *   pg_errattr()    the top-level request attribute the kernel blamed
 *                   (PEERGROUP_A_*), or 0.
 *   pg_errminlen(), pg_errmaxlen()
 *                   the length limits of the policy the blamed attribute broke,
 *                   or 0.
 * pg_windows_error() turns the errno and the attribute into the HRESULT name a
 * user of p2p.h knows. All of these describe the last call on the handle; a
 * call that succeeds clears them.
 *
 * The library never checks names or identities itself: the kernel is the
 * judge, so whatever the caller passes is sent as given.
 *
 * Threads: a handle is not locked. Use one handle per thread (or serialize
 * the calls on a handle yourself). The library has no global state besides
 * constant tables, so handles are independent of each other.
 *
 * Namespaces: a handle acts on the network namespace its socket was created
 * in, i.e. the one of the calling thread at pg_open() time.
 */
#ifndef _PG_LIBPEERGROUP_H
#define _PG_LIBPEERGROUP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/peergroup.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nl_msg;
struct nl_sock;
struct pg_handle;

/*
 * Handle
 * ------
 * pg_open() connects a generic netlink socket, asks for extended ACKs and
 * resolves the family PEERGROUP_GENL_NAME.
 *
 * Whatever it returns, *hp is set: to a handle, or to NULL when not even the
 * handle could be allocated (-ENOMEM). On failure the handle only carries the
 * error: read pg_errmsg(*hp), then pg_close(*hp). So the caller always does
 *
 *	err = pg_open(&h);
 *	if (err)
 *		fprintf(stderr, "%s\n", pg_errmsg(h));   // "" if h is NULL
 *	...
 *	pg_close(h);
 *
 * Errors: -ENOENT when the family is not registered (module not loaded); the
 * message is then "generic netlink family "peergroup" not found: is the
 * peergroup module loaded?". Other negative errnos when the socket cannot be
 * created or configured.
 */
int pg_open(struct pg_handle **hp);

/* Closes the socket and frees the handle; NULL is allowed. */
void pg_close(struct pg_handle *h);

/*
 * The message explaining the last failed call on h, never NULL: the kernel's
 * extended-ACK message, or a library message, or "" when there is none (then
 * strerror() of the errno is the best explanation). "" for a NULL handle.
 */
const char *pg_errmsg(const struct pg_handle *h);

/*
 * The top-level attribute of our request the kernel blamed for the last
 * failure (PEERGROUP_A_GROUP_NAME, ...), from NLMSGERR_ATTR_MISS_TYPE (a
 * missing attribute) or NLMSGERR_ATTR_OFFS (a bad one: the attribute of the
 * request that contains the offset). For a fault inside a nested attribute
 * this is the outermost attribute. 0 when the kernel named none.
 */
int pg_errattr(const struct pg_handle *h);

/*
 * The length limits (NL_POLICY_TYPE_ATTR_MIN_LENGTH / _MAX_LENGTH) of the
 * policy the blamed attribute broke, as the kernel reported them in
 * NLMSGERR_ATTR_POLICY; 0 when not reported. For strings the maximum excludes
 * the terminating NUL, so 64 reads "at most 64 characters".
 */
uint32_t pg_errminlen(const struct pg_handle *h);
uint32_t pg_errmaxlen(const struct pg_handle *h);

/*
 * Raw access, for tests and for commands the library does not wrap yet.
 *
 * pg_family() is the resolved family id, pg_sock() the libnl socket (do not
 * change its callbacks or sequence numbers; pg_transact() relies on them).
 *
 * pg_msg_new() allocates a message (one page; nlmsg_expand() it for more)
 * with a generic netlink header for cmd, our family id and
 * PEERGROUP_GENL_VERSION, and the given nlmsg flags (e.g. NLM_F_DUMP).
 * NULL when out of memory.
 *
 * pg_transact() sends msg, completed by libnl (port, sequence number,
 * NLM_F_REQUEST, NLM_F_ACK), and reads the answer to the end: the ACK or
 * error of a request, or the NLMSG_DONE of a dump (whose error, if any, the
 * kernel reports in the DONE payload). parse, when not NULL, is called with
 * each reply message in order; it returns 0, or a negative errno that ends
 * up as the result (the remaining replies are still read, so the socket stays
 * in step). pg_transact() always frees msg, also on failure and when msg is
 * NULL (then it returns -ENOMEM, so pg_transact(h, pg_msg_new(...), ...) is
 * safe).
 * Returns 0, the kernel's negative errno (with pg_errmsg/pg_errattr set), a
 * parse error, or -EINTR when a dump was flagged NLM_F_DUMP_INTR (the table
 * changed during the dump: everything parse saw is suspect; start again).
 */
int pg_family(const struct pg_handle *h);
struct nl_sock *pg_sock(struct pg_handle *h);
struct nl_msg *pg_msg_new(struct pg_handle *h, uint8_t cmd, int nlm_flags);
int pg_transact(struct pg_handle *h, struct nl_msg *msg,
		int (*parse)(struct nl_msg *msg, void *arg), void *arg);

/*
 * Groups
 * ------
 * A group as the kernel reports it (PEERGROUP_CMD_GROUP_GET). Strings are
 * NUL-terminated; an attribute the kernel did not send is left empty (0).
 */
struct pg_group_info {
	char name[PEERGROUP_GROUP_NAME_MAX + 1];
	char id[PEERGROUP_GROUP_ID_MAX + 1];	/* "<40 hex>.<name>" */
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	uint64_t created_ns;			/* ns since the Unix epoch, UTC */
};

/*
 * In the calls below a NULL name or identity leaves the attribute out of the
 * request (the kernel then reports it missing: -EINVAL, pg_errattr() names
 * it); this is for tests, real callers always pass both.
 */

/*
 * PeerGroupCreate: creates group name with the local identity as its
 * creator (PEERGROUP_CMD_GROUP_ADD). out, if not NULL, receives the new group
 * as the kernel created it.
 * Errors: -EINVAL (bad or missing name or identity), -EEXIST, -ENOSPC (the
 * namespace's max_groups reached), -ENOMEM, -EPERM (no CAP_NET_ADMIN).
 */
int pg_group_create(struct pg_handle *h, const char *name, const char *identity,
		    struct pg_group_info *out);

/*
 * PeerGroupDelete: deletes group name and everything it holds
 * (PEERGROUP_CMD_GROUP_DEL). Errors: -EINVAL, -ENOENT, -EPERM.
 */
int pg_group_delete(struct pg_handle *h, const char *name);

/*
 * One group by name (PEERGROUP_CMD_GROUP_GET). Errors: -EINVAL, -ENOENT.
 */
int pg_group_get(struct pg_handle *h, const char *name,
		 struct pg_group_info *out);

/*
 * PeerGroupEnum: every group of the namespace, in name order, as one array
 * in *groups (free() it; NULL when there are none) of *count entries. A dump
 * interrupted by a concurrent change is restarted up to PG_DUMP_RESTARTS
 * times, then the call fails with -EAGAIN ("group list kept changing during
 * the dump"). On failure *groups is NULL and *count 0.
 */
#define PG_DUMP_RESTARTS 5
int pg_group_enum(struct pg_handle *h, struct pg_group_info **groups,
		  size_t *count);

/*
 * Names
 * -----
 * pg_windows_error(): for a negative errno and the attribute the kernel
 * blamed (pg_errattr(), or 0), the Windows name of the same failure, e.g.
 * -EEXIST -> "PEER_E_ALREADY_EXISTS", -EINVAL with PEERGROUP_A_GROUP_NAME ->
 * "PEER_E_INVALID_CLASSIFIER"; "E_FAIL" for anything without a counterpart.
 * A positive errno is accepted too. Never NULL.
 *
 * pg_errno_name(): the symbolic name of an errno ("EEXIST") for the ones this
 * API produces and their usual neighbours, sign ignored; NULL if unknown.
 *
 * pg_attr_name(): what a PEERGROUP_A_* attribute means, for messages
 * ("group name", "identity", ...); NULL if unknown.
 */
const char *pg_windows_error(int err, int attr);
const char *pg_errno_name(int err);
const char *pg_attr_name(int attr);

#ifdef __cplusplus
}
#endif

#endif /* _PG_LIBPEERGROUP_H */
