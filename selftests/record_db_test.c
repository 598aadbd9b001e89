// SPDX-License-Identifier: GPL-2.0
/*
 * A group's record database as a whole: its properties, counters and caps,
 * peer time, a joined group before and after its first synchronization,
 * expiration, events, export and import (with tampered and stale copies),
 * and who may do what.
 *
 * Every test runs in a fresh network namespace of its own, with a group
 * "office" created there by "alice"; tests that need a second node make a
 * second namespace, where "bob" joins alice's group.
 *
 * Not covered: EBUSY for an import into a connected group. Nothing can
 * connect a group before replication exists; add it with the neighbours.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/peergroup.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

PG_SHARED_NETNS()

#define BOB		"bob"
#define WAIT_MS		30000	/* for anything the module does on its own */

FIXTURE(db) {
	struct pg_handle *h;
};

FIXTURE_SETUP(db)
{
	ASSERT_EQ(0, pg_empty_netns());
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD))
		TH_LOG("group: %s", pg_errmsg(self->h));
}

FIXTURE_TEARDOWN(db)
{
	pg_close(self->h);
}

/* The group's export in a memory file, rewound: an fd or a negative errno. */
static int export_fd(struct pg_handle *h, const char *group, size_t *count)
{
	int fd = memfd_create("export", 0), ret;

	if (fd < 0)
		return -errno;
	ret = pg_export(h, group, fd, count);
	if (ret || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return ret ? ret : -errno;
	}
	return fd;
}

/* Moves the caller into a new network namespace and opens a handle there. */
static int open_elsewhere(struct pg_handle **h)
{
	if (unshare(CLONE_NEWNET))
		return -errno;
	return pg_open(h);
}

/*
 * In a new namespace, bob joins alice's group and imports her records one
 * by one (the export file has tests of its own): a synchronized member.
 * Alice's table must not be empty. Returns 0 or the first error.
 */
static int bob_joins(struct pg_handle *alice, struct pg_handle **bob)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *r;
	struct pg_enum *e;
	int ret;

	ret = pg_record_enum(alice, REC_GROUP, &all, &e);
	if (ret)
		return ret;
	ret = open_elsewhere(bob);
	if (!ret)
		ret = make_group(*bob, REC_GROUP, BOB, REC_IDENTITY, REC_PASSWORD);
	while (!ret && (r = pg_enum_next(e)))
		ret = pg_record_import(*bob, REC_GROUP, r);
	pg_enum_close(e);
	return ret;
}

static int set_props(struct pg_handle *h, uint32_t mask, uint32_t flags,
		     uint32_t size, uint32_t records, uint64_t bytes)
{
	struct pg_group_props p = {
		.mask = mask, .flags = flags, .max_record_size = size,
		.max_records = records, .max_bytes = bytes,
	};

	return pg_group_set(h, REC_GROUP, &p);
}

static int set_lifetime(struct pg_handle *h, uint32_t seconds)
{
	struct pg_group_props p = {
		.mask = PG_SET_MAX_LIFETIME, .max_lifetime = seconds,
	};

	return pg_group_set(h, REC_GROUP, &p);
}

#define LIFETIME_WHY \
	"expiration: more than the group's max lifetime after the modification time"

/* Re-reads the status every 100 ms up to WAIT_MS until @id is gone. */
static bool record_vanishes(struct pg_handle *h, const uint8_t id[PG_GUID_LEN],
			    uint32_t flags)
{
	struct pg_enum_filter f = { .flags = flags };
	uint64_t end = clock_ns(CLOCK_MONOTONIC) + WAIT_MS * NS_PER_MS;
	struct pg_enum *e;
	bool there;

	do {
		if (pg_record_enum(h, REC_GROUP, &f, &e))
			return false;
		there = enum_find(e, id);
		pg_enum_close(e);
		if (!there)
			return true;
		usleep(100000);
	} while (clock_ns(CLOCK_MONOTONIC) < end);
	return false;
}

/* ---- Properties, status and time */

TEST_F(db, status_has_the_defaults)
{
	struct pg_group_status st;

	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st))
		TH_LOG("status: %s", pg_errmsg(self->h));
	EXPECT_STREQ(REC_GROUP, st.info.name);
	EXPECT_STREQ(REC_IDENTITY, st.info.identity);
	EXPECT_STREQ(REC_IDENTITY, st.creator);
	EXPECT_EQ(PEERGROUP_RECORD_SIZE_DEFAULT, st.max_record_size);
	EXPECT_EQ(65000, st.max_record_size);
	EXPECT_EQ(PEERGROUP_MAX_RECORDS_DEFAULT, st.max_records);
	EXPECT_EQ(131072, st.max_records);
	EXPECT_EQ(128ull << 20, st.max_bytes);
	EXPECT_EQ(PEERGROUP_MAX_LIFETIME_DEFAULT, st.max_lifetime);
	EXPECT_EQ(30 * 86400, st.max_lifetime);
	EXPECT_NE(0, st.status & PEERGROUP_STATUS_SYNCHRONIZED);
	EXPECT_EQ(0, st.status & PEERGROUP_STATUS_HAS_CONNECTIONS);
	EXPECT_EQ(PEERGROUP_ROLE_ADMIN, st.role);
	EXPECT_EQ(PEERGROUP_SECURITY_PSK, st.security);
	EXPECT_EQ(0, st.flags);
	EXPECT_EQ(0, st.records);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(0, st.neighbours);
}

/* Inside a TEST: a property set refused with EINVAL leaves the status as it was. */
#define EXPECT_SET_REFUSED(mask, flags, size, records, bytes) do {		\
	struct pg_group_status __before, __after;				\
										\
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &__before));		\
	EXPECT_ERR(self->h, -EINVAL,						\
		   set_props(self->h, mask, flags, size, records, bytes));	\
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &__after));		\
	EXPECT_EQ(0, memcmp(&__before, &__after, sizeof(__before)))		\
		TH_LOG("a refused set changed the group");			\
} while (0)

