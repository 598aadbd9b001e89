// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Output of the peergroup tool: time stamps, JSON strings, groups, records,
 * listeners, neighbours, members, events.
 */
#include <inttypes.h>
#include <time.h>
#include "args.h"
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

/* A time as JSON: "<ISO-8601>" and, beside it, key_ns. */
static void json_time(FILE *f, const char *key, uint64_t ns)
{
	char buf[TIME_ISO_SIZE];

	fprintf(f, ",\"%s\":", key);
	if (format_time_ns(buf, sizeof(buf), ns))
		fputs("null", f);
	else
		json_string(f, buf);
	fprintf(f, ",\"%s_ns\":%" PRIu64, key, ns);
}

static void text_time(FILE *f, const char *key, uint64_t ns)
{
	char buf[TIME_ISO_SIZE];

	if (format_time_ns(buf, sizeof(buf), ns))
		fprintf(f, "\t%s @%" PRIu64 "ns\n", key, ns);
	else
		fprintf(f, "\t%s %s\n", key, buf);
}

/*
 * Where the group's key comes from: drawn at random by the kernel (it
 * exists in this group only), or derived from a password.
 */
/* A certificate group has no group key: its members sign with their own. */
static bool pki(const struct pg_group_info *g)
{
	return g->security == PEERGROUP_SECURITY_PKI;
}

static const char *key_kind(const struct pg_group_info *g)
{
	return pki(g) ? "certificate" : g->key_random ? "random" : "password";
}

/* The members of a group's JSON object, without the braces. */
static void group_json_members(FILE *f, const struct pg_group_info *g)
{
	fputs("\"name\":", f);
	json_string(f, g->name);
	fputs(",\"id\":", f);
	json_string(f, g->id);
	fputs(",\"identity\":", f);
	json_string(f, g->identity);
	json_time(f, "created", g->created_ns);
	fprintf(f, ",\"key\":\"%s\"", key_kind(g));
	if (pki(g))
		fputs(",\"kdf\":{\"alg\":\"none\"}", f);
	else if (g->key_random)
		fputs(",\"kdf\":{\"alg\":\"random\"}", f);
	else
		fprintf(f, ",\"kdf\":{\"alg\":\"argon2id\",\"time\":%" PRIu32
			",\"memory_kib\":%" PRIu32 ",\"lanes\":%" PRIu32 "}",
			g->kdf.time, g->kdf.memory_kib, g->kdf.lanes);
}

static void group_json(FILE *f, const struct pg_group_info *g)
{
	fputc('{', f);
	group_json_members(f, g);
	fputc('}', f);
}

static void group_text(FILE *f, const struct pg_group_info *g)
{
	fprintf(f, "group %s\n\tid %s\n\tidentity %s\n", g->name, g->id,
		g->identity);
	text_time(f, "created", g->created_ns);
	fprintf(f, "\tkey %s\n", key_kind(g));
	if (pki(g))
		fputs("\tkdf none\n", f);
	else if (g->key_random)
		fputs("\tkdf random\n", f);
	else
		fprintf(f, "\tkdf argon2id t=%" PRIu32 " m=%" PRIu32 " p=%" PRIu32 "\n",
			g->kdf.time, g->kdf.memory_kib, g->kdf.lanes);
}

/*
 * n items, item(f, v, i, json) printing the i-th of v: one after the other
 * as text, or as one JSON array and a newline.
 */
