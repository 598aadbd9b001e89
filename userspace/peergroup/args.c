// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Command-line values of the peergroup tool: times, attributes, numbers,
 * addresses, files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "args.h"

#define NSEC_PER_SEC UINT64_C(1000000000)

bool when_is_relative(const char *s)
{
	return *s == '+';
}

/*
 * A span of time, "N" and a unit s, m, h or d (none: seconds, unless
 * unit_required), into *ns: 0, -1 if it is not that, -ERANGE if it is
 * beyond 2^64 ns.
 */
static int parse_span(const char *s, bool unit_required, uint64_t *ns)
{
	static const struct {
		char unit;
		uint64_t ns;
	} units[] = {
		{ 's', NSEC_PER_SEC },
		{ 'm', 60 * NSEC_PER_SEC },
		{ 'h', 3600 * NSEC_PER_SEC },
		{ 'd', 86400 * NSEC_PER_SEC },
	};
	uint64_t n = 0;
	const char *p;
	size_t i;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || (p[0] && p[1]) || (!p[0] && unit_required))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*p != units[i].unit && (*p || units[i].unit != 's'))
			continue;
		if (n > UINT64_MAX / units[i].ns)
			return -ERANGE;
		*ns = n * units[i].ns;
		return 0;
	}
	return -1;
}

int parse_when(const char *s, uint64_t now, uint64_t *out, const char **why)
{
	uint64_t span;
	int err;

	if (!when_is_relative(s)) {
		err = pg_date_parse(s, out);
		*why = err == -ERANGE ? "outside 1970..2554" :
			"expected +N[s|m|h|d] or an ISO-8601 date such as 2026-01-31T10:00:00Z";
		return err ? -1 : 0;
	}
	*why = "expected +N and a unit: s, m, h or d (e.g. +30s, +1h)";
	err = parse_span(s + 1, true, &span);
	if (!err && span > UINT64_MAX - now)
		err = -ERANGE;
	if (err == -ERANGE)
		*why = "too far in the future";
	if (err)
		return -1;
	*out = now + span;
	return 0;
}

int parse_seconds(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t ns;

	if (parse_span(s, false, &ns) || ns / NSEC_PER_SEC > max)
		return -1;
	*v = ns / NSEC_PER_SEC;
	return 0;
}

int parse_kib(const char *s, uint64_t max, uint64_t *v)
{
	static const char units[] = "kmg";
	uint64_t n = 0, mul = 1;
	const char *p, *u;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || (p[0] && p[1]))
		return -1;
	if (*p) {
		u = strchr(units, *p | 0x20);
		if (!u)
			return -1;
		mul = 1ULL << (10 * (u - units));
	}
	if (n > max / mul)
		return -1;
	*v = n * mul;
	return 0;
}

uint32_t *kdf_field(struct pg_kdf *k, unsigned int which)
{
	return which == KDF_TIME ? &k->time :
	       which == KDF_MEMORY ? &k->memory_kib : &k->lanes;
}