TEST_F(db, defer_expiration_flag_can_be_set_and_cleared)
{
	struct pg_group_status st;

	ASSERT_EQ(0, set_props(self->h, PG_SET_FLAGS, PEERGROUP_GROUP_F_DEFER_EXPIRATION,
			       0, 0, 0)) TH_LOG("set: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(PEERGROUP_GROUP_F_DEFER_EXPIRATION, st.flags);
	/* Only DEFER_EXPIRATION may be set. */
	EXPECT_SET_REFUSED(PG_SET_FLAGS, 0x1, 0, 0, 0);
	EXPECT_SET_REFUSED(PG_SET_FLAGS, 0x8 | PEERGROUP_GROUP_F_DEFER_EXPIRATION, 0, 0, 0);
	ASSERT_EQ(0, set_props(self->h, PG_SET_FLAGS, 0, 0, 0, 0));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(0, st.flags);
}

TEST_F(db, max_record_size_keeps_to_its_range)
{
	struct pg_group_status st;

	EXPECT_SET_REFUSED(PG_SET_MAX_RECORD_SIZE, 0, PEERGROUP_RECORD_SIZE_MIN - 1, 0, 0);
	EXPECT_SET_REFUSED(PG_SET_MAX_RECORD_SIZE, 0, PEERGROUP_RECORD_SIZE_MAX + 1, 0, 0);
	EXPECT_SET_REFUSED(PG_SET_MAX_RECORD_SIZE, 0, 0, 0, 0);
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORD_SIZE, 0,
			       PEERGROUP_RECORD_SIZE_MIN, 0, 0));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(PEERGROUP_RECORD_SIZE_MIN, st.max_record_size);
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORD_SIZE, 0,
			       PEERGROUP_RECORD_SIZE_MAX, 0, 0));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(PEERGROUP_RECORD_SIZE_MAX, st.max_record_size);
}

TEST_F(db, max_records_keeps_to_its_range)
{
	struct pg_group_status st;

	EXPECT_SET_REFUSED(PG_SET_MAX_RECORDS, 0, 0, 0, 0);
	EXPECT_SET_REFUSED(PG_SET_MAX_RECORDS, 0, 0, PEERGROUP_MAX_RECORDS_LIMIT + 1, 0);
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORDS, 0, 0, 1, 0));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(1, st.max_records);
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORDS, 0, 0,
			       PEERGROUP_MAX_RECORDS_LIMIT, 0));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(PEERGROUP_MAX_RECORDS_LIMIT, st.max_records);
}

TEST_F(db, max_bytes_keeps_to_its_range)
{
	struct pg_group_status st;

	EXPECT_SET_REFUSED(PG_SET_MAX_BYTES, 0, 0, 0, PEERGROUP_MAX_BYTES_MIN - 1);
	EXPECT_SET_REFUSED(PG_SET_MAX_BYTES, 0, 0, 0, PEERGROUP_MAX_BYTES_LIMIT + 1);
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_BYTES, 0, 0, 0, PEERGROUP_MAX_BYTES_MIN));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(PEERGROUP_MAX_BYTES_MIN, st.max_bytes);
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_BYTES, 0, 0, 0, PEERGROUP_MAX_BYTES_LIMIT));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(PEERGROUP_MAX_BYTES_LIMIT, st.max_bytes);
}

TEST_F(db, max_lifetime_keeps_to_its_range)
{
	struct pg_group_status before, after;

	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -EINVAL, set_lifetime(self->h, 0));
	EXPECT_STREQ("max lifetime: from 1 second to 10 years (315360000 seconds)",
		     pg_errmsg(self->h));
	EXPECT_STREQ("PEER_E_INVALID_GROUP_PROPERTIES",
		     pg_last_windows_error(self->h, -EINVAL));
	EXPECT_ERR(self->h, -EINVAL, set_lifetime(self->h, PEERGROUP_MAX_LIFETIME_LIMIT + 1));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	ASSERT_EQ(0, set_lifetime(self->h, PEERGROUP_MAX_LIFETIME_MIN));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &after));
	EXPECT_EQ(PEERGROUP_MAX_LIFETIME_MIN, after.max_lifetime);
	ASSERT_EQ(0, set_lifetime(self->h, PEERGROUP_MAX_LIFETIME_LIMIT));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &after));
	EXPECT_EQ(PEERGROUP_MAX_LIFETIME_LIMIT, after.max_lifetime);
	EXPECT_EQ(3650 * 86400, after.max_lifetime);
}

/*
 * records.rst, "Lifetime": a local add or update may give a record no more
 * than the max lifetime from now; exactly that is allowed.
 */
TEST_F(db, max_lifetime_bounds_add_and_update)
{
	struct pg_record r, *cur, u;
	uint8_t id[PG_GUID_LEN];
	struct snap before;

	ASSERT_EQ(0, set_lifetime(self->h, 3600));
	/* The module's now is later than ours: exactly an hour, or less. */
	r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL))
		TH_LOG("an hour: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	/* Five seconds more: a slow request never makes it fit. */
	r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS + 5000));
	EXPECT_ERR(self->h, -EINVAL, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_STREQ(LIFETIME_WHY, pg_errmsg(self->h));
	EXPECT_STREQ("PEER_E_INVALID_RECORD", pg_last_windows_error(self->h, -EINVAL));

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	u = update_of(cur);
	u.expires = peer_time_in(self->h, REC_GROUP, HOUR_MS + 5000);
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_STREQ(LIFETIME_WHY, pg_errmsg(self->h));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	u.expires = peer_time_in(self->h, REC_GROUP, HOUR_MS);
	EXPECT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, NULL))
		TH_LOG("an hour from the update: %s", pg_errmsg(self->h));
	snap_free(&before);
	pg_record_free(cur);
}

/*
 * Lowered, the max lifetime keeps what is stored as it is; a delete's
 * tombstone lives no longer than the new one allows, an update may not
 * keep the old expiration.
 */
TEST_F(db, lowered_max_lifetime_bounds_later_writes)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, 2 * HOUR_MS));
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *tomb;
	struct pg_record *cur, u;
	uint8_t id[PG_GUID_LEN];
	struct snap before;
	struct pg_enum *e;

	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	ASSERT_EQ(0, set_lifetime(self->h, 3600));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	u = update_of(cur);
	EXPECT_ERR(self->h, -EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_STREQ(LIFETIME_WHY, pg_errmsg(self->h));
	pg_record_free(cur);

	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, id, NULL))
		TH_LOG("delete: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	tomb = enum_find(e, id);
	ASSERT_NE(NULL, tomb);
	EXPECT_EQ(PEERGROUP_RECORD_F_DELETED, tomb->flags);
	EXPECT_EQ(tomb->modified + 3600 * NS_PER_SEC, tomb->expires);
	EXPECT_LT(tomb->expires, r.expires);
	pg_enum_close(e);
}

