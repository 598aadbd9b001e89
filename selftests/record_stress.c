// SPDX-License-Identifier: GPL-2.0
/*
 * The record table under concurrent writers.
 *
 * concurrency: four writer processes add, update and delete records of
 * their own in one group while a fifth dumps the table again and again
 * without letting the library restart an interrupted dump. Every dump is
 * either flagged interrupted (-EINTR) or consistent with what the writers
 * had committed; at the end the table is exactly what the writers logged.
 *
 * PG_STRESS_OPS (default 10000) sets the writers' operations in total,
 * PG_STRESS_SEED their random choices (default: the time, printed).
 * The table at scale is record_scale's.
 */
#include <errno.h>
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

#include <linux/peergroup.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

#define GROUP		"stress"
#define IDENTITY	"alice"
#define WRITERS		4

static const uint8_t stress_type[PG_GUID_LEN] = {
	0x57, 0x72, 0x53, 0x74, 0x72, 0x65, 0x73, 0x73,
	0x8a, 0x11, 0x4c, 0x2b, 0x90, 0x3d, 0x6e, 0x01,
};

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

FIXTURE(stress) {
	struct pg_handle *h;
	uint64_t expires;
};

FIXTURE_SETUP(stress)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("pg_open: %s", pg_errmsg(self->h));
	ASSERT_EQ(0, pg_group_create(self->h, GROUP, IDENTITY, NULL))
		TH_LOG("%s", pg_errmsg(self->h));
	self->expires = peer_time_in(self->h, GROUP, 0);
	ASSERT_NE(0, self->expires) TH_LOG("%s", pg_errmsg(self->h));
	self->expires += NS_PER_DAY;
}

FIXTURE_TEARDOWN(stress)
{
	pg_close(self->h);
}

/*
 * Concurrency
 * -----------
 * Each writer logs its records in shared memory, one slot per record: the
 * id, then the committed state as one word (version, DELETED_BIT when a
 * tombstone) stored after the kernel answered, so whatever a reader sees
 * in a slot was committed no later than the moment it read it.
 */
#define DELETED_BIT	0x80000000u
#define DATA_MAGIC	0x70675354u	/* "pgST" */

struct slot {
	uint8_t id[PG_GUID_LEN];
	uint32_t state;			/* 0: not yet added */
};

struct writer_log {
	uint32_t nslots;		/* slots [0, nslots) have ids */
	uint32_t adds, updates, deletes;
};

struct shared {
	int writers_done;
	int stop;
	uint32_t slots_per_writer;
	struct writer_log log[WRITERS];
	/* then WRITERS * slots_per_writer struct slot */
};

static struct slot *slot_of(struct shared *sh, unsigned int w, unsigned int i)
{
	struct slot *all = (struct slot *)(sh + 1);

	return &all[w * sh->slots_per_writer + i];
}

/* The data of version @v of writer @w's record @i: a header, then filler. */
struct data_head {
	uint32_t magic, writer, index, version;
};

static size_t make_data(uint8_t *buf, unsigned int w, unsigned int i,
			uint32_t v)
{
	struct data_head head = { DATA_MAGIC, w, i, v };
	size_t len = sizeof(head) + (i * 7 + v * 13) % 64, k;

	memcpy(buf, &head, sizeof(head));
	for (k = sizeof(head); k < len; k++)
		buf[k] = (uint8_t)(w * 31 + i * 7 + v * 3 + k);
	return len;
}

#define NATTRS 4
struct content {
	uint8_t data[128];
	char tag[48];
	struct pg_attribute attrs[NATTRS];
	struct pg_record rec;
};

