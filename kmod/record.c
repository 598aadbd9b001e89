// SPDX-License-Identifier: GPL-2.0
/*
 * Records: building, checking and freeing them, and a group's table.
 */
#include "bytes.h"
#include "change.h"
#include "group.h"
#include "record.h"
#include "security.h"
#include "write.h"

#include <crypto/sha2.h>
#include <linux/ctype.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/netlink.h>

static const char *const reserved_names[] = {
	[PG_RESERVED_CREATORID]			= "peercreatorid",
	[PG_RESERVED_RECORDID]			= "peerrecordid",
	[PG_RESERVED_RECORDTYPE]		= "peerrecordtype",
	[PG_RESERVED_CREATIONTIME]		= "peercreationtime",
	[PG_RESERVED_LASTMODIFICATIONTIME]	= "peerlastmodificationtime",
	[PG_RESERVED_LASTMODIFIEDBY]		= "peerlastmodifiedby",
};

enum pg_reserved_attr pg_attr_reserved(const char *name)
{
	unsigned int i;

	for (i = PG_RESERVED_CREATORID; i < ARRAY_SIZE(reserved_names); i++)
		if (!strcmp(name, reserved_names[i]))
			return i;
	return PG_RESERVED_NONE;
}

/*
 * 1..PEERGROUP_ATTR_NAME_MAX ASCII letters and digits (the kernel's isalnum()
 * alone also takes Latin-1 letters).
 */
bool pg_attr_name_valid(const char *name)
{
	size_t len = strnlen(name, PEERGROUP_ATTR_NAME_MAX + 1);
	size_t i;

	if (!len || len > PEERGROUP_ATTR_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isascii(name[i]) || !isalnum(name[i]))
			return false;
	return true;
}

const struct pg_attr *pg_record_attr(const struct pg_record *rec,
				     const char *name)
{
	u32 lo = 0, hi = rec->nattrs;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, rec->attrs[mid].name);

		if (!cmp)
			return &rec->attrs[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void pg_record_put(struct pg_record *rec)
{
	if (rec && refcount_dec_and_test(&rec->ref))
		kvfree(rec);
}

/* The parts of a record's allocation, in order: struct, attrs, strings... */
static size_t attr_bytes(const struct pg_attr *attr)
{
	return attr->name_len + 1 +
	       (attr->kind == PG_ATTR_STR ? attr->len + 1 : 0);
}

u32 pg_attrs_size(const struct pg_attr *attrs, u32 nattrs)
{
	u32 size = 0, i;

	for (i = 0; i < nattrs; i++)
		size += pg_attr_size(&attrs[i]);
	return size;
}

static int attr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pg_attr *)a)->name,
		      ((const struct pg_attr *)b)->name);
}

void pg_attrs_sort(struct pg_attr *attrs, u32 nattrs)
{
	sort(attrs, nattrs, sizeof(*attrs), attr_cmp, NULL);
}

static char *copy_str(char **p, const char *s, size_t len)
{
	char *out = *p;

	memcpy(out, s, len);
	out[len] = '\0';
	*p += len + 1;
	return out;
}

struct pg_record *pg_record_build(const struct pg_record_fields *f)
{
	size_t creator_len = strlen(f->creator);
	size_t modifier_len = strlen(f->modifier);
	size_t size, sec_size = max(f->sec_len, f->sec_room);
	struct pg_record *rec;
	struct pg_attr *attrs;
	char *p;
	u32 i;

	size = sizeof(*rec) + f->nattrs * sizeof(*attrs) + creator_len + 1 +
	       modifier_len + 1 + f->data_len + sec_size;
	for (i = 0; i < f->nattrs; i++)
		size += attr_bytes(&f->attrs[i]);

