// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * PeerGroupExportDatabase / PeerGroupImportDatabase.
 *
 * The export file
 * ---------------
 *   peergroup-export 1 <group-id>\n
 *   <record> <record> ...
 *
 * The first line is ASCII: the magic word, the format version (1) and the
 * id of the group the records belong to (PEERGROUP_A_GROUP_ID, "<40 hex
 * digits>.<name>"), separated by one space. Then, up to the end of the
 * file, every record the group held, tombstones included, each exactly the
 * PEERGROUP_A_RECORD attribute the kernel sent in a dump with
 * PEERGROUP_DUMP_F_TOMBSTONES: a struct nlattr header (nla_len, then
 * nla_type, both in host byte order, nla_len counting the header), its
 * payload (the record's nested attributes, security data included), then
 * zero bytes up to a multiple of 4. A group with no record exports the
 * header line alone.
 *
 * Import reads the whole file, checks the header (a file of another group
 * is refused) and that every record lies whole inside the file, before it
 * sends anything; then it sends each record as it is, in
 * PEERGROUP_CMD_RECORD_IMPORT, where the kernel validates it like a record
 * received from a peer. The records go through a batch (batch.c), many in
 * flight at once: import stops at the first refusal, but the records sent
 * after it in the same window may have been imported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include "internal.h"

/* An export file larger than this is refused rather than read. */
#define IMPORT_MAX ((size_t)2 << 30)
/* The header line: magic, version, group id, spaces, newline. */
#define HEADER_MAX (sizeof(PG_EXPORT_MAGIC) + 12 + PEERGROUP_GROUP_ID_MAX + 1)

/* A growing byte buffer; items counts what collect() put in. */
struct bytes {
	uint8_t *p;
	size_t len, cap;
	size_t items;
};

static int bytes_room(struct bytes *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 65536;
	uint8_t *p;

	if (more > IMPORT_MAX - b->len)
		return -EFBIG;
	while (cap - b->len < more)
		cap *= 2;
	if (cap == b->cap)
		return 0;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Dump entries: each record nest appended as sent, padded. */
static int collect(struct nl_msg *msg, void *arg)
{
	struct bytes *b = arg;
	struct nlattr *rec;
	size_t len;
	int err;

	err = pg_record_from_msg(msg, NULL, &rec);
	if (err)
		return err;
	len = NLA_ALIGN(rec->nla_len);
	err = bytes_room(b, len);
	if (err)
		return err;
	memset(b->p + b->len, 0, len);
	memcpy(b->p + b->len, rec, rec->nla_len);
	b->len += len;
	b->items++;
	return 0;
}

static void forget(void *arg)
{
	struct bytes *b = arg;

	b->len = 0;
	b->items = 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Whether the record nest @rec is of a type reserved to the module
 * (records.rst: bytes 4 to 15 zero), such as a certificate group's
 * memberships.
 */
static bool reserved_type(const struct nlattr *rec)
{
	static const uint8_t zero[PEERGROUP_GUID_LEN - 4];
	const struct nlattr *t;

	t = nla_find(nla_data(rec), nla_len(rec), PEERGROUP_RECORD_A_TYPE);
	return t && nla_len(t) == PEERGROUP_GUID_LEN &&
	       !memcmp((const uint8_t *)nla_data(t) + 4, zero, sizeof(zero));
}

/*
 * The collected records to @fd, the module's own types first: an import
 * of a certificate group's export then knows every signer (their
 * memberships) before it meets their records.
 */
static int write_records(int fd, const struct bytes *b)
{
	const struct nlattr *a;
	size_t off;
	int pass, err = 0;

	for (pass = 0; pass < 2 && !err; pass++)
		for (off = 0; !err && off < b->len; off += NLA_ALIGN(a->nla_len)) {
			a = (const struct nlattr *)(b->p + off);
			if (reserved_type(a) == !pass)
				err = write_all(fd, a, NLA_ALIGN(a->nla_len));
		}
	return err;
}

int pg_export(struct pg_handle *h, const char *group, int fd, size_t *count)
{
	struct bytes b = { .p = NULL };
	char header[HEADER_MAX + 1];
	struct pg_group_info g;
	struct nl_msg *msg;
	int err, n;

	if (count)
		*count = 0;
	err = pg_group_get(h, group, &g);
	if (err)
		return err;
	msg = pg_msg_alloc(h, PEERGROUP_CMD_RECORD_GET, NLM_F_DUMP, 0);
	if (!msg)
		return pg_fail(h, -ENOMEM, "cannot allocate a netlink message");
	err = pg_put_str(h, msg, PEERGROUP_A_GROUP_NAME, group, "group name");
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	if (nla_put_u32(msg, PEERGROUP_A_DUMP_FLAGS, PEERGROUP_DUMP_F_TOMBSTONES))
		return pg_fail_build(h, msg);
	err = pg_dump(h, msg, collect, forget, &b, true, "record table");
	if (err)
		goto out;
	n = snprintf(header, sizeof(header), "%s %d %s\n", PG_EXPORT_MAGIC,
		     PG_EXPORT_VERSION, g.id);
	err = write_all(fd, header, (size_t)n);
	if (!err)
		err = write_records(fd, &b);
	if (err) {
		err = pg_fail(h, err, "export: cannot write the file: %s",
			      strerror(-err));
		goto out;
	}
	if (count)
		*count = b.items;
out:
	free(b.p);
	return err;
}

/* The header line: "<magic> <version> <group id>\n". */
static int check_header(struct pg_handle *h, const uint8_t *buf, size_t len,
			char id[PEERGROUP_GROUP_ID_MAX + 1], size_t *first)
{
	const size_t magic = strlen(PG_EXPORT_MAGIC);
	const uint8_t *nl = memchr(buf, '\n', len < HEADER_MAX ? len : HEADER_MAX);
	const char *p = (const char *)buf + magic + 1;
	size_t idlen;
	long version;
	char *end;

	if (len < magic + 1 || memcmp(buf, PG_EXPORT_MAGIC " ", magic + 1))
		return pg_fail(h, -EINVAL,
			       "import: not a peergroup export file (it does not start with \"%s\")",
			       PG_EXPORT_MAGIC);
	if (!nl)
		return pg_fail(h, -EINVAL, "import: the header line is truncated or too long");
	if (*p < '0' || *p > '9')
		return pg_fail(h, -EINVAL, "import: the header has no format version");
	version = strtol(p, &end, 10);
	if (version != PG_EXPORT_VERSION)
		return pg_fail(h, -EINVAL,
			       "import: format version %ld is not supported (expected %d)",
			       version, PG_EXPORT_VERSION);
	if (*end != ' ')
		return pg_fail(h, -EINVAL, "import: the header has no group id");
	p = end + 1;
	idlen = (size_t)((const char *)nl - p);
	if (!idlen || idlen > PEERGROUP_GROUP_ID_MAX || memchr(p, ' ', idlen))
		return pg_fail(h, -EINVAL, "import: the header's group id is malformed");
	memcpy(id, p, idlen);
	id[idlen] = '\0';
	*first = (size_t)(nl - buf) + 1;
	return 0;
}

int pg_export_check(struct pg_handle *h, const uint8_t *buf, size_t len,
		    char id[PEERGROUP_GROUP_ID_MAX + 1], size_t *first,
		    size_t *count)
{
	const struct nlattr *a;
	size_t off, n = 0;
	int err;

	*count = 0;
	err = check_header(h, buf, len, id, first);
	if (err)
		return err;
	for (off = *first; off < len; off += NLA_ALIGN(a->nla_len), n++) {
		a = (const struct nlattr *)(buf + off);
		if (len - off < NLA_HDRLEN)
			return pg_fail(h, -EINVAL,
				       "import: record %zu at byte %zu: truncated (%zu bytes left)",
				       n + 1, off, len - off);
		if (a->nla_len < NLA_HDRLEN ||
		    (size_t)NLA_ALIGN(a->nla_len) > len - off)
			return pg_fail(h, -EINVAL,
				       "import: record %zu at byte %zu: its length %u runs past the end of the file (%zu bytes)",
				       n + 1, off, a->nla_len, len);
		if ((a->nla_type & NLA_TYPE_MASK) != PEERGROUP_A_RECORD)
			return pg_fail(h, -EINVAL,
				       "import: record %zu at byte %zu: not a record (attribute type %u)",
				       n + 1, off, a->nla_type & NLA_TYPE_MASK);
	}
	*count = n;
	return 0;
}

static int read_all(int fd, struct bytes *b)
{
	ssize_t n;
	int err;

	for (;;) {
		err = bytes_room(b, 65536);
		if (err)
			return err;
		n = read(fd, b->p + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		b->len += (size_t)n;
	}
}

int pg_import(struct pg_handle *h, const char *group, int fd, size_t *count)
{
	char id[PEERGROUP_GROUP_ID_MAX + 1], msg[2 * PG_ERRMSG_MAX];
	size_t off, n, i, imported = 0, failed = PG_BATCH_NO_FAILURE;
	struct pg_batch *batch = NULL;
	struct bytes b = { .p = NULL };
	struct pg_group_info g;
	const struct nlattr *a;
	int err;

	if (count)
		*count = 0;
	err = pg_group_get(h, group, &g);
	if (err)
		return err;
	err = read_all(fd, &b);
	if (err) {
		err = pg_fail(h, err, err == -EFBIG ?
			      "import: the file is larger than 2 GiB" :
			      "import: cannot read the file: %s", strerror(-err));
		goto out;
	}
	err = pg_export_check(h, b.p, b.len, id, &off, &n);
	if (err)
		goto out;
	if (strcmp(id, g.id)) {
		err = pg_fail(h, -EINVAL,
			      "import: the file holds group %s, not group %s",
			      id, g.id);
		goto out;
	}
	err = pg_batch_open(h, group, 0, NULL, NULL, &batch);
	for (i = 0; !err && i < n; i++, off += NLA_ALIGN(a->nla_len)) {
		a = (const struct nlattr *)(b.p + off);
		err = pg_batch_import_nest(batch, a);
	}
	if (batch) {
		err = pg_batch_flush(batch);
		imported = pg_batch_succeeded(batch);
		failed = pg_batch_failed_index(batch);
		pg_batch_close(batch);
	}
	if (err && failed != PG_BATCH_NO_FAILURE) {
		snprintf(msg, sizeof(msg), "record %zu of %zu: %s", failed + 1,
			 n, *h->last.msg ? h->last.msg : strerror(-err));
		memcpy(h->last.msg, msg, PG_ERRMSG_MAX - 1);
		h->last.msg[PG_ERRMSG_MAX - 1] = '\0';
	}
	if (count)
		*count = imported;
out:
	free(b.p);
	return err;
}