TEST_F(db, max_records_reached_is_enospc)
{
	uint8_t id[PG_GUID_LEN];
	struct snap before;
	int i;

	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORDS, 0, 0, 3, 0));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, id));
	}
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -ENOSPC, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
	EXPECT_STREQ("E_OUTOFMEMORY", pg_last_windows_error(self->h, -ENOSPC));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);

	/* A tombstone still counts. */
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, id, NULL));
	EXPECT_ERR(self->h, -ENOSPC, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORDS, 0, 0, 4, 0));
	EXPECT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
}

TEST_F(db, max_bytes_reached_is_enospc)
{
	static uint8_t data[8000];
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_group_status st;
	struct snap before;
	int i, ret = 0;

	memset(data, 'b', sizeof(data));
	record_set_data(&r, data, sizeof(data));
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_BYTES, 0, 0, 0, PEERGROUP_MAX_BYTES_MIN));
	for (i = 0; i < 64 && !ret; i++)
		ret = pg_record_add(self->h, REC_GROUP, &r, NULL, NULL);
	ASSERT_EQ(-ENOSPC, ret) TH_LOG("after %d records: %s", i, pg_errmsg(self->h));
	EXPECT_LT(1, i) TH_LOG("not even one record of 8000 bytes fitted in 64 KiB");
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_GE(PEERGROUP_MAX_BYTES_MIN, st.bytes);
	EXPECT_EQ((uint32_t)(i - 1), st.records);

	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_ERR(self->h, -ENOSPC, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
}

TEST_F(db, lowered_caps_keep_what_is_stored)
{
	static uint8_t data[2000];
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_record *cur, u;
	uint8_t id[PG_GUID_LEN];
	struct snap before;

	record_set_data(&r, data, sizeof(data));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORDS | PG_SET_MAX_RECORD_SIZE, 0,
			       PEERGROUP_RECORD_SIZE_MIN, 1, 0));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);

	/* The new caps hold for what comes next. */
	EXPECT_ERR(self->h, -ENOSPC, add_record(self->h, REC_GROUP, type_a, NULL, NULL));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	u = update_of(cur);
	record_set_data(&u, data, sizeof(data));
	EXPECT_ERR(self->h, -EMSGSIZE, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

TEST_F(db, time_conversion_round_trips)
{
	uint64_t utc, peer, back, before = clock_ns(CLOCK_REALTIME), after;
	static const uint64_t samples[] = {
		1, 1767225600123456789ull, 4102444800000000000ull,
	};
	size_t i;

	ASSERT_EQ(0, pg_time_convert(self->h, REC_GROUP, PG_TIME_NOW, 0, &utc, &peer))
		TH_LOG("time: %s", pg_errmsg(self->h));
	after = clock_ns(CLOCK_REALTIME);
	EXPECT_LE(before, utc);
	EXPECT_GE(after, utc);
	/* A creator's group starts at its own UTC. */
	EXPECT_GT(NS_PER_SEC, peer > utc ? peer - utc : utc - peer);

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		ASSERT_EQ(0, pg_time_convert(self->h, REC_GROUP, PG_TIME_UTC, samples[i],
					     NULL, &peer));
		ASSERT_EQ(0, pg_time_convert(self->h, REC_GROUP, PG_TIME_PEER, peer,
					     &back, NULL));
		EXPECT_EQ(samples[i], back);
	}
}

TEST_F(db, time_conversion_takes_at_most_one_time)
{
	struct nl_msg *msg = pg_msg_new(self->h, PEERGROUP_CMD_GROUP_TIME, 0);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_string(msg, PEERGROUP_A_GROUP_NAME, REC_GROUP));
	ASSERT_EQ(0, nla_put_u64(msg, PEERGROUP_A_TIME_UTC, 1));
	ASSERT_EQ(0, nla_put_u64(msg, PEERGROUP_A_TIME_PEER, 1));
	EXPECT_ERR(self->h, -EINVAL, pg_transact(self->h, msg, NULL, NULL));
}

TEST_F(db, joined_group_is_not_ready_before_its_first_sync)
{
	static const char *const joined = "joined";
	uint64_t expires = clock_ns(CLOCK_REALTIME) + 3600 * NS_PER_SEC;
	struct pg_record r = record_of(type_a, expires), u, *got = NULL;
	struct pg_group_status st;
	struct pg_enum *e = NULL;
	uint64_t peer;

	ASSERT_EQ(0, make_group(self->h, joined, BOB, REC_IDENTITY, REC_PASSWORD))
		TH_LOG("join: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_group_status(self->h, joined, &st));
	EXPECT_EQ(0, st.status & PEERGROUP_STATUS_SYNCHRONIZED);
	EXPECT_EQ(PEERGROUP_ROLE_MEMBER, st.role);
	EXPECT_STREQ(REC_IDENTITY, st.creator);
	EXPECT_STREQ(BOB, st.info.identity);
	/* Not the default: the widest, until the creator's properties come. */
	EXPECT_EQ(PEERGROUP_MAX_LIFETIME_LIMIT, st.max_lifetime);

	EXPECT_ERR(self->h, -EAGAIN, pg_record_add(self->h, joined, &r, NULL, NULL));
	EXPECT_STREQ("PEER_E_GROUP_NOT_READY", pg_last_windows_error(self->h, -EAGAIN));
	memcpy(r.id, alice_id_prefix, 8);
	EXPECT_ERR(self->h, -EAGAIN, pg_record_get(self->h, joined, r.id, &got));
	u = r;
	u.present = PG_REC_ID | PG_REC_TYPE | PG_REC_FLAGS | PG_REC_EXPIRES;
	EXPECT_ERR(self->h, -EAGAIN, pg_record_update(self->h, joined, &u, NULL));
	EXPECT_ERR(self->h, -EAGAIN, pg_record_delete(self->h, joined, r.id, NULL));
	EXPECT_EQ(-EAGAIN, pg_record_enum(self->h, joined, NULL, &e));
	EXPECT_EQ(-EAGAIN, pg_record_search(self->h, joined,
		"<peersearch><clause attrib=\"a\" type=\"int\">1</clause></peersearch>",
		0, &e));
	EXPECT_ERR(self->h, -EAGAIN, pg_time_convert(self->h, joined, PG_TIME_NOW, 0,
						     NULL, &peer));
	ASSERT_EQ(0, pg_group_status(self->h, joined, &st));
	EXPECT_EQ(0, st.records);
	EXPECT_EQ(0, st.status & PEERGROUP_STATUS_SYNCHRONIZED);
}

TEST_F(db, group_set_by_a_member_is_eacces)
{
	struct pg_group_status before, after;
	struct pg_handle *bob = NULL;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "x", NULL));
	ASSERT_EQ(0, bob_joins(self->h, &bob)) TH_LOG("join: %s", pg_errmsg(bob));
	ASSERT_EQ(0, pg_group_status(bob, REC_GROUP, &before));
	ASSERT_NE(0, before.status & PEERGROUP_STATUS_SYNCHRONIZED);
	EXPECT_ERR(bob, -EACCES, set_props(bob, PG_SET_MAX_RECORDS, 0, 0, 10, 0));
	EXPECT_ERR(bob, -EACCES, set_props(bob, PG_SET_FLAGS, 0,
					   PEERGROUP_GROUP_F_DEFER_EXPIRATION, 0, 0));
	ASSERT_EQ(0, pg_group_status(bob, REC_GROUP, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	pg_close(bob);
}

/*
 * A member that joins by import has not met the creator's max lifetime:
 * it keeps every record the creator's allows, not only those the default
 * would.
 */
TEST_F(db, joined_group_imports_what_the_creators_lifetime_allows)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP,
							     60 * 86400000LL));
	struct pg_handle *bob = NULL;

	ASSERT_EQ(0, set_lifetime(self->h, 365 * 86400));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL))
		TH_LOG("60 days: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, bob_joins(self->h, &bob)) TH_LOG("join: %s", pg_errmsg(bob));
	EXPECT_EQ(1, count_records(bob, REC_GROUP, 0));
	pg_close(bob);
}