static void make_content(struct content *c, unsigned int w, unsigned int i,
			 uint32_t v, uint64_t expires)
{
	memset(&c->rec, 0, sizeof(c->rec));
	snprintf(c->tag, sizeof(c->tag), "w%u-s%u-v%u", w, i, v);
	c->attrs[0] = (struct pg_attribute){ .name = "writer", .kind = PG_ATTR_INT, .i = w };
	c->attrs[1] = (struct pg_attribute){ .name = "slot", .kind = PG_ATTR_INT, .i = i };
	c->attrs[2] = (struct pg_attribute){ .name = "version", .kind = PG_ATTR_INT, .i = v };
	c->attrs[3] = (struct pg_attribute){ .name = "tag", .kind = PG_ATTR_STRING,
					     .str = c->tag };
	c->rec.present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_ATTRS | PG_REC_DATA;
	memcpy(c->rec.type, stress_type, PG_GUID_LEN);
	c->rec.expires = expires;
	c->rec.nattrs = NATTRS;
	c->rec.attrs = c->attrs;
	c->rec.data_len = make_data(c->data, w, i, v);
	c->rec.data = c->data;
}

/*
 * Whether @r is well-formed: a tombstone, or a live record whose data and
 * attributes are exactly those of its own version. *w and *i receive the
 * writer and slot a live record names.
 */
static bool well_formed(const struct pg_record *r, uint64_t expires,
			unsigned int *w, unsigned int *i, char *why, size_t len)
{
	const uint32_t must = PG_REC_ID | PG_REC_TYPE | PG_REC_VERSION |
		PG_REC_FLAGS | PG_REC_CREATOR | PG_REC_EXPIRES | PG_REC_SECURITY;
	struct data_head head;
	struct content c;
	size_t k;

	*w = *i = ~0u;
	if ((r->present & must) != must || !r->security_len) {
		snprintf(why, len, "fields missing: present %#x", r->present);
		return false;
	}
	if (memcmp(r->type, stress_type, PG_GUID_LEN) ||
	    !str_equal(r->creator, IDENTITY) || r->expires != expires ||
	    !r->version) {
		snprintf(why, len, "wrong type, creator, expiration or version");
		return false;
	}
	if (r->flags & PEERGROUP_RECORD_F_DELETED) {
		if (r->flags != PEERGROUP_RECORD_F_DELETED || r->data_len ||
		    r->nattrs || r->version < 2) {
			snprintf(why, len, "tombstone with flags %#x, %zu data bytes, %zu attributes, version %u",
				 r->flags, r->data_len, r->nattrs, r->version);
			return false;
		}
		return true;
	}
	if (r->flags || r->data_len < sizeof(head)) {
		snprintf(why, len, "flags %#x, %zu data bytes", r->flags, r->data_len);
		return false;
	}
	memcpy(&head, r->data, sizeof(head));
	if (head.magic != DATA_MAGIC || head.writer >= WRITERS ||
	    head.version != r->version) {
		snprintf(why, len, "data of writer %u version %u in version %u",
			 head.writer, head.version, r->version);
		return false;
	}
	make_content(&c, head.writer, head.index, head.version, expires);
	if (!bytes_equal(r->data, r->data_len, c.rec.data, c.rec.data_len) ||
	    r->nattrs != NATTRS) {
		snprintf(why, len, "data or attribute count of %s", c.tag);
		return false;
	}
	for (k = 0; k < NATTRS; k++) {
		const struct pg_attribute *a = find_attr(r, c.attrs[k].name);

		if (!a || !attr_equal(a, &c.attrs[k])) {
			snprintf(why, len, "attribute %s of %s", c.attrs[k].name, c.tag);
			return false;
		}
	}
	*w = head.writer;
	*i = head.index;
	return true;
}

