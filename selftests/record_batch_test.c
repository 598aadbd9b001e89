// SPDX-License-Identifier: GPL-2.0
/*
 * Pipelined record writes (pg_batch_*): many requests in flight on one
 * socket, their answers matched back in order; a mixed batch; a refusal in
 * the middle (its index, its message, and nothing sent past the window);
 * imports through a batch; the window kept within a small receive buffer;
 * the handle kept for the batch while it is open.
 *
 * The tests share one network namespace, emptied before each, with a group
 * "office" created there by "alice".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/peergroup.h>
#include <netlink/socket.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

PG_SHARED_NETNS()

#define MANY	1000

FIXTURE(batch) {
	struct pg_handle *h;
};

FIXTURE_SETUP(batch)
{
	ASSERT_EQ(0, pg_empty_netns());
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD))
		TH_LOG("group: %s", pg_errmsg(self->h));
}

FIXTURE_TEARDOWN(batch)
{
	pg_close(self->h);
}

/* What the callback saw: every answer, and whether they came in order. */
struct answers {
	size_t n;
	bool in_order;
	int err[MANY + 64];
	uint8_t id[MANY + 64][PG_GUID_LEN];
	uint32_t version[MANY + 64];
};

static void on_answer(void *arg, size_t index, int err,
		      const uint8_t id[PG_GUID_LEN], uint32_t version)
{
	struct answers *a = arg;

	if (index != a->n || a->n == MANY + 64) {
		a->in_order = false;
		return;
	}
	a->err[index] = err;
	memcpy(a->id[index], id, PG_GUID_LEN);
	a->version[index] = version;
	a->n++;
}

static struct answers *answers_new(void)
{
	struct answers *a = calloc(1, sizeof(*a));

	if (a)
		a->in_order = true;
	return a;
}

/* The number in the data "rec-N" of r, or -1. */
static long data_number(const struct pg_record *r)
{
	char buf[32];

	if (r->data_len < 5 || r->data_len >= sizeof(buf))
		return -1;
	memcpy(buf, r->data, r->data_len);
	buf[r->data_len] = '\0';
	return strncmp(buf, "rec-", 4) ? -1 : strtol(buf + 4, NULL, 10);
}

TEST_F(batch, a_thousand_adds_land_with_their_ids_in_order)
{
	uint64_t expires = peer_time_in(self->h, REC_GROUP, HOUR_MS);
	struct answers *a = answers_new();
	const struct pg_record *r;
	struct pg_batch *b;
	struct pg_enum *e;
	bool *seen;
	char data[32];
	long i, n;

	ASSERT_NE(NULL, a);
	seen = calloc(MANY, sizeof(*seen));
	ASSERT_NE(NULL, seen);
	ASSERT_EQ(0, pg_batch_open(self->h, REC_GROUP, 0, on_answer, a, &b))
		TH_LOG("open: %s", pg_errmsg(self->h));
	for (i = 0; i < MANY; i++) {
		struct pg_record rec = record_of(type_a, expires);

		snprintf(data, sizeof(data), "rec-%ld", i);
		record_set_data(&rec, data, strlen(data));
		ASSERT_EQ(0, pg_batch_add(b, &rec))
			TH_LOG("add %ld: %s", i, pg_errmsg(self->h));
	}
	EXPECT_EQ(0, pg_batch_close(b)) TH_LOG("close: %s", pg_errmsg(self->h));
	EXPECT_TRUE(a->in_order);
	ASSERT_EQ(MANY, a->n);

	/* Each answer names the record its request made. */
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, NULL, &e))
		TH_LOG("enum: %s", pg_errmsg(self->h));
	EXPECT_EQ(MANY, pg_enum_count(e));
	while ((r = pg_enum_next(e))) {
		n = data_number(r);
		ASSERT_TRUE(n >= 0 && n < MANY);
		EXPECT_FALSE(seen[n]);
		seen[n] = true;
		EXPECT_EQ(0, a->err[n]);
		EXPECT_EQ(1, a->version[n]);
		EXPECT_EQ(0, memcmp(a->id[n], r->id, PG_GUID_LEN))
			TH_LOG("record %ld: another id", n);
		EXPECT_EQ(0, memcmp(alice_id_prefix, r->id, 8));
	}
	pg_enum_close(e);
	free(seen);
	free(a);
}

