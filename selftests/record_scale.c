// SPDX-License-Identifier: GPL-2.0
/*
 * The record table at scale.
 *
 * PG_SCALE_RECORDS records (default 100000) are added, dumped, searched
 * and deleted. The group's byte counter must stay exact (every record, and
 * then every tombstone, the same size); after the group is deleted, the
 * memory charged for the records (memory cgroup, or where there is none the
 * slab counter after every cache was shrunk) must be back to what it was
 * before. The VM's end-of-run checks add kmemleak and the kernel log.
 *
 * One process writes: a group's writes are serialized (its write_lock), and
 * two writers sharing it took longer, not less, on the debug kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/peergroup.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

#define GROUP		"scale"
#define IDENTITY	"alice"

/* A namespace of its own, and the group in it. */
FIXTURE(scale) {
	struct pg_handle *h;
};

FIXTURE_SETUP(scale)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_group_create(self->h, GROUP, IDENTITY, NULL))
		TH_LOG("%s", pg_errmsg(self->h));
}

FIXTURE_TEARDOWN(scale)
{
	pg_close(self->h);
}

/*
 * Each phase runs in a child process of its own, in a memory cgroup where
 * the kernel has them: the records are charged to that cgroup
 * (GFP_KERNEL_ACCOUNT), while the child's own memory goes when it exits.
 */
#define CGROUP_MNT	"/tmp/pg-scale-cgroup"
#define CGROUP		CGROUP_MNT "/scale"

static bool memcg_setup(void)
{
	char buf[256] = "";
	int fd;

	mkdir(CGROUP_MNT, 0755);
	if (mount("none", CGROUP_MNT, "cgroup2", 0, NULL) && errno != EBUSY)
		return false;
	fd = open(CGROUP_MNT "/cgroup.controllers", O_RDONLY);
	if (fd < 0)
		return false;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	if (!strstr(buf, "memory") ||
	    write_file(CGROUP_MNT "/cgroup.subtree_control", "+memory"))
		return false;
	return !mkdir(CGROUP, 0755) || errno == EEXIST;
}

static void memcg_teardown(void)
{
	rmdir(CGROUP);
	umount(CGROUP_MNT);
	rmdir(CGROUP_MNT);
}

/*
 * Shrinks every slab cache: empty slabs go back, and KASAN's quarantine
 * lets go of the cache's freed objects (it holds up to 1/32 of memory).
 */
static void shrink_slabs(void)
{
	char path[512];
	struct dirent *d;
	DIR *dir = opendir("/sys/kernel/slab");

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", d->d_name);
		write_file(path, "1");
	}
	closedir(dir);
}

/* Bytes: memory.current of the cgroup, or the kernel's Slab counter. */
static long long memory_now(bool memcg)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen(memcg ? CGROUP "/memory.current" : "/proc/meminfo", "r");

	if (!f)
		return -1;
	if (!memcg)
		shrink_slabs();
	while (fgets(line, sizeof(line), f)) {
		if (memcg) {
			v = atoll(line);
			break;
		}
		if (sscanf(line, "Slab: %lld kB", &v) == 1) {
			v *= 1024;
			break;
		}
	}
	fclose(f);
	return v;
}

struct scale {
	long n;
	uint64_t expires;
	uint8_t (*ids)[PG_GUID_LEN];	/* shared, in add order */
	bool memcg;
};

static const uint8_t scale_type[PG_GUID_LEN] = {
	0x53, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x00, 0x00,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
};

#define BUCKETS 100

static void scale_record(struct pg_record *rec, struct pg_attribute *attrs,
			 uint8_t *data, long i, uint64_t expires)
{
	memset(rec, 0, sizeof(*rec));
	attrs[0] = (struct pg_attribute){ .name = "i", .kind = PG_ATTR_INT, .i = i };
	attrs[1] = (struct pg_attribute){ .name = "bucket", .kind = PG_ATTR_INT,
					  .i = i % BUCKETS };
	memset(data, 0, 32);
	memcpy(data, &i, sizeof(i));
	rec->present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_ATTRS | PG_REC_DATA;
	memcpy(rec->type, scale_type, PG_GUID_LEN);
	rec->expires = expires;
	rec->nattrs = 2;
	rec->attrs = attrs;
	rec->data_len = 32;
	rec->data = data;
}

/* A child that only opens a handle: what the cgroup holds without records. */
static int phase_none(struct scale *sc, struct pg_handle *h)
{
	struct pg_group_status st;

	(void)sc;
	return pg_group_status(h, GROUP, &st) ? 1 : 0;
}

static int phase_add(struct scale *sc, struct pg_handle *h)
{
	struct pg_attribute attrs[2];
	struct pg_record rec;
	uint8_t data[32];
	uint32_t v;
	long i;
	int ret;

	for (i = 0; i < sc->n; i++) {
		scale_record(&rec, attrs, data, i, sc->expires);
		ret = pg_record_add(h, GROUP, &rec, sc->ids[i], &v);
		if (ret) {
			fprintf(stderr, "# add %ld: %d %s\n", i, ret, pg_errmsg(h));
			return 1;
		}
	}
	return 0;
}

