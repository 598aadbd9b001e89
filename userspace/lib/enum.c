// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Enumerations (HPEERENUM): PeerGroupEnumRecords and PeerGroupSearchRecords
 * as dumps of PEERGROUP_CMD_RECORD_GET and PEERGROUP_CMD_RECORD_SEARCH,
 * kept as a snapshot the caller walks with pg_enum_next(); or streamed to
 * a callback record by record (pg_record_stream()), kept nowhere.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include "internal.h"

struct pg_enum {
	struct pg_record **v;
	size_t n, cap;
	size_t next;
};

static void drop_records(void *arg)
{
	struct pg_enum *e = arg;

	while (e->n)
		pg_record_free(e->v[--e->n]);
}

static int parse_entry(struct nl_msg *msg, void *arg)
{
	struct pg_enum *e = arg;
	struct pg_record **v;
	size_t cap;
	int err;

	if (e->n == e->cap) {
		cap = e->cap ? 2 * e->cap : 64;
		v = reallocarray(e->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	err = pg_record_from_msg(msg, &e->v[e->n], NULL);
	if (!err)
		e->n++;
	return err;
}

/* Runs the dump msg into a new enumeration *out. */
static int run(struct pg_handle *h, struct nl_msg *msg, uint32_t flags,
	       struct pg_enum **out)
{
	struct pg_enum *e;
	int err;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e) {
		nlmsg_free(msg);
		return pg_fail(h, -ENOMEM, "cannot allocate an enumeration");
	}
	err = pg_dump(h, msg, parse_entry, drop_records, e,
		      !(flags & PG_ENUM_NO_RESTART), "record table");
	if (err) {
		pg_enum_close(e);
		return err;
	}
	*out = e;
	return 0;
}

static size_t group_size(const char *group)
{
	return group ? nla_total_size(strlen(group) + 1) : 0;
}

/*
 * The group name and the dump flags every record dump starts with: 0, or
 * the failure on h (msg is then freed).
 */
static int put_common(struct pg_handle *h, struct nl_msg *msg,
		      const char *group, uint32_t flags)
{
	int err;

	err = pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, group, "group name");
	if (!err && (flags & PG_ENUM_TOMBSTONES) &&
	    nla_put_u32(msg, PEERGROUP_A_DUMP_FLAGS, PEERGROUP_DUMP_F_TOMBSTONES))
		err = pg_fail_build(h, NULL);
	if (err)
		nlmsg_free(msg);
	return err;
}

/* The request of an enumeration: 0 and *out, or a negative errno. */
static int enum_request(struct pg_handle *h, const char *group,
			const struct pg_enum_filter *filter,
			struct nl_msg **out)
{
	static const struct pg_enum_filter none = { .type = NULL };
	const struct pg_enum_filter *f = filter ? filter : &none;
	struct nl_msg *msg;
	size_t size;
	int err;

	*out = NULL;
	size = group_size(group) + nla_total_size(PG_GUID_LEN) +
	       (f->creator ? nla_total_size(strlen(f->creator) + 1) : 0) +
	       nla_total_size(sizeof(uint32_t));
	msg = pg_msg_alloc(h, PEERGROUP_CMD_RECORD_GET, NLM_F_DUMP, size);
	if (!msg)
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	err = put_common(h, msg, group, f->flags);
	if (err)
		return err;
	if (f->type)
		err = pg_put(h, msg, PEERGROUP_A_RECORD_TYPE, f->type,
			     PG_GUID_LEN, "record type");
	if (!err)
		err = pg_put_str(h, msg, PEERGROUP_A_RECORD_CREATOR, f->creator,
				 "creator");
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	*out = msg;
	return 0;
}

/* The request of a search: 0 and *out, or a negative errno. */
static int search_request(struct pg_handle *h, const char *group,
			  const char *xml_query, uint32_t flags,
			  struct nl_msg **out)
{
	struct nl_msg *msg;
	size_t size;
	int err;

	*out = NULL;
	pg_clear(h);
	err = pg_query_put(h, NULL, xml_query, &size);
	if (err)
		return err;
	size += group_size(group) + nla_total_size(sizeof(uint32_t));
	msg = pg_msg_alloc(h, PEERGROUP_CMD_RECORD_SEARCH, NLM_F_DUMP, size);
	if (!msg)
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	err = put_common(h, msg, group, flags);
	if (err)
		return err;
	err = pg_query_put(h, msg, xml_query, &size);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	*out = msg;
	return 0;
}

int pg_record_enum(struct pg_handle *h, const char *group,
		   const struct pg_enum_filter *filter, struct pg_enum **out)
{
	struct nl_msg *msg;
	int err;

	*out = NULL;
	err = enum_request(h, group, filter, &msg);
	return err ? err : run(h, msg, filter ? filter->flags : 0, out);
}

int pg_record_search(struct pg_handle *h, const char *group,
		     const char *xml_query, uint32_t flags,
		     struct pg_enum **out)
{
	struct nl_msg *msg;
	int err;

	*out = NULL;
	err = search_request(h, group, xml_query, flags, &msg);
	return err ? err : run(h, msg, flags, out);
}

struct stream {
	pg_record_fn fn;
	void *arg;
};

/* Each record parsed, handed on, and freed: nothing is kept. */
static int stream_entry(struct nl_msg *msg, void *arg)
{
	struct stream *st = arg;
	struct pg_record *rec;
	int err;

	err = pg_record_from_msg(msg, &rec, NULL);
	if (err)
		return err;
	err = st->fn(st->arg, rec);
	pg_record_free(rec);
	return err;
}

int pg_record_stream(struct pg_handle *h, const char *group,
		     const struct pg_enum_filter *filter,
		     const char *xml_query, pg_record_fn fn, void *arg)
{
	struct stream st = { .fn = fn, .arg = arg };
	uint32_t flags = filter ? filter->flags : 0;
	struct nl_msg *msg;
	int err;

	if (xml_query && filter && (filter->type || filter->creator))
		return pg_fail(h, -EINVAL,
			       "a stream takes a type or creator filter, or a query, not both");
	err = xml_query ? search_request(h, group, xml_query, flags, &msg) :
			  enum_request(h, group, filter, &msg);
	if (err)
		return err;
	/* Records already handed on cannot be taken back: never restarted. */
	return pg_dump(h, msg, stream_entry, NULL, &st, false, "record table");
}

size_t pg_enum_count(const struct pg_enum *e)
{
	return e ? e->n : 0;
}

const struct pg_record *pg_enum_next(struct pg_enum *e)
{
	return e && e->next < e->n ? e->v[e->next++] : NULL;
}

void pg_enum_close(struct pg_enum *e)
{
	if (!e)
		return;
	drop_records(e);
	free(e->v);
	free(e);
}