	rec = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!rec)
		return NULL;
	refcount_set(&rec->ref, 1);
	RB_CLEAR_NODE(&rec->by_id);
	RB_CLEAR_NODE(&rec->by_deadline);
	memcpy(rec->id, f->id, PEERGROUP_GUID_LEN);
	memcpy(rec->type, f->type, PEERGROUP_GUID_LEN);
	rec->version = f->version;
	rec->flags = f->flags;
	rec->created = f->created;
	rec->modified = f->modified;
	rec->expires = f->expires;
	rec->mem = size;

	attrs = (struct pg_attr *)(rec + 1);
	p = (char *)(attrs + f->nattrs);
	rec->creator = copy_str(&p, f->creator, creator_len);
	rec->modifier = copy_str(&p, f->modifier, modifier_len);
	for (i = 0; i < f->nattrs; i++) {
		attrs[i] = f->attrs[i];
		attrs[i].name = copy_str(&p, f->attrs[i].name,
					 f->attrs[i].name_len);
		if (attrs[i].kind == PG_ATTR_STR)
			attrs[i].str = copy_str(&p, f->attrs[i].str,
						f->attrs[i].len);
	}
	pg_attrs_sort(attrs, f->nattrs);
	rec->attrs = attrs;
	rec->nattrs = f->nattrs;

	rec->data = (u8 *)p;
	rec->data_len = f->data_len;
	if (f->data_len)
		memcpy(p, f->data, f->data_len);
	p += f->data_len;
	rec->sec = (u8 *)p;
	rec->sec_len = f->sec_len;
	if (f->sec_len)
		memcpy(p, f->sec, f->sec_len);
	rec->size = f->data_len + pg_attrs_size(attrs, f->nattrs);
	return rec;
}

/*
 * The size of @rec as a netlink attribute (PEERGROUP_A_RECORD, every field):
 * what a dump needs room for, and a bound on every stored record.
 */
size_t pg_record_msg_size(const struct pg_record *rec)
{
	size_t size = nla_total_size(0) +
		      2 * nla_total_size(PEERGROUP_GUID_LEN) +
		      2 * nla_total_size(sizeof(u32)) +
		      nla_total_size(strlen(rec->creator) + 1) +
		      nla_total_size(strlen(rec->modifier) + 1) +
		      3 * nla_total_size_64bit(sizeof(u64)) +
		      nla_total_size(rec->sec_len) +
		      nla_total_size(rec->data_len) + nla_total_size(0);
	u32 i;

	for (i = 0; i < rec->nattrs; i++) {
		const struct pg_attr *attr = &rec->attrs[i];

		size += nla_total_size(0) + nla_total_size(attr->name_len + 1);
		if (attr->kind == PG_ATTR_STR)
			size += nla_total_size(attr->len + 1);
		else
			size += nla_total_size_64bit(sizeof(u64));
	}
	return size;
}

/*
 * The first 8 bytes of a record id are bytes 0..7 XOR bytes 8..15 of
 * SHA-256 of the creator's identity, as Windows folds an MD5 of it.
 */
static void id_binding(const char *creator, u8 *out)
{
	u8 digest[SHA256_DIGEST_SIZE];
	int i;

	sha256(creator, strlen(creator), digest);
	for (i = 0; i < 8; i++)
		out[i] = digest[i] ^ digest[i + 8];
}

void pg_record_new_id(const char *creator, u8 *id)
{
	id_binding(creator, id);
	get_random_bytes(id + 8, PEERGROUP_GUID_LEN - 8);
}

bool pg_record_id_bound(const u8 *id, const char *creator)
{
	u8 expected[8];

	id_binding(creator, expected);
	return !memcmp(id, expected, sizeof(expected));
}

bool pg_type_nil(const u8 *type)
{
	return !memchr_inv(type, 0, PEERGROUP_GUID_LEN);
}

/* {xxxxxxxx-0000-0000-0000-000000000000}: the module's own record types. */
bool pg_type_reserved(const u8 *type)
{
	return !memchr_inv(type + 4, 0, PEERGROUP_GUID_LEN - 4);
}

static int memcmp_len(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int cmp = memcmp(a, b, min(alen, blen));

	if (cmp)
		return cmp;
	return alen < blen ? -1 : alen > blen;
}

/*
 * The conflict rule of [MS-PPGRH] 3.1.7.32; the first rule that differs
 * decides: higher version; a modified copy over an unmodified one; larger
 * modifier id; later modification; longer security data; greater security
 * data bytes.
 */