/* The record's "i", or -1. */
static long record_index(const struct pg_record *r)
{
	const struct pg_attribute *a = find_attr(r, "i");
	long i;

	if (r->nattrs != 2 || !a || a->kind != PG_ATTR_INT || r->data_len != 32)
		return -1;
	memcpy(&i, r->data, sizeof(i));
	return i == a->i ? i : -1;
}

/* Checks a dump or search result: count, order, and which records. */
static int check_listing(struct scale *sc, struct pg_enum *e, int bucket,
			 const char *what)
{
	const struct pg_record *r, *prev = NULL;
	long want = 0, got = 0, i;

	for (i = 0; i < sc->n; i++)
		want += bucket < 0 || i % BUCKETS == bucket;
	while ((r = pg_enum_next(e))) {
		i = record_index(r);
		if (i < 0 || i >= sc->n || memcmp(r->id, sc->ids[i], PG_GUID_LEN) ||
		    (bucket >= 0 && i % BUCKETS != bucket) ||
		    (prev && memcmp(prev->id, r->id, PG_GUID_LEN) >= 0)) {
			fprintf(stderr, "# %s: record %ld (i %ld) is wrong or out of order\n",
				what, got, i);
			return 1;
		}
		prev = r;
		got++;
	}
	if (got != want || (long)pg_enum_count(e) != want) {
		fprintf(stderr, "# %s: %ld records, expected %ld\n", what, got, want);
		return 1;
	}
	return 0;
}

static int phase_list(struct scale *sc, struct pg_handle *h)
{
	struct pg_enum_filter all = { 0 };
	struct pg_enum *e;
	char query[256];
	int ret;

	ret = pg_record_enum(h, GROUP, &all, &e);
	if (ret) {
		fprintf(stderr, "# dump: %d %s\n", ret, pg_errmsg(h));
		return 1;
	}
	ret = check_listing(sc, e, -1, "dump");
	pg_enum_close(e);
	if (ret)
		return 1;
	snprintf(query, sizeof(query),
		 "<peersearch><clause attrib=\"bucket\" type=\"int\" compare=\"equal\">%d</clause></peersearch>",
		 BUCKETS / 3);
	ret = pg_record_search(h, GROUP, query, 0, &e);
	if (ret) {
		fprintf(stderr, "# search: %d %s\n", ret, pg_errmsg(h));
		return 1;
	}
	ret = check_listing(sc, e, BUCKETS / 3, "search");
	pg_enum_close(e);
	return ret;
}

static int phase_delete(struct scale *sc, struct pg_handle *h)
{
	uint32_t v;
	long i;
	int ret;

	for (i = 0; i < sc->n; i++) {
		ret = pg_record_delete(h, GROUP, sc->ids[i], &v);
		if (ret || v != 2) {
			fprintf(stderr, "# delete %ld: %d %s (version %u)\n", i,
				ret, pg_errmsg(h), v);
			return 1;
		}
	}
	return 0;
}

