/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * peergroup: a group of peers sharing a table of signed records, after the
 * Windows Peer Grouping API (p2p.h), as a generic netlink family.
 *
 * This header is the whole contract between the kernel module and userspace.
 *
 * Family
 * ------
 * The generic netlink family is PEERGROUP_GENL_NAME, version
 * PEERGROUP_GENL_VERSION. It is network-namespace aware: every command acts on
 * the groups of the network namespace of the requesting socket, and nothing is
 * shared between namespaces. Requests are validated strictly: unknown
 * attributes, attributes not allowed for a command, and the nlmsg flags
 * NLM_F_CREATE/NLM_F_EXCL/NLM_F_REPLACE are rejected. Every failure returns a
 * negative errno and an extended ACK message (NLMSGERR_ATTR_MSG) naming the
 * field at fault; where one attribute is at fault, NLMSGERR_ATTR_OFFS points at
 * it, and a missing one is named by NLMSGERR_ATTR_MISS_TYPE. EEXIST and
 * ENOENT about a group point at PEERGROUP_A_GROUP_NAME.
 *
 * 64-bit attributes are aligned with PEERGROUP_A_PAD attributes (see
 * nla_put_u64_64bit()); readers skip those.
 *
 * Commands that change state, or would reveal secrets, need CAP_NET_ADMIN in
 * the user namespace that owns the network namespace (EPERM otherwise).
 *
 * Names
 * -----
 * A group name is 1 to PEERGROUP_GROUP_NAME_MAX characters from
 * [A-Za-z0-9._-]. An identity (the local peer name in a group) is
 * PEERGROUP_IDENTITY_MIN to PEERGROUP_IDENTITY_MAX printable ASCII characters
 * without space (0x21..0x7e). Both are sent as NUL-terminated strings.
 *
 * A group id is derived by the module from its creator's identity: 40
 * lowercase hex digits (the first 20 bytes of a SHA-256 hash of the creator's
 * identity) then '.' and the group name, the shape of a Windows secured peer
 * name ("authority.classifier").
 *
 * Limits
 * ------
 * The number of groups per network namespace is capped by the sysctl
 * net.peergroup.max_groups (default PEERGROUP_MAX_GROUPS_DEFAULT, at most
 * PEERGROUP_MAX_GROUPS_LIMIT); creating one more fails with ENOSPC.
 *
 * PEERGROUP_CMD_GROUP_ADD (CAP_NET_ADMIN)
 *   Creates a group; the local identity is its creator.
 *   Request:  PEERGROUP_A_GROUP_NAME (required), PEERGROUP_A_IDENTITY
 *             (required).
 *   Reply:    the new group, as for PEERGROUP_CMD_GROUP_GET.
 *   Errors:   EINVAL (missing or malformed attribute), EEXIST (a group of that
 *             name exists in this namespace), ENOSPC (max_groups reached),
 *             ENOMEM, EPERM.
 *
 * PEERGROUP_CMD_GROUP_DEL (CAP_NET_ADMIN)
 *   Deletes a group and everything it holds.
 *   Request:  PEERGROUP_A_GROUP_NAME (required).
 *   Errors:   EINVAL, ENOENT (no such group), EPERM.
 *
 * PEERGROUP_CMD_GROUP_GET
 *   As a plain request: one group. Request: PEERGROUP_A_GROUP_NAME
 *   (required). Errors: EINVAL, ENOENT.
 *   With NLM_F_DUMP: every group of the namespace, one message each, in name
 *   order; takes no attributes. A dump that spans several messages while
 *   groups are added or deleted is flagged NLM_F_DUMP_INTR: start it again.
 *   Each message carries:
 *     PEERGROUP_A_GROUP_NAME     string
 *     PEERGROUP_A_GROUP_ID       string, the derived group id
 *     PEERGROUP_A_IDENTITY       string, the local identity in the group
 *     PEERGROUP_A_GROUP_CREATED  u64, creation time, ns since the Unix epoch
 */
#ifndef _UAPI_LINUX_PEERGROUP_H
#define _UAPI_LINUX_PEERGROUP_H

#define PEERGROUP_GENL_NAME		"peergroup"
#define PEERGROUP_GENL_VERSION		1

/* The IANA port of p2pgroup, where replication listens by default. */
#define PEERGROUP_DEFAULT_PORT		3587

#define PEERGROUP_GROUP_NAME_MAX	64
#define PEERGROUP_IDENTITY_MIN		2
#define PEERGROUP_IDENTITY_MAX		255
#define PEERGROUP_GROUP_AUTHORITY_LEN	40
#define PEERGROUP_GROUP_ID_MAX		(PEERGROUP_GROUP_AUTHORITY_LEN + 1 + \
					 PEERGROUP_GROUP_NAME_MAX)

#define PEERGROUP_MAX_GROUPS_DEFAULT	1024
#define PEERGROUP_MAX_GROUPS_LIMIT	65536

enum peergroup_cmd {
	PEERGROUP_CMD_UNSPEC,
	PEERGROUP_CMD_GROUP_ADD,
	PEERGROUP_CMD_GROUP_DEL,
	PEERGROUP_CMD_GROUP_GET,

	__PEERGROUP_CMD_MAX
};

#define PEERGROUP_CMD_MAX (__PEERGROUP_CMD_MAX - 1)

enum peergroup_attr {
	PEERGROUP_A_UNSPEC,
	PEERGROUP_A_PAD,
	PEERGROUP_A_GROUP_NAME,
	PEERGROUP_A_GROUP_ID,
	PEERGROUP_A_IDENTITY,
	PEERGROUP_A_GROUP_CREATED,

	__PEERGROUP_A_MAX
};

#define PEERGROUP_A_MAX (__PEERGROUP_A_MAX - 1)

#endif /* _UAPI_LINUX_PEERGROUP_H */
