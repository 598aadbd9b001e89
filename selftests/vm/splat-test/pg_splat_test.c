// SPDX-License-Identifier: GPL-2.0
/*
 * A module that splats on purpose, for the test VM harness' own test: it
 * proves that a kernel splat fails a run (selftests/vm/selftest-harness).
 * Never load it outside a test VM.
 *
 * The mode parameter names the splat, triggered at load:
 *   none   nothing; the module loads and unloads quietly
 *   warn   WARN(); the module still loads
 * A new splat is a new small function and a line in splats[].
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "splat to trigger at load: none, warn");

static int splat_none(void)
{
	return 0;
}

static int splat_warn(void)
{
	WARN(1, "pg_splat_test: deliberate warning\n");
	return 0;
}

static const struct {
	const char *name;
	int (*trigger)(void);
} splats[] = {
	{ "none", splat_none },
	{ "warn", splat_warn },
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