int parse_kdf_value(unsigned int which, const char *s, uint32_t *out)
{
	uint64_t v;
	int err;

	switch (which) {
	case KDF_TIME:
		err = parse_u64(s, PEERGROUP_KDF_TIME_MAX, &v) || !v;
		break;
	case KDF_MEMORY:
		err = parse_kib(s, PEERGROUP_KDF_MEMORY_MAX, &v) ||
		      v < PEERGROUP_KDF_MEMORY_MIN;
		break;
	default:
		err = parse_u64(s, PEERGROUP_KDF_LANES_MAX, &v) || !v;
		break;
	}
	if (err)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_kdf_spec(const char *s, struct pg_kdf *k, const char **why)
{
	static const struct {
		const char *name;
		const char *why;
	} params[] = {
		[KDF_TIME] = { "time", "bad time (expected passes, 1 to 1000)" },
		[KDF_MEMORY] = { "memory",
		  "bad memory (expected KiB, or N and a unit k, m or g, from 8k to 4g)" },
		[KDF_LANES] = { "lanes", "bad lanes (expected 1 to 255)" },
	};
	bool seen[3] = { false };
	char part[64], *eq;
	const char *p = s, *end;
	size_t i, len;

	do {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		*why = "expected time=N,memory=SIZE,lanes=N (any of them)";
		if (len >= sizeof(part))
			return -1;
		memcpy(part, p, len);
		part[len] = 0;
		eq = strchr(part, '=');
		if (!eq)
			return -1;
		*eq = 0;
		for (i = 0; i < 3 && strcmp(part, params[i].name); i++)
			;
		if (i == 3)
			return -1;
		*why = params[i].why;
		if (parse_kdf_value(i, eq + 1, kdf_field(k, i)))
			return -1;
		if (seen[i]) {
			*why = "a parameter given twice";
			return -1;
		}
		seen[i] = true;
		p = end ? end + 1 : NULL;
	} while (p);
	return 0;
}

int parse_attr(const char *spec, struct pg_attribute *a, char **copy,
	       const char **why)
{
	char *s, *eq, *colon;
	uint64_t date;
	long long i;
	char *end;

	*copy = NULL;
	memset(a, 0, sizeof(*a));
	eq = strchr(spec, '=');
	if (!eq || eq == spec) {
		*why = eq ? "missing NAME before '='" : "expected NAME=VALUE[:string|:int|:date]";
		return -1;
	}
	s = strdup(spec);
	if (!s) {
		*why = "out of memory";
		return -1;
	}
	eq = s + (eq - spec);
	*eq = '\0';
	a->name = s;
	a->kind = PG_ATTR_STRING;
	a->str = eq + 1;
	colon = strrchr(eq + 1, ':');
	if (colon && !strcmp(colon, ":string")) {
		*colon = '\0';
	} else if (colon && !strcmp(colon, ":int")) {
		*colon = '\0';
		errno = 0;
		i = strtoll(eq + 1, &end, 10);
		if (!eq[1] || *end || errno) {
			*why = "the value is not a signed 64-bit integer";
			goto bad;
		}
		a->kind = PG_ATTR_INT;
		a->i = i;
	} else if (colon && !strcmp(colon, ":date")) {
		*colon = '\0';
		if (pg_date_parse(eq + 1, &date)) {
			*why = "the value is not an ISO-8601 date (e.g. 2026-01-31T10:00:00Z)";
			goto bad;
		}
		a->kind = PG_ATTR_DATE;
		a->date = date;
	}
	*copy = s;
	return 0;
bad:
	free(s);
	memset(a, 0, sizeof(*a));
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Why c cannot stand where it is (in double quotes or none), or NULL. */
static const char *unsupported(char c, bool quoted)
{
	if (c == '$' || c == '`')
		return "$ and ` are not supported (nothing is expanded: put the word in single quotes)";
	if (!quoted && c && strchr(";&|<>()", c))
		return "the shell operators ; & | < > ( ) are not supported (quote them)";
	return NULL;
}

/* A quoted part of a word, r at its opening quote: copied to *w. */
static int quoted(char **r, char **w, const char **why)
{
	char quote = *(*r)++;

	while (**r && **r != quote) {
		if (quote == '"' && (*why = unsupported(**r, true)))
			return -1;
		if (quote == '"' && **r == '\\' && ((*r)[1] == '"' || (*r)[1] == '\\'))
			(*r)++;
		*(*w)++ = *(*r)++;
	}
	if (!**r) {
		*why = quote == '"' ? "unterminated double quote" :
				      "unterminated single quote";
		return -1;
	}
	(*r)++;
	return 0;
}

int split_words(char *line, char **argv, int *argc, const char **why)
{
	char *r = line, *w = line, end;

	*argc = 0;
	for (;;) {
		while (blank(*r))
			r++;
		if (!*r || *r == '#')
			return 0;
		argv[(*argc)++] = w;
		while (*r && !blank(*r)) {
			if (*r == '\'' || *r == '"') {
				if (quoted(&r, &w, why))
					return -1;
			} else if (*r == '\\') {
				if (!r[1]) {
					*why = "a \\ at the end of the line";
					return -1;
				}
				r++;
				*w++ = *r++;
			} else if ((*why = unsupported(*r, false))) {
				return -1;
			} else {
				*w++ = *r++;
			}
		}
		/* w is at most r: the NUL may take the blank's place. */
		end = *r;
		*w++ = '\0';
		if (end)
			r++;
	}
}

int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end || errno || n > max)
		return -1;
	*v = n;
	return 0;
}

