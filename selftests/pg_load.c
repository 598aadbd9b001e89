// SPDX-License-Identifier: GPL-2.0
/*
 * pg_load GROUP COUNT [DATA_BYTES [PER_SECOND]]: adds COUNT records to GROUP
 * in this network namespace, one process, one handle, so that tests can
 * build large tables quickly. Each record has an int attribute "i" (its
 * index), data of DATA_BYTES (default 100) and expires in a day. With
 * PER_SECOND (0, the default: no limit) the adds keep to that rate. Prints
 * nothing on success.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/peergroup.h>

#include "libpeergroup.h"
#include "pg_selftest.h"

static const uint8_t load_type[PG_GUID_LEN] = {
	0x4c, 0x6f, 0x61, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
};

static long number(const char *what, const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > max) {
		fprintf(stderr, "pg_load: %s: \"%s\" is not a number from 0 to %ld\n",
			what, s, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct pg_attribute attr = { .name = "i", .kind = PG_ATTR_INT };
	static uint8_t data[PEERGROUP_RECORD_SIZE_DEFAULT];
	struct pg_handle *h;
	struct pg_record rec;
	long n, len, rate, i;
	struct timespec next;
	int ret;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: pg_load GROUP COUNT [DATA_BYTES [PER_SECOND]]\n");
		return 2;
	}
	n = number("COUNT", argv[2], PEERGROUP_MAX_RECORDS_LIMIT);
	len = argc > 3 ? number("DATA_BYTES", argv[3], 60000) : 100;
	rate = argc > 4 ? number("PER_SECOND", argv[4], 1000000) : 0;
	clock_gettime(CLOCK_MONOTONIC, &next);
	if (pg_open(&h)) {
		fprintf(stderr, "pg_load: %s\n", pg_errmsg(h));
		return 1;
	}
	rec = record_of(load_type, peer_time_in(h, argv[1], 24 * HOUR_MS));
	rec.present |= PG_REC_ATTRS;
	rec.nattrs = 1;
	rec.attrs = &attr;
	for (i = 0; i < n; i++) {
		attr.i = i;
		memset(data, 'a' + i % 26, len);
		record_set_data(&rec, data, len);
		ret = pg_record_add(h, argv[1], &rec, NULL, NULL);
		if (ret) {
			fprintf(stderr, "pg_load: record %ld: %s\n", i, pg_errmsg(h));
			pg_close(h);
			return 1;
		}
		if (rate) {
			next.tv_nsec += 1000000000L / rate;
			if (next.tv_nsec >= 1000000000L) {
				next.tv_sec += next.tv_nsec / 1000000000L;
				next.tv_nsec %= 1000000000L;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
	}
	pg_close(h);
	return 0;
}
