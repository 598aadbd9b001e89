// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures in every group and record command: each command is
 * repeated with
 * its N-th kernel allocation failing (failslab, for this task only, through
 * /proc/thread-self/fail-nth), for N = 1, 2, ... until the command runs
 * without reaching the N-th allocation. Every failure must come back as an
 * error and leave the namespace (and the record table) as it was, or, when
 * only the answer was lost, with the command wholly done; leaks are caught
 * by kmemleak and the lifetime pairing of the run. A record command's event
 * must follow its change and nothing else: a monitor sees it, or, when its
 * allocation failed, learns of the loss (ENOBUFS). Needs
 * CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB (the debug lane).
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

/*
 * Records
 * -------
 * Each attempt starts from a snapshot of the table (taken by the before
 * hook); after a failure the table is that snapshot, or the snapshot with
 * exactly the one change the command makes (the command done, only its
 * answer lost), which done() checks.
 */
static const uint8_t fault_type[PG_GUID_LEN] = {
	0x46, 0x61, 0x75, 0x6c, 0x74, 0x73, 0x00, 0x01,
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
};

static struct {
	struct table_snap before;
	uint64_t expires;
	uint8_t id[PG_GUID_LEN];	/* the record updated or deleted */
	struct table_snap source;	/* what is imported */
	const struct pg_record *imported;
	/* Whether @rec (@old before, NULL for a new one) is the command done. */
	bool (*done)(const struct pg_record *old, const struct pg_record *rec);
	uint8_t change;			/* the event of the command done */
	struct pg_monitor *mon;		/* the namespace's events */
	int (*setup)(struct pg_handle *h);	/* each attempt's own before hook */
} rf;

static const struct pg_attribute fault_attrs[] = {
	{ .name = "colour", .kind = PG_ATTR_STRING, .str = "blue" },
	{ .name = "count", .kind = PG_ATTR_INT, .i = 7 },
};

static void fault_record(struct pg_record *rec, const char *data)
{
	memset(rec, 0, sizeof(*rec));
	rec->present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_ATTRS | PG_REC_DATA;
	memcpy(rec->type, fault_type, PG_GUID_LEN);
	rec->expires = rf.expires;
	rec->nattrs = 2;
	rec->attrs = fault_attrs;
	rec->data = (const uint8_t *)data;
	rec->data_len = strlen(data);
}

static int create_secured(struct pg_handle *h)
{
	struct pg_group_params p = {
		.name = "office", .identity = "alice",
		.password = "pw", .password_len = 2, .kdf = &test_kdf,
	};

	return pg_group_create_ex(h, &p, NULL);
}

static int snap_before(struct pg_handle *h)
{
	table_snap_free(&rf.before);
	return table_snap(h, "office", &rf.before);
}

static int fault_add(struct pg_handle *h)
{
	struct pg_record rec;

	fault_record(&rec, "added");
	return pg_record_add(h, "office", &rec, NULL, NULL);
}

static bool add_done(const struct pg_record *old, const struct pg_record *rec)
{
	return !old && rec->version == 1 && !rec->flags &&
	       bytes_equal(rec->data, rec->data_len, "added", 5) &&
	       rec->nattrs == 2;
}

static int fault_update(struct pg_handle *h)
{
	struct pg_record rec;

	fault_record(&rec, "updated");
	rec.present |= PG_REC_ID | PG_REC_FLAGS;
	memcpy(rec.id, rf.id, PG_GUID_LEN);
	return pg_record_update(h, "office", &rec, NULL);
}

static bool update_done(const struct pg_record *old, const struct pg_record *rec)
{
	return old && !memcmp(rec->id, rf.id, PG_GUID_LEN) &&
	       rec->version == old->version + 1 && !rec->flags &&
	       bytes_equal(rec->data, rec->data_len, "updated", 7);
}

static int fault_delete(struct pg_handle *h)
{
	return pg_record_delete(h, "office", rf.id, NULL);
}

static bool delete_done(const struct pg_record *old, const struct pg_record *rec)
{
	return old && !memcmp(rec->id, rf.id, PG_GUID_LEN) &&
	       rec->version == old->version + 1 &&
	       rec->flags == PEERGROUP_RECORD_F_DELETED && !rec->data_len &&
	       !rec->nattrs;
}

