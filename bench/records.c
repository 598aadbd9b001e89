// SPDX-License-Identifier: GPL-2.0
/*
 * The record table through libpeergroup: one-at-a-time writes and reads,
 * pipelined writes (a batch), dumps and searches, and what a record costs
 * the kernel in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static const uint8_t bench_type[PG_GUID_LEN] = {
	0x62, 0x65, 0x6e, 0x63, 0x68, 0x00, 0x00, 0x00,
	0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
};

/* Matches every record the bench writes: each has i >= 0. */
static const char search_all[] =
	"<peersearch><clause attrib=\"i\" type=\"int\" compare=\"greaterorequal\">0</clause></peersearch>";

void bench_record_init(struct bench_record *b, uint64_t expires)
{
	memset(b, 0, sizeof(*b));
	b->attr.name = "i";
	b->attr.kind = PG_ATTR_INT;
	memset(b->data, 'r', sizeof(b->data));
	b->rec.present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_ATTRS |
			 PG_REC_DATA;
	memcpy(b->rec.type, bench_type, PG_GUID_LEN);
	b->rec.expires = expires;
	b->rec.nattrs = 1;
	b->rec.attrs = &b->attr;
	b->rec.data = b->data;
	b->rec.data_len = sizeof(b->data);
}

/* Each record differs from the others in its index and its data. */
void bench_record_set(struct bench_record *b, long index)
{
	b->attr.i = index;
	snprintf((char *)b->data, sizeof(b->data), "%020ld", index);
	b->data[20] = 'r';
}

uint64_t bench_expires(struct pg_handle *h, const char *group)
{
	uint64_t peer;
	int err;

	err = pg_time_convert(h, group, PG_TIME_NOW, 0, NULL, &peer);
	if (err)
		bench_die_pg(h, err, "peer time");
	return peer + BENCH_EXPIRES_MS * 1000000ull;
}

struct collect {
	uint8_t (*ids)[PG_GUID_LEN];
};

static void collect_id(void *arg, size_t index, int err,
		       const uint8_t id[PG_GUID_LEN], uint32_t version)
{
	struct collect *c = arg;

	(void)version;
	if (!err && c->ids)
		memcpy(c->ids[index], id, PG_GUID_LEN);
}

void bench_load(struct pg_handle *h, const char *group, long first,
		long count, uint8_t (*ids)[PG_GUID_LEN])
{
	struct collect c = { .ids = ids };
	struct bench_record b;
	struct pg_batch *batch;
	long i;
	int err;

	bench_record_init(&b, bench_expires(h, group));
	err = pg_batch_open(h, group, 0, collect_id, &c, &batch);
	if (err)
		bench_die_pg(h, err, "batch");
	for (i = 0; i < count; i++) {
		bench_record_set(&b, first + i);
		err = pg_batch_add(batch, &b.rec);
		if (err)
			break;
	}
	err = pg_batch_close(batch);
	if (err)
		bench_die_pg(h, err, "pipelined add");
}

int bench_cmd_load(int argc, char **argv)
{
	struct pg_handle *h = bench_open_in(NULL);
	long n = bench_number("COUNT", argv[1], PEERGROUP_MAX_RECORDS_LIMIT);
	uint64_t t;

	(void)argc;
	t = bench_now_ns();
	bench_load(h, argv[0], 0, n, NULL);
	bench_rate("load_per_s", n, bench_now_ns() - t);
	pg_close(h);
	return 0;
}

/* Indices of the records ops writes: above any table the bench loads. */
#define OPS_FIRST 100000000L