/* One writer: ops operations over records of its own. Exit status 0 or 1. */
static int writer(struct shared *sh, unsigned int w, long ops, uint64_t seed,
		  uint64_t expires)
{
	struct writer_log *log = &sh->log[w];
	uint32_t *live = calloc(sh->slots_per_writer, sizeof(*live));
	uint32_t nlive = 0, v = 0, i, k;
	struct pg_handle *h;
	struct content c;
	struct slot *s;
	uint64_t rnd = seed * (w + 1) * 0x9e3779b97f4a7c15ull | 1;
	long op;
	int ret, r;

	if (!live || pg_open(&h))
		return 1;
	for (op = 0; op < ops; op++) {
		r = next_rand(&rnd) % 100;
		if (!nlive || r < 25) {
			i = log->nslots;
			s = slot_of(sh, w, i);
			make_content(&c, w, i, 1, expires);
			ret = pg_record_add(h, GROUP, &c.rec, s->id, &v);
			if (ret || v != 1)
				goto fail;
			__atomic_store_n(&s->state, 1, __ATOMIC_RELEASE);
			__atomic_store_n(&log->nslots, i + 1, __ATOMIC_RELEASE);
			live[nlive++] = i;
			log->adds++;
			continue;
		}
		k = next_rand(&rnd) % nlive;
		i = live[k];
		s = slot_of(sh, w, i);
		if (r < 80) {
			make_content(&c, w, i, s->state + 1, expires);
			memcpy(c.rec.id, s->id, PG_GUID_LEN);
			c.rec.present |= PG_REC_ID | PG_REC_FLAGS;
			ret = pg_record_update(h, GROUP, &c.rec, &v);
			if (ret || v != s->state + 1)
				goto fail;
			__atomic_store_n(&s->state, v, __ATOMIC_RELEASE);
			log->updates++;
		} else {
			ret = pg_record_delete(h, GROUP, s->id, &v);
			if (ret || v != s->state + 1)
				goto fail;
			__atomic_store_n(&s->state, v | DELETED_BIT, __ATOMIC_RELEASE);
			live[k] = live[--nlive];
			log->deletes++;
		}
	}
	pg_close(h);
	free(live);
	return 0;
fail:
	fprintf(stderr, "# writer %u, operation %ld: %d %s (version %u)\n",
		w, op, ret, pg_errmsg(h), v);
	return 1;
}

/* What the writers had logged at one moment, sorted by id. */
struct logged {
	uint8_t id[PG_GUID_LEN];
	uint32_t state;
	uint16_t writer;
	uint32_t index;
};

static int logged_cmp(const void *a, const void *b)
{
	return memcmp(a, b, PG_GUID_LEN);
}

static size_t read_logs(struct shared *sh, struct logged *out)
{
	size_t n = 0;
	uint32_t w, i, count;
	struct slot *s;

	for (w = 0; w < WRITERS; w++) {
		count = __atomic_load_n(&sh->log[w].nslots, __ATOMIC_ACQUIRE);
		for (i = 0; i < count; i++) {
			s = slot_of(sh, w, i);
			memcpy(out[n].id, s->id, PG_GUID_LEN);
			out[n].state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
			out[n].writer = w;
			out[n].index = i;
			n++;
		}
	}
	qsort(out, n, sizeof(*out), logged_cmp);
	return n;
}

static const struct logged *find_logged(const struct logged *l, size_t n,
					const uint8_t *id)
{
	return bsearch(id, l, n, sizeof(*l), logged_cmp);
}

static uint32_t state_version(uint32_t state)
{
	return state & ~DELETED_BIT;
}

/*
 * Checks one dump that was not interrupted against the logs read before
 * (@pre) and after it (@post). What is sound to assert:
 *  - ids strictly increasing, every record well-formed;
 *  - a record logged before the dump started is in it, at the logged
 *    version or later, a tombstone if it was logged deleted;
 *  - a record in the dump is at most one operation ahead of what was logged
 *    after it ended (a writer's operation in flight: committed, not yet
 *    logged); a record not logged at all is such an add (version 1), at
 *    most one per writer.
 */