static int fault_import(struct pg_handle *h)
{
	return pg_record_import(h, "office", rf.imported);
}

static bool import_done(const struct pg_record *old, const struct pg_record *rec)
{
	return !old && record_equal(rec, rf.imported);
}

/* The record events the monitor holds, and whether any were lost. */
struct events_seen {
	int records;		/* record events */
	int matching;		/* of them, rf.change of @id at @version */
	bool lost;		/* ENOBUFS */
	int error;		/* another failure of the monitor */
};

static void events_read(struct events_seen *seen, const uint8_t *id,
			uint32_t version)
{
	struct pg_event ev;
	int ret;

	memset(seen, 0, sizeof(*seen));
	while ((ret = pg_monitor_next(rf.mon, &ev, 0)) != 0) {
		if (ret == -ENOBUFS) {
			seen->lost = true;
			continue;
		}
		if (ret < 0) {
			seen->error = ret;
			return;
		}
		if (ev.kind != PG_EVENT_RECORD)
			continue;	/* a group's status: not this test's */
		seen->records++;
		seen->matching += id && !memcmp(ev.id, id, PG_GUID_LEN) &&
				  ev.version == version && ev.change == rf.change;
	}
}

/* rf.setup, then the events it caused are read and forgotten. */
static int setup_quietly(struct pg_handle *h)
{
	struct events_seen seen;
	int ret = rf.setup(h);

	events_read(&seen, NULL, 0);
	return ret ? ret : seen.error;
}

/*
 * Compares the table now with rf.before: 0 when equal, 1 when it holds
 * exactly one new or changed record and rf.done() accepts it, -1 else.
 * *changed is that record.
 */
static int table_change(struct pg_handle *h, char *why, size_t len,
			struct pg_record *changed)
{
	const struct pg_record *old = NULL, *rec = NULL;
	struct table_snap now;
	size_t i = 0, j = 0, changes = 0;
	int cmp, ret = -1;

	if (table_snap(h, "office", &now)) {
		snprintf(why, len, "snapshot: %s", pg_errmsg(h));
		return -1;
	}
	while (i < rf.before.n || j < now.n) {
		cmp = i == rf.before.n ? 1 : j == now.n ? -1 :
		      memcmp(rf.before.recs[i]->id, now.recs[j]->id, PG_GUID_LEN);
		if (cmp < 0) {
			snprintf(why, len, "record %zu is gone", i);
			goto out;
		}
		if (cmp > 0 || !record_equal(rf.before.recs[i], now.recs[j])) {
			old = cmp > 0 ? NULL : rf.before.recs[i];
			rec = now.recs[j];
			changes++;
		}
		i += cmp == 0;
		j++;
	}
	if (!changes) {
		ret = table_snap_same(&rf.before, &now, why, len) ? 0 : -1;
	} else if (changes == 1 && rf.done(old, rec)) {
		memcpy(changed->id, rec->id, PG_GUID_LEN);
		changed->version = rec->version;
		ret = 1;
	} else {
		snprintf(why, len, "%zu records changed, not as the command would", changes);
	}
out:
	table_snap_free(&now);
	return ret;
}

/*
 * After an attempt: unchanged and failed, with no event; or done (only the
 * answer lost), with its event or the news that it was lost.
 */
static void record_failed(struct __test_metadata *_metadata,
			  struct pg_handle *h, int n, int ret)
{
	struct pg_record changed = { 0 };
	struct events_seen seen;
	char why[256] = "";
	int change = table_change(h, why, sizeof(why), &changed);

