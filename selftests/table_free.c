// SPDX-License-Identifier: GPL-2.0
/*
 * Freeing a large table never holds a CPU for long.
 *
 * A group of PG_FREE_RECORDS records (default 20000) is freed three ways:
 * deleted, with its namespace, and by unloading the module. Meanwhile the
 * soft-lockup watchdog's threshold is at its lowest (kernel.watchdog_thresh
 * = 1: a CPU held for 2 s is reported); a report in the kernel log fails the
 * test here, and the VM's verdict on the kernel log fails the run. On the
 * debug kernel, freeing 20000 records in one loop takes about 5 s.
 *
 * The module's debug messages (scripts/vm-suite loads it with dyndbg=+p)
 * say when a group is freed: "netns N: group S (NAME) destroyed".
 *
 * Each test fills its table in about 35 s alone on the debug kernel at
 * 20000 records (its lane's size), a few seconds on a stock kernel: the
 * timeouts (550 s, below the runner's 600 s) are against a hang only.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/peergroup.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

#define GROUP		"free"
#define IDENTITY	"alice"
#define THRESH		"/proc/sys/kernel/watchdog_thresh"

static const uint8_t free_type[PG_GUID_LEN] = {
	0x46, 0x72, 0x65, 0x65, 0x00, 0x00, 0x00, 0x00,
	0x0f, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08,
};

/* The inode number of this process's network namespace, or 0. */
static unsigned long netns_inum(void)
{
	char link[64];
	ssize_t n = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
	unsigned long inum = 0;

	if (n > 0) {
		link[n] = '\0';
		sscanf(link, "net:[%lu]", &inum);
	}
	return inum;
}