/* Formats the message of a bad endpoint argument; returns -1. */
static int bad(char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -1;
}

int parse_endpoint(int argc, char **argv, bool allow_id, struct endpoint *e,
		   char *msg, size_t size)
{
	const char *expected = allow_id ? "port P, id N" : "port P";
	bool has_port = false;
	uint64_t n;
	int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		bool is_port = !strcmp(w, "port");

		if (is_port || (allow_id && !strcmp(w, "id"))) {
			if (is_port ? has_port : e->has_id)
				return bad(msg, size, "%s given twice", w);
			if (i + 1 == argc)
				return bad(msg, size, "missing %s after \"%s\"",
					   is_port ? "P" : "N", w);
			w = argv[++i];
			if (is_port && (parse_u64(w, UINT16_MAX, &n) || !n))
				return bad(msg, size, "bad port \"%s\" (expected 1 to 65535)",
					   w);
			if (!is_port && parse_u64(w, UINT64_MAX, &n))
				return bad(msg, size, "bad neighbour id \"%s\" (expected a decimal number, as neighbour show prints it)",
					   w);
			if (is_port) {
				has_port = true;
				e->port = (uint16_t)n;
			} else {
				e->has_id = true;
				e->id = n;
			}
		} else if (e->addr.family != AF_UNSPEC) {
			return bad(msg, size, "unknown argument \"%s\" (expected: %s)",
				   w, expected);
		} else if (pg_addr_parse(w, &e->addr)) {
			return bad(msg, size, "bad address \"%s\" (expected an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1)",
				   w);
		}
	}
	if (e->has_id && (has_port || e->addr.family != AF_UNSPEC))
		return bad(msg, size, "id N excludes ADDR and port P (a neighbour is named by one or the other)");
	return 0;
}

bool printable(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* The length of the DER element at p[0..left), or -1 if none fits there. */
static long der_length(const uint8_t *p, size_t left, size_t *hdr)
{
	size_t n, i, len = 0;

	if (left < 2)
		return -1;
	n = p[1] & 0x7f;
	if (!(p[1] & 0x80)) {
		len = n;
		n = 0;
	} else if (!n || n > 3 || left < 2 + n) {
		return -1;	/* indefinite (BER), or longer than a chain */
	}
	for (i = 0; i < n; i++)
		len = len << 8 | p[2 + i];
	*hdr = 2 + n;
	return len <= left - *hdr ? (long)len : -1;
}

size_t der_cert_len(const uint8_t *p, size_t len)
{
	size_t hdr = 0;
	long body;

	if (!len || p[0] != 0x30)
		return 0;
	body = der_length(p, len, &hdr);
	return body < 0 ? 0 : hdr + (size_t)body;
}

int der_certs(const uint8_t *p, size_t len, unsigned int *count)
{
	size_t off = 0, n;

	*count = 0;
	while (off < len) {
		n = der_cert_len(p + off, len - off);
		if (!n)
			return -1;
		off += n;
		(*count)++;
	}
	return 0;
}

int read_input(const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0, want = max + 1, room;
	int fd, err = 0;
	char *p = NULL, *q;
	ssize_t got;

	*buf = NULL;
	*len = 0;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!p || cap - n < 2) {
			/* Room for want bytes and the NUL at the most. */
			cap = p ? 2 * cap : cap;
			if (cap > want + 1)
				cap = want + 1;
			q = realloc(p, cap);
			if (!q) {
				err = -ENOMEM;
				break;
			}
			p = q;
		}
		room = cap - n - 1 < want - n ? cap - n - 1 : want - n;
		if (!room)
			break;
		got = read(fd, p + n, room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? -errno : 0;
			break;
		}
		n += (size_t)got;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (err) {
		free(p);
		return err;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}