/* ---- Expiration */

TEST_F_TIMEOUT(db, expired_record_is_purged_with_an_event, 60)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, 2000));
	struct pg_record *got = NULL;
	uint8_t id[PG_GUID_LEN];
	struct pg_group_status st;
	struct pg_monitor *m;
	struct pg_event ev;
	bool expired = false;

	ASSERT_EQ(0, pg_monitor_open(&m));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	while (!expired && next_event(m, PG_EVENT_RECORD, &ev, WAIT_MS) == 1)
		expired = ev.change == PEERGROUP_CHANGE_EXPIRED &&
			  !memcmp(ev.id, id, PG_GUID_LEN);
	ASSERT_TRUE(expired) TH_LOG("no EXPIRED event within %d ms", WAIT_MS);
	EXPECT_EQ(0, memcmp(type_a, ev.type, PG_GUID_LEN));
	EXPECT_STREQ(REC_GROUP, ev.group);

	EXPECT_ERR(self->h, -ENOENT, pg_record_get(self->h, REC_GROUP, id, &got));
	EXPECT_EQ(0, count_records(self->h, REC_GROUP, PG_ENUM_TOMBSTONES));
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(0, st.records);
	EXPECT_EQ(0, st.bytes);
	pg_monitor_close(m);
}

TEST_F_TIMEOUT(db, tombstone_is_purged_without_an_event, 60)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, 2000));
	uint8_t id[PG_GUID_LEN];
	struct pg_monitor *m;
	struct pg_event ev;
	int changes = 0;

	ASSERT_EQ(0, pg_monitor_open(&m));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, id, NULL));
	ASSERT_EQ(1, count_records(self->h, REC_GROUP, PG_ENUM_TOMBSTONES));
	EXPECT_TRUE(record_vanishes(self->h, id, PG_ENUM_TOMBSTONES))
		TH_LOG("the tombstone is still there after %d ms", WAIT_MS);

	/* ADDED and DELETED came, EXPIRED did not. */
	while (next_event(m, PG_EVENT_RECORD, &ev, 500) == 1) {
		if (memcmp(ev.id, id, PG_GUID_LEN))
			continue;
		EXPECT_NE(PEERGROUP_CHANGE_EXPIRED, ev.change);
		changes |= 1 << ev.change;
	}
	EXPECT_EQ(1 << PEERGROUP_CHANGE_ADDED | 1 << PEERGROUP_CHANGE_DELETED, changes);
	pg_monitor_close(m);
}

/*
 * Adds an AUTOREFRESH record living @ms, sets the max lifetime to
 * @lifetime seconds (0: leaves it), waits @wait_s seconds and gets the
 * record (refreshed by then): 0 and *@got, or the error; *@expires its
 * first expiration.
 */
static int refreshed(struct pg_handle *h, int64_t ms, uint32_t lifetime,
		     unsigned int wait_s, uint64_t *expires, struct pg_record **got)
{
	struct pg_record r = record_of(type_a, peer_time_in(h, REC_GROUP, ms));
	uint8_t id[PG_GUID_LEN];
	int ret;

	r.present |= PG_REC_FLAGS;
	r.flags = PEERGROUP_RECORD_F_AUTOREFRESH;
	*expires = r.expires;
	ret = pg_record_add(h, REC_GROUP, &r, id, NULL);
	if (!ret && lifetime)
		ret = set_lifetime(h, lifetime);
	if (ret)
		return ret;
	sleep(wait_s);
	return pg_record_get(h, REC_GROUP, id, got);
}

TEST_F_TIMEOUT(db, autorefresh_record_is_published_again, 60)
{
	struct pg_record *got;
	uint64_t expires;

	ASSERT_EQ(0, refreshed(self->h, 3000, 0, 8, &expires, &got))
		TH_LOG("the AUTOREFRESH record is gone: %s", pg_errmsg(self->h));
	EXPECT_LT(1, got->version);
	EXPECT_LT(expires, got->expires);
	EXPECT_LT(peer_time_in(self->h, REC_GROUP, 0), got->expires);
	EXPECT_EQ(PEERGROUP_RECORD_F_AUTOREFRESH, got->flags);
	EXPECT_STREQ(REC_IDENTITY, got->modifier);
	pg_record_free(got);
}

/* A refresh moves the expiration on by no more than the max lifetime. */
TEST_F_TIMEOUT(db, autorefresh_keeps_to_a_lowered_max_lifetime, 60)
{
	struct pg_record *got;
	uint64_t expires;

	/* Living 4 s, the max lifetime lowered to 2 s: refreshed at 3 s, then every 1.5 s. */
	ASSERT_EQ(0, refreshed(self->h, 4000, 2, 5, &expires, &got))
		TH_LOG("the AUTOREFRESH record is gone: %s", pg_errmsg(self->h));
	EXPECT_LT(1, got->version);
	EXPECT_EQ(2 * NS_PER_SEC, got->expires - got->modified);
	pg_record_free(got);
}