/* A group of @n records in this namespace: 0, or 1 with a message. */
static int fill(long n)
{
	struct pg_group_props props = {
		.mask = PG_SET_MAX_RECORDS,
		.max_records = n,
	};
	struct pg_record rec = {
		.present = PG_REC_TYPE | PG_REC_EXPIRES,
	};
	struct pg_handle *h;
	double start = now_s();
	struct rusage ru;
	long i;

	memcpy(rec.type, free_type, PG_GUID_LEN);
	if (pg_open(&h) || pg_group_create(h, GROUP, IDENTITY, NULL) ||
	    (n > PEERGROUP_MAX_RECORDS_DEFAULT && pg_group_set(h, GROUP, &props))) {
		fprintf(stderr, "# the group: %s\n", pg_errmsg(h));
		pg_close(h);
		return 1;
	}
	rec.expires = peer_time_in(h, GROUP, 0) + NS_PER_DAY;
	for (i = 0; i < n; i++) {
		if (pg_record_add(h, GROUP, &rec, NULL, NULL)) {
			fprintf(stderr, "# add %ld: %s\n", i, pg_errmsg(h));
			pg_close(h);
			return 1;
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "# %ld records added in %.1f s (user %.1f s, system %.1f s)\n",
		n, now_s() - start, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	pg_close(h);
	return 0;
}

/*
 * The kernel log from a mark on: the mark is the end of the log when
 * watch_start() was called.
 */
struct watch {
	int kmsg;
	char old_thresh[16];
	bool lockup;
};

static int watch_start(struct watch *w)
{
	ssize_t n;
	int fd;

	memset(w, 0, sizeof(*w));
	w->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (w->kmsg < 0 || lseek(w->kmsg, 0, SEEK_END) < 0)
		return -errno;
	fd = open(THRESH, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, w->old_thresh, sizeof(w->old_thresh) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return write_file(THRESH, "1");
}

/*
 * Reads the log written since the mark until a line that holds both @want
 * and @also (when @want is not NULL) or for @timeout seconds, and notes
 * soft-lockup reports on the way. Whether the line was seen.
 */
static bool watch_for(struct watch *w, const char *want, const char *also,
		      double timeout)
{
	double deadline = now_s() + timeout;
	char rec[2048];
	ssize_t n;

	for (;;) {
		n = read(w->kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EAGAIN) {
			if (!want || now_s() > deadline)
				return false;
			usleep(100000);
			continue;
		}
		if (n < 0 && errno == EPIPE)	/* overwritten: read on */
			continue;
		if (n < 0)
			return false;
		rec[n] = '\0';
		if (strstr(rec, "soft lockup")) {
			w->lockup = true;
			fprintf(stderr, "# kernel: %s", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
		}
		if (want && strstr(rec, want) && strstr(rec, also))
			return true;
	}
}

/* Restores the threshold; whether no soft lockup was reported. */
static bool watch_end(struct watch *w)
{
	watch_for(w, NULL, NULL, 0);
	write_file(THRESH, w->old_thresh);
	close(w->kmsg);
	return !w->lockup;
}

/* Whether the group of namespace @inum was freed within @timeout s. */
static bool wait_destroyed(struct watch *w, unsigned long inum, double timeout)
{
	char netns[64];

	snprintf(netns, sizeof(netns), "netns %lu: group ", inum);
	return watch_for(w, netns, " (" GROUP ") destroyed", timeout);
}

FIXTURE(free) {
	long n;
	unsigned long inum;
};

FIXTURE_SETUP(free)
{
	self->n = env_long("PG_FREE_RECORDS", 20000);
	ASSERT_LT(0, self->n);
	ASSERT_EQ(0, access(THRESH, W_OK))
		TH_LOG("%s: %s (no soft-lockup watchdog?)", THRESH, strerror(errno));
}

FIXTURE_TEARDOWN(free)
{
}

TEST_F_TIMEOUT(free, group_delete, 550)
{
	struct pg_handle *h;
	struct watch w;
	double start;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, fill(self->n));
	ASSERT_EQ(0, pg_open(&h));
	ASSERT_EQ(0, watch_start(&w));
	start = now_s();
	EXPECT_EQ(0, pg_group_delete(h, GROUP)) TH_LOG("%s", pg_errmsg(h));
	TH_LOG("the delete command took %.2f s", now_s() - start);
	EXPECT_TRUE(wait_destroyed(&w, netns_inum(), 120));
	TH_LOG("the group was freed %.2f s after the command began", now_s() - start);
	EXPECT_TRUE(watch_end(&w)) TH_LOG("a soft lockup was reported");
	pg_close(h);
}

TEST_F_TIMEOUT(free, netns_delete, 550)
{
	int ready[2], go[2], status;
	unsigned long inum = 0;
	struct watch w;
	double start;
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* The namespace's only user: it goes when the child does. */
		if (unshare(CLONE_NEWNET) || fill(self->n))
			_exit(1);
		inum = netns_inum();
		if (write(ready[1], &inum, sizeof(inum)) != sizeof(inum) ||
		    read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(sizeof(inum), read(ready[0], &inum, sizeof(inum)));
	ASSERT_EQ(0, watch_start(&w));
	start = now_s();
	ASSERT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	EXPECT_TRUE(wait_destroyed(&w, inum, 120));
	TH_LOG("the group was freed %.2f s after its namespace's last process exited",
	       now_s() - start);
	EXPECT_TRUE(watch_end(&w)) TH_LOG("a soft lockup was reported");
	close(ready[0]);
	close(go[1]);
}

TEST_F_TIMEOUT(free, module_unload, 550)
{
	const char *ko = getenv("PG_KO");
	struct watch w;
	double start;
	int fd, ret;

	ASSERT_NE(NULL, ko) TH_LOG("PG_KO must name peergroup.ko");
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", ko, strerror(errno));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, fill(self->n));
	ASSERT_EQ(0, watch_start(&w));
	start = now_s();
	ret = syscall(SYS_delete_module, "peergroup", O_NONBLOCK);
	EXPECT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(errno));
	TH_LOG("rmmod took %.2f s", now_s() - start);
	/* Unloading waits for the frees: the line is in the log already. */
	EXPECT_TRUE(wait_destroyed(&w, netns_inum(), 0.5));
	EXPECT_TRUE(watch_end(&w)) TH_LOG("a soft lockup was reported");
	ret = syscall(SYS_finit_module, fd, "dyndbg=+p", 0);
	ASSERT_EQ(0, ret) TH_LOG("insmod %s: %s", ko, strerror(errno));
	close(fd);
}

TEST_HARNESS_MAIN