static bool dump_consistent(const struct pg_record **recs, size_t n,
			    const struct logged *pre, size_t npre,
			    const struct logged *post, size_t npost,
			    uint64_t expires, char *why, size_t len)
{
	const struct logged *l;
	unsigned int w, i, unlogged = 0;
	const struct pg_record *r;
	char id[PG_GUID_STR_LEN];
	size_t k, j = 0;

	for (k = 0; k < n; k++) {
		r = recs[k];
		pg_guid_format(r->id, id);
		if (k && memcmp(recs[k - 1]->id, r->id, PG_GUID_LEN) >= 0) {
			snprintf(why, len, "record %zu (%s): ids not increasing", k, id);
			return false;
		}
		if (!well_formed(r, expires, &w, &i, why, len))
			return false;
		l = find_logged(post, npost, r->id);
		if (!l) {
			if (r->version != 1 || ++unlogged > WRITERS) {
				snprintf(why, len, "%s: unlogged record at version %u (%u unlogged)",
					 id, r->version, unlogged);
				return false;
			}
			continue;
		}
		if (r->version > state_version(l->state) + 1 ||
		    (w != ~0u && (w != l->writer || i != l->index))) {
			snprintf(why, len, "%s: version %u of writer %u slot %u, logged %u of writer %u slot %u after the dump",
				 id, r->version, w, i, state_version(l->state),
				 l->writer, l->index);
			return false;
		}
	}
	/* Both are sorted: walk the dump once for the records logged before. */
	for (k = 0; k < npre; k++) {
		while (j < n && memcmp(recs[j]->id, pre[k].id, PG_GUID_LEN) < 0)
			j++;
		pg_guid_format(pre[k].id, id);
		if (j == n || memcmp(recs[j]->id, pre[k].id, PG_GUID_LEN)) {
			snprintf(why, len, "%s (logged version %u before the dump) is missing",
				 id, state_version(pre[k].state));
			return false;
		}
		if (recs[j]->version < state_version(pre[k].state) ||
		    ((pre[k].state & DELETED_BIT) &&
		     !(recs[j]->flags & PEERGROUP_RECORD_F_DELETED))) {
			snprintf(why, len, "%s: dump has version %u flags %#x, logged %#x before the dump",
				 id, recs[j]->version, recs[j]->flags, pre[k].state);
			return false;
		}
	}
	return true;
}

struct dump_stats {
	long consistent, interrupted, consistent_during;
};

/* The dumper: exit status 0, or 1 at the first inconsistent dump. */
static int dumper(struct shared *sh, size_t max_logged, uint64_t expires,
		  struct dump_stats *st)
{
	struct pg_enum_filter f = {
		.flags = PG_ENUM_NO_RESTART | PG_ENUM_TOMBSTONES,
	};
	struct logged *pre = calloc(max_logged, sizeof(*pre));
	struct logged *post = calloc(max_logged, sizeof(*post));
	const struct pg_record **recs = NULL;
	const struct pg_record *r;
	size_t npre, npost, n;
	struct pg_handle *h;
	struct pg_enum *e;
	char why[256];
	bool during;
	int ret;

	if (!pre || !post || pg_open(&h))
		return 1;
	while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
		npre = read_logs(sh, pre);
		ret = pg_record_enum(h, GROUP, &f, &e);
		/* Counts as "during" when writers ran before and after it. */
		during = npre && !__atomic_load_n(&sh->writers_done, __ATOMIC_ACQUIRE);
		npost = read_logs(sh, post);
		if (ret == -EINTR) {
			st->interrupted++;
			continue;
		}
		if (ret) {
			fprintf(stderr, "# dump: %d %s\n", ret, pg_errmsg(h));
			return 1;
		}
		recs = realloc(recs, (pg_enum_count(e) + 1) * sizeof(*recs));
		if (!recs)
			return 1;
		n = 0;
		while ((r = pg_enum_next(e)))
			recs[n++] = r;
		if (!dump_consistent(recs, n, pre, npre, post, npost, expires,
				     why, sizeof(why))) {
			fprintf(stderr, "# dump %ld of %zu records: %s\n",
				st->consistent + st->interrupted, n, why);
			return 1;
		}
		pg_enum_close(e);
		st->consistent++;
		st->consistent_during += during;
	}
	pg_close(h);
	return 0;
}

