/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The offline unit test's checks, shared by its files.
 */
#ifndef _PG_UNIT_H
#define _PG_UNIT_H

#include <stdbool.h>

extern int checks, failures;

void check_int(long long got, long long want, const char *what,
	       const char *file, int line);
void check_str(const char *got, const char *want, const char *what,
	       const char *file, int line);

#define CHECK_INT(got, want) \
	check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

/* unit.c: the kernel's NLMSG_ERROR for req, TLVs to be added. */
struct nlmsghdr;
struct nl_msg *error_reply(const struct nlmsghdr *req, int error,
			   bool capped);

/* unit-records.c: GUIDs, dates, WHEN, attrs, records, Windows names */
void test_records(void);
/* unit-xml.c: attribute XML and search queries */
void test_xml(void);
/* unit-export.c: the export file reader */
void test_export(void);
/* unit-replication.c: addresses, neighbours, their events and output */
void test_replication(void);
/* unit-batch.c: pipelined writes, and "record load" lines */
void test_batch(void);
/* unit-group.c: certificate groups: the request, names, "cert FILE" */
void test_group(void);

#endif /* _PG_UNIT_H */
