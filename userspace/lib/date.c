// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Dates as text: the W3C profiles of ISO-8601 (https://www.w3.org/TR/NOTE-datetime)
 * that the Windows attribute and query XML use, to and from ns since the
 * Unix epoch (UTC, or peer time: the arithmetic is the same).
 *
 *   YYYY  YYYY-MM  YYYY-MM-DD  YYYY-MM-DDThh:mm[:ss[.f...]]TZD
 *   TZD = Z | +hh:mm | -hh:mm     (required once there is a time)
 *
 * Missing parts are the start of the period (2026 is 2026-01-01T00:00Z).
 * Fractions are exact to the nanosecond; digits past the ninth are read
 * (they must be digits) and dropped. A result before 1970 or past 2^64-1 ns
 * (2554-07-21T23:34:33.709551615Z) is out of range.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define NSEC_PER_SEC UINT64_C(1000000000)

/* n digits at *p as a number; advances *p. false unless all are digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (**p < '0' || **p > '9')
			return false;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), y >= 1. */
static int64_t days_from_epoch(int y, int m, int d)
{
	int64_t days = 0;
	int i;

	for (i = 1; i < m; i++)
		days += month_days(y, i);
	y--;	/* whole years before y */
	days += (int64_t)y * 365 + y / 4 - y / 100 + y / 400;
	return days + d - 1 - 719162;	/* 719162: days from 0001-01-01 to 1970 */
}

/* The time part after 'T': hh:mm[:ss[.frac]]TZD. */
static bool parse_time(const char **pp, int64_t *sec, uint32_t *nsec)
{
	const char *p = *pp;
	int hh, mm, ss = 0, oh, om, n = 0, sign, dig;

	*nsec = 0;
	if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm) ||
	    hh > 23 || mm > 59)
		return false;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &ss) || ss > 59)
			return false;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return false;
			for (; *p >= '0' && *p <= '9'; p++, n++) {
				dig = *p - '0';
				if (n < 9)
					*nsec = *nsec * 10 + dig;
			}
			for (; n < 9; n++)
				*nsec *= 10;
		}
	}
	*sec = (int64_t)hh * 3600 + mm * 60 + ss;
	if (*p == 'Z') {
		*pp = p + 1;
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++ == '+' ? 1 : -1;
	if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) ||
	    oh > 23 || om > 59)
		return false;
	/* 10:00+02:00 is 08:00Z. */
	*sec -= sign * ((int64_t)oh * 3600 + om * 60);
	*pp = p;
	return true;
}

int pg_date_parse(const char *s, uint64_t *ns)
{
	int y, m = 1, d = 1;
	int64_t sec = 0, days;
	uint32_t nsec = 0;
	const char *p = s;

	if (!digits(&p, 4, &y) || y < 1)
		return -EINVAL;
	if (*p == '-') {
		p++;
		if (!digits(&p, 2, &m) || m < 1 || m > 12)
			return -EINVAL;
		if (*p == '-') {
			p++;
			if (!digits(&p, 2, &d) || d < 1 ||
			    d > month_days(y, m))
				return -EINVAL;
			if (*p == 'T') {
				p++;
				if (!parse_time(&p, &sec, &nsec))
					return -EINVAL;
			}
		}
	}
	if (*p)
		return -EINVAL;
	days = days_from_epoch(y, m, d);
	sec += days * 86400;
	if (sec < 0 || (uint64_t)sec > (UINT64_MAX - nsec) / NSEC_PER_SEC)
		return -ERANGE;
	*ns = (uint64_t)sec * NSEC_PER_SEC + nsec;
	return 0;
}

void pg_date_format(uint64_t ns, char out[PG_DATE_STR_LEN])
{
	uint64_t secs = ns / NSEC_PER_SEC;
	uint32_t nsec = ns % NSEC_PER_SEC, rem = secs % 86400;
	int64_t days = secs / 86400;
	int y = 1970, m = 1, len;

	while (days >= (leap(y) ? 366 : 365))
		days -= leap(y++) ? 366 : 365;
	while (days >= month_days(y, m))
		days -= month_days(y, m++);
	len = snprintf(out, PG_DATE_STR_LEN, "%04d-%02d-%02dT%02u:%02u:%02u", y,
		       m, (int)days + 1, rem / 3600, rem / 60 % 60, rem % 60);
	if (nsec)
		len += snprintf(out + len, PG_DATE_STR_LEN - len, ".%09u", nsec);
	snprintf(out + len, PG_DATE_STR_LEN - len, "Z");
}
