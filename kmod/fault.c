// SPDX-License-Identifier: GPL-2.0
/*
 * The connection paths' fault attribute (fault.h says what and why).
 */
#include "fault.h"

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/seq_file.h>

static DECLARE_FAULT_ATTR(pg_fault_attr);
static u32 pg_fault_sites = GENMASK(PG_FAULT_NR - 1, 0);
static atomic_t pg_fault_injected[PG_FAULT_NR];
static struct dentry *pg_fault_dir;

static const char *const pg_fault_names[PG_FAULT_NR] = {
	[PG_FAULT_CONNECT] = "connect",
	[PG_FAULT_ACCEPT] = "accept",
	[PG_FAULT_HANDSHAKE] = "handshake",
	[PG_FAULT_RECEIVE] = "receive",
	[PG_FAULT_SEND] = "send",
	[PG_FAULT_RECORD] = "record",
};

bool pg_fault(enum pg_fault_site site)
{
	if (!(READ_ONCE(pg_fault_sites) & BIT(site)))
		return false;
	/*
	 * Unarmed, should_fail() is not even asked: it would take one from a
	 * task's fail-nth, which failslab's sweeps over the netlink paths
	 * count on.
	 */
	if (!READ_ONCE(pg_fault_attr.probability))
		return false;
	if (!should_fail(&pg_fault_attr, 1))
		return false;
	atomic_inc(&pg_fault_injected[site]);
	return true;
}

static int injected_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < PG_FAULT_NR; i++)
		seq_printf(m, "%s %d\n", pg_fault_names[i],
			   atomic_read(&pg_fault_injected[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(injected);

void pg_fault_init(void)
{
	struct dentry *dir;

	/* The sweeps read the counts, not a stack trace per failure. */
	pg_fault_attr.verbose = 0;
	dir = fault_create_debugfs_attr("fail_peergroup", NULL, &pg_fault_attr);
	if (IS_ERR(dir)) {
		pr_warn("no fault injection over the connection paths: %ld\n",
			PTR_ERR(dir));
		return;
	}
	debugfs_create_x32("sites", 0600, dir, &pg_fault_sites);
	debugfs_create_file("injected", 0400, dir, NULL, &injected_fops);
	pg_fault_dir = dir;
}

void pg_fault_uninit(void)
{
	debugfs_remove_recursive(pg_fault_dir);
	pg_fault_dir = NULL;
}

#endif
