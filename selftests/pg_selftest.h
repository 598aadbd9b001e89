/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the peergroup C selftests.
 */
#ifndef _PG_SELFTEST_H
#define _PG_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

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

/*
 * ---- One namespace for the tests of a binary
 *
 * Tests run in a network namespace of their own, empty when they start.
 * Making one and tearing it down costs about a second of CPU on the debug
 * kernel under emulation, so a binary may share one among its tests:
 * PG_SHARED_NETNS() at file scope unshares it before the harness starts
 * (its tests, forked one at a time, inherit it), and each test's setup
 * calls pg_empty_netns() to delete the groups its predecessor left.
 * Tests about namespaces themselves still unshare their own.
 */

static int pg_shared_netns_err = -ENOENT;	/* until it is made */

#define PG_SHARED_NETNS()						\
	static void __attribute__((constructor)) pg_shared_netns(void)	\
	{								\
		pg_shared_netns_err = unshare(CLONE_NEWNET) ? -errno : 0; \
	}

/* Deletes every group of the shared namespace: 0, or a negative errno. */
static inline int pg_empty_netns(void)
{
	struct pg_group_info *groups = NULL;
	struct pg_handle *h;
	size_t n = 0, i;
	int ret = pg_shared_netns_err;

	if (ret)
		return ret;
	ret = pg_open(&h);
	if (!ret)
		ret = pg_group_enum(h, &groups, &n);
	for (i = 0; !ret && i < n; i++)
		ret = pg_group_delete(h, groups[i].name);
	free(groups);
	pg_close(h);
	return ret;
}

/*
 * ---- Record helpers (record_test.c, record_search_test.c, record_db_test.c)
 *
 * A group as the record tests make it, records made from a template, a
 * snapshot of a whole table to prove that a failed command changed nothing,
 * and the few netlink pieces the library cannot express.
 */
#define REC_GROUP	"office"
#define REC_IDENTITY	"alice"
#define REC_PASSWORD	"correct horse battery staple"
#define NS_PER_MS	1000000ull
#define NS_PER_SEC	1000000000ull
#define HOUR_MS		3600000

/* Two application record types, and the Windows reserved type {01000000-...}. */
static const uint8_t type_a[PG_GUID_LEN] = {
	0x5b, 0x1c, 0x7e, 0x21, 0x93, 0x4d, 0x4a, 0x0f,
	0x8e, 0x55, 0x1d, 0x22, 0x6a, 0x71, 0x90, 0x3c };
static const uint8_t type_b[PG_GUID_LEN] = {
	0xc4, 0x02, 0x5f, 0x9a, 0x10, 0x6b, 0x42, 0xe7,
	0xb1, 0x3d, 0x48, 0x0c, 0x27, 0x9e, 0x55, 0xa8 };
static const uint8_t type_reserved[PG_GUID_LEN] = { 0x01 };

/* Bytes 0..7 XOR bytes 8..15 of SHA-256("alice") and of SHA-256("bob"). */
static const uint8_t alice_id_prefix[8] = {
	0x31, 0xc7, 0xc5, 0xfb, 0xf0, 0xa9, 0x63, 0x06 };
static const uint8_t bob_id_prefix[8] = {
	0xe2, 0xef, 0xd1, 0x4e, 0xcd, 0xc1, 0x67, 0xcd };

static inline uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Makes group @name as @identity, joining @creator's group unless NULL. */
/*
 * The tests' key derivation: the cheapest Argon2id (a group key is what
 * they need, not a slow one; hundreds of groups under TCG emulation). The
 * shell tests get the same through PEERGROUP_KDF (lib.sh).
 */
static const struct pg_kdf test_kdf = {
	.time = 1, .memory_kib = 64, .lanes = 1,
};

static inline int make_group(struct pg_handle *h, const char *name,
			     const char *identity, const char *creator,
			     const char *password)
{
	struct pg_group_params p = {
		.name = name, .identity = identity, .creator = creator,
		.password = password,
		.password_len = password ? strlen(password) : 0,
		.kdf = &test_kdf,
	};

	return pg_group_create_ex(h, &p, NULL);
}

/* The group's peer time @ms milliseconds from now; 0 when it has none. */
static inline uint64_t peer_time_in(struct pg_handle *h, const char *group,
				    int64_t ms)
{
	uint64_t peer;

	if (pg_time_convert(h, group, PG_TIME_NOW, 0, NULL, &peer))
		return 0;
	return peer + ms * (int64_t)NS_PER_MS;
}

