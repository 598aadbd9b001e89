// SPDX-License-Identifier: GPL-2.0
/*
 * A module that splats on purpose, for the test VM harness' own test: it
 * proves that a kernel splat fails a run (selftests/vm/selftest-harness).
 * Never load it outside a test VM.
 *
 * The mode parameter names the splat, triggered at load:
 *   none     nothing; the module loads and unloads quietly
 *   warn     WARN(); the module still loads
 *   uaf      reads freed memory (KASAN reports it)
 *   lockdep  takes two mutexes in both orders (lockdep reports it)
 *   leak     loses allocations (kmemleak reports them at its next scan)
 * A new splat is a new small function and a line in splats[].
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "splat to trigger at load: none, warn, uaf, lockdep, leak");

static int splat_none(void)
{
	return 0;
}

static int splat_warn(void)
{
	WARN(1, "pg_splat_test: deliberate warning\n");
	return 0;
}

static int splat_uaf(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	kfree(p);
	/* Keep the compiler from seeing that p is dead. */
	OPTIMIZER_HIDE_VAR(p);
	pr_info("read after free: %d\n", READ_ONCE(p[0]));
	return 0;
}

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);

/* No deadlock happens: lockdep reports the order that could make one. */
static int splat_lockdep(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);

	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
	return 0;
}

static int splat_leak(void)
{
	void *p;
	int i;

	for (i = 0; i < 4; i++) {
		p = kmalloc(128, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		memset(p, 0xa5, 128);
		OPTIMIZER_HIDE_VAR(p);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*trigger)(void);
} splats[] = {
	{ "none", splat_none },
	{ "warn", splat_warn },
	{ "uaf", splat_uaf },
	{ "lockdep", splat_lockdep },
	{ "leak", splat_leak },
};

static int __init pg_splat_test_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(splats); i++) {
		if (!strcmp(mode, splats[i].name)) {
			pr_info("triggering '%s'\n", mode);
			return splats[i].trigger();
		}
	}
	pr_err("unknown mode '%s'\n", mode);
	return -EINVAL;
}

static void __exit pg_splat_test_exit(void)
{
}

module_init(pg_splat_test_init);
module_exit(pg_splat_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Triggers kernel splats on demand, to test the peergroup test VM");