int bench_cmd_ops(int argc, char **argv)
{
	struct pg_handle *h = bench_open_in(NULL);
	long n = bench_number("OPS", argv[1], 1000000), i;
	const char *group = argv[0];
	uint8_t (*ids)[PG_GUID_LEN];
	struct pg_batch *batch;
	struct bench_record b;
	struct pg_record *got;
	uint64_t t;
	int err;

	(void)argc;
	ids = calloc(n, PG_GUID_LEN);
	if (!ids)
		bench_die("out of memory");
	bench_record_init(&b, bench_expires(h, group));

	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		bench_record_set(&b, OPS_FIRST + i);
		err = pg_record_add(h, group, &b.rec, ids[i], NULL);
		if (err)
			bench_die_pg(h, err, "add");
	}
	bench_rate("add_per_s", n, bench_now_ns() - t);

	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		err = pg_record_get(h, group, ids[(i * 7919) % n], &got);
		if (err)
			bench_die_pg(h, err, "get");
		pg_record_free(got);
	}
	bench_rate("get_per_s", n, bench_now_ns() - t);

	b.rec.present |= PG_REC_ID | PG_REC_FLAGS;
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		memcpy(b.rec.id, ids[i], PG_GUID_LEN);
		bench_record_set(&b, OPS_FIRST + n + i);
		err = pg_record_update(h, group, &b.rec, NULL);
		if (err)
			bench_die_pg(h, err, "update");
	}
	bench_rate("update_per_s", n, bench_now_ns() - t);

	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		err = pg_record_delete(h, group, ids[i], NULL);
		if (err)
			bench_die_pg(h, err, "delete");
	}
	bench_rate("delete_per_s", n, bench_now_ns() - t);

	t = bench_now_ns();
	bench_load(h, group, OPS_FIRST + 2 * n, n, ids);
	bench_rate("pipelined_add_per_s", n, bench_now_ns() - t);

	err = pg_batch_open(h, group, 0, NULL, NULL, &batch);
	if (err)
		bench_die_pg(h, err, "batch");
	t = bench_now_ns();
	for (i = 0; i < n && !err; i++)
		err = pg_batch_delete(batch, ids[i]);
	err = pg_batch_close(batch);
	if (err)
		bench_die_pg(h, err, "pipelined delete");
	bench_rate("pipelined_delete_per_s", n, bench_now_ns() - t);

	free(ids);
	pg_close(h);
	return 0;
}

/* "psk" or "pki": the group's provider, the prefix of its figures. */
static const char *security_of(struct pg_handle *h, const char *group)
{
	struct pg_group_info g;
	int err;

	err = pg_group_get(h, group, &g);
	if (err)
		bench_die_pg(h, err, "group");
	return g.security == PEERGROUP_SECURITY_PKI ? "pki" : "psk";
}

/*
 * Adds one at a time, nothing else: in a certificate group each is signed
 * with the node's RSA key (and checked, as every record stored is), in a
 * password group given its HMAC. SEC_add_per_s.
 */
int bench_cmd_adds(int argc, char **argv)
{
	struct pg_handle *h = bench_open_in(NULL);
	long n = bench_number("OPS", argv[1], 1000000), i;
	const char *group = argv[0];
	uint8_t id[PG_GUID_LEN];
	struct bench_record b;
	char key[32];
	uint64_t t;
	int err;

	(void)argc;
	snprintf(key, sizeof(key), "%s_add_per_s", security_of(h, group));
	bench_record_init(&b, bench_expires(h, group));
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		bench_record_set(&b, OPS_FIRST + i);
		err = pg_record_add(h, group, &b.rec, id, NULL);
		if (err)
			bench_die_pg(h, err, "add");
	}
	bench_rate(key, n, bench_now_ns() - t);
	pg_close(h);
	return 0;
}

/*
 * An export imported (pg_import(): through a batch): every record's
 * security data checked, an RSA signature or an HMAC. SEC_import_per_s.
 */
int bench_cmd_import(int argc, char **argv)
{
	struct pg_handle *h = bench_open_in(NULL);
	const char *group = argv[0];
	size_t count;
	char key[32];
	uint64_t t;
	int fd, err;

	(void)argc;
	snprintf(key, sizeof(key), "%s_import_per_s", security_of(h, group));
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		bench_die("%s: %s", argv[1], strerror(errno));
	t = bench_now_ns();
	err = pg_import(h, group, fd, &count);
	if (err)
		bench_die_pg(h, err, "import");
	bench_rate(key, count, bench_now_ns() - t);
	close(fd);
	pg_close(h);
	return 0;
}

