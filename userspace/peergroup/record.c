// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup record add|update|del|get|list|search: the record object.
 *
 * JSON (-j): add, update and del print {"id","version"} (del: the
 * tombstone's); get one record object; list and search an array of them
 * (possibly []).
 *
 * What the command line gives is read and checked before the kernel is
 * asked: files no further than their bound, and an attribute or data no
 * record can hold (PEERGROUP_RECORD_SIZE_MAX) refused with EMSGSIZE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "output.h"
#include "peergroup.h"

#define RECORD_BOUND "the most a record holds"
/*
 * The most an XML argument (attrs-xml, a search query) may be: what it
 * describes must fit a netlink attribute (64 KiB), and 1 MiB leaves room
 * for its markup, entities and comments.
 */
#define XML_MAX (1024 * 1024)
#define XML_BOUND "the most an XML argument may be"
/* A load file: its records must fit one group's table. */
#define LOAD_MAX ((size_t)PEERGROUP_MAX_BYTES_LIMIT)
#define LOAD_BOUND "the most a group's records may take"

void record_usage(FILE *f)
{
	fprintf(f,
		"Usage: peergroup [-j] record add GROUP type UUID expires WHEN [CONTENT]... [autorefresh]\n"
		"       peergroup [-j] record load GROUP { FILE | - }\n"
		"       peergroup [-j] record update GROUP ID [expires WHEN] [CONTENT]...\n"
		"       peergroup [-j] record { del | delete } GROUP ID\n"
		"       peergroup [-j] record { get | show } GROUP ID\n"
		"       peergroup [-j] record { list | ls } GROUP [type UUID] [creator ID] [tombstones]\n"
		"       peergroup [-j] record search GROUP { QUERY-FILE | - | '<peersearch>...' }\n"
		"       peergroup record help\n"
		"\n"
		"CONTENT := attr NAME=VALUE[:string|:int|:date]   (repeatable)\n"
		"         | attrs-xml { FILE | - }     <attributes><attribute name= type=>...\n"
		"         | data STRING | data-file { FILE | - }\n"
		"WHEN    := +N{s|m|h|d}                 from the group's current peer time\n"
		"         | YYYY-MM-DD[Thh:mm[:ss[.f]]{Z|+hh:mm}]   a peer time, ISO-8601\n"
		"\n"
		"  add     add a record of type UUID, print its id and version\n"
		"  load    add many records, one a line of FILE (- for stdin), each line\n"
		"          the arguments of an add after GROUP (type UUID expires WHEN\n"
		"          ...); blank lines and lines starting with # are skipped.\n"
		"          Words split as in a shell, simple cases only: blanks between\n"
		"          words, '...' taken as it is, \"...\" too but for \\\" and \\\\,\n"
		"          \\ outside quotes taking the next character, # starting a\n"
		"          comment; $, ` and unquoted ; & | < > ( ) are refused. Every\n"
		"          line is checked and every record made before any is sent; then\n"
		"          they are sent many at a time (a window of 64). Prints \"N records\n"
		"          added\" ({\"records\":N} with -j). On a refusal it stops and names\n"
		"          the line; lines after it already sent may have been added, and\n"
		"          the count of records added says how many were\n"
		"  update  fetch record ID, change what is given, store it back: type and\n"
		"          flags are kept; expires is kept unless given (it may only grow);\n"
		"          attributes are replaced by the attr and attrs-xml given, and kept\n"
		"          when none is; data is replaced when given (data '' empties it),\n"
		"          kept otherwise\n"
		"  del     delete record ID, print its id and the tombstone's version\n"
		"          (it stays as a tombstone until it expires)\n"
		"  get     print record ID\n"
		"  list    print the group's records, of one type or creator; tombstones\n"
		"          includes deleted ones\n"
		"  search  print the records a Windows XML query (<peersearch>) selects\n"
		"\n"
		"A VALUE without a suffix is a string; a string that itself ends in :int,\n"
		":date or :string takes an explicit :string. attr and attrs-xml add up.\n"
		"A record holds at most %d bytes: its data, and 7 + name + value for\n"
		"each attribute (an int or a date is 8); an attr, data or data-file\n"
		"larger than that is refused before anything is sent (EMSGSIZE).\n"
		"Times print as ISO-8601 UTC; data prints quoted when printable, else in hex.\n",
		PEERGROUP_RECORD_SIZE_MAX);
}

/* What add and update read from the command line. */
struct content {
	const char *type;
	const char *expires;
	const char *attrs_xml;
	const char *data;
	const char *data_file;
	bool autorefresh;
	struct pg_attribute *attrs;	/* from attr NAME=VALUE */
	char **copies;			/* their strings */
	size_t nattrs;
	char *xml;			/* attrs-xml's file, read */
	char *file_data;		/* data-file's bytes, read */
	size_t file_len;
};

static void content_free(struct content *c)
{
	size_t i;

	for (i = 0; i < c->nattrs; i++)
		free(c->copies[i]);
	free(c->copies);
	free(c->attrs);
	free(c->xml);
	free(c->file_data);
}

static int add_attr(const char *where, struct content *c, const char *spec)
{
	struct pg_attribute *attrs;
	const char *why;
	char **copies;

	attrs = reallocarray(c->attrs, c->nattrs + 1, sizeof(*attrs));
	if (attrs)
		c->attrs = attrs;
	copies = reallocarray(c->copies, c->nattrs + 1, sizeof(*copies));
	if (copies)
		c->copies = copies;
	if (!attrs || !copies)
		return usage_error(where, "out of memory");
	if (parse_attr(spec, &c->attrs[c->nattrs], &c->copies[c->nattrs], &why))
		return usage_error(where, "bad attr \"%s\": %s", spec, why);
	c->nattrs++;
	return EXIT_OK;
}

/* "keyword VALUE" into *slot, once. */
static int once(const char *where, const char *what, int argc, char **argv,
		int *i, const char **slot)
{
	const char *keyword = argv[*i];

	if (*slot)
		return usage_error(where, "%s given twice", keyword);
	*slot = keyword_value(where, what, argc, argv, i);
	return *slot ? EXIT_OK : EXIT_USAGE;
}

/* WHEN checked for its syntax only (the clock comes later). */
static int check_when(const char *where, const char *when)
{
	const char *why;
	uint64_t ns;

	if (when && parse_when(when, 0, &ns, &why))
		return usage_error(where, "bad WHEN \"%s\": %s", when, why);
	return EXIT_OK;
}

/*
 * What attribute a takes of a record's size (uapi: 7 + name + value, an int
 * or a date 8 bytes): more than a record holds is refused, naming a as an
 * attr, or as an attribute of xml_file.
 */
static int check_attr_size(const char *where, const char *xml_file,
			   const struct pg_attribute *a)
{
	size_t name = a->name ? strlen(a->name) : 0;
	size_t size = 7 + name + (a->kind != PG_ATTR_STRING ? 8 :
				  a->str ? strlen(a->str) : 0);

	if (size <= PEERGROUP_RECORD_SIZE_MAX)
		return EXIT_OK;
	return usage_error(where, "%s%s%s \"%.*s%s\": %zu bytes (7 + name + value), more than %d, "
			   RECORD_BOUND " (EMSGSIZE)",
			   xml_file ? "attrs-xml " : "", xml_file ? xml_file : "",
			   xml_file ? ": attribute" : "attr",
			   PEERGROUP_ATTR_NAME_MAX, a->name ? a->name : "",
			   name > PEERGROUP_ATTR_NAME_MAX ? "..." : "", size,
			   PEERGROUP_RECORD_SIZE_MAX);
}

/*
 * After the arguments: the files they name read, and what no record can
 * hold refused, all before the kernel is asked.
 */
static int read_content(const char *where, struct content *c)
{
	size_t i, len;
	int ret = EXIT_OK;

	for (i = 0; i < c->nattrs && !ret; i++)
		ret = check_attr_size(where, NULL, &c->attrs[i]);
	if (!ret && c->data && strlen(c->data) > PEERGROUP_RECORD_SIZE_MAX)
		ret = usage_error(where, "data: %zu bytes, more than %d, "
				  RECORD_BOUND " (EMSGSIZE)", strlen(c->data),
				  PEERGROUP_RECORD_SIZE_MAX);
	if (!ret && c->data_file)
		ret = tool_read(where, "data-file", c->data_file,
				PEERGROUP_RECORD_SIZE_MAX, RECORD_BOUND,
				&c->file_data, &c->file_len);
	if (!ret && c->attrs_xml)
		ret = tool_read(where, "attrs-xml", c->attrs_xml, XML_MAX,
				XML_BOUND, &c->xml, &len);
	return ret;
}

/*
 * The arguments after GROUP (add) or GROUP ID (update), from argv[first],
 * then read_content(). is_add allows type and autorefresh.
 */
static int parse_content(const char *where, int argc, char **argv, int first,
			 bool is_add, struct content *c)
{
	const char *expected = is_add ?
		"type, expires, attr, attrs-xml, data, data-file, autorefresh" :
		"expires, attr, attrs-xml, data, data-file";
	const char *spec;
	uint8_t guid[PG_GUID_LEN];
	int i, ret = EXIT_OK;

	for (i = first; i < argc && !ret; i++) {
		const char *w = argv[i];

		if (is_add && !strcmp(w, "type"))
			ret = once(where, "UUID", argc, argv, &i, &c->type);
		else if (!strcmp(w, "expires"))
			ret = once(where, "WHEN", argc, argv, &i, &c->expires);
		else if (!strcmp(w, "attrs-xml"))
			ret = once(where, "FILE", argc, argv, &i, &c->attrs_xml);
		else if (!strcmp(w, "data") || !strcmp(w, "data-file")) {
			if (c->data || c->data_file)
				return usage_error(where, "data given twice (data and data-file exclude each other)");
			ret = once(where, w[4] ? "FILE" : "STRING", argc, argv,
				   &i, w[4] ? &c->data_file : &c->data);
		} else if (!strcmp(w, "attr")) {
			spec = keyword_value(where, "NAME=VALUE", argc, argv, &i);
			ret = spec ? add_attr(where, c, spec) : EXIT_USAGE;
		} else if (is_add && !strcmp(w, "autorefresh")) {
			c->autorefresh = true;
		} else {
			return usage_error(where, "unknown argument \"%s\" (expected: %s)",
					   w, expected);
		}
	}
	if (ret)
		return ret;
	if (is_add && !c->type)
		return usage_error(where, "missing type (expected: type UUID)");
	if (c->type && pg_guid_parse(c->type, guid))
		return usage_error(where, "bad UUID \"%s\" after \"type\" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				   c->type);
	if (is_add && !c->expires)
		return usage_error(where, "missing expires (expected: expires WHEN)");
	ret = check_when(where, c->expires);
	return ret ? ret : read_content(where, c);
}

/* WHEN as peer time; *now is the group's clock, read on first need. */
static int when_ns(struct tool *t, const char *where, const char *group,
		   const char *when, uint64_t *now, uint64_t *out)
{
	const char *why;
	int err;

	if (when_is_relative(when) && !*now) {
		err = pg_time_convert(t->h, group, PG_TIME_NOW, 0, NULL, now);
		if (err)
			return tool_failed(t, err, "%s: the group's peer time", where);
	}
	if (parse_when(when, *now, out, &why))
		return usage_error(where, "bad WHEN \"%s\": %s", when, why);
	return EXIT_OK;
}

/*
 * The attributes the command line gives (attr, then attrs-xml) into one
 * array *out of *n (free() *out, and *xml_attrs); *given says whether any
 * was given at all.
 */
static int gather_attrs(struct tool *t, const char *where,
			const struct content *c, struct pg_attribute **out,
			size_t *n, struct pg_attribute **xml_attrs, bool *given)
{
	size_t nxml = 0, i;
	int ret;

	*out = NULL;
	*n = 0;
	*xml_attrs = NULL;
	*given = c->nattrs || c->attrs_xml;
	if (c->attrs_xml) {
		ret = pg_attrs_from_xml(t->h, c->xml, xml_attrs, &nxml);
		if (ret)
			return tool_failed(t, ret, "%s: attrs-xml %s", where,
					   c->attrs_xml);
		for (i = 0; i < nxml; i++) {
			ret = check_attr_size(where, c->attrs_xml,
					      &(*xml_attrs)[i]);
			if (ret)
				return ret;
		}
	}
	*out = calloc(c->nattrs + nxml + 1, sizeof(**out));
	if (!*out)
		return usage_error(where, "out of memory");
	memcpy(*out, c->attrs, c->nattrs * sizeof(**out));
	if (nxml)
		memcpy(*out + c->nattrs, *xml_attrs, nxml * sizeof(**out));
	*n = c->nattrs + nxml;
	return EXIT_OK;
}

static void print_id_version(struct tool *t, const uint8_t *id,
			     uint32_t version)
{
	char s[PG_GUID_STR_LEN];

	pg_guid_format(id, s);
	if (t->json)
		printf("{\"id\":\"%s\",\"version\":%u}\n", s, version);
	else
		printf("record %s version %u\n", s, version);
}

/* What fill() hangs on a record: free it after the record is sent. */
struct filling {
	struct pg_attribute *attrs;
	struct pg_attribute *xml_attrs;
};

static void filling_free(struct filling *f)
{
	free(f->attrs);
	free(f->xml_attrs);
}

/*
 * Fills rec's attributes, data and expiration from c (what add, update
 * and load share; rec points into c and f); *now as for when_ns().
 */
static int fill(struct tool *t, const char *where, const char *group,
		const struct content *c, uint64_t *now, struct pg_record *rec,
		struct filling *f)
{
	size_t nattrs = 0;
	bool attrs_given;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = gather_attrs(t, where, c, &f->attrs, &nattrs, &f->xml_attrs,
			   &attrs_given);
	if (!ret && c->expires)
		ret = when_ns(t, where, group, c->expires, now, &rec->expires);
	if (ret)
		return ret;
	if (attrs_given) {
		rec->present |= PG_REC_ATTRS;
		rec->attrs = f->attrs;
		rec->nattrs = nattrs;
	}
	if (c->data_file) {
		rec->present |= PG_REC_DATA;
		rec->data = (const uint8_t *)c->file_data;
		rec->data_len = c->file_len;
	} else if (c->data) {
		rec->present |= PG_REC_DATA;
		rec->data = (const uint8_t *)c->data;
		rec->data_len = strlen(c->data);
	}
	return EXIT_OK;
}

/* Fills rec from c and stores it; on success prints the id and version. */
static int store(struct tool *t, const char *where, const char *group,
		 const struct content *c, struct pg_record *rec, bool is_add)
{
	struct filling f;
	uint32_t version = 0;
	uint64_t now = 0;
	int ret;

	ret = fill(t, where, group, c, &now, rec, &f);
	if (ret)
		goto out;
	ret = is_add ? pg_record_add(t->h, group, rec, rec->id, &version) :
		       pg_record_update(t->h, group, rec, &version);
	if (ret)
		ret = tool_failed(t, ret, "%s", where);
	else
		print_id_version(t, rec->id, version);
out:
	filling_free(&f);
	return ret;
}

/* The record "record add" makes of c: type, flags, then fill(). */
static void add_record_of(const struct content *c, struct pg_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->present = PG_REC_TYPE | PG_REC_EXPIRES;
	pg_guid_parse(c->type, rec->type);
	if (c->autorefresh) {
		rec->present |= PG_REC_FLAGS;
		rec->flags = PEERGROUP_RECORD_F_AUTOREFRESH;
	}
}

static int record_add(struct tool *t, int argc, char **argv)
{
	const char *where = "record add";
	struct content c = { .type = NULL };
	struct pg_record rec;
	int ret;

	if (!argc)
		return usage_error(where, "missing group name");
	ret = parse_content(where, argc, argv, 1, true, &c);
	if (!ret)
		ret = tool_open(t);
	if (!ret) {
		add_record_of(&c, &rec);
		ret = store(t, where, argv[0], &c, &rec, true);
	}
	content_free(&c);
	return ret;
}

/* "GROUP ID" at the start of argv: the id parsed. */
static int group_and_id(const char *where, int argc, char **argv,
			uint8_t id[PG_GUID_LEN])
{
	if (!argc)
		return usage_error(where, "missing group name");
	if (argc < 2)
		return usage_error(where, "missing record ID");
	if (pg_guid_parse(argv[1], id))
		return usage_error(where, "bad record ID \"%s\" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				   argv[1]);
	return EXIT_OK;
}

static int record_update(struct tool *t, int argc, char **argv)
{
	const char *where = "record update";
	struct content c = { .type = NULL };
	struct pg_record *old = NULL, rec;
	uint8_t id[PG_GUID_LEN];
	int ret;

	ret = group_and_id(where, argc, argv, id);
	if (!ret)
		ret = parse_content(where, argc, argv, 2, false, &c);
	if (!ret)
		ret = tool_open(t);
	if (!ret && (ret = pg_record_get(t->h, argv[0], id, &old)))
		ret = tool_failed(t, ret, "%s", where);
	if (!ret) {
		/* What the record holds, then what the command line changes. */
		memset(&rec, 0, sizeof(rec));
		rec.present = PG_REC_ID | PG_REC_TYPE | PG_REC_FLAGS |
			      PG_REC_EXPIRES | PG_REC_ATTRS |
			      (old->present & PG_REC_DATA);
		memcpy(rec.id, old->id, PG_GUID_LEN);
		memcpy(rec.type, old->type, PG_GUID_LEN);
		rec.flags = old->flags;
		rec.expires = old->expires;
		rec.attrs = old->attrs;
		rec.nattrs = old->nattrs;
		rec.data = old->data;
		rec.data_len = old->data_len;
		ret = store(t, where, argv[0], &c, &rec, false);
	}
	pg_record_free(old);
	content_free(&c);
	return ret;
}

static int record_del(struct tool *t, int argc, char **argv)
{
	const char *where = "record del";
	uint8_t id[PG_GUID_LEN];
	uint32_t version = 0;
	int ret;

	ret = group_and_id(where, argc, argv, id);
	if (!ret && argc > 2)
		ret = usage_error(where, "unknown argument \"%s\" (expected nothing after the record ID)",
				  argv[2]);
	if (!ret)
		ret = tool_open(t);
	if (ret)
		return ret;
	ret = pg_record_delete(t->h, argv[0], id, &version);
	if (ret)
		return tool_failed(t, ret, "%s", where);
	print_id_version(t, id, version);
	return EXIT_OK;
}

static int record_get(struct tool *t, int argc, char **argv)
{
	const char *where = "record get";
	uint8_t id[PG_GUID_LEN];
	struct pg_record *rec;
	int ret;

	ret = group_and_id(where, argc, argv, id);
	if (!ret && argc > 2)
		ret = usage_error(where, "unknown argument \"%s\" (expected nothing after the record ID)",
				  argv[2]);
	if (!ret)
		ret = tool_open(t);
	if (ret)
		return ret;
	ret = pg_record_get(t->h, argv[0], id, &rec);
	if (ret)
		return tool_failed(t, ret, "%s", where);
	print_record(stdout, rec, t->json);
	pg_record_free(rec);
	return EXIT_OK;
}

static int print_enum(struct tool *t, struct pg_enum *e)
{
	const struct pg_record **v;
	size_t n = pg_enum_count(e), i;

	v = calloc(n + 1, sizeof(*v));
	if (!v) {
		pg_enum_close(e);
		return usage_error(NULL, "out of memory");
	}
	for (i = 0; i < n; i++)
		v[i] = pg_enum_next(e);
	print_records(stdout, v, n, t->json);
	free(v);
	pg_enum_close(e);
	return EXIT_OK;
}

static int record_list(struct tool *t, int argc, char **argv)
{
	const char *where = "record list", *type = NULL;
	struct pg_enum_filter f = { .type = NULL };
	uint8_t guid[PG_GUID_LEN];
	struct pg_enum *e;
	int i, ret = EXIT_OK;

	if (!argc)
		return usage_error(where, "missing group name");
	for (i = 1; i < argc && !ret; i++) {
		if (!strcmp(argv[i], "type"))
			ret = once(where, "UUID", argc, argv, &i, &type);
		else if (!strcmp(argv[i], "creator"))
			ret = once(where, "ID", argc, argv, &i, &f.creator);
		else if (!strcmp(argv[i], "tombstones"))
			f.flags |= PG_ENUM_TOMBSTONES;
		else
			return usage_error(where, "unknown argument \"%s\" (expected: type, creator, tombstones)",
					   argv[i]);
	}
	if (!ret && type && pg_guid_parse(type, guid))
		ret = usage_error(where, "bad UUID \"%s\" after \"type\" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				  type);
	if (!ret)
		ret = tool_open(t);
	if (ret)
		return ret;
	f.type = type ? guid : NULL;
	ret = pg_record_enum(t->h, argv[0], &f, &e);
	if (ret)
		return tool_failed(t, ret, "%s", where);
	return print_enum(t, e);
}

static int record_search(struct tool *t, int argc, char **argv)
{
	const char *where = "record search";
	struct pg_enum *e;
	char *query = NULL;
	size_t len;
	int ret;

	if (!argc)
		return usage_error(where, "missing group name");
	if (argc < 2)
		return usage_error(where, "missing query (a file, - or '<peersearch>...')");
	if (argc > 2)
		return usage_error(where, "unknown argument \"%s\" (expected nothing after the query)",
				   argv[2]);
	if (argv[1][0] != '<') {
		ret = tool_read(where, "query", argv[1], XML_MAX, XML_BOUND,
				&query, &len);
		if (ret)
			return ret;
	}
	ret = tool_open(t);
	if (!ret && (ret = pg_record_search(t->h, argv[0],
					    query ? query : argv[1], 0, &e)))
		ret = tool_failed(t, ret, "%s", where);
	free(query);
	if (ret)
		return ret;
	return print_enum(t, e);
}

/* One record of a "record load" file. */
struct load_line {
	unsigned int line;		/* its number in the file, from 1 */
	char **argv;			/* its words, in the file's buffer */
	struct content c;
	struct pg_record rec;
	struct filling f;
};

struct load {
	char *text;			/* the file */
	struct load_line *v;
	size_t n;
};

static void load_free(struct load *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		content_free(&l->v[i].c);
		filling_free(&l->v[i].f);
		free(l->v[i].argv);
	}
	free(l->v);
	free(l->text);
}

/* "record load: line N", for messages. */
static const char *at_line(char *buf, size_t size, unsigned int line)
{
	snprintf(buf, size, "record load: line %u", line);
	return buf;
}

/* Splits the file into lines and each line into the words of a record add. */
static int load_parse(struct load *l, size_t len)
{
	char *p = l->text, *eol, where[64];
	unsigned int line = 0;
	struct load_line *ll;
	const char *why;
	int argc, ret;

	if (strlen(l->text) != len) {
		for (; *p; p++)
			line += *p == '\n';
		return usage_error("record load", "line %u: a NUL byte (the file is not text)",
				   line + 1);
	}
	l->v = calloc(len / 2 + 1, sizeof(*l->v));
	if (!l->v)
		return usage_error("record load", "out of memory");
	for (; *p; p = eol ? eol + 1 : p + strlen(p)) {
		eol = strchr(p, '\n');
		if (eol)
			*eol = '\0';
		ll = &l->v[l->n];
		ll->line = ++line;
		ll->argv = calloc(strlen(p) / 2 + 1, sizeof(*ll->argv));
		if (!ll->argv)
			return usage_error("record load", "out of memory");
		at_line(where, sizeof(where), line);
		if (split_words(p, ll->argv, &argc, &why))
			return usage_error(where, "%s", why);
		if (!argc) {
			free(ll->argv);
			ll->argv = NULL;
			continue;
		}
		l->n++;
		ret = parse_content(where, argc, ll->argv, 0, true, &ll->c);
		if (ret)
			return ret;
	}
	return EXIT_OK;
}

static int record_load(struct tool *t, int argc, char **argv)
{
	size_t i, len, added = 0, failed = PG_BATCH_NO_FAILURE;
	const char *where = "record load", *group;
	struct load l = { .text = NULL };
	struct pg_batch *b = NULL;
	uint64_t now = 0;
	char at[64];
	int ret;

	ret = group_and_file(where, argc, argv, record_usage);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	group = argv[0];
	ret = tool_read(where, "file", argv[1], LOAD_MAX, LOAD_BOUND, &l.text,
			&len);
	if (!ret)
		ret = load_parse(&l, len);
	if (!ret)
		ret = tool_open(t);
	/* Every record is made before the first is sent. */
	for (i = 0; !ret && i < l.n; i++) {
		add_record_of(&l.v[i].c, &l.v[i].rec);
		ret = fill(t, at_line(at, sizeof(at), l.v[i].line), group,
			   &l.v[i].c, &now, &l.v[i].rec, &l.v[i].f);
	}
	if (ret)
		goto out;
	ret = pg_batch_open(t->h, group, 0, NULL, NULL, &b);
	for (i = 0; !ret && i < l.n; i++)
		ret = pg_batch_add(b, &l.v[i].rec);
	if (b) {
		ret = pg_batch_flush(b);
		added = pg_batch_succeeded(b);
		failed = pg_batch_failed_index(b);
		pg_batch_close(b);
	}
	if (!ret) {
		print_count(t, "added", added, true);
	} else if (failed == PG_BATCH_NO_FAILURE) {
		ret = tool_failed(t, ret, "%s %s", where, group);
	} else {
		ret = tool_failed(t, ret, "%s %s: line %u", where, group,
				  l.v[failed].line);
		fprintf(stderr, "peergroup: %s %s: %zu records added (lines after line %u already sent may be among them)\n",
			where, group, added, l.v[failed].line);
	}
out:
	load_free(&l);
	return ret;
}

static const struct command record_commands[] = {
	{ "add", record_add, false },
	{ "load", record_load, false },
	{ "update", record_update, false },
	{ "del", record_del, false },
	{ "delete", record_del, true },
	{ "get", record_get, false },
	{ "show", record_get, true },
	{ "list", record_list, false },
	{ "ls", record_list, true },
	{ "search", record_search, false },
	{ "help", NULL, false },
	{ NULL, NULL, false },
};

int record_run(struct tool *t, int argc, char **argv)
{
	if (!argc)
		return usage_error("record", "missing command (expected: add, load, update, del, get, list, search, help)");
	/* Every record command names its group first. */
	t->group = argc > 1 ? argv[1] : NULL;
	return dispatch(t, record_commands, "record", "command", record_usage,
			argc, argv);
}
