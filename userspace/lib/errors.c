// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Error names: errno to its symbol, errno (+ blamed attribute) to the
 * Windows HRESULT name (Documentation/netlink-api.rst, "Errors and their
 * Windows names"), libnl's codes back to errno.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netlink/errno.h>
#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Windows names. The first row that matches wins: a row with an attribute
 * refines the errno for that attribute only, so put refinements above the
 * errno's general row (attr 0).
 */
static const struct {
	int err;
	int attr;
	const char *name;
} windows_names[] = {
	/* The group name is the classifier of "authority.classifier". */
	{ EINVAL, PEERGROUP_A_GROUP_NAME, "PEER_E_INVALID_CLASSIFIER" },
	{ EINVAL, PEERGROUP_A_IDENTITY, "PEER_E_INVALID_PEER_NAME" },
	{ EINVAL, PEERGROUP_A_GROUP_CREATOR, "PEER_E_INVALID_PEER_NAME" },
	{ EINVAL, PEERGROUP_A_GROUP_FLAGS, "PEER_E_INVALID_GROUP_PROPERTIES" },
	{ EINVAL, PEERGROUP_A_GROUP_MAX_RECORD_SIZE,
	  "PEER_E_INVALID_GROUP_PROPERTIES" },
	{ EINVAL, PEERGROUP_A_GROUP_MAX_RECORDS,
	  "PEER_E_INVALID_GROUP_PROPERTIES" },
	{ EINVAL, PEERGROUP_A_GROUP_MAX_BYTES, "PEER_E_INVALID_GROUP_PROPERTIES" },
	{ EINVAL, PEERGROUP_A_GROUP_MAX_LIFETIME,
	  "PEER_E_INVALID_GROUP_PROPERTIES" },
	{ EINVAL, PEERGROUP_A_RECORD, "PEER_E_INVALID_RECORD" },
	{ EINVAL, PEERGROUP_A_QUERY, "PEER_E_INVALID_SEARCH" },
	{ EINVAL, 0, "E_INVALIDARG" },
	{ EEXIST, 0, "PEER_E_ALREADY_EXISTS" },
	{ ENOENT, PEERGROUP_A_RECORD, "PEER_E_RECORD_NOT_FOUND" },
	/* No such listener or neighbour: the closest is a connection. */
	{ ENOENT, PEERGROUP_A_ADDR, "PEER_E_CONNECTION_NOT_FOUND" },
	{ ENOENT, PEERGROUP_A_NEIGHBOUR_ID, "PEER_E_CONNECTION_NOT_FOUND" },
	{ ENOENT, 0, "PEER_E_INVALID_GROUP" },
	{ ENODEV, 0, "PEER_E_INVALID_GROUP" },
	{ EACCES, 0, "PEER_E_NOT_AUTHORIZED" },
	{ EPERM, 0, "E_ACCESSDENIED" },
	{ EMSGSIZE, 0, "PEER_E_MAX_RECORD_SIZE_EXCEEDED" },
	{ EAGAIN, 0, "PEER_E_GROUP_NOT_READY" },
	{ EBUSY, 0, "PEER_E_GROUP_IN_USE" },
	{ ENOMEM, 0, "E_OUTOFMEMORY" },
	{ ENOSPC, 0, "E_OUTOFMEMORY" },
};

const char *pg_windows_error(int err, int attr)
{
	size_t i;

	if (err < 0)
		err = -err;
	/* The netlink policy's "wrong size or out of range": a bad argument. */
	if (err == ERANGE)
		err = EINVAL;
	for (i = 0; i < ARRAY_SIZE(windows_names); i++)
		if (windows_names[i].err == err &&
		    (!windows_names[i].attr || windows_names[i].attr == attr))
			return windows_names[i].name;
	return "E_FAIL";
}

/*
 * The table above knows the top-level attribute only; inside a record and a
 * query the innermost one decides, and a missing attribute is never the
 * fault of a value.
 */
const char *pg_error_windows(const struct pg_error *e)
{
	int err = e->err < 0 ? -e->err : e->err;
	const uint16_t *p = e->path;
	int d = e->depth;

	if (err == ERANGE)
		err = EINVAL;
	/*
	 * A search query is checked in a dump's first pass, whose error comes
	 * in NLMSG_DONE: without an offset on 6.1, with one relative to the
	 * request on later kernels. The kernel's message names the field, as
	 * every one of its messages does, and decides.
	 */
	if (err == EINVAL && !strncmp(e->msg, "search query:", 13))
		return "PEER_E_INVALID_SEARCH";
	if (err == EINVAL && !strncmp(e->msg, "search value:", 13))
		return "E_INVALIDARG";
	if (err == EINVAL && e->missing)
		return "E_INVALIDARG";
	if (err == EINVAL && d >= 2 && p[0] == PEERGROUP_A_RECORD &&
	    p[1] == PEERGROUP_RECORD_A_ATTRS)
		return "PEER_E_INVALID_ATTRIBUTES";
	/* A clause's string value: a bad escape, E_INVALIDARG in Windows. */
	if (err == EINVAL && d >= 3 && p[0] == PEERGROUP_A_QUERY &&
	    p[d - 2] == PEERGROUP_QUERY_A_CLAUSE &&
	    p[d - 1] == PEERGROUP_CLAUSE_A_STR)
		return "E_INVALIDARG";
	return pg_windows_error(err, e->attr);
}

const char *pg_last_windows_error(const struct pg_handle *h, int err)
{
	struct pg_error e = { .err = err };

	if (h && (h->last.err == err || h->last.err == -err))
		return pg_error_windows(&h->last);
	return pg_error_windows(&e);
}

#define ERRNO(e) { e, #e }
static const struct {
	int err;
	const char *name;
} errno_names[] = {
	ERRNO(EPERM), ERRNO(ENOENT), ERRNO(EINTR), ERRNO(EIO),
	ERRNO(EBADF), ERRNO(EAGAIN), ERRNO(ENOMEM), ERRNO(EACCES),
	ERRNO(EFAULT), ERRNO(EBUSY), ERRNO(EEXIST), ERRNO(ENODEV),
	ERRNO(EINVAL), ERRNO(ENOSPC), ERRNO(ERANGE), ERRNO(ENOSYS),
	ERRNO(ENODATA), ERRNO(ETIME), ERRNO(EPROTO), ERRNO(EBADMSG),
	ERRNO(EOVERFLOW), ERRNO(EMSGSIZE), ERRNO(EPROTONOSUPPORT),
	ERRNO(EOPNOTSUPP), ERRNO(EAFNOSUPPORT), ERRNO(EADDRINUSE),
	ERRNO(EADDRNOTAVAIL), ERRNO(ENETUNREACH), ERRNO(ECONNRESET),
	ERRNO(ENOBUFS), ERRNO(ENOTCONN), ERRNO(ETIMEDOUT),
	ERRNO(ECONNREFUSED), ERRNO(EHOSTUNREACH), ERRNO(EALREADY),
	ERRNO(EINPROGRESS), ERRNO(ECANCELED), ERRNO(EKEYREJECTED),
	ERRNO(ENOKEY), ERRNO(EKEYEXPIRED), ERRNO(EKEYREVOKED),
};
#undef ERRNO

const char *pg_errno_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

static const char *const attr_names[] = {
	[PEERGROUP_A_GROUP_NAME] = "group name",
	[PEERGROUP_A_GROUP_ID] = "group id",
	[PEERGROUP_A_IDENTITY] = "identity",
	[PEERGROUP_A_GROUP_CREATED] = "creation time",
	[PEERGROUP_A_GROUP_CREATOR] = "creator",
	[PEERGROUP_A_GROUP_KEY] = "group key",
	[PEERGROUP_A_GROUP_KDF_TIME] = "kdf time",
	[PEERGROUP_A_GROUP_KDF_MEMORY] = "kdf memory",
	[PEERGROUP_A_GROUP_KDF_LANES] = "kdf lanes",
	[PEERGROUP_A_GROUP_SECURITY] = "security",
	[PEERGROUP_A_GROUP_KEY_SERIAL] = "key serial",
	[PEERGROUP_A_GROUP_CERTS] = "certificates",
	[PEERGROUP_A_GROUP_FLAGS] = "group flags",
	[PEERGROUP_A_GROUP_MAX_RECORD_SIZE] = "max record size",
	[PEERGROUP_A_GROUP_MAX_RECORDS] = "max records",
	[PEERGROUP_A_GROUP_MAX_BYTES] = "max bytes",
	[PEERGROUP_A_GROUP_MAX_LIFETIME] = "max lifetime",
	[PEERGROUP_A_TIME_UTC] = "UTC time",
	[PEERGROUP_A_TIME_PEER] = "peer time",
	[PEERGROUP_A_RECORD] = "record",
	[PEERGROUP_A_RECORD_TYPE] = "record type",
	[PEERGROUP_A_RECORD_CREATOR] = "record creator",
	[PEERGROUP_A_DUMP_FLAGS] = "dump flags",
	[PEERGROUP_A_QUERY] = "search query",
	[PEERGROUP_A_RECORD_ORIGIN] = "record origin",
	[PEERGROUP_A_ADDR] = "address",
	[PEERGROUP_A_PORT] = "port",
	[PEERGROUP_A_NEIGHBOUR] = "neighbour",
	[PEERGROUP_A_NEIGHBOUR_ID] = "neighbour id",
	[PEERGROUP_A_NEIGHBOUR_EVENT] = "neighbour event",
};

const char *pg_attr_name(int attr)
{
	if (attr <= 0 || (size_t)attr >= ARRAY_SIZE(attr_names))
		return NULL;
	return attr_names[attr];
}

/*
 * libnl's codes as errnos, for failures that did not come with the kernel's
 * own errno (those we read from the nlmsgerr directly: libnl's translation
 * loses some, e.g. ENOSPC).
 */
static const int nl_errnos[] = {
	[NLE_FAILURE] = EIO,
	[NLE_INTR] = EINTR,
	[NLE_BAD_SOCK] = EBADF,
	[NLE_AGAIN] = EAGAIN,
	[NLE_NOMEM] = ENOMEM,
	[NLE_EXIST] = EEXIST,
	[NLE_INVAL] = EINVAL,
	[NLE_RANGE] = ERANGE,
	[NLE_MSGSIZE] = EMSGSIZE,
	[NLE_OPNOTSUPP] = EOPNOTSUPP,
	[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND] = ENOENT,
	[NLE_NOATTR] = ENODATA,
	[NLE_MISSING_ATTR] = EINVAL,
	[NLE_AF_MISMATCH] = EAFNOSUPPORT,
	[NLE_SEQ_MISMATCH] = EPROTO,
	[NLE_MSG_OVERFLOW] = ENOBUFS,
	[NLE_MSG_TRUNC] = EPROTO,
	[NLE_NOADDR] = EADDRNOTAVAIL,
	[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
	[NLE_MSG_TOOSHORT] = EPROTO,
	[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
	[NLE_OBJ_MISMATCH] = EINVAL,
	[NLE_NOCACHE] = ENOMEM,
	[NLE_BUSY] = EBUSY,
	[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
	[NLE_NOACCESS] = EACCES,
	[NLE_PERM] = EPERM,
	[NLE_PKTLOC_FILE] = ENOENT,
	[NLE_PARSE_ERR] = EINVAL,
	[NLE_NODEV] = ENODEV,
	[NLE_IMMUTABLE] = EPERM,
	[NLE_DUMP_INTR] = EINTR,
	[NLE_ATTRSIZE] = ERANGE,
};

int pg_errno_from_nl(int nlerr)
{
	if (nlerr < 0)
		nlerr = -nlerr;
	if (nlerr == 0)
		return 0;
	if ((size_t)nlerr >= ARRAY_SIZE(nl_errnos) || !nl_errnos[nlerr])
		return -EIO;
	return -nl_errnos[nlerr];
}
