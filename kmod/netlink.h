/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "peergroup"; uapi/linux/peergroup.h documents it.
 */
#ifndef _PG_NETLINK_H
#define _PG_NETLINK_H

#include <linux/init.h>

int __init pg_genetlink_init(void);
void pg_genetlink_uninit(void);

#endif /* _PG_NETLINK_H */