TEST_F_TIMEOUT(db, defer_expiration_keeps_records_while_alone, 60)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, 2000));
	uint8_t id[PG_GUID_LEN];
	struct pg_record *got;

	ASSERT_EQ(0, set_props(self->h, PG_SET_FLAGS, PEERGROUP_GROUP_F_DEFER_EXPIRATION,
			       0, 0, 0));
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	sleep(5);
	ASSERT_LT(r.expires + 2 * NS_PER_SEC, peer_time_in(self->h, REC_GROUP, 0));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &got))
		TH_LOG("expired although deferred: %s", pg_errmsg(self->h));
	EXPECT_EQ(1, got->version);
	pg_record_free(got);

	/* Cleared: it goes. */
	ASSERT_EQ(0, set_props(self->h, PG_SET_FLAGS, 0, 0, 0, 0));
	EXPECT_TRUE(record_vanishes(self->h, id, PG_ENUM_TOMBSTONES))
		TH_LOG("still there %d ms after the flag was cleared", WAIT_MS);
}

/* ---- Events */

/* Inside a TEST: the next record event is @change of @id at @version. */
#define EXPECT_RECORD_EVENT(m, change_, id_, type_, version_) do {		\
	struct pg_event __ev;							\
										\
	ASSERT_EQ(1, next_event(m, PG_EVENT_RECORD, &__ev, 5000))		\
		TH_LOG("no event");						\
	EXPECT_EQ(change_, __ev.change);					\
	EXPECT_STREQ(REC_GROUP, __ev.group);					\
	EXPECT_EQ(0, memcmp(id_, __ev.id, PG_GUID_LEN));			\
	EXPECT_EQ(0, memcmp(type_, __ev.type, PG_GUID_LEN));			\
	EXPECT_EQ(version_, __ev.version);					\
	EXPECT_EQ(PEERGROUP_ORIGIN_LOCAL, __ev.origin);				\
} while (0)

TEST_F(db, add_update_delete_raise_events)
{
	struct pg_record *cur, u;
	struct pg_monitor *m;
	struct pg_event ev;

	ASSERT_EQ(0, pg_monitor_open(&m));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_b, "x", NULL));
	ASSERT_EQ(1, next_event(m, PG_EVENT_RECORD, &ev, 5000));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, ev.id, &cur));
	EXPECT_EQ(PEERGROUP_CHANGE_ADDED, ev.change);
	EXPECT_EQ(0, memcmp(type_b, ev.type, PG_GUID_LEN));
	EXPECT_EQ(1, ev.version);
	EXPECT_EQ(PEERGROUP_ORIGIN_LOCAL, ev.origin);

	u = update_of(cur);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_RECORD_EVENT(m, PEERGROUP_CHANGE_UPDATED, cur->id, type_b, 2);
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, cur->id, NULL));
	EXPECT_RECORD_EVENT(m, PEERGROUP_CHANGE_DELETED, cur->id, type_b, 3);
	EXPECT_EQ(0, next_event(m, PG_EVENT_RECORD, &ev, 300));
	pg_record_free(cur);
	pg_monitor_close(m);
}

/* In a child: adds and updates records as fast as it can. */
static int busy_writer(void *arg)
{
	struct pg_handle *h;
	struct pg_record *cur, u;
	uint8_t id[PG_GUID_LEN];
	int i;

	(void)arg;
	if (pg_open(&h))
		return 1;
	for (i = 0; i < 50; i++) {
		if (add_record(h, REC_GROUP, type_a, "busy", id) ||
		    pg_record_get(h, REC_GROUP, id, &cur))
			return 2;
		u = update_of(cur);
		if (pg_record_update(h, REC_GROUP, &u, NULL))
			return 3;
		pg_record_free(cur);
	}
	pg_close(h);
	return 0;
}

TEST_F(db, events_come_after_the_table_holds_the_change)
{
	struct pg_record *got;
	struct pg_monitor *m;
	int events = 0, status;
	struct pg_event ev;
	pid_t pid;

	ASSERT_EQ(0, pg_monitor_open(&m));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(busy_writer(NULL));
	/* Each record is readable, at least at that version, at once. */
	while (events < 100 && next_event(m, PG_EVENT_RECORD, &ev, 5000) == 1) {
		events++;
		ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, ev.id, &got))
			TH_LOG("event %d (change %d): %s", events, ev.change,
			       pg_errmsg(self->h));
		EXPECT_LE(ev.version, got->version);
		pg_record_free(got);
	}
	EXPECT_EQ(100, events);
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	pg_monitor_close(m);
}

TEST_F(db, failed_commands_raise_no_event)
{
	static const uint8_t nil[PG_GUID_LEN];
	struct pg_record bad = record_of(nil, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_record reserved = record_of(type_reserved, bad.expires);
	struct pg_record *cur, u;
	uint8_t id[PG_GUID_LEN];
	struct pg_monitor *m;
	struct pg_event ev;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, id));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	ASSERT_EQ(0, pg_monitor_open(&m));
	EXPECT_EQ(-EINVAL, pg_record_add(self->h, REC_GROUP, &bad, NULL, NULL));
	EXPECT_EQ(-EACCES, pg_record_add(self->h, REC_GROUP, &reserved, NULL, NULL));
	u = update_of(cur);
	u.expires--;
	EXPECT_EQ(-EINVAL, pg_record_update(self->h, REC_GROUP, &u, NULL));
	u = update_of(cur);
	u.id[15] ^= 1;
	EXPECT_EQ(-ENOENT, pg_record_update(self->h, REC_GROUP, &u, NULL));
	EXPECT_EQ(-ENOENT, pg_record_delete(self->h, REC_GROUP, u.id, NULL));
	EXPECT_EQ(-EINVAL, set_props(self->h, PG_SET_FLAGS, 0x1, 0, 0, 0));
	EXPECT_EQ(0, pg_monitor_next(m, &ev, 500)) TH_LOG("event %d of kind %d", ev.change,
							  ev.kind);
	pg_record_free(cur);
	pg_monitor_close(m);
}

TEST_F(db, events_stay_in_their_namespace)
{
	uint8_t here[PG_GUID_LEN], there[PG_GUID_LEN];
	struct pg_monitor *m_here, *m_there;
	struct pg_handle *other;
	struct pg_event ev;

	ASSERT_EQ(0, pg_monitor_open(&m_here));
	ASSERT_EQ(0, open_elsewhere(&other));
	ASSERT_EQ(0, pg_monitor_open(&m_there));
	ASSERT_EQ(0, make_group(other, REC_GROUP, BOB, NULL, REC_PASSWORD));
	while (pg_monitor_next(m_there, &ev, 200) == 1)
		;	/* the new group's own events */

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, NULL, here));
	EXPECT_RECORD_EVENT(m_here, PEERGROUP_CHANGE_ADDED, here, type_a, 1);
	EXPECT_EQ(0, pg_monitor_next(m_there, &ev, 1000))
		TH_LOG("an event of the other namespace arrived");

	ASSERT_EQ(0, add_record(other, REC_GROUP, type_a, NULL, there));
	EXPECT_RECORD_EVENT(m_there, PEERGROUP_CHANGE_ADDED, there, type_a, 1);
	EXPECT_EQ(0, pg_monitor_next(m_here, &ev, 1000))
		TH_LOG("an event of the other namespace arrived");
	pg_monitor_close(m_there);
	pg_monitor_close(m_here);
	pg_close(other);
}