static void print_list(FILE *f, const void *v, size_t n, bool json,
		       void (*item)(FILE *f, const void *v, size_t i, bool json))
{
	size_t i;

	if (json)
		fputc('[', f);
	for (i = 0; i < n; i++) {
		if (json && i)
			fputc(',', f);
		item(f, v, i, json);
	}
	if (json)
		fputs("]\n", f);
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

static void group_item(FILE *f, const void *v, size_t i, bool json)
{
	const struct pg_group_info *g = v;

	(json ? group_json : group_text)(f, &g[i]);
}

void print_groups(FILE *f, const struct pg_group_info *g, size_t n, bool json)
{
	print_list(f, g, n, json, group_item);
}

static void hex(FILE *f, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

static const char *const kind_names[] = {
	[PG_ATTR_STRING] = "string",
	[PG_ATTR_INT] = "int",
	[PG_ATTR_DATE] = "date",
};

static const char *kind_name(enum pg_attr_kind kind)
{
	return kind >= PG_ATTR_STRING && kind <= PG_ATTR_DATE ?
	       kind_names[kind] : "unknown";
}

/* Names of bits, comma-separated, "none" for 0; unknown bits in hex. */
struct bit_name {
	uint32_t bit;
	const char *name;
};

static const struct bit_name record_flags[] = {
	{ PEERGROUP_RECORD_F_AUTOREFRESH, "autorefresh" },
	{ PEERGROUP_RECORD_F_DELETED, "deleted" },
	{ 0, NULL },
};

static const struct bit_name group_flags[] = {
	{ PEERGROUP_GROUP_F_DEFER_EXPIRATION, "defer-expiration" },
	{ 0, NULL },
};

static const struct bit_name status_bits[] = {
	{ PEERGROUP_STATUS_LISTENING, "listening" },
	{ PEERGROUP_STATUS_HAS_CONNECTIONS, "has-connections" },
	{ PEERGROUP_STATUS_SYNCHRONIZED, "synchronized" },
	{ 0, NULL },
};

/* As text ("a,b") or as a JSON array of strings. */
static void print_bits(FILE *f, const struct bit_name *names, uint32_t v,
		       bool json)
{
	const char *sep = "";

	if (json)
		fputc('[', f);
	for (; names->name; names++) {
		if (!(v & names->bit))
			continue;
		fprintf(f, json ? "%s\"%s\"" : "%s%s", sep, names->name);
		sep = ",";
		v &= ~names->bit;
	}
	if (v)
		fprintf(f, json ? "%s\"0x%x\"" : "%s0x%x", sep, v);
	else if (!json && !*sep)
		fputs("none", f);
	if (json)
		fputc(']', f);
}

static void attr_json(FILE *f, const struct pg_attribute *a)
{
	fputs("{\"name\":", f);
	json_string(f, a->name);
	fprintf(f, ",\"type\":\"%s\"", kind_name(a->kind));
	if (a->kind == PG_ATTR_STRING) {
		fputs(",\"value\":", f);
		json_string(f, a->str);
	} else if (a->kind == PG_ATTR_INT) {
		fprintf(f, ",\"value\":%" PRId64, a->i);
	} else {
		json_time(f, "value", a->date);
	}
	fputc('}', f);
}

static void attr_text(FILE *f, const struct pg_attribute *a)
{
	char buf[TIME_ISO_SIZE];

	fprintf(f, "\tattr %s=", a->name);
	if (a->kind == PG_ATTR_STRING)
		fputs(a->str, f);
	else if (a->kind == PG_ATTR_INT)
		fprintf(f, "%" PRId64, a->i);
	else if (format_time_ns(buf, sizeof(buf), a->date))
		fprintf(f, "@%" PRIu64 "ns", a->date);
	else
		fputs(buf, f);
	fprintf(f, ":%s\n", kind_name(a->kind));
}

static void guid_json(FILE *f, const char *key, const uint8_t *guid)
{
	char s[PG_GUID_STR_LEN];

	pg_guid_format(guid, s);
	fprintf(f, "\"%s\":\"%s\"", key, s);
}

static void record_json(FILE *f, const struct pg_record *r)
{
	size_t i;

	fputc('{', f);
	guid_json(f, "id", r->id);
	fputc(',', f);
	guid_json(f, "type", r->type);
	fprintf(f, ",\"version\":%" PRIu32 ",\"flags\":", r->version);
	print_bits(f, record_flags, r->flags, true);
	fputs(",\"creator\":", f);
	json_string(f, r->creator ? r->creator : "");
	fputs(",\"modifier\":", f);
	json_string(f, r->modifier ? r->modifier : "");
	json_time(f, "created", r->created);
	json_time(f, "modified", r->modified);
	json_time(f, "expires", r->expires);
	fputs(",\"attributes\":[", f);
	for (i = 0; i < r->nattrs; i++) {
		if (i)
			fputc(',', f);
		attr_json(f, &r->attrs[i]);
	}
	fputs("],\"data\":\"", f);
	hex(f, r->data, r->data_len);
	fprintf(f, "\",\"data_len\":%zu,\"security\":\"", r->data_len);
	hex(f, r->security, r->security_len);
	fprintf(f, "\",\"security_len\":%zu}", r->security_len);
}

/* Printable data as a C-like quoted string, else hex. */
static void data_text(FILE *f, const uint8_t *p, size_t len)
{
	size_t i;

	fputs("\tdata ", f);
	if (!printable(p, len)) {
		hex(f, p, len);
	} else {
		fputc('"', f);
		for (i = 0; i < len; i++) {
			if (p[i] == '"' || p[i] == '\\')
				fputc('\\', f);
			fputc(p[i], f);
		}
		fputc('"', f);
	}
	fprintf(f, " (%zu bytes)\n", len);
}

static void record_text(FILE *f, const struct pg_record *r)
{
	char id[PG_GUID_STR_LEN], type[PG_GUID_STR_LEN];
	size_t i;

	pg_guid_format(r->id, id);
	pg_guid_format(r->type, type);
	fprintf(f, "record %s\n\ttype %s\n\tversion %" PRIu32 "\n\tflags ", id,
		type, r->version);
	print_bits(f, record_flags, r->flags, false);
	fprintf(f, "\n\tcreator %s\n\tmodifier %s\n",
		r->creator ? r->creator : "", r->modifier ? r->modifier : "");
	text_time(f, "created", r->created);
	text_time(f, "modified", r->modified);
	text_time(f, "expires", r->expires);
	for (i = 0; i < r->nattrs; i++)
		attr_text(f, &r->attrs[i]);
	if (r->present & PG_REC_DATA)
		data_text(f, r->data, r->data_len);
	fprintf(f, "\tsecurity %zu bytes\n", r->security_len);
}

void print_record(FILE *f, const struct pg_record *r, bool json)
{
	if (!json) {
		record_text(f, r);
		return;
	}
	record_json(f, r);
	fputc('\n', f);
}

static void record_item(FILE *f, const void *v, size_t i, bool json)
{
	const struct pg_record *const *r = v;

	(json ? record_json : record_text)(f, r[i]);
}

void print_records(FILE *f, const struct pg_record *const *v, size_t n,
		   bool json)
{
	print_list(f, v, n, json, record_item);
}

static const char *const role_names[] = {
	[PEERGROUP_ROLE_ADMIN] = "admin",
	[PEERGROUP_ROLE_MEMBER] = "member",
};

static const char *const security_names[] = {
	[PEERGROUP_SECURITY_PSK] = "psk",
	[PEERGROUP_SECURITY_PKI] = "pki",
};

#define NAME_OF(table, v) \
	((v) < sizeof(table) / sizeof((table)[0]) && (table)[v] ? (table)[v] : "unknown")

void print_group_status(FILE *f, const struct pg_group_status *s,
			const char *not_ready, bool json)
{
	if (!json) {
		group_text(f, &s->info);
		fprintf(f, "\tcreator %s\n\trole %s\n\tsecurity %s\n\tstatus ",
			s->creator[0] ? s->creator : "(unknown)",
			NAME_OF(role_names, s->role),
			NAME_OF(security_names, s->security));
		print_bits(f, status_bits, s->status, false);
		if (*not_ready)
			fprintf(f, "\n\tnot-ready %s", not_ready);
		fputs("\n\tflags ", f);
		print_bits(f, group_flags, s->flags, false);
		fprintf(f, "\n\tmax-record-size %" PRIu32 "\n\tmax-records %" PRIu32
			"\n\tmax-bytes %" PRIu64 "\n\tmax-lifetime %" PRIu32
			"\n\trecords %" PRIu32 "\n\tbytes %" PRIu64
			"\n\tneighbours %" PRIu32 "\n\tparked %" PRIu32
			"\n\tparked-dropped %" PRIu64 "\n",
			s->max_record_size, s->max_records, s->max_bytes,
			s->max_lifetime, s->records, s->bytes, s->neighbours,
			s->parked, s->parked_dropped);
		return;
	}
	fputc('{', f);
	group_json_members(f, &s->info);
	fputs(",\"creator\":", f);
	if (s->creator[0])
		json_string(f, s->creator);
	else
		fputs("null", f);
	fprintf(f, ",\"role\":\"%s\",\"security\":\"%s\",\"status\":",
		NAME_OF(role_names, s->role), NAME_OF(security_names, s->security));
	print_bits(f, status_bits, s->status, true);
	fputs(",\"not_ready\":", f);
	if (*not_ready)
		json_string(f, not_ready);
	else
		fputs("null", f);
	fputs(",\"flags\":", f);
	print_bits(f, group_flags, s->flags, true);
	fprintf(f, ",\"max_record_size\":%" PRIu32 ",\"max_records\":%" PRIu32
		",\"max_bytes\":%" PRIu64 ",\"max_lifetime\":%" PRIu32
		",\"records\":%" PRIu32 ",\"bytes\":%" PRIu64
		",\"neighbours\":%" PRIu32 ",\"parked\":%" PRIu32
		",\"parked_dropped\":%" PRIu64 "}\n",
		s->max_record_size, s->max_records, s->max_bytes,
		s->max_lifetime, s->records, s->bytes, s->neighbours,
		s->parked, s->parked_dropped);
}

static const char *const change_names[] = {
	[PEERGROUP_CHANGE_ADDED] = "added",
	[PEERGROUP_CHANGE_UPDATED] = "updated",
	[PEERGROUP_CHANGE_DELETED] = "deleted",
	[PEERGROUP_CHANGE_EXPIRED] = "expired",
};

const char *change_name(unsigned int change)
{
	return NAME_OF(change_names, change);
}

static const char *const origin_names[] = {
	[PEERGROUP_ORIGIN_LOCAL] = "local",
	[PEERGROUP_ORIGIN_IMPORT] = "import",
	[PEERGROUP_ORIGIN_PEER] = "peer",
};

static const char *const group_event_names[] = {
	[PEERGROUP_GROUP_EVENT_STATUS] = "status",
	[PEERGROUP_GROUP_EVENT_PROPERTIES] = "properties",
};

/* A name of the library's, or "unknown" for a value it does not know. */
static const char *known(const char *name)
{
	return name ? name : "unknown";
}

static void listener_item(FILE *f, const void *v, size_t i, bool json)
{
	const struct pg_listener *l = v;
	char addr[PG_ADDR_STR_LEN];

	pg_addr_format(&l[i].addr, addr);
	fprintf(f, json ? "{\"address\":\"%s\",\"port\":%u,\"accepted\":%" PRIu64
			  ",\"ratelimited\":%" PRIu64 ",\"busy\":%" PRIu64 "}" :
			  "listen %s port %u accepted %" PRIu64 " ratelimited %" PRIu64
			  " busy %" PRIu64 "\n",
		addr, l[i].port, l[i].accepted, l[i].ratelimited, l[i].busy);
}

void print_listeners(FILE *f, const struct pg_listener *v, size_t n,
		     bool json)
{
	print_list(f, v, n, json, listener_item);
}

static void neighbour_json(FILE *f, const struct pg_neighbour *n)
{
	const char *error = n->error ? pg_errno_name(n->error) : NULL;
	char addr[PG_ADDR_STR_LEN];

	pg_addr_format(&n->addr, addr);
	fprintf(f, "{\"id\":%" PRIu64 ",\"address\":\"%s\",\"port\":%u"
		",\"direction\":\"%s\",\"state\":\"%s\",\"identity\":",
		n->id, addr, n->port, known(pg_direction_name(n->direction)),
		known(pg_neighbour_state_name(n->state)));
	json_string(f, n->identity);
	fprintf(f, ",\"reason\":\"%s\",\"errno\":%d,\"errno_name\":",
		known(pg_reason_name(n->reason)), n->error);
	if (error)
		fprintf(f, "\"%s\"", error);
	else
		fputs("null", f);
	json_time(f, "since", n->since_ns);
	fprintf(f, ",\"frames_tx\":%" PRIu64 ",\"frames_rx\":%" PRIu64
		",\"bytes_tx\":%" PRIu64 ",\"bytes_rx\":%" PRIu64
		",\"records_tx\":%" PRIu64 ",\"records_rx\":%" PRIu64
		",\"refused\":%" PRIu64 ",\"queue\":%" PRIu32
		",\"connects\":%" PRIu32 ",\"lag_ms\":%" PRIu32,
		n->frames_tx, n->frames_rx, n->bytes_tx, n->bytes_rx,
		n->records_tx, n->records_rx, n->refused, n->queue,
		n->connects, n->lag_ms);
	fputs(",\"refused_why\":", f);
	if (*n->refused_why) {
		json_string(f, n->refused_why);
		fprintf(f, ",\"refused_errno\":\"%s\"}",
			pg_errno_name(n->refused_error) ?: "unknown");
	} else {
		fputs("null,\"refused_errno\":null}", f);
	}
}

/* " errno NAME" (or the number) when the neighbour has one. */
static void text_errno(FILE *f, int error)
{
	const char *name = pg_errno_name(error);

	if (!error)
		return;
	if (name)
		fprintf(f, " errno %s", name);
	else
		fprintf(f, " errno %d", error);
}

static void neighbour_text(FILE *f, const struct pg_neighbour *n)
{
	char addr[PG_ADDR_STR_LEN];

	pg_addr_format(&n->addr, addr);
	fprintf(f, "neighbour %" PRIu64 "\n\taddress %s port %u\n"
		"\tdirection %s\n\tstate %s\n",
		n->id, addr, n->port, known(pg_direction_name(n->direction)),
		known(pg_neighbour_state_name(n->state)));
	text_time(f, "since", n->since_ns);
	fprintf(f, "\tidentity %s\n\treason %s", *n->identity ? n->identity : "-",
		known(pg_reason_name(n->reason)));
	text_errno(f, n->error);
	fprintf(f, "\n\tframes tx %" PRIu64 " rx %" PRIu64
		"\n\tbytes tx %" PRIu64 " rx %" PRIu64
		"\n\trecords tx %" PRIu64 " rx %" PRIu64 " refused %" PRIu64
		"\n\tqueue %" PRIu32 " lag %" PRIu32 " ms\n\tconnects %" PRIu32 "\n",
		n->frames_tx, n->frames_rx, n->bytes_tx, n->bytes_rx,
		n->records_tx, n->records_rx, n->refused, n->queue,
		n->lag_ms, n->connects);
	if (*n->refused_why) {
		fprintf(f, "\tlast refused %s", n->refused_why);
		text_errno(f, n->refused_error);
		fputc('\n', f);
	}
}

void print_neighbour(FILE *f, const struct pg_neighbour *n, bool json)
{
	if (!json) {
		neighbour_text(f, n);
		return;
	}
	neighbour_json(f, n);
	fputc('\n', f);
}

static void neighbour_item(FILE *f, const void *v, size_t i, bool json)
{
	const struct pg_neighbour *n = v;

	(json ? neighbour_json : neighbour_text)(f, &n[i]);
}

void print_neighbours(FILE *f, const struct pg_neighbour *v, size_t n,
		      bool json)
{
	print_list(f, v, n, json, neighbour_item);
}

/*
 * The head of the JSON line of an event about one object KIND (a
 * neighbour, a member): {"group":G,"event":KIND,"KIND_event":WHAT,"KIND":
 * then the object and "}\n" are the caller's.
 */
static void json_event_head(FILE *f, const struct pg_event *ev,
			    const char *kind, const char *what)
{
	fputs("{\"group\":", f);
	json_string(f, ev->group);
	fprintf(f, ",\"event\":\"%s\",\"%s_event\":\"%s\",\"%s\":", kind,
		kind, what, kind);
}

/*
 * group NAME neighbour ID EVENT ADDR port P direction D [identity I]
 * [reason R [errno E]]: the reason for the events that end a connection.
 */
static void neighbour_event(FILE *f, const struct pg_event *ev, bool json)
{
	const struct pg_neighbour *n = &ev->neighbour;
	const char *what = known(pg_neighbour_event_name(ev->neighbour_event));
	char addr[PG_ADDR_STR_LEN];

	if (json) {
		json_event_head(f, ev, "neighbour", what);
		neighbour_json(f, n);
		fputs("}\n", f);
		return;
	}
	pg_addr_format(&n->addr, addr);
	fprintf(f, "group %s neighbour %" PRIu64 " %s %s port %u direction %s",
		ev->group, n->id, what, addr, n->port,
		known(pg_direction_name(n->direction)));
	if (*n->identity)
		fprintf(f, " identity %s", n->identity);
	if (ev->neighbour_event == PEERGROUP_NEIGHBOUR_EVENT_DISCONNECTED ||
	    ev->neighbour_event == PEERGROUP_NEIGHBOUR_EVENT_FAILED) {
		fprintf(f, " reason %s", known(pg_reason_name(n->reason)));
		text_errno(f, n->error);
	}
	fputc('\n', f);
}

static void member_json(FILE *f, const struct pg_member *m)
{
	fputs("{\"identity\":", f);
	json_string(f, m->identity);
	fputs(",\"issuer\":", f);
	json_string(f, m->issuer);
	fprintf(f, ",\"role\":\"%s\"", NAME_OF(role_names, m->role));
	json_time(f, "not_before", m->not_before_ns);
	json_time(f, "not_after", m->not_after_ns);
	fputs(",\"fingerprint\":\"", f);
	hex(f, m->fingerprint, sizeof(m->fingerprint));
	fprintf(f, "\",\"revoked\":%s,\"own\":%s}",
		m->revoked ? "true" : "false", m->own ? "true" : "false");
}

static void member_text(FILE *f, const struct pg_member *m)
{
	fprintf(f, "member %s\n\trole %s\n\tissuer %s\n", m->identity,
		NAME_OF(role_names, m->role), m->issuer);
	text_time(f, "not-before", m->not_before_ns);
	text_time(f, "not-after", m->not_after_ns);
	fputs("\tfingerprint ", f);
	hex(f, m->fingerprint, sizeof(m->fingerprint));
	fprintf(f, "\n\trevoked %s\n\town %s\n", m->revoked ? "yes" : "no",
		m->own ? "yes" : "no");
}

static void member_item(FILE *f, const void *v, size_t i, bool json)
{
	const struct pg_member *m = v;

	(json ? member_json : member_text)(f, &m[i]);
}

void print_members(FILE *f, const struct pg_member *v, size_t n, bool json)
{
	print_list(f, v, n, json, member_item);
}

/* group NAME member EVENT IDENTITY role R issuer I fingerprint HEX */
static void member_event(FILE *f, const struct pg_event *ev, bool json)
{
	const struct pg_member *m = &ev->member;
	const char *what = known(pg_member_event_name(ev->member_event));

	if (json) {
		json_event_head(f, ev, "member", what);
		member_json(f, m);
		fputs("}\n", f);
		return;
	}
	fprintf(f, "group %s member %s %s role %s issuer %s fingerprint ",
		ev->group, what, m->identity, NAME_OF(role_names, m->role),
		m->issuer);
	hex(f, m->fingerprint, sizeof(m->fingerprint));
	fputc('\n', f);
}

void print_event(FILE *f, const struct pg_event *ev, bool json)
{
	char id[PG_GUID_STR_LEN], type[PG_GUID_STR_LEN];

	if (ev->kind == PG_EVENT_RECORD) {
		pg_guid_format(ev->id, id);
		pg_guid_format(ev->type, type);
		if (json) {
			fputs("{\"group\":", f);
			json_string(f, ev->group);
			fprintf(f, ",\"event\":\"record\",\"change\":\"%s\",\"id\":\"%s\",\"type\":\"%s\",\"version\":%" PRIu32 ",\"origin\":\"%s\"",
				change_name(ev->change), id, type, ev->version,
				NAME_OF(origin_names, ev->origin));
			if (ev->origin == PEERGROUP_ORIGIN_PEER)
				fprintf(f, ",\"neighbour_id\":%" PRIu64, ev->neighbour_id);
			fputs("}\n", f);
		} else {
			fprintf(f, "group %s record %s %s type %s version %" PRIu32 " origin %s",
				ev->group, change_name(ev->change), id, type,
				ev->version, NAME_OF(origin_names, ev->origin));
			if (ev->origin == PEERGROUP_ORIGIN_PEER)
				fprintf(f, " %" PRIu64, ev->neighbour_id);
			fputc('\n', f);
		}
		return;
	}
	if (ev->kind == PG_EVENT_NEIGHBOUR) {
		neighbour_event(f, ev, json);
		return;
	}
	if (ev->kind == PG_EVENT_MEMBER) {
		member_event(f, ev, json);
		return;
	}
	if (json) {
		fputs("{\"group\":", f);
		json_string(f, ev->group);
		fprintf(f, ",\"event\":\"%s\",\"status\":",
			NAME_OF(group_event_names, ev->group_event));
		print_bits(f, status_bits, ev->status, true);
		fputs("}\n", f);
	} else {
		fprintf(f, "group %s %s status ", ev->group,
			NAME_OF(group_event_names, ev->group_event));
		print_bits(f, status_bits, ev->status, false);
		fputc('\n', f);
	}
}