/* A record of @type expiring at @expires, as a caller fills it for add. */
static inline struct pg_record record_of(const uint8_t type[PG_GUID_LEN],
					 uint64_t expires)
{
	struct pg_record r;

	memset(&r, 0, sizeof(r));
	r.present = PG_REC_TYPE | PG_REC_EXPIRES;
	memcpy(r.type, type, PG_GUID_LEN);
	r.expires = expires;
	return r;
}

static inline void record_set_data(struct pg_record *r, const void *data,
				   size_t len)
{
	r->present |= PG_REC_DATA;
	r->data = data;
	r->data_len = len;
}

static inline void record_set_attrs(struct pg_record *r,
				    const struct pg_attribute *attrs, size_t n)
{
	r->present |= PG_REC_ATTRS;
	r->attrs = attrs;
	r->nattrs = n;
}

/* Adds a record of @type living an hour, with @data (a string) if any. */
static inline int add_record(struct pg_handle *h, const char *group,
			     const uint8_t type[PG_GUID_LEN], const char *data,
			     uint8_t id[PG_GUID_LEN])
{
	struct pg_record r = record_of(type, peer_time_in(h, group, HOUR_MS));

	if (data)
		record_set_data(&r, data, strlen(data));
	return pg_record_add(h, group, &r, id, NULL);
}

/* An update of @cur that keeps it as it is but for attributes and data. */
static inline struct pg_record update_of(const struct pg_record *cur)
{
	struct pg_record r = *cur;

	r.present = PG_REC_ID | PG_REC_TYPE | PG_REC_FLAGS | PG_REC_EXPIRES;
	r.nattrs = 0;
	r.attrs = NULL;
	r.data_len = 0;
	r.data = NULL;
	return r;
}

/* The attribute @name of @r, or NULL. */
static inline const struct pg_attribute *find_attr(const struct pg_record *r,
						   const char *name)
{
	size_t i;

	for (i = 0; i < r->nattrs; i++)
		if (r->attrs[i].name && !strcmp(r->attrs[i].name, name))
			return &r->attrs[i];
	return NULL;
}

/*
 * Inside a TEST: @call fails with exactly @err, and the kernel (or the
 * library) said why.
 */
#define EXPECT_ERR(h, err, call) do {					\
	int __got = (call);						\
									\
	EXPECT_EQ(err, __got) TH_LOG("%s: '%s'", #call, pg_errmsg(h));	\
	if (__got == (err)) {						\
		EXPECT_NE('\0', pg_errmsg(h)[0])			\
			TH_LOG("%s: no extack message", #call);		\
	}								\
} while (0)

/*
 * A snapshot of a group: every field of every record of a dump with
 * tombstones, serialized in order, and the group's record and byte counts.
 */
struct snap {
	uint32_t records;
	uint64_t bytes;
	size_t count;
	char *buf;
	size_t len;
};

static inline void snap_blob(FILE *f, const void *p, size_t n)
{
	fwrite(&n, sizeof(n), 1, f);
	if (n)
		fwrite(p, 1, n, f);
}

static inline void snap_str(FILE *f, const char *s)
{
	snap_blob(f, s ? s : "", s ? strlen(s) + 1 : 0);
}

static inline void snap_record(FILE *f, const struct pg_record *r)
{
	size_t i;

	fwrite(&r->present, sizeof(r->present), 1, f);
	snap_blob(f, r->id, PG_GUID_LEN);
	snap_blob(f, r->type, PG_GUID_LEN);
	fwrite(&r->version, sizeof(r->version), 1, f);
	fwrite(&r->flags, sizeof(r->flags), 1, f);
	snap_str(f, r->creator);
	snap_str(f, r->modifier);
	fwrite(&r->created, sizeof(r->created), 1, f);
	fwrite(&r->modified, sizeof(r->modified), 1, f);
	fwrite(&r->expires, sizeof(r->expires), 1, f);
	fwrite(&r->nattrs, sizeof(r->nattrs), 1, f);
	for (i = 0; i < r->nattrs; i++) {
		const struct pg_attribute *a = &r->attrs[i];

		snap_str(f, a->name);
		fwrite(&a->kind, sizeof(a->kind), 1, f);
		if (a->kind == PG_ATTR_STRING)
			snap_str(f, a->str);
		else if (a->kind == PG_ATTR_INT)
			fwrite(&a->i, sizeof(a->i), 1, f);
		else
			fwrite(&a->date, sizeof(a->date), 1, f);
	}
	snap_blob(f, r->security, r->security_len);
	snap_blob(f, r->data, r->data_len);
}

/* 0 or a negative errno; snap_free() it either way. */
static inline int snap_take(struct pg_handle *h, const char *group,
			    struct snap *s)
{
	struct pg_enum_filter all = { .flags = PG_ENUM_TOMBSTONES };
	const struct pg_record *r;
	struct pg_group_status st;
	struct pg_enum *e;
	FILE *f;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = pg_group_status(h, group, &st);
	if (ret)
		return ret;
	s->records = st.records;
	s->bytes = st.bytes;
	ret = pg_record_enum(h, group, &all, &e);
	if (ret)
		return ret;
	f = open_memstream(&s->buf, &s->len);
	if (!f) {
		pg_enum_close(e);
		return -ENOMEM;
	}
	while ((r = pg_enum_next(e))) {
		snap_record(f, r);
		s->count++;
	}
	pg_enum_close(e);
	return fclose(f) ? -ENOMEM : 0;
}

static inline bool snap_equal(const struct snap *a, const struct snap *b)
{
	return a->records == b->records && a->bytes == b->bytes &&
	       a->count == b->count && a->len == b->len &&
	       !memcmp(a->buf, b->buf, a->len);
}

static inline void snap_free(struct snap *s)
{
	free(s->buf);
	s->buf = NULL;
}

/* Inside a TEST: the group is exactly as *@before says. */
#define EXPECT_UNCHANGED(h, group, before) do {				\
	struct snap __now;						\
	int __ret = snap_take(h, group, &__now);			\
									\
	EXPECT_EQ(0, __ret) TH_LOG("snapshot: %s", pg_errmsg(h));	\
	EXPECT_EQ((before)->records, __now.records);			\
	EXPECT_EQ((before)->bytes, __now.bytes);			\
	EXPECT_EQ((before)->count, __now.count);			\
	EXPECT_TRUE(snap_equal(before, &__now))				\
		TH_LOG("the table changed");				\
	snap_free(&__now);						\
} while (0)