TEST_F(db, group_set_raises_a_properties_event)
{
	struct pg_group_status st;
	struct pg_monitor *m;
	struct pg_event ev;

	ASSERT_EQ(0, pg_monitor_open(&m));
	EXPECT_EQ(-EINVAL, set_props(self->h, PG_SET_FLAGS, 0x1, 0, 0, 0));
	ASSERT_EQ(0, set_props(self->h, PG_SET_MAX_RECORDS, 0, 0, 100, 0));
	ASSERT_EQ(1, next_event(m, PG_EVENT_GROUP, &ev, 5000));
	EXPECT_EQ(PEERGROUP_GROUP_EVENT_PROPERTIES, ev.group_event);
	EXPECT_STREQ(REC_GROUP, ev.group);
	ASSERT_EQ(0, pg_group_status(self->h, REC_GROUP, &st));
	EXPECT_EQ(st.status, ev.status);
	/* One set, one event: the refused one raised none. */
	EXPECT_EQ(0, next_event(m, PG_EVENT_GROUP, &ev, 500));
	pg_monitor_close(m);
}

/* ---- Export and import */

/* Fills the group with a bit of everything: 4 records, one a tombstone. */
static int fill(struct pg_handle *h)
{
	const struct pg_attribute attrs[] = {
		{ .name = "colour", .kind = PG_ATTR_STRING, .str = "blue" },
		{ .name = "count", .kind = PG_ATTR_INT, .i = -3 },
		{ .name = "due", .kind = PG_ATTR_DATE, .date = 1767225600ull * NS_PER_SEC },
	};
	struct pg_record r = record_of(type_a, peer_time_in(h, REC_GROUP, HOUR_MS));
	struct pg_record *cur, u;
	uint8_t id[PG_GUID_LEN];
	int ret;

	record_set_attrs(&r, attrs, 3);
	record_set_data(&r, "payload", 7);
	ret = pg_record_add(h, REC_GROUP, &r, NULL, NULL);
	r.present |= PG_REC_FLAGS;
	r.flags = PEERGROUP_RECORD_F_AUTOREFRESH;
	ret = ret ?: pg_record_add(h, REC_GROUP, &r, NULL, NULL);
	ret = ret ?: add_record(h, REC_GROUP, type_b, "updated", id);
	ret = ret ?: pg_record_get(h, REC_GROUP, id, &cur);
	if (ret)
		return ret;
	u = update_of(cur);
	record_set_attrs(&u, attrs + 1, 1);
	ret = pg_record_update(h, REC_GROUP, &u, NULL);
	pg_record_free(cur);
	ret = ret ?: add_record(h, REC_GROUP, type_b, "deleted", id);
	return ret ?: pg_record_delete(h, REC_GROUP, id, NULL);
}

/* Deletes the group and creates it again, empty, with @password. */
static int recreate(struct pg_handle *h, const char *password)
{
	int ret = pg_group_delete(h, REC_GROUP);

	return ret ?: make_group(h, REC_GROUP, REC_IDENTITY, NULL, password);
}

TEST_F(db, export_then_import_restores_the_table)
{
	struct snap before;
	size_t out = 0, in = 0;
	int fd;

	ASSERT_EQ(0, fill(self->h)) TH_LOG("fill: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	ASSERT_EQ(4, before.count);
	fd = export_fd(self->h, REC_GROUP, &out);
	ASSERT_LE(0, fd) TH_LOG("export: %s", pg_errmsg(self->h));
	EXPECT_EQ(4, out);

	ASSERT_EQ(0, recreate(self->h, REC_PASSWORD));
	EXPECT_EQ(0, count_records(self->h, REC_GROUP, PG_ENUM_TOMBSTONES));
	ASSERT_EQ(0, pg_import(self->h, REC_GROUP, fd, &in))
		TH_LOG("import: %s", pg_errmsg(self->h));
	EXPECT_EQ(4, in);
	/* Every field of every record, the security data included. */
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	close(fd);
}

TEST_F(db, import_with_another_password_is_einval)
{
	struct snap before;
	size_t n = 0;
	int fd;

	ASSERT_EQ(0, fill(self->h));
	fd = export_fd(self->h, REC_GROUP, &n);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, recreate(self->h, "another password"));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	n = 99;
	EXPECT_ERR(self->h, -EINVAL, pg_import(self->h, REC_GROUP, fd, &n));
	EXPECT_EQ(0, n);
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	close(fd);
}

/* An imported record is held to the max lifetime of the group it enters. */
TEST_F(db, import_beyond_the_max_lifetime_is_einval)
{
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, 2 * HOUR_MS));
	size_t n = 0;
	int fd;

	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, NULL, NULL));
	fd = export_fd(self->h, REC_GROUP, &n);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, recreate(self->h, REC_PASSWORD));
	ASSERT_EQ(0, set_lifetime(self->h, 2 * 3600 - 5));
	n = 99;
	EXPECT_ERR(self->h, -EINVAL, pg_import(self->h, REC_GROUP, fd, &n));
	EXPECT_STREQ("record 1 of 1: " LIFETIME_WHY, pg_errmsg(self->h));
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, count_records(self->h, REC_GROUP, PG_ENUM_TOMBSTONES));

	/* Two hours from its write, at most: it fits two hours. */
	ASSERT_EQ(0, set_lifetime(self->h, 2 * 3600));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(0, pg_import(self->h, REC_GROUP, fd, &n))
		TH_LOG("import: %s", pg_errmsg(self->h));
	EXPECT_EQ(1, n);
	close(fd);
}

enum tamper {
	T_ID, T_TYPE, T_VERSION, T_FLAGS, T_CREATOR, T_MODIFIER, T_CREATED,
	T_MODIFIED, T_EXPIRES, T_ATTR, T_SECURITY, T_DATA, T_COUNT,
};

static const char *const tamper_names[T_COUNT] = {
	"id", "type", "version", "flags", "creator", "modifier", "created",
	"modified", "expires", "attribute", "security", "data",
};