/* A record streamed: counted, and a field read, as the route dump does. */
static int count_record(void *arg, const struct pg_record *rec)
{
	size_t *n = arg;

	*n += rec->version ? 1 : 0;
	return 0;
}

/* A dump (query NULL) or search, streamed: WHAT_per_s, WHAT_records. */
static void stream(struct pg_handle *h, const char *group, const char *query,
		   const char *what)
{
	uint64_t t = bench_now_ns();
	char key[64];
	size_t n = 0;
	int err;

	err = pg_record_stream(h, group, NULL, query, count_record, &n);
	if (err)
		bench_die_pg(h, err, what);
	snprintf(key, sizeof(key), "%s_per_s", what);
	bench_rate(key, n, bench_now_ns() - t);
	snprintf(key, sizeof(key), "%s_records", what);
	bench_value(key, n);
}

int bench_cmd_dump(int argc, char **argv)
{
	struct pg_handle *h = bench_open_in(NULL);
	struct pg_enum *e;
	size_t n = 0;
	uint64_t t;
	int err;

	(void)argc;
	stream(h, argv[0], NULL, "dump");
	stream(h, argv[0], search_all, "search");

	/* PeerGroupEnumRecords: a snapshot of the table, then walked. */
	t = bench_now_ns();
	err = pg_record_enum(h, argv[0], NULL, &e);
	if (err)
		bench_die_pg(h, err, "enumerate");
	while (pg_enum_next(e))
		n++;
	pg_enum_close(e);
	bench_rate("enum_per_s", n, bench_now_ns() - t);
	pg_close(h);
	return 0;
}

/* A /proc/meminfo field, in kB. */
static long meminfo_kb(const char *field)
{
	size_t len = strlen(field);
	char line[256];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		bench_die("/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	if (kb < 0)
		bench_die("/proc/meminfo has no %s", field);
	return kb;
}

/* Kernel memory that records can take: slab, and vmalloc for large ones. */
static long kernel_kb(void)
{
	return meminfo_kb("Slab") + meminfo_kb("VmallocUsed");
}

static size_t str16(const char *s)
{
	return 2 + strlen(s);
}

/*
 * The canonical encoding of the bench's record (records.rst, "Canonical
 * encoding"): magic, group id, id, type, version, flags, creator,
 * modifier, three times, the attribute count, the attribute "i" (int),
 * data.
 */
static size_t canonical_size(const struct pg_group_info *g)
{
	return 4 + str16(g->id) + 16 + 16 + 4 + 4 + 2 * str16(g->identity) +
	       3 * 8 + 4 + (2 + 1 + 1 + 4 + 8) + 4 + BENCH_DATA_LEN;
}

int bench_cmd_memory(int argc, char **argv)
{
	struct pg_handle *h = bench_open_in(NULL);
	long n = bench_number("COUNT", argv[1], PEERGROUP_MAX_RECORDS_LIMIT);
	struct pg_group_info g;
	long before, after, i;
	int err;

	(void)argc;
	err = pg_group_get(h, argv[0], &g);
	if (err)
		bench_die_pg(h, err, "group");
	/*
	 * What earlier steps freed goes on being freed for a while (tables
	 * are freed by a workqueue, RCU): wait until the figure is still.
	 */
	before = kernel_kb();
	for (i = 0; i < 120; i++) {
		sleep(1);
		after = kernel_kb();
		if (labs(after - before) < 256)
			break;
		before = after;
	}
	before = after;
	bench_load(h, argv[0], 0, n, NULL);
	sleep(1);
	after = kernel_kb();
	bench_value("memory_per_record", (after - before) * 1024.0 / n);
	bench_value("canonical_size", canonical_size(&g));
	pg_close(h);
	return 0;
}