/* The number of records a dump of @group lists with @flags, or -errno. */
static inline long count_records(struct pg_handle *h, const char *group,
				 uint32_t flags)
{
	struct pg_enum_filter f = { .flags = flags };
	struct pg_enum *e;
	long n;
	int ret;

	ret = pg_record_enum(h, group, &f, &e);
	if (ret)
		return ret;
	n = pg_enum_count(e);
	pg_enum_close(e);
	return n;
}

/* Finds the record @id in @e (rewinds nothing: pass a fresh enumeration). */
static inline const struct pg_record *enum_find(struct pg_enum *e,
						const uint8_t id[PG_GUID_LEN])
{
	const struct pg_record *r;

	while ((r = pg_enum_next(e)))
		if (!memcmp(r->id, id, PG_GUID_LEN))
			return r;
	return NULL;
}

/*
 * Waits up to @timeout_ms for the next event of @kind (PG_EVENT_RECORD or
 * PG_EVENT_GROUP), skipping the other kind: 1 with *@ev filled, 0 on
 * timeout, or a negative errno.
 */
static inline int next_event(struct pg_monitor *m, enum pg_event_kind kind,
			     struct pg_event *ev, int timeout_ms)
{
	uint64_t end = clock_ns(CLOCK_MONOTONIC) + timeout_ms * NS_PER_MS;
	int ret;

	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);

		if (now >= end)
			return 0;
		ret = pg_monitor_next(m, ev, (end - now) / NS_PER_MS + 1);
		if (ret <= 0 || ev->kind == kind)
			return ret;
	}
}

/* Reads one datagram of a dump; ORs its messages' flags into *@flags. */
static inline int recv_dump_datagram(struct nl_sock *sk, int *flags,
				     bool *done)
{
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	struct nlmsghdr *nlh;
	int len, n = 0;

	len = nl_recv(sk, &peer, &buf, NULL);
	if (len <= 0)
		return -1;
	for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len), n++) {
		*flags |= nlh->nlmsg_flags;
		if (nlh->nlmsg_type == NLMSG_DONE ||
		    nlh->nlmsg_type == NLMSG_ERROR)
			*done = true;
	}
	free(buf);
	return n;
}

/*
 * Runs @fn(@arg) in a child without any capability (uid and gid nobody, in
 * the caller's namespaces); returns its exit status, -1 if it died.
 */
static inline int run_as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* ---- end of the record helpers */

/* ---- Records: helpers of the stress, scale, fuzz and fault tests (begin) ---- */

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

#define NS_PER_DAY (86400ull * 1000000000ull)

/* Seconds on the monotonic clock. */
static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Zeroed memory that forked children share with their parent, or NULL. */
static inline void *shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

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

/* ---- Records: helpers of the stress, scale, fuzz and fault tests (end) ---- */

#endif /* _PG_SELFTEST_H */
