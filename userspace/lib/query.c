// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * PeerGroupSearchRecords' XML query into PEERGROUP_A_QUERY:
 *
 *   <peersearch>             exactly one node:
 *     <and> <or>             one or more nodes
 *     <clause attrib="NAME" type="string|int|date" [compare="..."]>value
 *
 * compare is equal (the default, then left out), notequal, less, greater,
 * lessorequal or greaterorequal. A string value goes as written: its
 * wildcards and escapes are the kernel's to judge, like the attribute
 * names and the kinds. What is checked here is the structure, ints and
 * dates being numbers and dates, and every value and nest fitting a
 * netlink attribute (EMSGSIZE). The kernel bounds the depth and the node
 * count; our own recursion stops at QUERY_DEPTH_GUARD.
 *
 * The same walk first sizes the message (msg NULL), then fills it, so the
 * request is allocated once and no half-built query is ever sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include "internal.h"

#define QUERY_DEPTH_GUARD 64
#define WHAT "search query"
#define NAME(node) ((const char *)(node)->name)

struct builder {
	struct pg_handle *h;
	struct nl_msg *msg;	/* NULL: sizing only */
	size_t size;
};

/* Data of the query: messages name it as "WHERE: WHAT". */
static int put(struct builder *b, int type, const void *data, size_t len,
	       const char *where, const char *what)
{
	b->size += nla_total_size(len);
	if (!b->msg)
		return pg_check_size(b->h, len, "%s: %s", where, what);
	return pg_put(b->h, b->msg, type, data, len, "%s: %s", where, what);
}

static int nest_start(struct builder *b, int type, struct nlattr **nest)
{
	b->size += nla_total_size(0);
	*nest = NULL;
	if (b->msg && !(*nest = nla_nest_start(b->msg, type)))
		return pg_fail(b->h, -ENOMEM, WHAT ": out of memory");
	return 0;
}

static int nest_end(struct builder *b, struct nlattr *nest, const char *where)
{
	return b->msg ? pg_nest_end(b->h, b->msg, nest, "%s", where) : 0;
}

static const char *const compares[] = {
	[PEERGROUP_COMPARE_EQUAL] = "equal",
	[PEERGROUP_COMPARE_NOTEQUAL] = "notequal",
	[PEERGROUP_COMPARE_LESS] = "less",
	[PEERGROUP_COMPARE_GREATER] = "greater",
	[PEERGROUP_COMPARE_LESSOREQUAL] = "lessorequal",
	[PEERGROUP_COMPARE_GREATEROREQUAL] = "greaterorequal",
};

static int compare_of(const char *s)
{
	int i;

	for (i = PEERGROUP_COMPARE_EQUAL; i <= PEERGROUP_COMPARE_MAX; i++)
		if (!strcmp(s, compares[i]))
			return i;
	return 0;
}

/* Only attrib, type and compare may appear on a clause. */
static int check_props(struct builder *b, xmlNodePtr node, const char *where)
{
	xmlAttrPtr p;

	for (p = node->properties; p; p = p->next)
		if (strcmp(NAME(p), "attrib") && strcmp(NAME(p), "type") &&
		    strcmp(NAME(p), "compare"))
			return pg_fail(b->h, -EINVAL,
				       "%s: unknown attribute \"%s\" (expected attrib, type, compare)",
				       where, NAME(p));
	return 0;
}

static int put_value(struct builder *b, enum pg_attr_kind kind,
		     const char *text, const char *where)
{
	uint64_t date;
	int64_t i;
	int err;

	if (kind == PG_ATTR_STRING)
		return put(b, PEERGROUP_CLAUSE_A_STR, text, strlen(text) + 1,
			   where, "its value");
	err = pg_xml_value(b->h, kind, text, &i, &date, where);
	if (err)
		return err;
	if (kind == PG_ATTR_INT)
		return put(b, PEERGROUP_CLAUSE_A_INT, &i, sizeof(i), where,
			   "its value");
	return put(b, PEERGROUP_CLAUSE_A_DATE, &date, sizeof(date), where,
		   "its value");
}