/* Runs @fn in a child, in the cgroup if there is one; returns its status. */
static int run_phase(struct scale *sc, int (*fn)(struct scale *, struct pg_handle *),
		     const char *what, double *secs)
{
	double start = now_s();
	struct pg_handle *h;
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (sc->memcg && write_file(CGROUP "/cgroup.procs", "0"))
			_exit(2);
		if (pg_open(&h))
			_exit(3);
		status = fn(sc, h);
		pg_close(h);
		_exit(status);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*secs = now_s() - start;
	fprintf(stderr, "# scale: %s: %.1f s (user %.1f s, system %.1f s)\n", what, *secs,
		ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * 100000 records take 32 s alone on a stock kernel; 20000 (the debug lane's
 * size) 99 s alone on the debug kernel, about twice that beside the other
 * lanes. Below the runner's 600 s (selftests/settings), so that a hang is
 * reported by the harness, which says which test.
 */
TEST_F_TIMEOUT(scale, records, 550)
{
	struct scale sc = {
		.n = env_long("PG_SCALE_RECORDS", 100000),
	};
	struct pg_group_props props = {
		.mask = PG_SET_MAX_RECORDS | PG_SET_MAX_BYTES,
		.max_records = PEERGROUP_MAX_RECORDS_DEFAULT,
		.max_bytes = PEERGROUP_MAX_BYTES_DEFAULT,
	};
	struct pg_attribute attrs[2];
	struct pg_group_status st;
	struct pg_enum_filter f = { 0 };
	long long base, full, after, tolerance;
	uint64_t one, tomb;
	struct pg_record rec;
	struct pg_enum *e;
	uint8_t data[32];
	double secs, deadline;
	long i;

	ASSERT_LT(1, sc.n);
	sc.ids = shared_alloc(sc.n * PG_GUID_LEN);
	ASSERT_NE(NULL, sc.ids);
	sc.memcg = memcg_setup();
	TH_LOG("%ld records; memory measured by %s", sc.n,
	       sc.memcg ? "a memory cgroup" : "the Slab counter (no memory cgroup)");
	if (sc.n > (long)props.max_records)
		props.max_records = sc.n;
	ASSERT_EQ(0, pg_group_set(self->h, GROUP, &props)) TH_LOG("%s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_group_status(self->h, GROUP, &st));
	ASSERT_EQ(props.max_records, st.max_records);
	ASSERT_EQ(0, st.records);
	ASSERT_EQ(0, st.bytes);

	/* The size of one record; all of them are the same size. */
	ASSERT_EQ(0, run_phase(&sc, phase_none, "nothing (the baseline)", &secs));
	base = memory_now(sc.memcg);
	sc.expires = peer_time_in(self->h, GROUP, 0);
	ASSERT_NE(0, sc.expires) TH_LOG("%s", pg_errmsg(self->h));
	sc.expires += NS_PER_DAY;
	scale_record(&rec, attrs, data, -1, sc.expires);
	ASSERT_EQ(0, pg_record_add(self->h, GROUP, &rec, NULL, NULL));
	ASSERT_EQ(0, pg_group_status(self->h, GROUP, &st));
	one = st.bytes;
	ASSERT_LT(0, one);
	ASSERT_LE(one * sc.n, st.max_bytes) TH_LOG("%ld records of %llu bytes exceed the group's cap",
						  sc.n, (unsigned long long)one);
	ASSERT_EQ(0, pg_group_delete(self->h, GROUP));
	ASSERT_EQ(0, pg_group_create(self->h, GROUP, IDENTITY, NULL));
	ASSERT_EQ(0, pg_group_set(self->h, GROUP, &props));
	sc.expires = peer_time_in(self->h, GROUP, 0) + NS_PER_DAY;

	ASSERT_EQ(0, run_phase(&sc, phase_add, "add", &secs));
	TH_LOG("add: %.1f s, %.0f records/s", secs, sc.n / secs);
	full = memory_now(sc.memcg);
	ASSERT_EQ(0, pg_group_status(self->h, GROUP, &st));
	ASSERT_EQ(sc.n, st.records);
	ASSERT_EQ(one * sc.n, st.bytes);
	if (sc.memcg) {
		/* The records are charged to the cgroup of their writer. */
		ASSERT_LE(base + (long long)(one * sc.n) / 2, full)
			TH_LOG("charged %lld bytes for %llu bytes of records",
			       full - base, (unsigned long long)(one * sc.n));
	}

	ASSERT_EQ(0, run_phase(&sc, phase_list, "dump and search", &secs));
	ASSERT_EQ(0, run_phase(&sc, phase_delete, "delete", &secs));
	ASSERT_EQ(0, pg_group_status(self->h, GROUP, &st));
	ASSERT_EQ(sc.n, st.records);	/* tombstones */
	ASSERT_EQ(0, pg_record_enum(self->h, GROUP, &f, &e));
	ASSERT_EQ(0, pg_enum_count(e));
	pg_enum_close(e);
	f.flags = PG_ENUM_TOMBSTONES;
	ASSERT_EQ(0, pg_record_enum(self->h, GROUP, &f, &e));
	ASSERT_EQ(sc.n, pg_enum_count(e));
	for (i = 0; i < sc.n; i++)
		ASSERT_EQ(PEERGROUP_RECORD_F_DELETED, pg_enum_next(e)->flags);
	pg_enum_close(e);
	/* Every tombstone is the same size too. */
	tomb = st.bytes / sc.n;
	ASSERT_EQ(tomb * sc.n, st.bytes);
	ASSERT_LT(tomb, one);

	ASSERT_EQ(0, pg_group_delete(self->h, GROUP));
	/*
	 * Freed memory may wait: for RCU, and on the debug kernel in KASAN's
	 * quarantine (up to a 32nd of memory), drained by the slab shrink
	 * that memory_now() does, cache by cache, slowly under KASAN. On the
	 * debug kernel beside the other lanes, ten seconds once left 29 MB
	 * (kmemleak found no leak): wait up to two minutes; memory that is
	 * back ends the wait.
	 */
	tolerance = (full - base) / 20;
	if (tolerance < 1 << 20)
		tolerance = 1 << 20;
	secs = now_s();
	deadline = secs + 120;
	do {
		usleep(200000);
		after = memory_now(sc.memcg);
	} while (after > base + tolerance && now_s() < deadline);
	TH_LOG("memory: %lld before, %lld with %ld records (%+lld), %lld after the group (%+lld; tolerance %lld), %.1f s after its deletion",
	       base, full, sc.n, full - base, after, after - base, tolerance, now_s() - secs);
	EXPECT_LE(after, base + tolerance);
	if (sc.memcg)
		memcg_teardown();
	munmap(sc.ids, sc.n * PG_GUID_LEN);
}

TEST_HARNESS_MAIN
