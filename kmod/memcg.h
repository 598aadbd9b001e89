/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who pays for replication's memory: a group's records, connections and
 * queues are charged to the memory cgroup of the task that created the
 * group; an accepted connection, until its HELLO names a group, to the one
 * of the task that opened the listener. The work of pg_wq's kworkers runs
 * with that cgroup active (set_active_memcg()), so that GFP_KERNEL_ACCOUNT
 * charges it rather than no one: a container that fills its own cgroup
 * fails its own allocations and no one else's.
 */
#ifndef _PG_MEMCG_H
#define _PG_MEMCG_H

#include <linux/memcontrol.h>
#include <linux/sched/mm.h>

/* The calling task's memory cgroup, referenced (NULL: no memcg). */
static inline struct mem_cgroup *pg_memcg_current(void)
{
	return get_mem_cgroup_from_mm(current->mm);
}

/* Another reference to @memcg, which may be NULL. */
static inline struct mem_cgroup *pg_memcg_hold(struct mem_cgroup *memcg)
{
	if (memcg)
		css_get(&memcg->css);
	return memcg;
}

#endif /* _PG_MEMCG_H */