TEST_F(batch, a_mixed_batch_adds_updates_and_deletes)
{
	struct pg_record *old, *got, u, add;
	uint8_t kept[PG_GUID_LEN], gone[PG_GUID_LEN];
	struct answers *a = answers_new();
	struct pg_batch *b;

	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "one", kept));
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_b, "two", gone));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, kept, &old));
	u = update_of(old);
	record_set_data(&u, "one, again", 10);
	add = record_of(type_b, peer_time_in(self->h, REC_GROUP, HOUR_MS));
	record_set_data(&add, "three", 5);

	ASSERT_EQ(0, pg_batch_open(self->h, REC_GROUP, 0, on_answer, a, &b));
	EXPECT_EQ(0, pg_batch_add(b, &add));
	EXPECT_EQ(0, pg_batch_update(b, &u));
	EXPECT_EQ(0, pg_batch_delete(b, gone));
	EXPECT_EQ(0, pg_batch_flush(b)) TH_LOG("flush: %s", pg_errmsg(self->h));
	EXPECT_EQ(3, pg_batch_succeeded(b));
	EXPECT_EQ(PG_BATCH_NO_FAILURE, pg_batch_failed_index(b));
	EXPECT_EQ(0, pg_batch_close(b));
	pg_record_free(old);

	ASSERT_EQ(3, a->n);
	EXPECT_TRUE(a->in_order);
	EXPECT_EQ(1, a->version[0]);
	EXPECT_EQ(0, memcmp(alice_id_prefix, a->id[0], 8));
	EXPECT_EQ(2, a->version[1]);
	EXPECT_EQ(0, memcmp(kept, a->id[1], PG_GUID_LEN));
	EXPECT_EQ(2, a->version[2]);	/* the tombstone */
	EXPECT_EQ(0, memcmp(gone, a->id[2], PG_GUID_LEN));

	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, a->id[0], &got));
	EXPECT_EQ(5, got->data_len);
	pg_record_free(got);
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, kept, &got));
	EXPECT_EQ(2, got->version);
	ASSERT_EQ(10, got->data_len);
	EXPECT_EQ(0, memcmp("one, again", got->data, 10));
	pg_record_free(got);
	EXPECT_EQ(-ENOENT, pg_record_get(self->h, REC_GROUP, gone, &got));
	EXPECT_EQ(2, count_records(self->h, REC_GROUP, 0));
	EXPECT_EQ(3, count_records(self->h, REC_GROUP, PG_ENUM_TOMBSTONES));
	free(a);
}

#define WINDOW	8
#define BAD	5	/* the index of the failing request */
#define AFTER	50	/* adds queued after it */

TEST_F(batch, a_refusal_stops_the_batch_at_its_window)
{
	uint64_t expires = peer_time_in(self->h, REC_GROUP, HOUR_MS);
	char msg[256], windows[64], data[32];
	struct answers *a = answers_new();
	struct pg_record *cur, bad;
	uint8_t id[PG_GUID_LEN];
	int i, ret = 0, attr, first_err = 0;
	const struct pg_record *r;
	struct pg_batch *b;
	struct pg_enum *e;
	long n;

	ASSERT_NE(NULL, a);
	/* An update of a record that does not exist, one at a time first. */
	ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "x", id));
	ASSERT_EQ(0, pg_record_get(self->h, REC_GROUP, id, &cur));
	bad = update_of(cur);
	bad.id[15] ^= 0x01;
	EXPECT_ERR(self->h, -ENOENT, pg_record_update(self->h, REC_GROUP, &bad, NULL));
	snprintf(msg, sizeof(msg), "%s", pg_errmsg(self->h));
	snprintf(windows, sizeof(windows), "%s",
		 pg_last_windows_error(self->h, -ENOENT));
	attr = pg_errattr(self->h);
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, id, NULL));

	ASSERT_EQ(0, pg_batch_open(self->h, REC_GROUP, WINDOW, on_answer, a, &b));
	for (i = 0; i < BAD + 1 + AFTER; i++) {
		struct pg_record rec = record_of(type_a, expires);

		snprintf(data, sizeof(data), "rec-%d", i);
		record_set_data(&rec, data, strlen(data));
		ret = i == BAD ? pg_batch_update(b, &bad) : pg_batch_add(b, &rec);
		if (ret && !first_err)
			first_err = i;
		/* Once it failed, every call says so. */
		if (first_err)
			EXPECT_EQ(-ENOENT, ret) TH_LOG("request %d", i);
	}
	/* It was found out within a window of its sending. */
	EXPECT_NE(0, first_err);
	EXPECT_GE(BAD + WINDOW + 1, first_err);
	/* The handle belongs to the batch. */
	EXPECT_EQ(-EBUSY, count_records(self->h, REC_GROUP, 0));
	EXPECT_EQ(-ENOENT, pg_batch_flush(b));
	EXPECT_EQ(BAD, pg_batch_failed_index(b));
	EXPECT_STREQ(msg, pg_errmsg(self->h));
	EXPECT_EQ(attr, pg_errattr(self->h));
	EXPECT_STREQ(windows, pg_last_windows_error(self->h, -ENOENT));
	n = pg_batch_succeeded(b);
	EXPECT_EQ(-ENOENT, pg_batch_close(b));
	EXPECT_STREQ(msg, pg_errmsg(self->h));

	/* Every request accepted was answered in order, the bad one refused. */
	EXPECT_TRUE(a->in_order);
	EXPECT_EQ(-ENOENT, a->err[BAD]);
	for (i = 0; i < BAD; i++)
		EXPECT_EQ(0, a->err[i]);
	EXPECT_GE((size_t)BAD + WINDOW, a->n);

	/* What was added: all before it, some within its window, none past. */
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, NULL, &e));
	EXPECT_EQ(n, pg_enum_count(e));
	EXPECT_LE(BAD, pg_enum_count(e));
	while ((r = pg_enum_next(e)))
		EXPECT_GT(BAD + WINDOW, data_number(r))
			TH_LOG("record %ld was sent after the window", data_number(r));
	pg_enum_close(e);
	pg_record_free(cur);
	free(a);
}

