/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pg_bench: the measuring half of `make bench` (bench/run boots the VM,
 * bench/vm-bench runs the steps, bench/report turns the figures into the
 * table, results.json and the plots).
 *
 * Every subcommand measures one thing and prints its figures on stdout, one
 * per line, as "KEY VALUE": rates in operations or records per second,
 * times in microseconds, sizes in bytes. Nothing here judges a figure:
 * ratios against the baselines are the report's.
 */
#ifndef _PG_BENCH_H
#define _PG_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "libpeergroup.h"

/* The records every step writes: like selftests/pg_load's. */
#define BENCH_DATA_LEN		100
#define BENCH_EXPIRES_MS	(24ull * 3600 * 1000)

struct bench_record {
	struct pg_attribute attr;	/* "i", int: the record's index */
	uint8_t data[BENCH_DATA_LEN];
	struct pg_record rec;
};

/* main.c */
uint64_t bench_now_ns(void);
/* Prints "KEY VALUE" for a rate: count over ns. */
void bench_rate(const char *key, uint64_t count, uint64_t ns);
void bench_value(const char *key, double value);
/* A fatal error: the message, then exit(1). */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* The same with the library's message for the last call on h. */
void bench_die_pg(struct pg_handle *h, int err, const char *what)
	__attribute__((noreturn));
long bench_number(const char *what, const char *s, long max);
/* A handle in network namespace ns (a name under /run/netns, or NULL). */
struct pg_handle *bench_open_in(const char *ns);
void bench_enter_netns(const char *ns);

/* records.c */
void bench_record_init(struct bench_record *b, uint64_t expires);
void bench_record_set(struct bench_record *b, long index);
uint64_t bench_expires(struct pg_handle *h, const char *group);
/* Adds count records through a batch; ids, when not NULL, receives them. */
void bench_load(struct pg_handle *h, const char *group, long first,
		long count, uint8_t (*ids)[PG_GUID_LEN]);
int bench_cmd_ops(int argc, char **argv);
int bench_cmd_load(int argc, char **argv);
int bench_cmd_dump(int argc, char **argv);
int bench_cmd_memory(int argc, char **argv);
int bench_cmd_adds(int argc, char **argv);
int bench_cmd_import(int argc, char **argv);

/* baselines.c */
int bench_cmd_genl(int argc, char **argv);
int bench_cmd_routes(int argc, char **argv);
int bench_cmd_hmac(int argc, char **argv);
int bench_cmd_rsa(int argc, char **argv);

/* replication.c */
int bench_cmd_replicate(int argc, char **argv);
int bench_cmd_sync(int argc, char **argv);
int bench_cmd_hop(int argc, char **argv);

#endif /* _PG_BENCH_H */
