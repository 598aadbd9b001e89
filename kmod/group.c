// SPDX-License-Identifier: GPL-2.0
/*
 * Group lifetime and the per-namespace table of groups.
 */
#include "group.h"
#include "memcg.h"
#include "peer.h"
#include "pernet.h"
#include "record.h"
#include "security.h"

#include <crypto/sha2.h>
#include <linux/ctype.h>
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
 * creator's identity, the classifier is the group name.
 */
static void authority(const char *creator,
		      char out[PEERGROUP_GROUP_AUTHORITY_LEN + 1])
{
	u8 digest[SHA256_DIGEST_SIZE];

	BUILD_BUG_ON(PEERGROUP_GROUP_AUTHORITY_LEN != 2 * 20);
	sha256(creator, strlen(creator), digest);
	snprintf(out, PEERGROUP_GROUP_AUTHORITY_LEN + 1, "%*phN", 20, digest);
	memzero_explicit(digest, sizeof(digest));
}

static void derive_id(struct pg_group *grp)
{
	char a[PEERGROUP_GROUP_AUTHORITY_LEN + 1];

	authority(grp->creator, a);
	snprintf(grp->id, sizeof(grp->id), "%s.%s", a, grp->name);
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

	authority(creator, a);
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

/*
 * A property replication owns: written under both locks, and expiry is
 * re-armed, as DEFER_EXPIRATION depends on it.
 */
void pg_group_neighbours_set(struct pg_group *grp, u32 n)
{
	lockdep_assert_held(&grp->write_lock);
	mutex_lock(&grp->table_lock);
	grp->neighbours = n;
	mutex_unlock(&grp->table_lock);
	pg_table_rearm(grp);
}

/* Status bits are written under both locks; the caller publishes it. */
void pg_group_status_set(struct pg_group *grp, u32 set, u32 clear)
{
	lockdep_assert_held(&grp->write_lock);
	mutex_lock(&grp->table_lock);
	WRITE_ONCE(grp->status, (grp->status & ~clear) | set);
	mutex_unlock(&grp->table_lock);
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

	pg_table_flush(grp);
	pg_security_uninit(grp);
	mem_cgroup_put(grp->memcg);
	pr_debug("netns %u: group %llu (%s) destroyed\n",
		 pn->net->ns.inum, grp->serial, grp->name);
	kfree(grp);
	if (atomic_dec_and_test(&pn->freeing))
		wake_up_var(&pn->freeing);
}

int pg_group_create(struct pg_net *pn, const struct pg_group_params *params,
		    struct pg_group **out)
{
	const char *creator = params->id ? "" :
			      params->creator ?: params->identity;
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
	strscpy(grp->creator, creator, sizeof(grp->creator));
	if (params->id)
		strscpy(grp->id, params->id, sizeof(grp->id));
	else
		derive_id(grp);
	pg_table_init(grp);
	mutex_init(&grp->nb_lock);
	INIT_LIST_HEAD(&grp->nbrs);
	if (pn->nlisteners)
		grp->status |= PEERGROUP_STATUS_LISTENING;
	grp->max_record_size = PEERGROUP_RECORD_SIZE_DEFAULT;
	grp->max_records = PEERGROUP_MAX_RECORDS_DEFAULT;
	grp->max_bytes = PEERGROUP_MAX_BYTES_DEFAULT;
	grp->max_lifetime = PEERGROUP_MAX_LIFETIME_DEFAULT;
	if (!strcmp(grp->identity, grp->creator)) {
		/* The creator is the administrator of a group ready at once. */
		grp->role = PEERGROUP_ROLE_ADMIN;
		grp->status |= PEERGROUP_STATUS_SYNCHRONIZED;
		/* Its properties as they are now: the first its members see. */
		grp->props_version = 1;
	} else {
		grp->role = PEERGROUP_ROLE_MEMBER;
		/*
		 * Until the creator's properties come, the widest: an import
		 * that bootstraps the group may hold records the creator's
		 * max lifetime allows and the default would not.
		 */
		grp->max_lifetime = PEERGROUP_MAX_LIFETIME_LIMIT;
	}
	if (params->key)
		grp->kdf = params->kdf;
	ret = pg_security_init(grp, PEERGROUP_SECURITY_PSK, params->key,
			       params->key ? PEERGROUP_GROUP_KEY_LEN : 0);
	if (ret) {
		mem_cgroup_put(grp->memcg);
		kfree(grp);
		return ret;
	}

	grp->serial = ++pn->next_serial;
	rb_add(&grp->node, &pn->groups, node_less);
	pn->ngroups++;
	pg_net_changed(pn);
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