TEST_F(batch, imports_go_through_a_batch)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	struct answers *a = answers_new();
	const struct pg_record *r;
	struct pg_record tampered;
	struct pg_batch *b;
	struct pg_enum *e;
	uint8_t data[16];
	size_t i, n;

	ASSERT_NE(NULL, a);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "payload", NULL));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	ASSERT_EQ(0, pg_group_delete(self->h, REC_GROUP));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD));

	/* The third record tampered with: refused, the rest imported. */
	ASSERT_EQ(0, pg_batch_open(self->h, REC_GROUP, 0, on_answer, a, &b));
	for (n = 0; (r = pg_enum_next(e)); n++) {
		tampered = *r;
		if (n == 2) {
			memcpy(data, r->data, r->data_len);
			data[0] ^= 1;
			tampered.data = data;
		}
		EXPECT_EQ(0, pg_batch_import(b, &tampered));
	}
	EXPECT_EQ(-EINVAL, pg_batch_close(b));
	EXPECT_NE('\0', pg_errmsg(self->h)[0]);
	ASSERT_EQ(5, n);
	ASSERT_EQ(5, a->n);
	EXPECT_EQ(-EINVAL, a->err[2]);
	/* In one window: the records after the refused one went in too. */
	EXPECT_EQ(4, count_records(self->h, REC_GROUP, 0));
	pg_enum_close(e);
	free(a);
}

/* The group's export in a memory file: its bytes in *buf, an fd rewound. */
static int export_to_memory(struct pg_handle *h, char **buf, size_t *len)
{
	int fd = memfd_create("export", 0), ret;
	off_t end;

	if (fd < 0)
		return -errno;
	ret = pg_export(h, REC_GROUP, fd, NULL);
	end = lseek(fd, 0, SEEK_END);
	*buf = end > 0 ? malloc(end) : NULL;
	if (ret || !*buf || pread(fd, *buf, end, 0) != end ||
	    lseek(fd, 0, SEEK_SET)) {
		free(*buf);
		close(fd);
		return ret ? ret : -EIO;
	}
	*len = end;
	return fd;
}

TEST_F(batch, pg_import_stops_at_a_refusal_and_names_its_position)
{
	char *file, *p;
	size_t len = 0, n = 99;
	int fd, i;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "payload", NULL));
	fd = export_to_memory(self->h, &file, &len);
	ASSERT_LE(0, fd) TH_LOG("export: %s", pg_errmsg(self->h));
	/* The data of the third record, changed: its MAC no longer holds. */
	for (p = file, i = 0; p && i < 3; i++)
		p = memmem(p + !!i, len - (p + !!i - file), "payload", 7);
	ASSERT_NE(NULL, p);
	p[0] ^= 1;
	ASSERT_EQ((ssize_t)len, pwrite(fd, file, len, 0));
	ASSERT_EQ(0, pg_group_delete(self->h, REC_GROUP));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD));

	EXPECT_ERR(self->h, -EINVAL, pg_import(self->h, REC_GROUP, fd, &n));
	EXPECT_EQ(0, strncmp("record 3 of 5: ", pg_errmsg(self->h), 15))
		TH_LOG("message: %s", pg_errmsg(self->h));
	/* One window: the two after it were imported, and counted. */
	EXPECT_EQ(4, n);
	EXPECT_EQ(4, count_records(self->h, REC_GROUP, 0));
	free(file);
	close(fd);
}

