// SPDX-License-Identifier: GPL-2.0
/*
 * Replication between network namespaces: writes at one peer until another
 * holds them, a joiner's first synchronization, and the latency of one
 * write along a line of peers. One process holds a handle in each
 * namespace it needs (a socket stays in the namespace it was made in), so
 * that every time is read off one clock.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/* Polls: a millisecond apart, each one a group status request. */
static void pause_ms(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

static struct pg_group_status status_of(struct pg_handle *h, const char *group)
{
	struct pg_group_status st;
	int err;

	err = pg_group_status(h, group, &st);
	if (err)
		bench_die_pg(h, err, "group status");
	return st;
}

/* Until group holds at least count records (tombstones too), or 30 min. */
static void wait_records(struct pg_handle *h, const char *group, long count,
			 uint32_t status)
{
	uint64_t deadline = bench_now_ns() + 1800ull * 1000000000ull;
	struct pg_group_status st;

	for (;;) {
		st = status_of(h, group);
		if (st.records >= count && (st.status & status) == status)
			return;
		if (bench_now_ns() > deadline)
			bench_die("%s holds %u of %ld records after 30 minutes",
				  group, st.records, count);
		pause_ms();
	}
}

int bench_cmd_replicate(int argc, char **argv)
{
	long n = bench_number("COUNT", argv[3], PEERGROUP_MAX_RECORDS_LIMIT);
	struct pg_handle *hb = bench_open_in(argv[1]);
	struct pg_handle *ha = bench_open_in(argv[0]);
	const char *group = argv[2];
	long base = status_of(hb, group).records;
	uint64_t t, wrote;

	(void)argc;
	t = bench_now_ns();
	bench_load(ha, group, base, n, NULL);
	wrote = bench_now_ns() - t;
	wait_records(hb, group, base + n, 0);
	bench_rate("replicated_per_s", n, bench_now_ns() - t);
	bench_rate("writer_per_s", n, wrote);
	pg_close(ha);
	pg_close(hb);
	return 0;
}

int bench_cmd_sync(int argc, char **argv)
{
	long n = bench_number("COUNT", argv[2], PEERGROUP_MAX_RECORDS_LIMIT);
	struct pg_handle *h = bench_open_in(NULL);
	const char *group = argv[0];
	struct pg_neighbour *v = NULL;
	struct pg_addr addr;
	uint64_t t, ns;
	size_t count;
	int err;

	(void)argc;
	if (pg_addr_parse(argv[1], &addr))
		bench_die("ADDR: \"%s\" is not an IPv4 or IPv6 address",
			  argv[1]);
	t = bench_now_ns();
	err = pg_neighbour_add(h, group, &addr, 0, NULL);
	if (err)
		bench_die_pg(h, err, "neighbour add");
	wait_records(h, group, n, PEERGROUP_STATUS_SYNCHRONIZED);
	ns = bench_now_ns() - t;
	err = pg_neighbour_enum(h, group, &v, &count);
	if (err || count != 1)
		bench_die("neighbour show: %s", err ? pg_errmsg(h) : "not one");
	bench_rate("sync_per_s", n, ns);
	bench_value("sync_mb_per_s", v[0].bytes_rx * 1e3 / ns);
	bench_value("sync_bytes", v[0].bytes_rx);
	free(v);
	pg_close(h);
	return 0;
}

static bool is_event_of(const struct pg_event *ev, const uint8_t *id)
{
	return ev->kind == PG_EVENT_RECORD &&
	       !memcmp(ev->id, id, PG_GUID_LEN);
}

int bench_cmd_hop(int argc, char **argv)
{
	long hops = bench_number("HOPS", argv[3], 100), i, rounds;
	const char *group = argv[2];
	uint8_t id[PG_GUID_LEN];
	struct bench_record b;
	struct pg_monitor *m;
	struct pg_handle *h;
	struct pg_event ev;
	uint64_t t;
	int err;

	(void)argc;
	rounds = bench_number("ROUNDS", argv[4], 100000);
	bench_enter_netns(argv[1]);
	err = pg_monitor_open(&m);
	if (err)
		bench_die("monitor: %s", strerror(-err));
	h = bench_open_in(argv[0]);
	bench_record_init(&b, bench_expires(h, group));
	for (i = 0; i < rounds; i++) {
		bench_record_set(&b, i);
		t = bench_now_ns();
		err = pg_record_add(h, group, &b.rec, id, NULL);
		if (err)
			bench_die_pg(h, err, "add");
		do {
			err = pg_monitor_next(m, &ev, 30000);
			if (err <= 0)
				bench_die("no event for the record at %s: %s",
					  argv[1], err ? strerror(-err) : "timeout");
		} while (!is_event_of(&ev, id));
		bench_value("hop_us", (bench_now_ns() - t) / 1e3 / hops);
	}
	pg_monitor_close(m);
	pg_close(h);
	return 0;
}
