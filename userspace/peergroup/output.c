// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Output of the peergroup tool: time stamps, JSON strings, groups.
 */
#include <inttypes.h>
#include <time.h>
#include "output.h"

#define NSEC_PER_SEC UINT64_C(1000000000)

int format_time_ns(char *buf, size_t size, uint64_t ns)
{
	time_t sec = (time_t)(ns / NSEC_PER_SEC);
	size_t n;
	struct tm tm;
	int m;

	if (!gmtime_r(&sec, &tm))
		return -1;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return -1;
	m = snprintf(buf + n, size - n, ".%09" PRIu64 "Z", ns % NSEC_PER_SEC);
	return m < 0 || (size_t)m >= size - n ? -1 : 0;
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void group_json(FILE *f, const struct pg_group_info *g)
{
	char created[TIME_ISO_SIZE];

	fputs("{\"name\":", f);
	json_string(f, g->name);
	fputs(",\"id\":", f);
	json_string(f, g->id);
	fputs(",\"identity\":", f);
	json_string(f, g->identity);
	fputs(",\"created\":", f);
	if (format_time_ns(created, sizeof(created), g->created_ns))
		fputs("null", f);
	else
		json_string(f, created);
	fprintf(f, ",\"created_ns\":%" PRIu64 "}", g->created_ns);
}

static void group_text(FILE *f, const struct pg_group_info *g)
{
	char created[TIME_ISO_SIZE];

	fprintf(f, "group %s\n\tid %s\n\tidentity %s\n", g->name, g->id,
		g->identity);
	if (format_time_ns(created, sizeof(created), g->created_ns))
		fprintf(f, "\tcreated @%" PRIu64 "ns\n", g->created_ns);
	else
		fprintf(f, "\tcreated %s\n", created);
}

void print_group(FILE *f, const struct pg_group_info *g, bool json)
{
	if (!json) {
		group_text(f, g);
		return;
	}
	group_json(f, g);
	fputc('\n', f);
}

void print_groups(FILE *f, const struct pg_group_info *g, size_t n, bool json)
{
	size_t i;

	if (json)
		fputc('[', f);
	for (i = 0; i < n; i++) {
		if (!json) {
			group_text(f, &g[i]);
			continue;
		}
		if (i)
			fputc(',', f);
		group_json(f, &g[i]);
	}
	if (json)
		fputs("]\n", f);
}
