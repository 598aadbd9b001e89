// SPDX-License-Identifier: GPL-2.0
/*
 * peergroup: a group of peers sharing a table of signed records, after the
 * Windows Peer Grouping API. Module init and exit only.
 */
#include "cert.h"
#include "conn.h"
#include "der.h"
#include "fault.h"
#include "group.h"
#include "hkdf.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"
#include "query.h"
#include "record.h"
#include "write.h"

#include <linux/module.h>
#include <linux/peergroup.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

struct workqueue_struct *pg_wq;

static int __init pg_mod_init(void)
{
	int ret;

#ifdef DEBUG
	if (!pg_query_selftest() || !pg_record_selftest() ||
	    !pg_hkdf_selftest() || !pg_recon_selftest() ||
	    !pg_der_selftest() || !pg_cert_selftest())
		return -ENOTRECOVERABLE;
#endif
	pg_wq = alloc_workqueue("peergroup", WQ_UNBOUND, 0);
	if (!pg_wq)
		return -ENOMEM;
	ret = pg_pernet_init();
	if (ret)
		goto err_wq;
#ifdef DEBUG
	/*
	 * Before the family is registered: its group is seen by no one, and
	 * its events have no listeners.
	 */
	if (!pg_import_selftest()) {
		ret = -ENOTRECOVERABLE;
		goto err_pernet;
	}
#endif
	ret = pg_sync_init();
	if (ret)
		goto err_pernet;
	ret = pg_props_init();
	if (ret)
		goto err_sync;
	pg_fault_init();
	ret = pg_genetlink_init();
	if (ret)
		goto err_props;
	pr_info("loaded; generic netlink family \"%s\" version %u\n",
		PEERGROUP_GENL_NAME, PEERGROUP_GENL_VERSION);
	return 0;

err_props:
	pg_fault_uninit();
	pg_props_uninit();
err_sync:
	pg_sync_uninit();
err_pernet:
	pg_pernet_uninit();
err_wq:
	destroy_workqueue(pg_wq);
	return ret;
}

static void __exit pg_mod_exit(void)
{
	pg_genetlink_uninit();
	pg_fault_uninit();
	pg_props_uninit();
	pg_sync_uninit();
	pg_pernet_uninit();
	destroy_workqueue(pg_wq);
}

module_init(pg_mod_init);
module_exit(pg_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Peer groups sharing a replicated table of signed records");
MODULE_AUTHOR("The peergroup developers");
MODULE_ALIAS_GENL_FAMILY(PEERGROUP_GENL_NAME);
/*
 * Replication's AEAD, modules on Debian's kernels: the crypto API loads
 * them on demand where modprobe can, and modprobe loads them with us.
 * X25519 is the kernel's curve25519 library, a dependency by symbol.
 */
MODULE_SOFTDEP("pre: crypto-rfc7539 crypto-chacha20 crypto-poly1305");