bool pg_record_newer(const struct pg_record *a, const struct pg_record *b)
{
	bool amod = a->modified != a->created, bmod = b->modified != b->created;
	int cmp;

	if (a->version != b->version)
		return a->version > b->version;
	if (amod != bmod)
		return amod;
	cmp = strcmp(a->modifier, b->modifier);
	if (cmp)
		return cmp > 0;
	if (a->modified != b->modified)
		return a->modified > b->modified;
	if (a->sec_len != b->sec_len)
		return a->sec_len > b->sec_len;
	return memcmp_len(a->sec, a->sec_len, b->sec, b->sec_len) > 0;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
bool pg_utf8_valid(const u8 *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		u8 c = s[i];
		u32 cp, min;
		int n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/*
 * SHA-256 of id, version, flags, the three times, the modifier and the
 * security data, each length-prefixed where it varies (protocol.rst).
 */
static void record_digest(struct pg_record *rec)
{
	u8 hdr[PEERGROUP_GUID_LEN + 4 + 4 + 3 * 8 + 2], sec_len[4];
	struct pg_wr w = { .p = hdr, .left = sizeof(hdr) };
	u16 mlen = strlen(rec->modifier);
	u8 out[SHA256_DIGEST_SIZE];
	struct sha256_state st;

	pg_wr_mem(&w, rec->id, PEERGROUP_GUID_LEN);
	pg_wr_be(&w, rec->version, 4);
	pg_wr_be(&w, rec->flags, 4);
	pg_wr_be(&w, rec->created, 8);
	pg_wr_be(&w, rec->modified, 8);
	pg_wr_be(&w, rec->expires, 8);
	pg_wr_be(&w, mlen, 2);
	sha256_init(&st);
	sha256_update(&st, hdr, sizeof(hdr));
	sha256_update(&st, rec->modifier, mlen);
	pg_put_be(sec_len, rec->sec_len, 4);
	sha256_update(&st, sec_len, sizeof(sec_len));
	sha256_update(&st, rec->sec, rec->sec_len);
	sha256_final(&st, out);
	memcpy(rec->digest, out, PG_RECORD_DIGEST_LEN);
}

/* The table: two trees, one by id, one by deadline. */

static int id_cmp(const u8 *id, const struct rb_node *node)
{
	return memcmp(id, rb_entry(node, struct pg_record, by_id)->id,
		      PEERGROUP_GUID_LEN);
}

static bool id_less(struct rb_node *a, const struct rb_node *b)
{
	return id_cmp(rb_entry(a, struct pg_record, by_id)->id, b) < 0;
}

static int id_key_cmp(const void *key, const struct rb_node *node)
{
	return id_cmp(key, node);
}

static bool deadline_less(struct rb_node *a, const struct rb_node *b)
{
	const struct pg_record *ra = rb_entry(a, struct pg_record, by_deadline);
	const struct pg_record *rb = rb_entry(b, struct pg_record, by_deadline);

	if (ra->deadline != rb->deadline)
		return ra->deadline < rb->deadline;
	return memcmp(ra->id, rb->id, PEERGROUP_GUID_LEN) < 0;
}

/* Whether the local identity refreshes @rec before it expires. */
static bool refreshes(const struct pg_group *grp, const struct pg_record *rec)
{
	return (rec->flags & PEERGROUP_RECORD_F_AUTOREFRESH) &&
	       !pg_record_deleted(rec) && !strcmp(rec->creator, grp->identity);
}

/* Refresh when three quarters of the lifetime have passed. */
static u64 refresh_time(const struct pg_record *rec)
{
	u64 life = rec->expires > rec->modified ?
		   rec->expires - rec->modified : 0;

	return rec->modified + life - life / 4;
}

static void set_deadline(const struct pg_group *grp, struct pg_record *rec)
{
	rec->deadline = refreshes(grp, rec) ? refresh_time(rec) : rec->expires;
}

static void table_changed(struct pg_group *grp)
{
	lockdep_assert_held(&grp->table_lock);
	if (!++grp->gen)
		grp->gen = 1;
}

static void expire_work(struct work_struct *work);

void pg_table_init(struct pg_group *grp)
{
	mutex_init(&grp->write_lock);
	mutex_init(&grp->table_lock);
	grp->records = RB_ROOT;
	grp->timeline = RB_ROOT;
	grp->gen = 1;
	INIT_DELAYED_WORK(&grp->expire_work, expire_work);
}

/* Called when the group leaves its namespace: no more changes, no work. */
void pg_table_close(struct pg_group *grp)
{
	mutex_lock(&grp->table_lock);
	grp->dead = true;
	table_changed(grp);
	mutex_unlock(&grp->table_lock);
	cancel_delayed_work_sync(&grp->expire_work);
}

/*
 * Frees every record; the group is unreachable, so no lock is needed and
 * the walk may yield: it does, every PG_TABLE_BATCH records (a million of
 * them take seconds, on a debug kernel minutes).
 */
void pg_table_flush(struct pg_group *grp)
{
	struct pg_record *rec, *tmp;
	unsigned int n = 0;

	might_sleep();
	rbtree_postorder_for_each_entry_safe(rec, tmp, &grp->records, by_id) {
		pg_record_put(rec);
		if (!(++n % PG_TABLE_BATCH))
			cond_resched();
	}
	grp->records = RB_ROOT;
	grp->timeline = RB_ROOT;
	grp->nrecords = 0;
	grp->nbytes = 0;
	mutex_destroy(&grp->write_lock);
	mutex_destroy(&grp->table_lock);
}

static struct pg_record *find_locked(struct pg_group *grp, const u8 *id)
{
	struct rb_node *node;

	lockdep_assert_held(&grp->table_lock);
	node = rb_find(id, &grp->records, id_key_cmp);
	return node ? rb_entry(node, struct pg_record, by_id) : NULL;
}

struct pg_record *pg_table_find(struct pg_group *grp, const u8 *id)
{
	struct pg_record *rec;

	mutex_lock(&grp->table_lock);
	rec = find_locked(grp, id);
	if (rec)
		pg_record_get(rec);
	mutex_unlock(&grp->table_lock);
	return rec;
}

struct pg_record *pg_table_find_live(struct pg_group *grp, const u8 *id)
{
	struct pg_record *rec = pg_table_find(grp, id);

	if (rec && !pg_record_deleted(rec))
		return rec;
	pg_record_put(rec);
	return NULL;
}

struct pg_record *pg_table_seek(struct pg_group *grp, const u8 *from)
{
	struct rb_node *node = grp->records.rb_node;
	struct pg_record *next = NULL;

	lockdep_assert_held(&grp->table_lock);
	while (node) {
		if (id_cmp(from, node) <= 0) {
			next = rb_entry(node, struct pg_record, by_id);
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return next;
}

struct pg_record *pg_table_succ(struct pg_record *rec)
{
	struct rb_node *node = rb_next(&rec->by_id);

	return node ? rb_entry(node, struct pg_record, by_id) : NULL;
}

struct pg_record *pg_table_next(struct pg_group *grp, const u8 *after)
{
	struct rb_node *node = grp->records.rb_node;
	struct pg_record *next = NULL;

	lockdep_assert_held(&grp->table_lock);
	if (!after) {
		node = rb_first(&grp->records);
		return node ? rb_entry(node, struct pg_record, by_id) : NULL;
	}
	while (node) {
		if (id_cmp(after, node) < 0) {
			next = rb_entry(node, struct pg_record, by_id);
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return next;
}

/* Whether expiry is held off: DEFER_EXPIRATION and no neighbour. */
static bool expiry_deferred(const struct pg_group *grp)
{
	return (grp->props.flags & PEERGROUP_GROUP_F_DEFER_EXPIRATION) &&
	       !grp->neighbours;
}

static void arm_locked(struct pg_group *grp)
{
	struct pg_record *first;
	struct rb_node *node;
	u64 now;

	lockdep_assert_held(&grp->table_lock);
	if (grp->dead)
		return;
	node = rb_first(&grp->timeline);
	if (!node)
		return;
	first = rb_entry(node, struct pg_record, by_deadline);
	/* A deferred expiry waits for the flag to go (pg_table_rearm()). */
	if (expiry_deferred(grp) && !refreshes(grp, first))
		return;
	now = pg_group_now(grp);
	mod_delayed_work(pg_wq, &grp->expire_work,
			 first->deadline > now ?
			 nsecs_to_jiffies(first->deadline - now) + 1 : 0);
}

void pg_table_rearm(struct pg_group *grp)
{
	mutex_lock(&grp->table_lock);
	arm_locked(grp);
	mutex_unlock(&grp->table_lock);
}

static int commit_fail(struct pg_write_err *err, int ret, const char *msg)
{
	if (err) {
		err->field = 0;
		err->msg = msg;
	}
	return ret;
}

int pg_table_commit(struct pg_group *grp, struct pg_record *old,
		    struct pg_record *rec, enum peergroup_change change,
		    const struct pg_origin *origin, struct pg_write_err *err)
{
	u64 nbytes;

	lockdep_assert_held(&grp->write_lock);
	record_digest(rec);
	mutex_lock(&grp->table_lock);
	if (grp->dead) {
		mutex_unlock(&grp->table_lock);
		return commit_fail(err, -ENOENT, "group: deleted meanwhile");
	}
	if (!old && grp->nrecords >= grp->props.max_records) {
		mutex_unlock(&grp->table_lock);
		return commit_fail(err, -ENOSPC,
				   "records: the group's max-records is reached");
	}
	nbytes = grp->nbytes - (old ? old->mem : 0) + rec->mem;
	if (nbytes > grp->props.max_bytes && nbytes > grp->nbytes) {
		mutex_unlock(&grp->table_lock);
		return commit_fail(err, -ENOSPC,
				   "records: the group's max-bytes is reached");
	}

	set_deadline(grp, rec);
	pg_record_get(rec);
	if (old) {
		rb_replace_node(&old->by_id, &rec->by_id, &grp->records);
		rb_erase(&old->by_deadline, &grp->timeline);
	} else {
		rb_add(&rec->by_id, &grp->records, id_less);
		grp->nrecords++;
	}
	rb_add(&rec->by_deadline, &grp->timeline, deadline_less);
	grp->nbytes = nbytes;
	grp->max_msg = max_t(u32, grp->max_msg, pg_record_msg_size(rec));
	table_changed(grp);
	arm_locked(grp);
	mutex_unlock(&grp->table_lock);

	/* Subscribers hear of every commit; events skip the silent ones. */
	pg_change_record(grp, change, rec, origin);
	if (old)
		pg_record_put(old);
	return 0;
}

/* Removes @rec from the table; the table's reference passes to the caller. */
static void erase_locked(struct pg_group *grp, struct pg_record *rec)
{
	lockdep_assert_held(&grp->table_lock);
	rb_erase(&rec->by_id, &grp->records);
	rb_erase(&rec->by_deadline, &grp->timeline);
	grp->nrecords--;
	grp->nbytes -= rec->mem;
	table_changed(grp);
}

/*
 * A refresh that failed (out of memory) is tried again a second later, or
 * the record expires. Only the deadline, table data, changes.
 */
static void retry_later(struct pg_group *grp, struct pg_record *rec, u64 now)
{
	mutex_lock(&grp->table_lock);
	if (find_locked(grp, rec->id) == rec) {
		rb_erase(&rec->by_deadline, &grp->timeline);
		rec->deadline = min(now + NSEC_PER_SEC, rec->expires);
		rb_add(&rec->by_deadline, &grp->timeline, deadline_less);
	}
	mutex_unlock(&grp->table_lock);
}

static void expire_work(struct work_struct *work)
{
	struct pg_group *grp = container_of(to_delayed_work(work),
					    struct pg_group, expire_work);
	struct pg_record *rec;
	int budget;
	u64 now;

	mutex_lock(&grp->write_lock);
	for (budget = PG_TABLE_BATCH; budget; budget--) {
		struct rb_node *node;
		bool renew = false;

		mutex_lock(&grp->table_lock);
		node = rb_first(&grp->timeline);
		rec = node ? rb_entry(node, struct pg_record, by_deadline) : NULL;
		now = pg_group_now(grp);
		if (grp->dead || !rec || rec->deadline > now) {
			rec = NULL;
		} else if (refreshes(grp, rec) && rec->expires > now) {
			renew = true;
			pg_record_get(rec);
		} else if (expiry_deferred(grp)) {
			rec = NULL;
		} else {
			erase_locked(grp, rec);
		}
		mutex_unlock(&grp->table_lock);
		if (!rec)
			break;

		if (renew) {
			if (pg_write_refresh(grp, rec))
				retry_later(grp, rec, now);
		} else if (!pg_record_deleted(rec)) {
			pg_change_record(grp, PEERGROUP_CHANGE_EXPIRED, rec,
					 &pg_origin_local);
		}
		pg_record_put(rec);
	}
	if (!budget) {
		/* More is due: go on soon, letting others in between. */
		if (!READ_ONCE(grp->dead))
			mod_delayed_work(pg_wq, &grp->expire_work, 1);
	} else {
		pg_table_rearm(grp);
	}
	mutex_unlock(&grp->write_lock);
}

#include "selftest/record.c"
