// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * The Windows XML forms, read with libxml2: what every XML input shares,
 * and the attribute form
 *
 *   <attributes>
 *     <attribute name="N" type="string|int|date">value</attribute> ...
 *   </attributes>
 *
 * both ways. Input is untrusted: no network, no DTD (so no entity can
 * expand), and libxml2 reports into our message, never on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "internal.h"

#define NAME(node) ((const char *)(node)->name)

xmlDocPtr pg_xml_read(struct pg_handle *h, const char *xml, const char *what)
{
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	xmlParserCtxtPtr ctxt;
	size_t len = strlen(xml);
	xmlDocPtr doc = NULL;
	const char *msg;

	if (len > INT32_MAX) {
		pg_fail(h, -EINVAL, "%s: the XML is too large", what);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		pg_fail(h, -ENOMEM, "%s: cannot allocate an XML parser", what);
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, options);
	if (!doc) {
		msg = ctxt->lastError.message ? ctxt->lastError.message :
						"not well-formed\n";
		pg_fail(h, -EINVAL, "%s: line %ld: malformed XML: %.*s", what,
			(long)ctxt->lastError.line, (int)strcspn(msg, "\n"), msg);
	} else if (doc->intSubset || doc->extSubset) {
		pg_fail(h, -EINVAL, "%s: document type declarations are not accepted",
			what);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* Whitespace-only text and comments may sit between elements. */
static bool ignorable(xmlNodePtr n)
{
	const xmlChar *p;

	if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
		return true;
	if (n->type != XML_TEXT_NODE)
		return false;
	for (p = n->content; p && *p; p++)
		if (!strchr(" \t\r\n", *p))
			return false;
	return true;
}

xmlNodePtr pg_xml_next_element(struct pg_handle *h, xmlNodePtr n,
			       const char *what, int *err)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if (!ignorable(n)) {
			*err = pg_fail(h, -EINVAL, "%s: line %ld: unexpected text",
				       what, xmlGetLineNo(n));
			return NULL;
		}
	}
	return NULL;
}

char *pg_xml_text(struct pg_handle *h, xmlNodePtr node, const char *what)
{
	size_t len = 0, add;
	char *s = NULL, *t;
	xmlNodePtr n;

	for (n = node->children; n; n = n->next) {
		if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
			continue;
		if (n->type != XML_TEXT_NODE) {
			free(s);
			pg_fail(h, -EINVAL, "%s: line %ld: <%s> may only hold text",
				what, xmlGetLineNo(node), NAME(node));
			return NULL;
		}
		add = strlen((const char *)n->content);
		t = realloc(s, len + add + 1);
		if (!t) {
			free(s);
			pg_fail(h, -ENOMEM, "%s: out of memory", what);
			return NULL;
		}
		s = t;
		memcpy(s + len, n->content, add);
		len += add;
	}
	if (!s)
		s = strdup("");
	else
		s[len] = '\0';
	if (!s)
		pg_fail(h, -ENOMEM, "%s: out of memory", what);
	return s;
}

enum pg_attr_kind pg_xml_kind(const char *type)
{
	if (!type)
		return 0;
	if (!strcmp(type, "string"))
		return PG_ATTR_STRING;
	if (!strcmp(type, "int"))
		return PG_ATTR_INT;
	if (!strcmp(type, "date"))
		return PG_ATTR_DATE;
	return 0;
}

/* text without the whitespace around it, in buf (of text's size). */
static const char *trim(const char *text, char *buf)
{
	size_t len;

	text += strspn(text, " \t\r\n");
	len = strlen(text);
	while (len && strchr(" \t\r\n", text[len - 1]))
		len--;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return buf;
}

int pg_xml_value(struct pg_handle *h, enum pg_attr_kind kind,
		 const char *text, int64_t *i, uint64_t *date,
		 const char *what)
{
	char *buf = malloc(strlen(text) + 1), *end;
	const char *v;
	int err = 0;

	if (!buf)
		return pg_fail(h, -ENOMEM, "%s: out of memory", what);
	v = trim(text, buf);
	if (kind == PG_ATTR_INT) {
		errno = 0;
		*i = strtoll(v, &end, 10);
		if (!*v || *end || errno)
			err = pg_fail(h, -EINVAL,
				      "%s: \"%s\" is not a signed 64-bit integer",
				      what, v);
	} else if (kind == PG_ATTR_DATE) {
		err = pg_date_parse(v, date);
		if (err == -ERANGE)
			err = pg_fail(h, -EINVAL,
				      "%s: date \"%s\" is outside 1970..2554", what, v);
		else if (err)
			err = pg_fail(h, -EINVAL,
				      "%s: \"%s\" is not an ISO-8601 date (YYYY-MM-DDThh:mm:ssZ)",
				      what, v);
	}
	free(buf);
	return err;
}

/* An XML attribute of node, or NULL; free() it. */
char *pg_xml_prop(xmlNodePtr node, const char *name)
{
	return (char *)xmlGetNoNsProp(node, (const xmlChar *)name);
}

/*
 * One <attribute>: checks it, and when a is not NULL fills it (strings into
 * *cursor). *bytes grows by the bytes its strings need.
 */