TEST_F(db, import_of_a_tampered_record_is_einval)
{
	const struct pg_attribute attr = { .name = "colour", .kind = PG_ATTR_STRING,
					   .str = "blue" };
	struct pg_record r = record_of(type_a, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *orig;
	uint8_t id[PG_GUID_LEN];
	struct pg_enum *e;
	struct snap before;
	int t;

	record_set_attrs(&r, &attr, 1);
	record_set_data(&r, "payload", 7);
	ASSERT_EQ(0, pg_record_add(self->h, REC_GROUP, &r, id, NULL));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	orig = enum_find(e, id);
	ASSERT_NE(NULL, orig);
	ASSERT_EQ(1, orig->nattrs);
	ASSERT_LT(0, orig->security_len);
	ASSERT_GT(256, orig->security_len);
	ASSERT_EQ(0, recreate(self->h, REC_PASSWORD));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));

	for (t = 0; t < T_COUNT; t++) {
		char creator[PEERGROUP_IDENTITY_MAX + 1], modifier[PEERGROUP_IDENTITY_MAX + 1];
		uint8_t security[256], data[8];
		struct pg_record c = *orig;
		struct pg_attribute a = orig->attrs[0];
		char str[8];

		switch (t) {
		case T_ID:
			c.id[15] ^= 1;
			break;
		case T_TYPE:
			c.type[15] ^= 1;
			break;
		case T_VERSION:
			c.version++;
			break;
		case T_FLAGS:
			c.flags ^= PEERGROUP_RECORD_F_AUTOREFRESH;
			break;
		case T_CREATOR:
			snprintf(creator, sizeof(creator), "%s", orig->creator);
			creator[0] ^= 1;
			c.creator = creator;
			break;
		case T_MODIFIER:
			snprintf(modifier, sizeof(modifier), "%s", orig->modifier);
			modifier[0] ^= 1;
			c.modifier = modifier;
			break;
		case T_CREATED:
			c.created++;
			break;
		case T_MODIFIED:
			c.modified++;
			break;
		case T_EXPIRES:
			c.expires++;
			break;
		case T_ATTR:
			snprintf(str, sizeof(str), "%s", a.str);
			str[0] ^= 1;
			a.str = str;
			c.attrs = &a;
			break;
		case T_SECURITY:
			memcpy(security, orig->security, orig->security_len);
			security[0] ^= 1;
			c.security = security;
			break;
		case T_DATA:
			memcpy(data, orig->data, 7);
			data[0] ^= 1;
			c.data = data;
			break;
		}
		EXPECT_EQ(-EINVAL, pg_record_import(self->h, REC_GROUP, &c))
			TH_LOG("%s changed: %s", tamper_names[t], pg_errmsg(self->h));
		EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	}
	/* The record as it was is good. */
	EXPECT_EQ(0, pg_record_import(self->h, REC_GROUP, orig))
		TH_LOG("import: %s", pg_errmsg(self->h));
	EXPECT_EQ(1, count_records(self->h, REC_GROUP, 0));
	snap_free(&before);
	pg_enum_close(e);
}

TEST_F(db, import_keeps_the_newer_copy)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *v1, *v2;
	struct pg_enum *e1, *e2;
	struct pg_record *cur, u;
	uint8_t id[PG_GUID_LEN];
	struct snap before;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "one", id));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e1));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	u = update_of(cur);
	record_set_data(&u, "two", 3);
	ASSERT_EQ(0, pg_record_update(self->h, REC_GROUP, &u, NULL));
	pg_record_free(cur);
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e2));
	v1 = enum_find(e1, id);
	v2 = enum_find(e2, id);
	ASSERT_NE(NULL, v1);
	ASSERT_NE(NULL, v2);
	ASSERT_EQ(2, v2->version);

	/* An older copy over the newer one: nothing changes. */
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_EQ(0, pg_record_import(self->h, REC_GROUP, v1))
		TH_LOG("import: %s", pg_errmsg(self->h));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);

	/* In a fresh table the older one goes in, and the newer replaces it. */
	ASSERT_EQ(0, recreate(self->h, REC_PASSWORD));
	ASSERT_EQ(0, pg_record_import(self->h, REC_GROUP, v1));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	EXPECT_EQ(1, cur->version);
	pg_record_free(cur);
	ASSERT_EQ(0, pg_record_import(self->h, REC_GROUP, v2));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	EXPECT_EQ(2, cur->version);
	ASSERT_EQ(3, cur->data_len);
	EXPECT_EQ(0, memcmp("two", cur->data, 3));
	pg_record_free(cur);
	pg_enum_close(e2);
	pg_enum_close(e1);
}

TEST_F(db, import_raises_events_with_origin_import)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *orig;
	uint8_t id[PG_GUID_LEN];
	struct pg_monitor *m;
	struct pg_event ev;
	struct pg_enum *e;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "a", id));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	orig = enum_find(e, id);
	ASSERT_NE(NULL, orig);
	ASSERT_EQ(0, recreate(self->h, REC_PASSWORD));
	ASSERT_EQ(0, pg_monitor_open(&m));
	ASSERT_EQ(0, pg_record_import(self->h, REC_GROUP, orig))
		TH_LOG("import: %s", pg_errmsg(self->h));
	ASSERT_EQ(1, next_event(m, PG_EVENT_RECORD, &ev, 5000));
	EXPECT_EQ(PEERGROUP_CHANGE_ADDED, ev.change);
	EXPECT_EQ(PEERGROUP_ORIGIN_IMPORT, ev.origin);
	EXPECT_EQ(0, memcmp(id, ev.id, PG_GUID_LEN));
	EXPECT_EQ(1, ev.version);
	/* The same copy again changes nothing, and says nothing. */
	ASSERT_EQ(0, pg_record_import(self->h, REC_GROUP, orig));
	EXPECT_EQ(0, next_event(m, PG_EVENT_RECORD, &ev, 300));
	pg_monitor_close(m);
	pg_enum_close(e);
}

