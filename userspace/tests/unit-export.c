// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Offline tests of the export file reader: a good file, and truncated or
 * corrupt ones (the file is untrusted input).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include "../lib/internal.h"
#include "unit.h"

#define ID "0123456789abcdef0123456789abcdef01234567.office"
#define HEADER "peergroup-export 1 " ID "\n"

static struct pg_handle h;

/* HEADER, then n records: an nlattr of type PEERGROUP_A_RECORD, 5 bytes. */
static size_t file(uint8_t *buf, int n)
{
	size_t off = strlen(HEADER);
	struct nlattr a = { .nla_len = NLA_HDRLEN + 5,
			    .nla_type = PEERGROUP_A_RECORD | NLA_F_NESTED };
	int i;

	memcpy(buf, HEADER, off);
	for (i = 0; i < n; i++) {
		memcpy(buf + off, &a, sizeof(a));
		memcpy(buf + off + NLA_HDRLEN, "abcde\0\0", 8);
		off += NLA_ALIGN(a.nla_len);
	}
	return off;
}

static int check(const uint8_t *buf, size_t len, size_t *count)
{
	char id[PEERGROUP_GROUP_ID_MAX + 1];
	size_t first;

	return pg_export_check(&h, buf, len, id, &first, count);
}

static void test_good(void)
{
	char id[PEERGROUP_GROUP_ID_MAX + 1];
	uint8_t buf[512];
	size_t len, first, n;

	len = file(buf, 3);
	CHECK_INT(pg_export_check(&h, buf, len, id, &first, &n), 0);
	CHECK_STR(id, ID);
	CHECK_INT(first, strlen(HEADER));
	CHECK_INT(n, 3);
	CHECK_INT(check(buf, strlen(HEADER), &n), 0);	/* an empty group */
	CHECK_INT(n, 0);
}

static void expect(const uint8_t *buf, size_t len, const char *msg, int line)
{
	size_t n = 7;

	check_int(check(buf, len, &n), -EINVAL, "pg_export_check()", __FILE__,
		  line);
	check_int(n, 0, "count", __FILE__, line);
	check_int(strncmp(h.last.msg, msg, strlen(msg)), 0, h.last.msg,
		  __FILE__, line);
}

#define EXPECT(buf, len, msg) expect((buf), (len), (msg), __LINE__)

static void test_bad(void)
{
	const size_t hl = strlen(HEADER);
	uint8_t buf[512];
	struct nlattr *a = (struct nlattr *)(buf + hl);
	size_t len;

	len = file(buf, 2);
	/* Truncated inside the second record, its header, its padding. */
	EXPECT(buf, len - 1, "import: record 2 at byte 79: its length 9 runs past the end of the file (90 bytes)");
	EXPECT(buf, hl + 12 + 2, "import: record 2 at byte 79: truncated (2 bytes left)");
	EXPECT(buf, hl + 10, "import: record 1 at byte 67: its length 9 runs past the end of the file (77 bytes)");
	/* A length below its own header, or past the file. */
	a->nla_len = 3;
	EXPECT(buf, len, "import: record 1 at byte 67: its length 3 runs past");
	a->nla_len = 0;
	EXPECT(buf, len, "import: record 1 at byte 67: its length 0 runs past");
	a->nla_len = 0xffff;
	EXPECT(buf, len, "import: record 1 at byte 67: its length 65535 runs past");
	/* Another attribute type. */
	len = file(buf, 1);
	a->nla_type = PEERGROUP_A_QUERY;
	EXPECT(buf, len, "import: record 1 at byte 67: not a record (attribute type 26)");

	/* Headers. */
	EXPECT((const uint8_t *)"", 0, "import: not a peergroup export file");
	EXPECT((const uint8_t *)"PK\3\4", 4, "import: not a peergroup export file");
	EXPECT((const uint8_t *)"peergroup-export 1 x", 20, "import: the header line is truncated or too long");
	EXPECT((const uint8_t *)"peergroup-export 2 x\n", 21, "import: format version 2 is not supported (expected 1)");
	EXPECT((const uint8_t *)"peergroup-export x\n", 19, "import: the header has no format version");
	EXPECT((const uint8_t *)"peergroup-export 1\n", 19, "import: the header has no group id");
	EXPECT((const uint8_t *)"peergroup-export 1 \n", 20, "import: the header's group id is malformed");
	EXPECT((const uint8_t *)"peergroup-export 1 a b\n", 23, "import: the header's group id is malformed");
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "peergroup-export 1 ", 19);
	buf[300] = '\n';
	EXPECT(buf, 301, "import: the header line is truncated or too long");
}

void test_export(void)
{
	test_good();
	test_bad();
}