static int clause(struct builder *b, xmlNodePtr node, const char *where)
{
	char *attrib = pg_xml_prop(node, "attrib");
	char *type = pg_xml_prop(node, "type");
	char *compare = pg_xml_prop(node, "compare");
	char *text = NULL;
	enum pg_attr_kind kind = pg_xml_kind(type);
	struct nlattr *nest;
	uint8_t cmp = 0;
	int err;

	err = check_props(b, node, where);
	if (err)
		goto out;
	if (!attrib) {
		err = pg_fail(b->h, -EINVAL, "%s: missing attrib", where);
		goto out;
	}
	if (!kind) {
		err = type ? pg_fail(b->h, -EINVAL,
				     "%s: unknown type \"%s\" (expected string, int or date)",
				     where, type) :
			     pg_fail(b->h, -EINVAL, "%s: missing type", where);
		goto out;
	}
	if (compare && !(cmp = (uint8_t)compare_of(compare))) {
		err = pg_fail(b->h, -EINVAL,
			      "%s: unknown compare \"%s\" (expected equal, notequal, less, greater, lessorequal, greaterorequal)",
			      where, compare);
		goto out;
	}
	text = pg_xml_text(b->h, node, where);
	if (!text) {
		err = b->h->last.err;
		goto out;
	}
	err = nest_start(b, PEERGROUP_QUERY_A_CLAUSE, &nest);
	if (!err)
		err = put(b, PEERGROUP_CLAUSE_A_ATTR, attrib, strlen(attrib) + 1,
			  where, "attrib");
	if (!err && cmp)
		err = put(b, PEERGROUP_CLAUSE_A_COMPARE, &cmp, sizeof(cmp),
			  where, "compare");
	if (!err)
		err = put_value(b, kind, text, where);
	if (!err)
		err = nest_end(b, nest, where);
out:
	free(attrib);
	free(type);
	free(compare);
	free(text);
	return err;
}

static int node(struct builder *b, xmlNodePtr n, int depth);

/* <and> or <or>: a nest of one or more nodes. */
static int group(struct builder *b, xmlNodePtr n, int type, int depth,
		 const char *where)
{
	struct nlattr *nest;
	xmlNodePtr child;
	int err, count = 0;

	if (n->properties)
		return pg_fail(b->h, -EINVAL, "%s: unknown attribute \"%s\"",
			       where, NAME(n->properties));
	err = nest_start(b, type, &nest);
	if (err)
		return err;
	for (child = pg_xml_next_element(b->h, n->children, WHAT, &err);
	     child; child = pg_xml_next_element(b->h, child->next, WHAT, &err)) {
		err = node(b, child, depth + 1);
		if (err)
			return err;
		count++;
	}
	if (err)
		return err;
	if (!count)
		return pg_fail(b->h, -EINVAL, "%s: <%s> holds no clause", where,
			       NAME(n));
	return nest_end(b, nest, where);
}

static int node(struct builder *b, xmlNodePtr n, int depth)
{
	char where[64];

	snprintf(where, sizeof(where), WHAT ": line %ld: <%.16s>",
		 xmlGetLineNo(n), NAME(n));
	if (depth > QUERY_DEPTH_GUARD)
		return pg_fail(b->h, -EINVAL, "%s: nested deeper than %d levels",
			       where, QUERY_DEPTH_GUARD);
	if (!strcmp(NAME(n), "clause"))
		return clause(b, n, where);
	if (!strcmp(NAME(n), "and"))
		return group(b, n, PEERGROUP_QUERY_A_AND, depth, where);
	if (!strcmp(NAME(n), "or"))
		return group(b, n, PEERGROUP_QUERY_A_OR, depth, where);
	return pg_fail(b->h, -EINVAL, "%s: unknown element (expected clause, and, or)",
		       where);
}

/* The root: <peersearch> holding exactly one node. */
static int root(struct builder *b, xmlNodePtr r)
{
	xmlNodePtr first, second;
	struct nlattr *nest;
	int err = 0;

	if (!r || strcmp(NAME(r), "peersearch"))
		return pg_fail(b->h, -EINVAL,
			       WHAT ": the root element is <%s>, expected <peersearch>",
			       r ? NAME(r) : "");
	first = pg_xml_next_element(b->h, r->children, WHAT, &err);
	if (err)
		return err;
	if (!first)
		return pg_fail(b->h, -EINVAL, WHAT ": <peersearch> is empty");
	second = pg_xml_next_element(b->h, first->next, WHAT, &err);
	if (err)
		return err;
	if (second)
		return pg_fail(b->h, -EINVAL,
			       WHAT ": line %ld: <peersearch> holds more than one node (use <and> or <or>)",
			       xmlGetLineNo(second));
	err = nest_start(b, PEERGROUP_A_QUERY, &nest);
	if (!err)
		err = node(b, first, 1);
	if (!err)
		err = nest_end(b, nest, WHAT);
	return err;
}

int pg_query_put(struct pg_handle *h, struct nl_msg *msg, const char *xml,
		 size_t *size)
{
	struct builder b = { .h = h, .msg = msg };
	xmlDocPtr doc;
	int err;

	if (!xml)
		return pg_fail(h, -EINVAL, WHAT ": missing");
	doc = pg_xml_read(h, xml, WHAT);
	if (!doc)
		return h->last.err;
	err = root(&b, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	*size = b.size;
	return err;
}
