/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel APIs peergroup uses differ between the kernels it supports
 * (Debian's 6.1 and 6.12). Kbuild probes the headers (see kmod/Kbuild); here
 * the newer spelling is provided on top of the older kernel, so the rest of
 * the module is written once, against the newer API.
 */
#ifndef _PG_COMPAT_H
#define _PG_COMPAT_H

#include <net/genetlink.h>
#include <net/net_namespace.h>

/* 6.6 added an explicit table size; before it the table ends in a sentinel. */
#ifndef PG_HAVE_REGISTER_NET_SYSCTL_SZ
#define register_net_sysctl_sz(net, path, table, size) \
	register_net_sysctl(net, path, table)
#endif

/* 6.7 renamed genl_dumpit_info() to genl_info_dump(). */
#ifndef PG_HAVE_GENL_INFO_DUMP
#define genl_info_dump(cb) genl_dumpit_info(cb)
#endif

/*
 * A multicast group that only CAP_NET_ADMIN may join (in the user namespace
 * that owns the network namespace, when a socket joins): 5.12 made it the
 * flag GENL_UNS_ADMIN_PERM, 6.8 (and 6.1.176) renamed it.
 */
#ifndef PG_HAVE_GENL_MCAST_CAP
#define GENL_MCAST_CAP_NET_ADMIN GENL_UNS_ADMIN_PERM
#endif

#endif /* _PG_COMPAT_H */
