/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Output of the peergroup tool: text blocks like "ip", one-line JSON.
 */
#ifndef _PG_OUTPUT_H
#define _PG_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "libpeergroup.h"

/* Room for "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" and its NUL, with spare. */
#define TIME_ISO_SIZE 40

/*
 * ns since the Unix epoch as ISO-8601 UTC with nanoseconds,
 * "2026-11-21T05:00:00.123456789Z". 0, or -1 when it does not fit size.
 */
int format_time_ns(char *buf, size_t size, uint64_t ns);

/*
 * s as a JSON string with its quotes: '"' and '\' escaped, control
 * characters (and DEL) as \u00XX; other bytes as they are (peergroup names
 * and identities are ASCII).
 */
void json_string(FILE *f, const char *s);

/*
 * One group: a text block ("group NAME" then tab-indented "id", "identity",
 * "created" lines), or a JSON object {"name", "id", "identity", "created"
 * (ISO-8601 UTC), "created_ns"} and a newline.
 */
void print_group(FILE *f, const struct pg_group_info *g, bool json);

/* Groups: text blocks one after the other, or one JSON array and a newline. */
void print_groups(FILE *f, const struct pg_group_info *g, size_t n, bool json);

/*
 * One record: a text block ("record ID" then tab-indented fields, the
 * attributes one per line as "attr NAME=VALUE:KIND", data as a quoted
 * string when printable, else hex), or a JSON object with every field
 * (data and security as hex strings) and a newline.
 */
void print_record(FILE *f, const struct pg_record *r, bool json);

/* Records: blocks one after the other, or one JSON array and a newline. */
void print_records(FILE *f, const struct pg_record *const *v, size_t n,
		   bool json);

/* Everything pg_group_status() reports, as print_group() does. */
/* not_ready: why the group is not synchronized yet ("" if it is, or unknown). */
void print_group_status(FILE *f, const struct pg_group_status *s,
			const char *not_ready, bool json);

/*
 * Listeners: "listen ADDR port P" lines, or one JSON array of
 * {"address", "port"} and a newline.
 */
void print_listeners(FILE *f, const struct pg_listener *v, size_t n,
		     bool json);

/*
 * One neighbour: a text block ("neighbour ID" then tab-indented address
 * and port, direction, state, since, identity ("-" until proved), the
 * last reason and errno, the counters), or a JSON object with every field
 * {"id", "address", "port", "direction", "state", "identity", "reason",
 * "errno", "errno_name" (null for none), "since", "since_ns", "frames_tx",
 * "frames_rx", "bytes_tx", "bytes_rx", "records_tx", "records_rx",
 * "refused", "queue", "connects"} and a newline.
 */
void print_neighbour(FILE *f, const struct pg_neighbour *n, bool json);

/* Neighbours: blocks one after the other, or one JSON array and a newline. */
void print_neighbours(FILE *f, const struct pg_neighbour *v, size_t n,
		      bool json);

/*
 * Members: for each a text block ("member IDENTITY" then tab-indented
 * role, issuer, not-before, not-after, fingerprint (hex), revoked and own
 * (yes or no)), or one JSON array of {"identity", "issuer", "role",
 * "not_before", "not_before_ns", "not_after", "not_after_ns",
 * "fingerprint", "revoked", "own"} and a newline.
 */
void print_members(FILE *f, const struct pg_member *v, size_t n, bool json);

/* One event on one line (text or JSON). */
void print_event(FILE *f, const struct pg_event *ev, bool json);

/* The name of an enum peergroup_change ("added", ...), "unknown" else. */
const char *change_name(unsigned int change);

#endif /* _PG_OUTPUT_H */