TEST_F(db, import_synchronizes_a_joined_group)
{
	struct pg_enum_filter by = { .creator = REC_IDENTITY };
	uint8_t mine[PG_GUID_LEN];
	struct pg_group_status st;
	struct pg_handle *bob;
	struct pg_record *got;
	struct pg_enum *e;
	size_t n = 0;
	int fd;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "a", NULL));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_b, "b", NULL));
	fd = export_fd(self->h, REC_GROUP, &n);
	ASSERT_LE(0, fd);

	ASSERT_EQ(0, open_elsewhere(&bob));
	ASSERT_EQ(0, make_group(bob, REC_GROUP, BOB, REC_IDENTITY, REC_PASSWORD));
	ASSERT_EQ(0, pg_group_status(bob, REC_GROUP, &st));
	EXPECT_EQ(0, st.status & PEERGROUP_STATUS_SYNCHRONIZED);
	EXPECT_EQ(PEERGROUP_ROLE_MEMBER, st.role);
	ASSERT_EQ(0, pg_import(bob, REC_GROUP, fd, &n)) TH_LOG("import: %s", pg_errmsg(bob));
	EXPECT_EQ(2, n);
	ASSERT_EQ(0, pg_group_status(bob, REC_GROUP, &st));
	EXPECT_NE(0, st.status & PEERGROUP_STATUS_SYNCHRONIZED);
	EXPECT_EQ(PEERGROUP_ROLE_MEMBER, st.role);

	/* The member writes records of its own, bound to its identity. */
	ASSERT_EQ(0, add_record(bob, REC_GROUP, type_a, "mine", mine))
		TH_LOG("add: %s", pg_errmsg(bob));
	EXPECT_EQ(0, memcmp(bob_id_prefix, mine, 8));
	ASSERT_EQ(0, pg_record_get(bob, REC_GROUP, mine, &got));
	EXPECT_STREQ(BOB, got->creator);
	EXPECT_STREQ(BOB, got->modifier);
	pg_record_free(got);

	/* Two creators in one table: the creator filter tells them apart. */
	ASSERT_EQ(0, pg_record_enum(bob, REC_GROUP, &by, &e));
	EXPECT_EQ(2, pg_enum_count(e));
	pg_enum_close(e);
	by.creator = BOB;
	ASSERT_EQ(0, pg_record_enum(bob, REC_GROUP, &by, &e));
	EXPECT_EQ(1, pg_enum_count(e));
	EXPECT_NE(NULL, enum_find(e, mine));
	pg_enum_close(e);
	close(fd);
	pg_close(bob);
}

TEST_F(db, member_cannot_change_the_creators_records)
{
	struct pg_record *theirs, *own, u;
	uint8_t id[PG_GUID_LEN], mine[PG_GUID_LEN];
	struct pg_handle *bob = NULL;
	struct snap before;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "alice's", id));
	ASSERT_EQ(0, bob_joins(self->h, &bob)) TH_LOG("join: %s", pg_errmsg(bob));
	ASSERT_EQ(0, pg_record_get(bob, REC_GROUP, id, &theirs));
	ASSERT_EQ(0, snap_take(bob, REC_GROUP, &before));
	u = update_of(theirs);
	EXPECT_ERR(bob, -EACCES, pg_record_update(bob, REC_GROUP, &u, NULL));
	EXPECT_STREQ("PEER_E_NOT_AUTHORIZED", pg_last_windows_error(bob, -EACCES));
	EXPECT_ERR(bob, -EACCES, pg_record_delete(bob, REC_GROUP, id, NULL));
	EXPECT_UNCHANGED(bob, REC_GROUP, &before);
	snap_free(&before);

	/* Its own it may change. */
	ASSERT_EQ(0, add_record(bob, REC_GROUP, type_a, "bob's", mine));
	ASSERT_EQ(0, pg_record_get(bob, REC_GROUP, mine, &own));
	u = update_of(own);
	EXPECT_EQ(0, pg_record_update(bob, REC_GROUP, &u, NULL)) TH_LOG("%s", pg_errmsg(bob));
	EXPECT_EQ(0, pg_record_delete(bob, REC_GROUP, mine, NULL)) TH_LOG("%s", pg_errmsg(bob));
	pg_record_free(own);
	pg_record_free(theirs);
	pg_close(bob);
}

/* ---- Permissions */

/* Exit codes: 0 as expected, else the step that went wrong. */
static int unprivileged_writes(void *arg)
{
	const struct pg_record *cur = arg;
	struct pg_group_props props = { .mask = PG_SET_MAX_RECORDS, .max_records = 5 };
	struct pg_record r = record_of(type_a, cur->expires), u = update_of(cur);
	struct pg_handle *h;
	int ret = 0;

	if (pg_open(&h))
		return 1;
	if (pg_record_add(h, REC_GROUP, &r, NULL, NULL) != -EPERM)
		ret = 2;
	else if (strcmp(pg_last_windows_error(h, -EPERM), "E_ACCESSDENIED"))
		ret = 3;
	else if (pg_record_update(h, REC_GROUP, &u, NULL) != -EPERM)
		ret = 4;
	else if (pg_record_delete(h, REC_GROUP, cur->id, NULL) != -EPERM)
		ret = 5;
	else if (pg_record_import(h, REC_GROUP, cur) != -EPERM)
		ret = 6;
	else if (pg_group_set(h, REC_GROUP, &props) != -EPERM)
		ret = 7;
	pg_close(h);
	return ret;
}

TEST_F(db, unprivileged_users_cannot_write)
{
	uint8_t id[PG_GUID_LEN];
	struct pg_record *cur;
	struct snap before;

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "x", id));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	EXPECT_EQ(0, run_as_nobody(unprivileged_writes, cur));
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	pg_record_free(cur);
}

/* Exit codes: 0 as expected, else the step that went wrong. */
static int unprivileged_reads(void *arg)
{
	const uint8_t *id = arg;
	struct pg_record *got = NULL;
	struct pg_enum *e = NULL;
	struct pg_handle *h;
	uint64_t peer;
	int ret = 0;

	if (pg_open(&h))
		return 1;
	if (pg_record_get(h, REC_GROUP, id, &got))
		ret = 2;
	else if (strcmp(got->creator, REC_IDENTITY))
		ret = 3;
	else if (count_records(h, REC_GROUP, PG_ENUM_TOMBSTONES) != 1)
		ret = 4;
	else if (pg_record_search(h, REC_GROUP, "<peersearch><clause attrib="
				  "\"peercreatorid\" type=\"string\">alice</clause>"
				  "</peersearch>", 0, &e))
		ret = 5;
	else if (pg_enum_count(e) != 1)
		ret = 6;
	else if (pg_time_convert(h, REC_GROUP, PG_TIME_NOW, 0, NULL, &peer))
		ret = 7;
	pg_enum_close(e);
	pg_record_free(got);
	pg_close(h);
	return ret;
}

TEST_F(db, unprivileged_users_can_read)
{
	uint8_t id[PG_GUID_LEN];

	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "x", id));
	EXPECT_EQ(0, run_as_nobody(unprivileged_reads, id));
}

TEST_HARNESS_MAIN