TEST_F(batch, a_whole_export_imports_back_through_a_batch)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	struct answers *a = answers_new();
	const struct pg_record *r;
	uint8_t gone[PG_GUID_LEN];
	struct pg_batch *b;
	struct snap before;
	struct pg_enum *e;
	size_t n;

	ASSERT_NE(NULL, a);
	for (n = 0; n < 100; n++)
		ASSERT_EQ(0, add_record(self->h, REC_GROUP, type_a, "payload", gone));
	ASSERT_EQ(0, pg_record_delete(self->h, REC_GROUP, gone, NULL));
	ASSERT_EQ(0, snap_take(self->h, REC_GROUP, &before));
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	ASSERT_EQ(0, pg_group_delete(self->h, REC_GROUP));
	ASSERT_EQ(0, make_group(self->h, REC_GROUP, REC_IDENTITY, NULL, REC_PASSWORD));

	ASSERT_EQ(0, pg_batch_open(self->h, REC_GROUP, 16, on_answer, a, &b));
	while ((r = pg_enum_next(e)))
		ASSERT_EQ(0, pg_batch_import(b, r)) TH_LOG("%s", pg_errmsg(self->h));
	EXPECT_EQ(0, pg_batch_close(b)) TH_LOG("close: %s", pg_errmsg(self->h));
	EXPECT_TRUE(a->in_order);
	ASSERT_EQ(100, a->n);
	/* An import's answer names the record sent. */
	pg_enum_close(e);
	ASSERT_EQ(0, pg_record_enum(self->h, REC_GROUP, &all, &e));
	for (n = 0; (r = pg_enum_next(e)); n++) {
		EXPECT_EQ(0, memcmp(r->id, a->id[n], PG_GUID_LEN));
		EXPECT_EQ(r->version, a->version[n]);
	}
	pg_enum_close(e);
	EXPECT_UNCHANGED(self->h, REC_GROUP, &before);
	snap_free(&before);
	free(a);
}

TEST_F(batch, a_small_receive_buffer_shrinks_the_window)
{
	uint64_t expires = peer_time_in(self->h, REC_GROUP, HOUR_MS);
	int fd = nl_socket_get_fd(pg_sock(self->h)), size = 4096;
	struct answers *a = answers_new();
	struct pg_batch *b;
	int i;

	ASSERT_NE(NULL, a);
	/*
	 * 8 KB (the kernel doubles it): 64 answers of some 800 bytes each
	 * would overflow it; the batch takes a window of 4.
	 */
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)));
	ASSERT_EQ(0, pg_batch_open(self->h, REC_GROUP, 0, on_answer, a, &b));
	for (i = 0; i < 300; i++) {
		struct pg_record rec = record_of(type_b, expires);

		ASSERT_EQ(0, pg_batch_add(b, &rec)) TH_LOG("%d: %s", i, pg_errmsg(self->h));
	}
	EXPECT_EQ(0, pg_batch_close(b)) TH_LOG("close: %s", pg_errmsg(self->h));
	EXPECT_EQ(300, a->n);
	EXPECT_EQ(300, count_records(self->h, REC_GROUP, 0));
	free(a);
}

TEST_F(batch, a_window_above_the_maximum_is_einval)
{
	struct pg_batch *b = (struct pg_batch *)1, *other;

	EXPECT_ERR(self->h, -EINVAL,
		   pg_batch_open(self->h, REC_GROUP, PG_BATCH_WINDOW_MAX + 1,
				 NULL, NULL, &b));
	EXPECT_EQ(NULL, b);
	ASSERT_EQ(0, pg_batch_open(self->h, NULL, PG_BATCH_WINDOW_MAX, NULL,
				   NULL, &b));
	EXPECT_ERR(self->h, -EBUSY, pg_batch_open(self->h, REC_GROUP, 0, NULL,
						   NULL, &other));
	EXPECT_EQ(0, pg_batch_close(b));
	/* Closed, the handle serves ordinary calls again. */
	EXPECT_EQ(0, count_records(self->h, REC_GROUP, 0));
}

TEST_HARNESS_MAIN