	ASSERT_LE(0, change) TH_LOG("n=%d, ret %d: %s", n, ret, why);
	events_read(&seen, changed.id, changed.version);
	ASSERT_EQ(0, seen.error) TH_LOG("n=%d: monitor: %s", n, strerror(-seen.error));
	if (change == 0) {
		ASSERT_NE(0, ret) TH_LOG("n=%d: succeeded without a change", n);
		ASSERT_EQ(0, seen.records) TH_LOG("n=%d: an event without a change", n);
		ASSERT_FALSE(seen.lost) TH_LOG("n=%d: a lost event without a change", n);
		return;
	}
	if (ret) {
		ASSERT_EQ(-ENOBUFS, ret) TH_LOG("n=%d: done, yet failed with %d", n, ret);
	}
	if (seen.lost) {
		ASSERT_EQ(0, seen.records) TH_LOG("n=%d: lost, yet %d events came",
						  n, seen.records);
	} else {
		ASSERT_EQ(1, seen.records) TH_LOG("n=%d: %d events for one change",
						  n, seen.records);
		ASSERT_EQ(1, seen.matching) TH_LOG("n=%d: the event is not the change's", n);
	}
}

/* The office secured by a password, and a record in it. */
static void records_setup(struct __test_metadata *_metadata,
			  struct pg_handle *h)
{
	struct pg_record rec;

	ASSERT_EQ(0, create_secured(h)) TH_LOG("%s", pg_errmsg(h));
	rf.expires = peer_time_in(h, "office", 0);
	ASSERT_NE(0, rf.expires);
	rf.expires += NS_PER_DAY;
	fault_record(&rec, "first");
	ASSERT_EQ(0, pg_record_add(h, "office", &rec, rf.id, NULL))
		TH_LOG("%s", pg_errmsg(h));
	ASSERT_EQ(0, pg_monitor_open(&rf.mon));
}

static void records_sweep(struct __test_metadata *_metadata,
			  struct pg_handle **h, int nth, const char *what,
			  int (*before)(struct pg_handle *),
			  int (*op)(struct pg_handle *))
{
	int failures;

	rf.setup = before;
	failures = sweep(_metadata, nth, h, setup_quietly, op, record_failed);
	TH_LOG("%s: %d allocations failed in turn", what, failures);
	table_snap_free(&rf.before);
	pg_monitor_close(rf.mon);
	rf.mon = NULL;
}

TEST_F(faults, record_add)
{
	records_setup(_metadata, self->h);
	rf.done = add_done;
	rf.change = PEERGROUP_CHANGE_ADDED;
	records_sweep(_metadata, &self->h, self->nth, "record add", snap_before,
		      fault_add);
}

TEST_F(faults, record_update)
{
	records_setup(_metadata, self->h);
	rf.done = update_done;
	rf.change = PEERGROUP_CHANGE_UPDATED;
	records_sweep(_metadata, &self->h, self->nth, "record update",
		      snap_before, fault_update);
}

/* Each delete attempt needs a live record: a new one once it is gone. */
static int fault_live(struct pg_handle *h)
{
	struct pg_record *got = NULL, rec;
	int ret = pg_record_get(h, "office", rf.id, &got);

	pg_record_free(got);
	if (ret == -ENOENT) {
		fault_record(&rec, "next");
		ret = pg_record_add(h, "office", &rec, rf.id, NULL);
	}
	return ret ? ret : snap_before(h);
}

TEST_F(faults, record_delete)
{
	records_setup(_metadata, self->h);
	rf.done = delete_done;
	rf.change = PEERGROUP_CHANGE_DELETED;
	records_sweep(_metadata, &self->h, self->nth, "record delete",
		      fault_live, fault_delete);
}

/* Each import attempt goes into the office made anew, with the same key. */
static int office_anew(struct pg_handle *h)
{
	int ret;

	pg_group_delete(h, "office");
	ret = create_secured(h);
	return ret ? ret : snap_before(h);
}

TEST_F(faults, record_import)
{
	records_setup(_metadata, self->h);
	ASSERT_EQ(0, table_snap(self->h, "office", &rf.source));
	ASSERT_EQ(1, rf.source.n);
	rf.imported = rf.source.recs[0];
	ASSERT_EQ(0, office_anew(self->h));
	ASSERT_EQ(0, fault_import(self->h)) TH_LOG("the import itself: %s",
						    pg_errmsg(self->h));
	rf.done = import_done;
	rf.change = PEERGROUP_CHANGE_ADDED;
	records_sweep(_metadata, &self->h, self->nth, "record import",
		      office_anew, fault_import);
	table_snap_free(&rf.source);
}

TEST_HARNESS_MAIN