static int read_attribute(struct pg_handle *h, xmlNodePtr node, size_t index,
			  struct pg_attribute *a, char **cursor, size_t *bytes)
{
	char *name = pg_xml_prop(node, "name"), *type = NULL, *text = NULL;
	char what[PEERGROUP_ATTR_NAME_MAX + 64];
	enum pg_attr_kind kind;
	int err = 0;

	snprintf(what, sizeof(what), "attributes: line %ld: attribute %zu",
		 xmlGetLineNo(node), index + 1);
	if (strcmp(NAME(node), "attribute")) {
		err = pg_fail(h, -EINVAL, "%s: <%s> is not <attribute>", what,
			      NAME(node));
		goto out;
	}
	if (!name) {
		err = pg_fail(h, -EINVAL, "%s: missing name", what);
		goto out;
	}
	snprintf(what, sizeof(what), "attributes: line %ld: attribute \"%.*s\"",
		 xmlGetLineNo(node), PEERGROUP_ATTR_NAME_MAX + 1, name);
	type = pg_xml_prop(node, "type");
	kind = pg_xml_kind(type);
	if (!kind) {
		err = type ? pg_fail(h, -EINVAL,
				     "%s: unknown type \"%s\" (expected string, int or date)",
				     what, type) :
			     pg_fail(h, -EINVAL, "%s: missing type", what);
		goto out;
	}
	text = pg_xml_text(h, node, what);
	if (!text) {
		err = h->last.err;
		goto out;
	}
	*bytes += strlen(name) + 1 + (kind == PG_ATTR_STRING ? strlen(text) + 1 : 0);
	if (!a) {
		int64_t i;
		uint64_t date;

		err = pg_xml_value(h, kind, text, &i, &date, what);
		goto out;
	}
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->name = strcpy(*cursor, name);
	*cursor += strlen(name) + 1;
	if (kind == PG_ATTR_STRING) {
		a->str = strcpy(*cursor, text);
		*cursor += strlen(text) + 1;
	} else {
		err = pg_xml_value(h, kind, text, &a->i, &a->date, what);
	}
out:
	free(name);
	free(type);
	free(text);
	return err;
}

/* Both passes over <attributes>: count and check (v NULL), then fill. */
static int read_attributes(struct pg_handle *h, xmlNodePtr root,
			   struct pg_attribute *v, char *cursor, size_t *n,
			   size_t *bytes)
{
	xmlNodePtr node;
	int err = 0;

	*n = 0;
	*bytes = 0;
	for (node = pg_xml_next_element(h, root->children, "attributes", &err);
	     node; node = pg_xml_next_element(h, node->next, "attributes", &err)) {
		err = read_attribute(h, node, *n, v ? &v[*n] : NULL, &cursor,
				     bytes);
		if (err)
			return err;
		++*n;
	}
	return err;
}

int pg_attrs_from_xml(struct pg_handle *h, const char *xml,
		      struct pg_attribute **attrs, size_t *n)
{
	struct pg_attribute *v = NULL;
	size_t count, bytes;
	xmlNodePtr root;
	xmlDocPtr doc;
	int err;

	*attrs = NULL;
	*n = 0;
	pg_clear(h);
	doc = pg_xml_read(h, xml, "attributes");
	if (!doc)
		return h->last.err;
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp(NAME(root), "attributes")) {
		err = pg_fail(h, -EINVAL,
			      "attributes: the root element is <%s>, expected <attributes>",
			      root ? NAME(root) : "");
		goto out;
	}
	err = read_attributes(h, root, NULL, NULL, &count, &bytes);
	if (err)
		goto out;
	v = malloc(count * sizeof(*v) + bytes + 1);
	if (!v) {
		err = pg_fail(h, -ENOMEM, "attributes: out of memory");
		goto out;
	}
	err = read_attributes(h, root, v, (char *)(v + count), &count, &bytes);
	if (err) {
		free(v);
		goto out;
	}
	*attrs = v;
	*n = count;
out:
	xmlFreeDoc(doc);
	return err;
}

/* s with the XML specials as references, for text and attribute values. */
static void escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\t':
		case '\n':
		case '\r':
			fprintf(f, "&#%d;", *s);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static const char *const kind_names[] = {
	[PG_ATTR_STRING] = "string",
	[PG_ATTR_INT] = "int",
	[PG_ATTR_DATE] = "date",
};

char *pg_attrs_to_xml(const struct pg_attribute *attrs, size_t n)
{
	char date[PG_DATE_STR_LEN];
	char *out = NULL;
	size_t size, i;
	FILE *f;

	f = open_memstream(&out, &size);
	if (!f)
		return NULL;
	fputs("<attributes>", f);
	for (i = 0; i < n; i++) {
		const struct pg_attribute *a = &attrs[i];

		if (a->kind < PG_ATTR_STRING || a->kind > PG_ATTR_DATE)
			continue;
		fputs("<attribute name=\"", f);
		escaped(f, a->name ? a->name : "");
		fprintf(f, "\" type=\"%s\">", kind_names[a->kind]);
		if (a->kind == PG_ATTR_STRING) {
			escaped(f, a->str ? a->str : "");
		} else if (a->kind == PG_ATTR_INT) {
			fprintf(f, "%" PRId64, a->i);
		} else {
			pg_date_format(a->date, date);
			fputs(date, f);
		}
		fputs("</attribute>", f);
	}
	fputs("</attributes>", f);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
