// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state and its sysctls (net.peergroup.*).
 */
#include "compat.h"
#include "group.h"
#include "peer.h"
#include "pernet.h"

#include <linux/random.h>
#include <linux/peergroup.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/netns/generic.h>

static unsigned int pg_net_id __read_mostly;
static int max_groups_limit = PEERGROUP_MAX_GROUPS_LIMIT;
static int max_connections_limit = PEERGROUP_MAX_CONNECTIONS_LIMIT;
static int queue_bytes_min = PEERGROUP_QUEUE_BYTES_MIN;
static int queue_bytes_limit = PEERGROUP_QUEUE_BYTES_LIMIT;
/*
 * A namespace owned by another user namespace than the initial one (a
 * container's) may lower its limits, never raise them above the defaults:
 * its root is not the machine's, and the memory is the machine's (the way
 * net.core's limits are the initial namespace's to raise).
 */
static int max_groups_default = PEERGROUP_MAX_GROUPS_DEFAULT;
static int max_connections_default = PEERGROUP_MAX_CONNECTIONS_DEFAULT;
static int max_handshakes_default = PEERGROUP_MAX_HANDSHAKES_DEFAULT;
static int queue_bytes_default = PEERGROUP_QUEUE_BYTES_DEFAULT;

/* Copied per namespace; .data is pointed at that namespace's pg_net. */
static const struct ctl_table sysctl_template[] = {
	{
		.procname	= "max_groups",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &max_groups_limit,
	},
	{
		.procname	= "max_connections",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &max_connections_limit,
	},
	{
		.procname	= "max_handshakes",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &max_connections_limit,
	},
	{
		.procname	= "queue_bytes",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &queue_bytes_min,
		.extra2		= &queue_bytes_limit,
	},
	{ }
};

struct pg_net *pg_net(const struct net *net)
{
	return net_generic(net, pg_net_id);
}

static int sysctl_register(struct pg_net *pn)
{
	struct ctl_table *table;

	table = kmemdup(sysctl_template, sizeof(sysctl_template),
			GFP_KERNEL_ACCOUNT);
	if (!table)
		return -ENOMEM;
	table[0].data = &pn->max_groups;
	table[1].data = &pn->max_connections;
	table[2].data = &pn->max_handshakes;
	table[3].data = &pn->queue_bytes;
	if (pn->net->user_ns != &init_user_ns) {
		table[0].extra2 = &max_groups_default;
		table[1].extra2 = &max_connections_default;
		table[2].extra2 = &max_handshakes_default;
		table[3].extra2 = &queue_bytes_default;
	}

	pn->sysctl = register_net_sysctl_sz(pn->net, "net/peergroup", table,
					    ARRAY_SIZE(sysctl_template) - 1);
	if (!pn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

static void sysctl_unregister(struct pg_net *pn)
{
	const struct ctl_table *table = pn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(pn->sysctl);
	kfree(table);
}

static int __net_init pg_net_init(struct net *net)
{
	struct pg_net *pn = pg_net(net);

	pn->net = net;
	atomic_set(&pn->freeing, 0);
	atomic_set(&pn->conns_alive, 0);
	atomic64_set(&pn->next_nb_id, 0);
	get_random_bytes(pn->node_id, sizeof(pn->node_id));
	mutex_init(&pn->lock);
	pn->groups = RB_ROOT;
	pn->gen = 1;
	INIT_LIST_HEAD(&pn->listeners);
	mutex_init(&pn->conn_lock);
	INIT_LIST_HEAD(&pn->conns);
	pg_rl_init(&pn->rl);
	pn->max_groups = PEERGROUP_MAX_GROUPS_DEFAULT;
	pn->max_connections = PEERGROUP_MAX_CONNECTIONS_DEFAULT;
	pn->max_handshakes = PEERGROUP_MAX_HANDSHAKES_DEFAULT;
	pn->queue_bytes = PEERGROUP_QUEUE_BYTES_DEFAULT;
	return sysctl_register(pn);
}

/*
 * Before the namespace's devices go: nothing listens or connects any more,
 * and every connection is on its way down (kernel-anchors 4.3).
 */
static void __net_exit pg_net_pre_exit(struct net *net)
{
	struct pg_net *pn = pg_net(net);

	pg_listen_stop_all(pn);
	mutex_lock(&pn->conn_lock);
	pn->dying = true;
	mutex_unlock(&pn->conn_lock);
	pg_conns_close_all(pn);
}

static void __net_exit pg_net_exit(struct net *net)
{
	struct pg_net *pn = pg_net(net);

	sysctl_unregister(pn);
	mutex_lock(&pn->lock);
	pg_group_flush(pn);
	mutex_unlock(&pn->lock);
	/*
	 * Nothing of the namespace outlives it: module exit relies on it. The
	 * connections go first: they hold the neighbours, which hold groups.
	 */
	pg_conns_wait_freed(pn);
	pg_group_wait_freed(pn);
	pg_rl_free(&pn->rl);
	mutex_destroy(&pn->conn_lock);
	mutex_destroy(&pn->lock);
}

/*
 * A device-level pernet subsystem: when it exits, every socket has already
 * left the namespace, which the replication sockets will rely on.
 */
static struct pernet_operations pg_net_ops = {
	.init	= pg_net_init,
	.pre_exit = pg_net_pre_exit,
	.exit	= pg_net_exit,
	.id	= &pg_net_id,
	.size	= sizeof(struct pg_net),
};

int __init pg_pernet_init(void)
{
	return register_pernet_device(&pg_net_ops);
}

void pg_pernet_uninit(void)
{
	unregister_pernet_device(&pg_net_ops);
}
