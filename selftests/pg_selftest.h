/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the peergroup C selftests.
 */
#ifndef _PG_SELFTEST_H
#define _PG_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpeergroup.h"

/* Writes TEXT to a (proc or sysfs) file: 0 or a negative errno. */
static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t len = strlen(text), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, text, len);
	ret = ret == len ? 0 : -errno;
	close(fd);
	return ret;
}

/* The number of groups a dump lists, or a negative errno. */
static inline long count_groups(struct pg_handle *h)
{
	struct pg_group_info *groups = NULL;
	size_t n = 0;
	int ret;

	ret = pg_group_enum(h, &groups, &n);
	free(groups);
	return ret ? ret : (long)n;
}

/* ---- Records: helpers of the stress, fuzz and fault tests (begin) ---- */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A size or count from the environment (the lanes set them), or @def. */
static inline long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	n = strtol(v, &end, 0);
	return *end || n < 0 ? def : n;
}

/* The group's peer time now, or 0 when it cannot be read. */
static inline uint64_t peer_now(struct pg_handle *h, const char *group)
{
	uint64_t peer = 0;

	return pg_time_convert(h, group, PG_TIME_NOW, 0, NULL, &peer) ? 0 : peer;
}

#define NS_PER_DAY (86400ull * 1000000000ull)

static inline bool attr_equal(const struct pg_attribute *a,
			      const struct pg_attribute *b)
{
	if (strcmp(a->name, b->name) || a->kind != b->kind)
		return false;
	switch (a->kind) {
	case PG_ATTR_STRING:
		return !strcmp(a->str, b->str);
	case PG_ATTR_INT:
		return a->i == b->i;
	case PG_ATTR_DATE:
		return a->date == b->date;
	}
	return false;
}

static inline bool bytes_equal(const void *a, size_t alen, const void *b,
			       size_t blen)
{
	return alen == blen && (!alen || !memcmp(a, b, alen));
}

static inline bool str_equal(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Every field of two records, as the kernel reported them. */
static inline bool record_equal(const struct pg_record *a,
				const struct pg_record *b)
{
	size_t i;

	if (a->present != b->present || memcmp(a->id, b->id, PG_GUID_LEN) ||
	    memcmp(a->type, b->type, PG_GUID_LEN) ||
	    a->version != b->version || a->flags != b->flags ||
	    !str_equal(a->creator, b->creator) ||
	    !str_equal(a->modifier, b->modifier) ||
	    a->created != b->created || a->modified != b->modified ||
	    a->expires != b->expires || a->nattrs != b->nattrs ||
	    !bytes_equal(a->security, a->security_len, b->security,
			 b->security_len) ||
	    !bytes_equal(a->data, a->data_len, b->data, b->data_len))
		return false;
	for (i = 0; i < a->nattrs; i++)
		if (!attr_equal(&a->attrs[i], &b->attrs[i]))
			return false;
	return true;
}

/*
 * A table snapshot: every record of a group, tombstones included, in id
 * order, and the group's properties and counters.
 */
struct table_snap {
	struct pg_enum *e;
	const struct pg_record **recs;
	size_t n;
	struct pg_group_status st;
};

static inline void table_snap_free(struct table_snap *s)
{
	pg_enum_close(s->e);
	free(s->recs);
	memset(s, 0, sizeof(*s));
}

/* 0 or a negative errno (then *s is empty). */
static inline int table_snap(struct pg_handle *h, const char *group,
			     struct table_snap *s)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *r;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = pg_group_status(h, group, &s->st);
	if (!ret)
		ret = pg_record_enum(h, group, &all, &s->e);
	if (ret)
		return ret;
	s->recs = calloc(pg_enum_count(s->e) + 1, sizeof(*s->recs));
	if (!s->recs) {
		table_snap_free(s);
		return -ENOMEM;
	}
	while ((r = pg_enum_next(s->e)))
		s->recs[s->n++] = r;
	return 0;
}

/*
 * Whether two snapshots hold the same table and group state; when not,
 * @why (a buffer of @len bytes) says where they first differ.
 */
static inline bool table_snap_same(const struct table_snap *a,
				   const struct table_snap *b, char *why,
				   size_t len)
{
	char id[PG_GUID_STR_LEN];
	size_t i;

	if (a->n != b->n) {
		snprintf(why, len, "%zu records, then %zu", a->n, b->n);
		return false;
	}
	for (i = 0; i < a->n; i++) {
		if (!record_equal(a->recs[i], b->recs[i])) {
			pg_guid_format(a->recs[i]->id, id);
			snprintf(why, len, "record %zu (%s, version %u) differs",
				 i, id, a->recs[i]->version);
			return false;
		}
	}
	if (a->st.records != b->st.records || a->st.bytes != b->st.bytes ||
	    a->st.flags != b->st.flags || a->st.status != b->st.status ||
	    a->st.max_record_size != b->st.max_record_size ||
	    a->st.max_records != b->st.max_records ||
	    a->st.max_bytes != b->st.max_bytes ||
	    strcmp(a->st.info.id, b->st.info.id) ||
	    a->st.info.created_ns != b->st.info.created_ns) {
		snprintf(why, len,
			 "group: records %u/%u bytes %llu/%llu flags %#x/%#x",
			 a->st.records, b->st.records,
			 (unsigned long long)a->st.bytes,
			 (unsigned long long)b->st.bytes, a->st.flags,
			 b->st.flags);
		return false;
	}
	return true;
}

/* Whether @group's table is still what @before holds. */
static inline bool table_unchanged(struct pg_handle *h, const char *group,
				   const struct table_snap *before, char *why,
				   size_t len)
{
	struct table_snap now;
	bool same;
	int ret = table_snap(h, group, &now);

	if (ret) {
		snprintf(why, len, "snapshot failed: %d %s", ret, pg_errmsg(h));
		return false;
	}
	same = table_snap_same(before, &now, why, len);
	table_snap_free(&now);
	return same;
}

/* ---- Records: helpers of the stress, fuzz and fault tests (end) ---- */

#endif /* _PG_SELFTEST_H */
