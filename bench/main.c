// SPDX-License-Identifier: GPL-2.0
/*
 * pg_bench SUBCOMMAND [ARG]...: one measurement, its figures on stdout as
 * "KEY VALUE" lines (bench.h). The subcommands:
 *
 *   genl OPS                 CTRL_CMD_GETFAMILY of "peergroup", one at a time
 *   routes                   an rtnetlink dump of the namespace's IPv4 routes
 *   hmac BYTES OPS           HMAC-SHA256 of BYTES through the kernel (AF_ALG)
 *   rsa SERIAL OPS           RSA signatures with key SERIAL (keyctl), and checks
 *   load GROUP COUNT         COUNT records added through a batch
 *   ops GROUP OPS            add, get, update, delete one at a time, then
 *                            OPS pipelined adds (a batch) and their deletes
 *   dump GROUP               enumerate and search the whole table
 *   memory GROUP COUNT       kernel memory per record, and the canonical size
 *   adds GROUP OPS           OPS adds one at a time, named by the group's
 *                            security (psk_add_per_s, pki_add_per_s)
 *   import GROUP FILE        an export imported, named the same way
 *   replicate NS_A NS_B GROUP COUNT
 *                            COUNT records written at A until B holds them
 *   sync GROUP ADDR COUNT    a neighbour added at ADDR, until GROUP holds COUNT
 *                            records and is synchronized
 *   hop NS_FROM NS_TO GROUP HOPS ROUNDS
 *                            a write at FROM until TO's event for it, per hop
 *
 * NS_* are names of network namespaces (ip netns); the others act in the
 * namespace pg_bench runs in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void bench_rate(const char *key, uint64_t count, uint64_t ns)
{
	printf("%s %.1f\n", key, ns ? count * 1e9 / ns : 0.0);
	fflush(stdout);
}

void bench_value(const char *key, double value)
{
	printf("%s %.3f\n", key, value);
	fflush(stdout);
}

void bench_die(const char *fmt, ...)
{
	va_list ap;

	fputs("pg_bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void bench_die_pg(struct pg_handle *h, int err, const char *what)
{
	bench_die("%s: %s (%s)", what, pg_errmsg(h), strerror(-err));
}

long bench_number(const char *what, const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > max)
		bench_die("%s: \"%s\" is not a number from 1 to %ld", what, s,
			  max);
	return v;
}

void bench_enter_netns(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		bench_die("network namespace %s: %s", ns, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		bench_die("entering network namespace %s: %s", ns,
			  strerror(errno));
	close(fd);
}

/* A socket stays in the namespace it was made in. */
struct pg_handle *bench_open_in(const char *ns)
{
	struct pg_handle *h;
	int err;

	if (ns)
		bench_enter_netns(ns);
	err = pg_open(&h);
	if (err)
		bench_die_pg(h, err, "pg_open");
	return h;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	int args;
	const char *usage;
} commands[] = {
	{ "genl", bench_cmd_genl, 1, "OPS" },
	{ "routes", bench_cmd_routes, 0, "" },
	{ "hmac", bench_cmd_hmac, 2, "BYTES OPS" },
	{ "rsa", bench_cmd_rsa, 2, "SERIAL OPS" },
	{ "load", bench_cmd_load, 2, "GROUP COUNT" },
	{ "ops", bench_cmd_ops, 2, "GROUP OPS" },
	{ "dump", bench_cmd_dump, 1, "GROUP" },
	{ "memory", bench_cmd_memory, 2, "GROUP COUNT" },
	{ "adds", bench_cmd_adds, 2, "GROUP OPS" },
	{ "import", bench_cmd_import, 2, "GROUP FILE" },
	{ "replicate", bench_cmd_replicate, 4, "NS_A NS_B GROUP COUNT" },
	{ "sync", bench_cmd_sync, 3, "GROUP ADDR COUNT" },
	{ "hop", bench_cmd_hop, 5, "NS_FROM NS_TO GROUP HOPS ROUNDS" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage:", f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "%s pg_bench %s %s\n", i ? "      " : "",
			commands[i].name, commands[i].usage);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (argc - 2 != commands[i].args) {
			fprintf(stderr, "usage: pg_bench %s %s\n",
				commands[i].name, commands[i].usage);
			return 2;
		}
		return commands[i].fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "pg_bench: unknown subcommand \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