/* The table after the writers: exactly their logs. */
static void check_final(struct __test_metadata *_metadata, struct pg_handle *h,
			struct shared *sh, size_t max_logged, uint64_t expires)
{
	struct logged *l = calloc(max_logged, sizeof(*l));
	struct table_snap snap;
	unsigned int w, i;
	char why[256], id[PG_GUID_STR_LEN];
	size_t n, k;

	ASSERT_NE(NULL, l);
	n = read_logs(sh, l);
	ASSERT_EQ(0, table_snap(h, GROUP, &snap)) TH_LOG("%s", pg_errmsg(h));
	ASSERT_EQ(n, snap.n);
	ASSERT_EQ(n, snap.st.records);
	for (k = 0; k < n; k++) {
		const struct pg_record *r = snap.recs[k];

		pg_guid_format(l[k].id, id);
		ASSERT_EQ(0, memcmp(r->id, l[k].id, PG_GUID_LEN)) TH_LOG("%s", id);
		ASSERT_TRUE(well_formed(r, expires, &w, &i, why, sizeof(why)))
			TH_LOG("%s: %s", id, why);
		ASSERT_EQ(state_version(l[k].state), r->version) TH_LOG("%s", id);
		ASSERT_EQ(!!(l[k].state & DELETED_BIT),
			  !!(r->flags & PEERGROUP_RECORD_F_DELETED)) TH_LOG("%s", id);
		if (w != ~0u) {
			ASSERT_EQ(l[k].writer, w);
			ASSERT_EQ(l[k].index, i);
		}
	}
	table_snap_free(&snap);
	free(l);
}

TEST_F_TIMEOUT(stress, concurrency, 1800)
{
	long ops = env_long("PG_STRESS_OPS", 10000), per = ops / WRITERS;
	uint64_t seed = env_long("PG_STRESS_SEED", time(NULL));
	struct dump_stats *st;
	size_t len, adds = 0;
	struct shared *sh;
	pid_t pids[WRITERS + 1];
	unsigned int w;
	int status, failed = 0;
	double start = now_s();

	TH_LOG("seed %llu (PG_STRESS_SEED), %ld operations",
	       (unsigned long long)seed, per * WRITERS);
	len = sizeof(*sh) + WRITERS * per * sizeof(struct slot);
	sh = shared_alloc(len);
	st = shared_alloc(sizeof(*st));
	ASSERT_NE(NULL, sh);
	ASSERT_NE(NULL, st);
	sh->slots_per_writer = per;

	pids[WRITERS] = fork();
	ASSERT_LE(0, pids[WRITERS]);
	if (!pids[WRITERS])
		_exit(dumper(sh, WRITERS * per, self->expires, st));
	for (w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (!pids[w])
			_exit(writer(sh, w, per, seed, self->expires));
	}
	for (w = 0; w < WRITERS; w++) {
		ASSERT_EQ(pids[w], waitpid(pids[w], &status, 0));
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	__atomic_store_n(&sh->writers_done, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pids[WRITERS], waitpid(pids[WRITERS], &status, 0));
	ASSERT_FALSE(failed) TH_LOG("a writer failed");
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the dumper found an inconsistent dump");

	for (w = 0; w < WRITERS; w++) {
		TH_LOG("writer %u: %u adds, %u updates, %u deletes", w,
		       sh->log[w].adds, sh->log[w].updates, sh->log[w].deletes);
		adds += sh->log[w].adds;
	}
	TH_LOG("dumps: %ld consistent (%ld while writers ran), %ld interrupted; %.1f s",
	       st->consistent, st->consistent_during, st->interrupted,
	       now_s() - start);
	ASSERT_LT(0, st->consistent_during);
	ASSERT_LT(0, adds);
	check_final(_metadata, self->h, sh, WRITERS * per, self->expires);
	munmap(sh, len);
	munmap(st, sizeof(*st));
}

TEST_HARNESS_MAIN
