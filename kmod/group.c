// SPDX-License-Identifier: GPL-2.0
/*
 * Group lifetime and the per-namespace table of groups.
 */
#include "bytes.h"
#include "change.h"
#include "group.h"
#include "memcg.h"
#include "peer.h"
#include "pernet.h"
#include "record.h"
#include "security.h"

#include <crypto/sha2.h>
#include <linux/ctype.h>
#include <linux/net.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/wait_bit.h>

/* 1..PEERGROUP_GROUP_NAME_MAX characters from [A-Za-z0-9._-] (ASCII only). */
bool pg_group_name_valid(const char *name)
{
	size_t len = strnlen(name, PEERGROUP_GROUP_NAME_MAX + 1);
	size_t i;

	if (!len || len > PEERGROUP_GROUP_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!(isascii(name[i]) && isalnum(name[i])) &&
		    !strchr("._-", name[i]))
			return false;
	return true;
}

/* PEERGROUP_IDENTITY_MIN..MAX printable ASCII characters, no space. */
bool pg_identity_valid(const char *identity)
{
	size_t len = strnlen(identity, PEERGROUP_IDENTITY_MAX + 1);
	size_t i;

	if (len < PEERGROUP_IDENTITY_MIN || len > PEERGROUP_IDENTITY_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (identity[i] < 0x21 || identity[i] > 0x7e)
			return false;
	return true;
}

static int name_cmp(const char *name, const struct rb_node *node)
{
	return strcmp(name, rb_entry(node, struct pg_group, node)->name);
}

static bool node_less(struct rb_node *a, const struct rb_node *b)
{
	return name_cmp(rb_entry(a, struct pg_group, node)->name, b) < 0;
}

static int key_cmp(const void *key, const struct rb_node *node)
{
	return name_cmp(key, node);
}

struct pg_group *pg_group_find(struct pg_net *pn, const char *name)
{
	struct rb_node *node;

	lockdep_assert_held(&pn->lock);
	node = rb_find(name, &pn->groups, key_cmp);
	return node ? rb_entry(node, struct pg_group, node) : NULL;
}

/* The group called @name, referenced (pg_group_put() it), or NULL. */
struct pg_group *pg_group_lookup(struct pg_net *pn, const char *name)
{
	struct pg_group *grp;

	mutex_lock(&pn->lock);
	grp = pg_group_find(pn, name);
	if (grp)
		pg_group_get(grp);
	mutex_unlock(&pn->lock);
	return grp;
}

/* The first group whose name sorts after @after ("" for the very first). */
struct pg_group *pg_group_lookup_id(struct pg_net *pn, const char *id)
{
	struct pg_group *grp, *found = NULL;

	/* Up to max_groups of them, once per connection. */
	mutex_lock(&pn->lock);
	for (grp = pg_group_next(pn, ""); grp; grp = pg_group_next(pn, grp->name)) {
		if (!strcmp(grp->id, id)) {
			found = grp;
			pg_group_get(grp);
			break;
		}
	}
	mutex_unlock(&pn->lock);
	return found;
}

struct pg_group *pg_group_next(struct pg_net *pn, const char *after)
{
	struct rb_node *node = pn->groups.rb_node;
	struct pg_group *next = NULL;

	lockdep_assert_held(&pn->lock);
	while (node) {
		if (name_cmp(after, node) < 0) {
			next = rb_entry(node, struct pg_group, node);
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return next;
}

/*
 * The group id has the shape of a Windows secured peer name,
 * "authority.classifier": the authority is the hex of a hash of the
 * creator's identity (psk) or of the root certificate's public key (pki),
 * the classifier is the group name.
 */
static void authority(const void *p, size_t len,
		      char out[PEERGROUP_GROUP_AUTHORITY_LEN + 1])
{
	u8 digest[SHA256_DIGEST_SIZE];

	BUILD_BUG_ON(PEERGROUP_GROUP_AUTHORITY_LEN != 2 * 20);
	sha256(p, len, digest);
	snprintf(out, PEERGROUP_GROUP_AUTHORITY_LEN + 1, "%*phN", 20, digest);
	memzero_explicit(digest, sizeof(digest));
}

bool pg_group_id_valid(const char *id, const char *name)
{
	int i;

	for (i = 0; i < PEERGROUP_GROUP_AUTHORITY_LEN; i++)
		if (!isdigit(id[i]) && (id[i] < 'a' || id[i] > 'f'))
			return false;
	return id[i] == '.' && !strcmp(id + i + 1, name);
}

bool pg_group_id_of(const struct pg_group *grp, const char *creator)
{
	char a[PEERGROUP_GROUP_AUTHORITY_LEN + 1];

	authority(creator, strlen(creator), a);
	return !memcmp(grp->id, a, PEERGROUP_GROUP_AUTHORITY_LEN);
}

/*
 * Without a lock: on every record received. The creator is written once,
 * under write_lock, and read whole only under it; this only asks whether
 * its first byte is there yet.
 */
bool pg_group_creator_known(const struct pg_group *grp)
{
	return READ_ONCE(grp->creator[0]);
}

s64 pg_group_time_offset(const struct pg_group *grp)
{
	return READ_ONCE(grp->time_offset);
}

u64 pg_group_now(const struct pg_group *grp)
{
	return ktime_get_real_ns() + pg_group_time_offset(grp);
}

/* Peer time moves under write_lock: a write reads one clock throughout. */
void pg_group_time_offset_set(struct pg_group *grp, s64 offset)
{
	lockdep_assert_held(&grp->write_lock);
	WRITE_ONCE(grp->time_offset, offset);
	grp->time_window_at = 0;
}

/* @a + @b, held at the ends of the s64 range. */
static s64 add_sat(s64 a, s64 b)
{
	s64 sum;

	if (!check_add_overflow(a, b, &sum))
		return sum;
	return b > 0 ? S64_MAX : S64_MIN;
}

s64 pg_group_time_step(struct pg_group *grp, s64 step)
{
	u64 now = ktime_get_boottime_ns();
	s64 offset = pg_group_time_offset(grp), to;

	lockdep_assert_held(&grp->write_lock);
	if (!grp->time_window_at || now - grp->time_window_at >= PG_TIME_WINDOW) {
		grp->time_window_at = now;
		grp->time_window_offset = offset;
	}
	/* Saturating: a first WELCOME may have set any offset at all. */
	to = clamp_t(s64, add_sat(offset, step),
		     add_sat(grp->time_window_offset, -PG_TIME_WINDOW_MAX),
		     add_sat(grp->time_window_offset, PG_TIME_WINDOW_MAX));
	WRITE_ONCE(grp->time_offset, to);
	return to - offset;
}

/* Status bits are written under both locks; the caller publishes them. */
static void status_set(struct pg_group *grp, u32 set, u32 clear)
{
	lockdep_assert_held(&grp->write_lock);
	lockdep_assert_held(&grp->table_lock);
	WRITE_ONCE(grp->status, (grp->status & ~clear) | set);
}

void pg_group_listening(struct pg_group *grp, bool on)
{
	bool turned;

	mutex_lock(&grp->write_lock);
	mutex_lock(&grp->table_lock);
	turned = !(grp->status & PEERGROUP_STATUS_LISTENING) == on;
	status_set(grp, on ? PEERGROUP_STATUS_LISTENING : 0,
		   on ? 0 : PEERGROUP_STATUS_LISTENING);
	mutex_unlock(&grp->table_lock);
	mutex_unlock(&grp->write_lock);
	if (turned)
		pg_change_group(grp, PEERGROUP_GROUP_EVENT_STATUS, &pg_origin_local);
}

bool pg_group_synchronized(struct pg_group *grp)
{
	struct pg_write_err err = { };
	bool news = false;

	mutex_lock(&grp->write_lock);
	mutex_lock(&grp->table_lock);
	if (!pg_group_ready(grp)) {
		status_set(grp, PEERGROUP_STATUS_SYNCHRONIZED, 0);
		grp->have_sync_cursor = false;
		news = true;
	}
	mutex_unlock(&grp->table_lock);
	mutex_unlock(&grp->write_lock);
	if (!news)
		return false;
	pg_change_group(grp, PEERGROUP_GROUP_EVENT_STATUS, &pg_origin_local);
	if (grp->sec_ops->ready && grp->sec_ops->ready(grp, &err))
		net_info_ratelimited("netns %u: group %s: %s\n",
				     grp->pn->net->ns.inum, grp->name, err.msg);
	return true;
}

void pg_group_connected(struct pg_group *grp, int delta)
{
	bool turned;
	u32 n;

	mutex_lock(&grp->write_lock);
	mutex_lock(&grp->table_lock);
	n = grp->neighbours + delta;
	if (WARN_ON_ONCE((delta < 0 && n > grp->neighbours) ||
			 (delta > 0 && n < grp->neighbours)))
		n = delta < 0 ? 0 : grp->neighbours;
	turned = !n != !grp->neighbours;
	grp->neighbours = n;
	status_set(grp, n ? PEERGROUP_STATUS_HAS_CONNECTIONS : 0,
		   n ? 0 : PEERGROUP_STATUS_HAS_CONNECTIONS);
	mutex_unlock(&grp->table_lock);
	pg_table_rearm(grp);
	mutex_unlock(&grp->write_lock);
	if (turned)
		pg_change_group(grp, PEERGROUP_GROUP_EVENT_STATUS, &pg_origin_local);
}

void pg_group_sync_cursor_set(struct pg_group *grp, const u8 *id)
{
	mutex_lock(&grp->write_lock);
	memcpy(grp->sync_cursor, id, PEERGROUP_GUID_LEN);
	grp->have_sync_cursor = true;
	mutex_unlock(&grp->write_lock);
}

/*
 * The bounds of each property, and what to say when one is out of them
 * (the netlink layer points at the attribute, the wire logs the words).
 */
static const struct {
	u32 bit;
	u16 attr;		/* PEERGROUP_A_GROUP_* */
	u64 min, max;
	const char *msg;	/* a literal */
} prop_bounds[] = {
	{ PG_PROP_FLAGS, PEERGROUP_A_GROUP_FLAGS, 0,
	  PEERGROUP_GROUP_F_DEFER_EXPIRATION,
	  "flags: only defer-expiration (0x4) is a property" },
	{ PG_PROP_MAX_RECORD_SIZE, PEERGROUP_A_GROUP_MAX_RECORD_SIZE,
	  PEERGROUP_RECORD_SIZE_MIN, PEERGROUP_RECORD_SIZE_MAX,
	  "max record size: from 1024 to 65000 bytes" },
	{ PG_PROP_MAX_RECORDS, PEERGROUP_A_GROUP_MAX_RECORDS, 1,
	  PEERGROUP_MAX_RECORDS_LIMIT, "max records: from 1 to 1048576" },
	{ PG_PROP_MAX_BYTES, PEERGROUP_A_GROUP_MAX_BYTES,
	  PEERGROUP_MAX_BYTES_MIN, PEERGROUP_MAX_BYTES_LIMIT,
	  "max bytes: from 64 KiB to 1 GiB" },
	{ PG_PROP_MAX_LIFETIME, PEERGROUP_A_GROUP_MAX_LIFETIME,
	  PEERGROUP_MAX_LIFETIME_MIN, PEERGROUP_MAX_LIFETIME_LIMIT,
	  "max lifetime: from 1 second to 10 years (315360000 seconds)" },
};

static u64 prop_value(const struct pg_props *p, u32 bit)
{
	switch (bit) {
	case PG_PROP_FLAGS:
		return p->flags;
	case PG_PROP_MAX_RECORD_SIZE:
		return p->max_record_size;
	case PG_PROP_MAX_RECORDS:
		return p->max_records;
	case PG_PROP_MAX_BYTES:
		return p->max_bytes;
	default:
		return p->max_lifetime;
	}
}

/* @p's @mask fields over @to. */
static void props_merge(struct pg_props *to, const struct pg_props *p,
			u32 mask)
{
	if (mask & PG_PROP_FLAGS)
		to->flags = p->flags;
	if (mask & PG_PROP_MAX_RECORD_SIZE)
		to->max_record_size = p->max_record_size;
	if (mask & PG_PROP_MAX_RECORDS)
		to->max_records = p->max_records;
	if (mask & PG_PROP_MAX_BYTES)
		to->max_bytes = p->max_bytes;
	if (mask & PG_PROP_MAX_LIFETIME)
		to->max_lifetime = p->max_lifetime;
}

static int props_check(const struct pg_props *p, u32 mask,
		       struct pg_write_err *err)
{
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(prop_bounds); i++) {
		if (!(mask & prop_bounds[i].bit))
			continue;
		v = prop_value(p, prop_bounds[i].bit);
		if (prop_bounds[i].bit == PG_PROP_FLAGS ?
		    !(v & ~prop_bounds[i].max) :
		    v >= prop_bounds[i].min && v <= prop_bounds[i].max)
			continue;
		err->field = prop_bounds[i].attr;
		err->msg = prop_bounds[i].msg;
		return -EINVAL;
	}
	return 0;
}

static int props_refuse(struct pg_write_err *err, int ret, const char *msg)
{
	err->field = 0;
	err->msg = msg;
	return ret;
}

void pg_props_write(struct pg_wr *w, const char *creator,
		    const struct pg_props *p)
{
	pg_wr_str(w, creator);
	pg_wr_be(w, p->version, 4);
	pg_wr_be(w, p->flags, 4);
	pg_wr_be(w, p->max_record_size, 4);
	pg_wr_be(w, p->max_records, 4);
	pg_wr_be(w, p->max_bytes, 8);
	pg_wr_be(w, p->max_lifetime, 4);
}

/* What the creator signs: SHA-256("PGP1" | group id | the properties). */
static void props_digest(const struct pg_group *grp, const char *creator,
			 const struct pg_props *p,
			 u8 digest[SHA256_DIGEST_SIZE])
{
	u8 buf[4 + 2 + PEERGROUP_GROUP_ID_MAX + PG_PROPS_ENCODED_MAX];
	struct pg_wr w = { .p = buf, .left = sizeof(buf) };

	pg_wr_mem(&w, "PGP1", 4);
	pg_wr_str(&w, grp->id);
	pg_props_write(&w, creator, p);
	WARN_ON_ONCE(w.bad);
	sha256(buf, sizeof(buf) - w.left, digest);
}

/*
 * The creator's signature of @p, the next properties, for a provider that
 * signs them: into grp->props_sec (under table_lock) by the caller.
 */
static int props_sign(struct pg_group *grp, const struct pg_props *p,
		      u8 **sec, u32 *len, struct pg_write_err *err)
{
	const struct pg_security_ops *ops = grp->sec_ops;
	u8 digest[SHA256_DIGEST_SIZE];

	*sec = NULL;
	*len = 0;
	if (!ops->sign_props)
		return 0;
	props_digest(grp, grp->creator, p, digest);
	if (ops->sign_props(grp, digest, sec, len))
		return props_refuse(err, -ENOKEY,
				    "group: its properties could not be signed with the creator's key");
	return 0;
}

/*
 * Whether @p came from the group's creator @creator: signed with its key
 * (pki), or, for a provider that signs none (psk: every member holds the
 * one key), a creator whose identity hashes to the group id.
 */
static int props_authentic(struct pg_group *grp, const struct pg_props *p,
			   const char *creator, const u8 *sec, u32 sec_len,
			   struct pg_write_err *err)
{
	const struct pg_security_ops *ops = grp->sec_ops;
	u8 digest[SHA256_DIGEST_SIZE];

	if (!ops->verify_props) {
		if (sec_len)
			return props_refuse(err, -EINVAL,
					    "properties: signed, in a group whose provider signs none");
		if (!pg_group_id_of(grp, creator))
			return props_refuse(err, -EACCES,
					    "properties: their creator is not the group id's");
		return 0;
	}
	/* A certificate group knows its creator from its creation on. */
	if (strcmp(creator, grp->creator))
		return props_refuse(err, -EACCES,
				    "properties: their creator is not the group's");
	props_digest(grp, creator, p, digest);
	return ops->verify_props(grp, digest, sec, sec_len, err);
}

int pg_group_props_set(struct pg_group *grp, const struct pg_props *p,
		       u32 mask, const char *creator, const u8 *sec,
		       u32 sec_len, const struct pg_origin *origin,
		       enum pg_write_outcome *outcome,
		       struct pg_write_err *err)
{
	bool local = origin->kind == PG_ORIGIN_LOCAL;
	struct pg_props next;
	u8 *sig = NULL;
	u32 sig_len = 0;
	u64 now;
	int ret;

	*outcome = PG_WRITE_SAME;
	ret = props_check(p, mask, err);
	if (ret)
		return ret;
	if (local && strcmp(grp->identity, grp->creator))
		return props_refuse(err, -EACCES,
				    "group: only its creator may set its properties");
	if (!local && WARN_ON_ONCE(mask != PG_PROPS_ALL || !creator))
		return props_refuse(err, -EINVAL, "properties: incomplete");
	if (!local && !p->version)
		return props_refuse(err, -EINVAL,
				    "properties: version 0, which means none");
	if (!local) {
		ret = props_authentic(grp, p, creator, sec, sec_len, err);
		if (ret)
			return ret;
		sig_len = sec_len;
		sig = sec_len ? kmemdup(sec, sec_len, GFP_KERNEL_ACCOUNT) :
				NULL;
		if (sec_len && !sig)
			return props_refuse(err, -ENOMEM,
					    "out of memory for the properties' signature");
	}

	mutex_lock(&grp->write_lock);
	/*
	 * A version never wraps: the creator's next set is bounded by the
	 * peer time, and a member's copy passed a few seconds later.
	 */
	now = pg_group_now(grp);
	if (local && grp->props.version >= pg_version_limit(0, now, now)) {
		ret = props_refuse(err, -EOVERFLOW,
				   "group: its properties version is at the limit of the peer time; try again in a few seconds");
		goto unlock;
	}
	if (!local && p->version > pg_version_limit(0, now, now)) {
		net_info_ratelimited("netns %u: group %s: properties of version %u, ahead of the peer time: ignored\n",
				     grp->pn->net->ns.inum, grp->name,
				     p->version);
		goto unlock;
	}
	/* Only this writer changes them: read, signed, then stored. */
	next = grp->props;
	if (local) {
		props_merge(&next, p, mask);
		next.version++;
		ret = props_sign(grp, &next, &sig, &sig_len, err);
		if (ret)
			goto unlock;
	} else if (p->version > grp->props.version) {
		next = *p;
	} else {
		if (p->version < grp->props.version)
			*outcome = PG_WRITE_STALE;
		goto unlock;
	}
	mutex_lock(&grp->table_lock);
	if (!local && !grp->creator[0])
		strscpy(grp->creator, creator, sizeof(grp->creator));
	grp->props = next;
	swap(grp->props_sec, sig);
	grp->props_sec_len = sig_len;
	mutex_unlock(&grp->table_lock);
	/* Expiry may be due now that it is no longer deferred. */
	pg_table_rearm(grp);
	mutex_unlock(&grp->write_lock);
	kfree(sig);
	*outcome = PG_WRITE_ACCEPTED;
	pg_change_group(grp, PEERGROUP_GROUP_EVENT_PROPERTIES, origin);
	return 0;

unlock:
	mutex_unlock(&grp->write_lock);
	kfree(sig);
	return ret;
}

u32 pg_group_props_get(struct pg_group *grp, struct pg_props *p,
		       char creator[PEERGROUP_IDENTITY_MAX + 1], u8 *sec)
{
	u32 len;

	mutex_lock(&grp->table_lock);
	*p = grp->props;
	strscpy(creator, grp->creator, PEERGROUP_IDENTITY_MAX + 1);
	len = grp->props_sec_len;
	if (sec)
		memcpy(sec, grp->props_sec, len);
	mutex_unlock(&grp->table_lock);
	return len;
}

/*
 * Runs on pg_wq: the group is unreachable, its table is no one's but ours.
 * The namespace's exit waits until the count of groups being freed is back
 * to zero, so the decrement is the last access to it.
 */
static void group_free_work(struct work_struct *work)
{
	struct pg_group *grp = container_of(work, struct pg_group, free_work);
	struct pg_net *pn = grp->pn;

	pg_write_parked_flush(grp);
	pg_table_flush(grp);
	kfree(grp->props_sec);
	pg_security_uninit(grp);
	mem_cgroup_put(grp->memcg);
	pr_debug("netns %u: group %llu (%s) destroyed\n",
		 pn->net->ns.inum, grp->serial, grp->name);
	kfree(grp);
	if (atomic_dec_and_test(&pn->freeing))
		wake_up_var(&pn->freeing);
}

/*
 * Who created the group, its id and this node's role: named by the
 * command (psk: the creator, or the group id of a joiner, who learns the
 * creator from a neighbour), or what the provider read (pki: the root
 * certificate), checked against a group id given.
 */
static int group_root(struct pg_group *grp,
		      const struct pg_group_params *params,
		      struct pg_write_err *err)
{
	const char *creator = params->id ? "" :
			      params->creator ?: params->identity;
	const struct pg_security_ops *ops = grp->sec_ops;
	char a[PEERGROUP_GROUP_AUTHORITY_LEN + 1];
	const u8 *key;
	bool admin;
	u32 len;

	if (ops->root && params->creator)
		return pg_write_fail(err, -EINVAL, PEERGROUP_A_GROUP_CREATOR,
				     "group creator: a certificate group's creator is the subject of its root certificate, not named");
	if (ops->root) {
		ops->root(grp, &creator, &key, &len, &admin);
		authority(key, len, a);
		if (params->id &&
		    memcmp(params->id, a, PEERGROUP_GROUP_AUTHORITY_LEN))
			return pg_write_fail(err, -EINVAL, PEERGROUP_A_GROUP_ID,
					     "group id: not the hash of the root certificate's public key; the certificates are of another group");
	} else {
		admin = !strcmp(grp->identity, creator);
		authority(creator, strlen(creator), a);
	}
	strscpy(grp->creator, creator, sizeof(grp->creator));
	if (params->id && !ops->root)
		strscpy(grp->id, params->id, sizeof(grp->id));
	else
		snprintf(grp->id, sizeof(grp->id), "%s.%s", a, grp->name);
	grp->role = admin ? PEERGROUP_ROLE_ADMIN : PEERGROUP_ROLE_MEMBER;
	if (!strcmp(grp->identity, grp->creator)) {
		/* The creator's group is ready at once. */
		grp->status |= PEERGROUP_STATUS_SYNCHRONIZED;
		/* Its properties as they are now: the first its members see. */
		grp->props.version = 1;
		return props_sign(grp, &grp->props, &grp->props_sec,
				  &grp->props_sec_len, err);
	} else {
		/*
		 * Until the creator's properties come, the widest: an import
		 * that bootstraps the group may hold records the creator's
		 * max lifetime allows and the default would not.
		 */
		grp->props.max_lifetime = PEERGROUP_MAX_LIFETIME_LIMIT;
	}
	return 0;
}

int pg_group_create(struct pg_net *pn, const struct pg_group_params *params,
		    struct pg_group **out, struct pg_write_err *err)
{
	struct pg_group *grp;
	int ret;

	lockdep_assert_held(&pn->lock);
	if (pg_group_find(pn, params->name))
		return -EEXIST;
	if (pn->ngroups >= READ_ONCE(pn->max_groups))
		return -ENOSPC;

	grp = kzalloc(sizeof(*grp), GFP_KERNEL_ACCOUNT);
	if (!grp)
		return -ENOMEM;
	kref_init(&grp->ref);
	INIT_WORK(&grp->free_work, group_free_work);
	grp->pn = pn;
	grp->memcg = pg_memcg_current();
	grp->created = ktime_get_real_ns();
	strscpy(grp->name, params->name, sizeof(grp->name));
	strscpy(grp->identity, params->identity, sizeof(grp->identity));
	pg_table_init(grp);
	INIT_LIST_HEAD(&grp->parked);
	mutex_init(&grp->nb_lock);
	INIT_LIST_HEAD(&grp->nbrs);
	if (pn->nlisteners)
		grp->status |= PEERGROUP_STATUS_LISTENING;
	grp->props.max_record_size = PEERGROUP_RECORD_SIZE_DEFAULT;
	grp->props.max_records = PEERGROUP_MAX_RECORDS_DEFAULT;
	grp->props.max_bytes = PEERGROUP_MAX_BYTES_DEFAULT;
	grp->props.max_lifetime = PEERGROUP_MAX_LIFETIME_DEFAULT;
	if (params->key)
		grp->kdf = params->kdf;
	ret = pg_security_init(grp, params, err);
	if (!ret) {
		ret = group_root(grp, params, err);
		if (ret)
			pg_security_uninit(grp);
	}
	if (ret) {
		mem_cgroup_put(grp->memcg);
		kfree(grp);
		return ret;
	}

	grp->serial = ++pn->next_serial;
	rb_add(&grp->node, &pn->groups, node_less);
	pn->ngroups++;
	pg_net_changed(pn);
	ret = pg_group_ready(grp) && grp->sec_ops->ready ?
	      grp->sec_ops->ready(grp, err) : 0;
	if (ret) {
		pg_group_remove(grp);
		return ret;
	}
	pr_debug("netns %u: group %llu (%s) created\n",
		 pn->net->ns.inum, grp->serial, grp->name);
	*out = grp;
	return 0;
}

/*
 * The last reference may be dropped where sleeping is not allowed, and a
 * table of a million records takes long to free: the release only queues
 * the freeing.
 */
static void group_release(struct kref *ref)
{
	struct pg_group *grp = container_of(ref, struct pg_group, ref);

	atomic_inc(&grp->pn->freeing);
	queue_work(pg_wq, &grp->free_work);
}

void pg_group_put(struct pg_group *grp)
{
	kref_put(&grp->ref, group_release);
}

/* Waits until every group of @pn released so far is freed. */
void pg_group_wait_freed(struct pg_net *pn)
{
	wait_var_event(&pn->freeing, !atomic_read(&pn->freeing));
}

/* Unlinks @grp from its namespace and drops the table's reference. */
void pg_group_remove(struct pg_group *grp)
{
	struct pg_net *pn = grp->pn;

	lockdep_assert_held(&pn->lock);
	rb_erase(&grp->node, &pn->groups);
	pn->ngroups--;
	pg_net_changed(pn);
	pg_table_close(grp);
	pg_neighbours_close(grp);
	pg_group_put(grp);
}

void pg_group_flush(struct pg_net *pn)
{
	struct pg_group *grp, *tmp;

	lockdep_assert_held(&pn->lock);
	/* Up to max_groups of them; no one else can reach the namespace. */
	rbtree_postorder_for_each_entry_safe(grp, tmp, &pn->groups, node) {
		pg_table_close(grp);
		pg_neighbours_close(grp);
		pg_group_put(grp);
		cond_resched();
	}
	pn->groups = RB_ROOT;
	pn->ngroups = 0;
	pg_net_changed(pn);
}
