// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures in every group command: each command is repeated with
 * its N-th kernel allocation failing (failslab, for this task only, through
 * /proc/thread-self/fail-nth), for N = 1, 2, ... until the command runs
 * without reaching the N-th allocation. Every failure must come back as an
 * error and leave the namespace as it was; leaks are caught by kmemleak and
 * the lifetime pairing of the run. Needs CONFIG_FAULT_INJECTION and
 * CONFIG_FAILSLAB (the debug lane).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/peergroup.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define MAX_TRIES	10000

/* Arms the N-th allocation of this thread to fail (0 disarms). */
static int fail_nth(int fd, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

/* What is left of the count: 0 once the failure was injected. */
static int fail_nth_left(int fd)
{
	char buf[16] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return atoi(buf);
}

/*
 * Runs @op on a fresh handle with its @n-th allocation failing, then gives
 * *h a fresh handle again: a failure may hit the socket itself (a lost
 * reply), which must not spoil what comes next. Returns @op's result;
 * *injected says whether the n-th allocation was reached.
 */
static int with_nth_failure(int nth, struct pg_handle **h, int n,
			    int (*op)(struct pg_handle *), bool *injected)
{
	int ret;

	pg_close(*h);
	if (pg_open(h))
		return -EBADF;
	if (fail_nth(nth, n))
		return -EBADF;
	ret = op(*h);
	*injected = fail_nth_left(nth) == 0;
	fail_nth(nth, 0);
	pg_close(*h);
	return pg_open(h) ? -EBADF : ret;
}

/* An error an allocation failure may cause; anything else is a bug. */
static bool alloc_error(int ret)
{
	return ret == -ENOMEM || ret == -ENOBUFS || ret == -EAGAIN;
}

static int create_office(struct pg_handle *h)
{
	return pg_group_create(h, "office", "alice", NULL);
}

static int delete_office(struct pg_handle *h)
{
	return pg_group_delete(h, "office");
}

static int read_both(struct pg_handle *h)
{
	struct pg_group_info got;
	long n;
	int ret;

	ret = pg_group_get(h, "office", &got);
	if (ret)
		return ret;
	n = count_groups(h);
	return n < 0 ? n : n == 2 ? 0 : -EPROTO;
}

FIXTURE(faults) {
	struct pg_handle *h;
	int nth;
};

FIXTURE_SETUP(faults)
{
	self->nth = open(FAIL_NTH, O_RDWR);
	ASSERT_LE(0, self->nth) TH_LOG("%s: %s (needs CONFIG_FAULT_INJECTION)",
				       FAIL_NTH, strerror(errno));
	/* GFP_KERNEL allocations too, and quietly. */
	ASSERT_EQ(0, write_file(FAILSLAB "ignore-gfp-wait", "N"))
		TH_LOG("failslab: needs CONFIG_FAILSLAB and debugfs");
	ASSERT_EQ(0, write_file(FAILSLAB "verbose", "0"));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pg_open(&self->h));
}

FIXTURE_TEARDOWN(faults)
{
	fail_nth(self->nth, 0);
	close(self->nth);
	pg_close(self->h);
}

/*
 * One sweep: @op with its 1st, 2nd, ... allocation failing, until it runs
 * without reaching the failing one (and must then succeed). @before, if
 * any, sets the namespace up for each attempt; @after_failure checks it
 * after an attempt that failed with @ret. Returns how many allocations were
 * failed in turn.
 */
static int sweep(struct __test_metadata *_metadata, int nth,
		 struct pg_handle **h, int (*before)(struct pg_handle *),
		 int (*op)(struct pg_handle *),
		 void (*after_failure)(struct __test_metadata *_metadata,
				       struct pg_handle *h, int n, int ret))
{
	int n, ret, failures = 0;
	bool injected;

	for (n = 1; n < MAX_TRIES; n++) {
		if (before) {
			ASSERT_EQ(0, before(*h));
		}
		ret = with_nth_failure(nth, h, n, op, &injected);
		ASSERT_NE(-EBADF, ret);
		if (!injected) {
			/* The command never reached its n-th allocation. */
			ASSERT_EQ(0, ret) TH_LOG("n=%d: %s", n, pg_errmsg(*h));
			break;
		}
		failures++;
		if (ret) {
			ASSERT_TRUE(alloc_error(ret)) TH_LOG("n=%d: unexpected %d", n, ret);
		}
		after_failure(_metadata, *h, n, ret);
	}
	ASSERT_LT(n, MAX_TRIES);
	ASSERT_LT(0, failures);
	return failures;
}

/*
 * After a failed create, either nothing happened, or the kernel did all
 * the work and only our reply was lost: then the group is whole. Then the
 * namespace is emptied for the next attempt.
 */
static void create_failed(struct __test_metadata *_metadata,
			  struct pg_handle *h, int n, int ret)
{
	struct pg_group_info got;

	if (ret && pg_group_get(h, "office", &got) == 0) {
		ASSERT_EQ(-ENOBUFS, ret) TH_LOG("n=%d: group left after %d", n, ret);
		ASSERT_STREQ("alice", got.identity);
	}
	ASSERT_LE(count_groups(h), 1);
	pg_group_delete(h, "office");
	ASSERT_EQ(0, count_groups(h));
}

TEST_F(faults, create)
{
	int failures = sweep(_metadata, self->nth, &self->h, NULL,
			     create_office, create_failed);

	TH_LOG("create: %d allocations failed in turn", failures);
	ASSERT_EQ(1, count_groups(self->h));
}

/* Each delete attempt starts with the group there. */
static int office_present(struct pg_handle *h)
{
	struct pg_group_info got;

	return pg_group_get(h, "office", &got) ? create_office(h) : 0;
}

/* After a failed delete: still there and whole, unless only the reply was lost. */
static void delete_failed(struct __test_metadata *_metadata,
			  struct pg_handle *h, int n, int ret)
{
	struct pg_group_info got;

	(void)n;
	if (!ret)
		return;
	if (pg_group_get(h, "office", &got) == 0) {
		ASSERT_STREQ("alice", got.identity);
	} else {
		ASSERT_EQ(-ENOBUFS, ret);
	}
}

TEST_F(faults, delete)
{
	int failures = sweep(_metadata, self->nth, &self->h, office_present,
			     delete_office, delete_failed);

	TH_LOG("delete: %d allocations failed in turn", failures);
	ASSERT_EQ(0, count_groups(self->h));
}

/* Reading commands change nothing, fail or not. */
static void read_failed(struct __test_metadata *_metadata,
			struct pg_handle *h, int n, int ret)
{
	(void)n;
	(void)ret;
	ASSERT_EQ(2, count_groups(h));
}

TEST_F(faults, get_and_dump)
{
	int failures;

	ASSERT_EQ(0, create_office(self->h));
	ASSERT_EQ(0, pg_group_create(self->h, "lab", "bob", NULL));
	failures = sweep(_metadata, self->nth, &self->h, NULL, read_both,
			 read_failed);
	TH_LOG("get and dump: %d allocations failed in turn", failures);
}

TEST_HARNESS_MAIN
