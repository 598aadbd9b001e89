// SPDX-License-Identifier: GPL-2.0
/*
 * The one write path: local writes and foreign records (write.h).
 */
#include "group.h"
#include "pernet.h"
#include "record.h"
#include "security.h"
#include "write.h"

#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * The provider's verdict on @rec: 0, -EAGAIN (it cannot judge it yet) or
 * its refusal; every refusal says why, the provider's words or ours.
 */
static int provider_validate(struct pg_group *grp,
			     const struct pg_record *rec,
			     enum peergroup_change change,
			     struct pg_write_err *err)
{
	struct pg_write_err why = { };
	int ret;

	ret = grp->sec_ops->validate(grp, rec, change, &why);
	if (ret && !why.msg) {
		why.field = PEERGROUP_RECORD_A_SECURITY;
		why.msg = ret == -EAGAIN ?
			  "security data: the provider cannot validate the record yet" :
			  "security data: the record does not verify";
	}
	if (ret && err)
		*err = why;
	return ret;
}

/*
 * An imported record that does not verify under a psk group's key was
 * secured under another key: the message says which key this group has,
 * so that the administrator sees why (most often an export of a group with
 * a random key, deleted and created again since: it has a new key).
 */
static int import_rejected(const struct pg_group *grp, int ret,
			   struct pg_write_err *err)
{
	if (ret != -EINVAL || grp->sec_ops->kind != PEERGROUP_SECURITY_PSK)
		return ret;
	if (grp->key_random)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_SECURITY,
				     "security data: secured under another key; this group has a random key, drawn when it was created (deleted and made again, it has a new one), and only what it exported itself verifies under it");
	return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_SECURITY,
			     "security data: secured under another key: another password, or the random key of a group without one, whose export restores only into that same group");
}

/* Secures a fresh record built with room for it, then validates it. */
static int provider_secure(struct pg_group *grp, struct pg_record *rec,
			   enum peergroup_change change,
			   struct pg_write_err *err)
{
	const struct pg_security_ops *ops = grp->sec_ops;
	u32 len = 0;
	u8 *sec;
	int ret;

	ret = ops->secure(grp, rec, change, &sec, &len);
	if (ret)
		return pg_write_fail(err, ret, 0,
				     "security data: the group's provider could not secure the record");
	if (WARN_ON_ONCE(len > ops->sec_len)) {
		ops->free(grp, sec);
		return pg_write_fail(err, -EINVAL, 0,
				     "security data: the provider wrote more than it said it would");
	}
	memcpy((u8 *)rec->sec, sec, len);
	rec->sec_len = len;
	ops->free(grp, sec);
	return provider_validate(grp, rec, change, err);
}

/* A record's data and attributes within the group's max record size. */
static int check_size(struct pg_group *grp, u32 data_len,
		      const struct pg_attr *attrs, u32 nattrs,
		      struct pg_write_err *err)
{
	u64 size = data_len + pg_attrs_size(attrs, nattrs);

	lockdep_assert_held(&grp->write_lock);
	if (size <= grp->props.max_record_size)
		return 0;
	return pg_write_fail(err, -EMSGSIZE, PG_FIELD_RECORD,
			     "record: larger than the group's max record size");
}

/*
 * Every stored record goes out whole in one netlink attribute (a dump, an
 * export) and one frame: with long identities and many attributes that
 * bound comes slightly before the max record size.
 */
static int check_encodable(const struct pg_record *rec,
			   struct pg_write_err *err)
{
	if (pg_record_msg_size(rec) <= U16_MAX)
		return 0;
	return pg_write_fail(err, -EMSGSIZE, PG_FIELD_RECORD,
			     "record: too large for one netlink attribute (64 KiB with all its fields)");
}

/*
 * Type rules: never nil; a reserved type only if the group's provider
 * keeps records of it (pki: memberships), and then only written by the
 * module (@module: the module's own write, or a foreign copy, which the
 * provider validates), never by a command.
 */
static int check_type(struct pg_group *grp, const u8 *type, bool module,
		      struct pg_write_err *err)
{
	const struct pg_security_ops *ops = grp->sec_ops;

	if (pg_type_nil(type))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_TYPE,
				     "record type: the nil GUID is not a record type");
	if (pg_type_reserved(type) &&
	    !(module && ops->owns_type && ops->owns_type(type)))
		return pg_write_fail(err, -EACCES, PEERGROUP_RECORD_A_TYPE,
				     "record type: reserved to the module");
	return 0;
}

static int check_expires(u64 expires, u64 now, struct pg_write_err *err)
{
	if (expires > now)
		return 0;
	return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_EXPIRES,
			     "expiration: must be later than the group's peer time now");
}

/* A lifetime within the group's max lifetime (record.h), whoever wrote it. */
static int check_lifetime(struct pg_group *grp, u64 expires, u64 modified,
			  u64 now, struct pg_write_err *err)
{
	lockdep_assert_held(&grp->write_lock);
	if (expires <= pg_expires_limit(modified, now, grp->props.max_lifetime))
		return 0;
	return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_EXPIRES,
			     "expiration: more than the group's max lifetime after the modification time");
}

/* The stored live record @id, referenced; ENOENT otherwise. */
static struct pg_record *find_live(struct pg_group *grp, const u8 *id,
				   int *ret, struct pg_write_err *err)
{
	struct pg_record *rec = pg_table_find_live(grp, id);

	if (!rec)
		*ret = pg_write_fail(err, -ENOENT, PEERGROUP_RECORD_A_ID,
				     "record id: no such record in this group");
	return rec;
}

/* Only a record's creator or an administrator may change it. */
static int authorize(struct pg_group *grp, const struct pg_record *rec,
		     struct pg_write_err *err)
{
	if (!strcmp(rec->creator, grp->identity) ||
	    grp->role == PEERGROUP_ROLE_ADMIN)
		return 0;
	return pg_write_fail(err, -EACCES, PG_FIELD_RECORD,
			     "record: only its creator or an administrator may change it");
}

/* A version within what the record's age allows now (record.h). */
static int check_version(u64 version, u64 created, u64 modified, u64 now,
			 struct pg_write_err *err)
{
	if (version <= pg_version_limit(created, modified, now))
		return 0;
	return pg_write_fail(err, -EOVERFLOW, PEERGROUP_RECORD_A_VERSION,
			     "record version: ahead of the record's age (65536 versions, then one a second)");
}

/*
 * What no change of the stored copy @old can change, whoever made it: the
 * type and the flags (records.rst), but the flags in @changing: DELETED for
 * a copy received, none for an update asked for here. The creator and the
 * creation time neither; a local change copies them, a foreign one is
 * checked for them (check_successor()).
 */
static int check_kept(const struct pg_record *old, const u8 *type, u32 flags,
		      u32 changing, struct pg_write_err *err)
{
	if (memcmp(old->type, type, PEERGROUP_GUID_LEN))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_TYPE,
				     "record type: differs from the stored one; a record's type never changes");
	if ((old->flags ^ flags) & ~changing)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_FLAGS,
				     "record flags: differ from the stored ones; they never change");
	return 0;
}

/*
 * The stored live record @id, if the local identity may change it
 * (referenced); NULL with *@ret and *@err otherwise.
 */
static struct pg_record *find_changeable(struct pg_group *grp,
					 const struct pg_write_req *req,
					 int *ret, struct pg_write_err *err)
{
	struct pg_record *old = find_live(grp, req->id, ret, err);

	if (!old)
		return NULL;
	*ret = check_type(grp, old->type, req->module, err) ?:
	       authorize(grp, old, err);
	if (*ret) {
		pg_record_put(old);
		return NULL;
	}
	return old;
}

/*
 * What a change of @old at peer time @now keeps of it, and what the change
 * itself sets; its version must be within reach.
 */
static int successor_fields(struct pg_group *grp, const struct pg_record *old,
			    u64 now, struct pg_record_fields *f,
			    struct pg_write_err *err)
{
	f->id = old->id;
	f->type = old->type;
	f->flags = old->flags;
	f->creator = old->creator;
	f->modifier = grp->identity;
	f->created = old->created;
	f->modified = pg_record_next_modified(old, now);
	f->version = old->version + 1;
	return check_version((u64)old->version + 1, f->created, f->modified,
			     now, err);
}

/*
 * Builds, secures and commits a local change of @old (NULL: an add) into a
 * record of fields @f: every local write (add, update, delete, refresh)
 * passes these checks.
 */
static int local_commit(struct pg_group *grp, struct pg_record *old,
			struct pg_record_fields *f,
			enum peergroup_change change, struct pg_record **out,
			struct pg_write_err *err)
{
	struct pg_record *rec;
	int ret;

	lockdep_assert_held(&grp->write_lock);
	ret = check_size(grp, f->data_len, f->attrs, f->nattrs, err);
	if (!ret)
		ret = check_lifetime(grp, f->expires, f->modified,
				     pg_group_now(grp), err);
	if (ret)
		return ret;
	f->sec_room = grp->sec_ops->sec_len;
	rec = pg_record_build(f);
	if (!rec)
		return pg_write_fail(err, -ENOMEM, 0, "out of memory for the record");
	ret = provider_secure(grp, rec, change, err);
	if (!ret)
		ret = check_encodable(rec, err);
	if (!ret)
		ret = pg_table_commit(grp, old, rec, change, &pg_origin_local,
				      err);
	if (!ret && out)
		*out = pg_record_get(rec);
	pg_record_put(rec);
	return ret;
}

int pg_write_add(struct pg_group *grp, const struct pg_write_req *req,
		 struct pg_record **out, struct pg_write_err *err)
{
	struct pg_record_fields f = {
		.type = req->type,
		.version = 1,
		.flags = req->flags,
		.creator = grp->identity,
		.modifier = grp->identity,
		.expires = req->expires,
		.nattrs = req->nattrs,
		.attrs = req->attrs,
		.data_len = req->data_len,
		.data = req->data,
	};
	u8 id[PEERGROUP_GUID_LEN];
	int ret;

	ret = check_type(grp, req->type, req->module, err);
	if (ret)
		return ret;
	if (req->flags & ~PEERGROUP_RECORD_F_AUTOREFRESH)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_FLAGS,
				     "record flags: only autorefresh may be asked for");

	mutex_lock(&grp->write_lock);
	pg_record_new_id(grp->identity, id);
	f.id = id;
	f.created = pg_group_now(grp);
	f.modified = f.created;
	ret = check_expires(f.expires, f.modified, err);
	if (!ret)
		ret = local_commit(grp, NULL, &f, PEERGROUP_CHANGE_ADDED, out,
				   err);
	mutex_unlock(&grp->write_lock);
	return ret;
}

int pg_write_update(struct pg_group *grp, const struct pg_write_req *req,
		    struct pg_record **out, struct pg_write_err *err)
{
	struct pg_record_fields f = {
		.expires = req->expires,
		.nattrs = req->nattrs,
		.attrs = req->attrs,
		.data_len = req->data_len,
		.data = req->data,
	};
	struct pg_record *old;
	int ret;

	mutex_lock(&grp->write_lock);
	old = find_changeable(grp, req, &ret, err);
	if (!old)
		goto unlock;
	ret = check_kept(old, req->type, req->flags, 0, err);
	/*
	 * A local update's own rule: copies met by the conflict rule may
	 * differ in lifetime (two writers at once), and are not held to it.
	 */
	if (!ret && req->expires < old->expires)
		ret = pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_EXPIRES,
				    "expiration: an update may extend it, never shorten it");
	if (!ret)
		ret = successor_fields(grp, old, pg_group_now(grp), &f, err);
	if (!ret)
		ret = check_expires(f.expires, f.modified, err);
	if (!ret)
		ret = local_commit(grp, old, &f, PEERGROUP_CHANGE_UPDATED, out,
				   err);
unlock:
	mutex_unlock(&grp->write_lock);
	pg_record_put(old);
	return ret;
}

int pg_write_delete(struct pg_group *grp, const struct pg_write_req *req,
		    struct pg_record **out, struct pg_write_err *err)
{
	struct pg_record_fields f = { };
	struct pg_record *old;
	u64 now;
	int ret;

	mutex_lock(&grp->write_lock);
	now = pg_group_now(grp);
	old = find_changeable(grp, req, &ret, err);
	if (old)
		ret = successor_fields(grp, old, now, &f, err);
	if (old && !ret) {
		/*
		 * A tombstone: flagged, emptied, and kept until the record
		 * would have expired, or as long as the max lifetime allows
		 * if it was lowered since: a copy living longer is refused
		 * anyway (records.rst, "Lifetime").
		 */
		f.flags |= PEERGROUP_RECORD_F_DELETED;
		f.expires = min(old->expires,
				pg_expires_limit(f.modified, now,
						 grp->props.max_lifetime));
		ret = local_commit(grp, old, &f, PEERGROUP_CHANGE_DELETED, out,
				   err);
	}
	mutex_unlock(&grp->write_lock);
	pg_record_put(old);
	return ret;
}

/*
 * Called by the expiry work, which holds the write_lock across its batch:
 * an update of the owner's, with the same data and the same lifetime from
 * now on, or the group's max lifetime if it was lowered since.
 */
int pg_write_refresh(struct pg_group *grp, struct pg_record *old)
{
	struct pg_record_fields f = {
		.nattrs = old->nattrs,
		.attrs = old->attrs,
		.data_len = old->data_len,
		.data = old->data,
	};
	u64 now = pg_group_now(grp);
	int ret;

	lockdep_assert_held(&grp->write_lock);
	ret = successor_fields(grp, old, now, &f, NULL);
	if (ret)
		return ret;
	f.expires = min(f.modified + (old->expires - old->modified),
			pg_expires_limit(f.modified, now, grp->props.max_lifetime));
	return local_commit(grp, old, &f, PEERGROUP_CHANGE_UPDATED, NULL, NULL);
}

/*
 * The form of a foreign record, before the provider is asked: what a
 * record must look like whoever wrote it ([MS-PPGRH] 3.1.7.27).
 */
static int check_form(const struct pg_record_fields *f,
		      struct pg_write_err *err)
{
	if (!f->version)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_VERSION,
				     "record version: starts at 1");
	if (f->flags & ~(PEERGROUP_RECORD_F_AUTOREFRESH |
			 PEERGROUP_RECORD_F_DELETED))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_FLAGS,
				     "record flags: unknown flags");
	if (!pg_identity_valid(f->creator))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_CREATOR,
				     "identity: use 2 to 255 printable ASCII characters, no spaces");
	if (!pg_identity_valid(f->modifier))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_MODIFIER,
				     "identity: use 2 to 255 printable ASCII characters, no spaces");
	if (f->created > f->modified)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_MODIFIED,
				     "modification time: before the creation time");
	if (f->modified >= f->expires)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_EXPIRES,
				     "expiration: not after the modification time");
	if ((f->flags & PEERGROUP_RECORD_F_DELETED) &&
	    (f->data_len || f->nattrs))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_FLAGS,
				     "record flags: a deleted record holds no data and no attributes");
	if (!pg_record_id_bound(f->id, f->creator))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_ID,
				     "record id: not bound to the record's creator");
	return 0;
}

/* The event a stored copy @old (or none) turning into @rec raises. */
static enum peergroup_change foreign_change(const struct pg_record *old,
					    const struct pg_record *rec)
{
	if (pg_record_deleted(rec))
		return old && !pg_record_deleted(old) ?
		       PEERGROUP_CHANGE_DELETED : PEERGROUP_CHANGE_UNSPEC;
	return old && !pg_record_deleted(old) ?
	       PEERGROUP_CHANGE_UPDATED : PEERGROUP_CHANGE_ADDED;
}

/*
 * The rules on what the fields mean, once the provider has vouched for
 * them: no field is judged before it is known to be the one its author
 * wrote.
 */
static int check_meaning(struct pg_group *grp, const struct pg_record *rec,
			 struct pg_write_err *err)
{
	u64 now = pg_group_now(grp);
	int ret;

	if (rec->expires <= now)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_EXPIRES,
				     "expiration: the record has expired");
	ret = check_lifetime(grp, rec->expires, rec->modified, now, err);
	if (ret)
		return ret;
	ret = check_version(rec->version, rec->created, rec->modified, now,
			    err);
	if (ret)
		return ret;
	ret = check_type(grp, rec->type, true, err);
	if (ret)
		return ret;
	if (!grp->sec_ops->judges_roles &&
	    strcmp(rec->modifier, rec->creator) &&
	    strcmp(rec->modifier, grp->creator))
		return pg_write_fail(err, -EACCES, PEERGROUP_RECORD_A_MODIFIER,
				     "record modifier: neither the record's creator nor an administrator");
	return check_size(grp, rec->data_len, rec->attrs, rec->nattrs, err);
}

/*
 * A newer copy of a stored record changes nothing that no write may
 * change (check_kept()); its creator and creation time are the stored
 * ones. Its lifetime may be shorter: two writers at once make two
 * branches, and the one that wins may be the one that did not extend it.
 * A tombstone may come back to life: a delete competes under the conflict
 * rule like any write.
 */
static int check_successor(const struct pg_record *old,
			   const struct pg_record *rec,
			   struct pg_write_err *err)
{
	if (strcmp(old->creator, rec->creator))
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_CREATOR,
				     "record creator: differs from the stored one; it never changes");
	if (old->created != rec->created)
		return pg_write_fail(err, -EINVAL, PEERGROUP_RECORD_A_CREATED,
				     "creation time: differs from the stored one; it never changes");
	return check_kept(old, rec->type, rec->flags,
			  PEERGROUP_RECORD_F_DELETED, err);
}

static int foreign_locked(struct pg_group *grp, struct pg_record *rec,
			  const struct pg_origin *origin,
			  enum pg_write_outcome *outcome,
			  struct pg_record **stored, struct pg_write_err *err)
{
	struct pg_record *old;
	int ret;

	lockdep_assert_held(&grp->write_lock);
	if (origin->kind == PG_ORIGIN_IMPORT && grp->neighbours)
		return pg_write_fail(err, -EBUSY, 0,
				     "group: connected; import only before the first connection");
	/* The rules read the creator: a group joined by id learns it first. */
	if (!grp->creator[0])
		return pg_write_fail(err, -EAGAIN, 0,
				     "group: its creator is not known yet (joined by id: a neighbour tells it)");
	ret = check_encodable(rec, err);
	if (ret)
		return ret;
	ret = provider_validate(grp, rec, PEERGROUP_CHANGE_UNSPEC, err);
	if (ret && origin->kind == PG_ORIGIN_IMPORT)
		ret = import_rejected(grp, ret, err);
	if (ret == -EAGAIN) {
		*outcome = PG_WRITE_DEFERRED;
		return 0;
	}
	if (!ret)
		ret = check_meaning(grp, rec, err);
	if (ret)
		return ret;

	old = pg_table_find(grp, rec->id);
	if (old && pg_record_newer(rec, old)) {
		ret = check_successor(old, rec, err);
		if (ret) {
			pg_record_put(old);
			return ret;
		}
	} else if (old) {
		/* Ours wins, or the two agree on every field the rule reads. */
		*outcome = pg_record_newer(old, rec) ? PG_WRITE_STALE :
						       PG_WRITE_SAME;
		if (*outcome == PG_WRITE_STALE && stored)
			*stored = pg_record_get(old);
		pg_record_put(old);
		return 0;
	}
	ret = pg_table_commit(grp, old, rec, foreign_change(old, rec), origin,
			      err);
	if (!ret)
		*outcome = PG_WRITE_ACCEPTED;
	pg_record_put(old);
	return ret;
}

/* A foreign record the provider could not judge yet, kept (write.h). */
struct pg_parked {
	struct list_head node;		/* in pg_group.parked */
	struct pg_record *rec;
	struct pg_origin origin;
	size_t size;
};

static void parked_free(struct pg_group *grp, struct pg_parked *pk)
{
	list_del(&pk->node);
	WRITE_ONCE(grp->nparked, grp->nparked - 1);
	grp->parked_bytes -= pk->size;
	pg_record_put(pk->rec);
	kfree(pk);
}

/* Drops the parked records that have expired by @now. */
static void parked_expire(struct pg_group *grp, u64 now)
{
	struct pg_parked *pk, *tmp;

	lockdep_assert_held(&grp->write_lock);
	list_for_each_entry_safe(pk, tmp, &grp->parked, node) {
		if (pk->rec->expires > now)
			continue;
		parked_free(grp, pk);
		WRITE_ONCE(grp->parked_dropped, grp->parked_dropped + 1);
	}
}

/*
 * Keeps @rec, from a neighbour, until its provider can judge it; within
 * PEERGROUP_PARKED_MAX records and PEERGROUP_PARKED_BYTES_MAX bytes, the
 * expired ones dropped first; beyond, it is dropped and counted.
 */
static void park(struct pg_group *grp, struct pg_record *rec,
		 const struct pg_origin *origin)
{
	size_t size = pg_record_msg_size(rec);
	struct pg_parked *pk;

	lockdep_assert_held(&grp->write_lock);
	if (grp->nparked >= PEERGROUP_PARKED_MAX ||
	    grp->parked_bytes + size > PEERGROUP_PARKED_BYTES_MAX)
		parked_expire(grp, pg_group_now(grp));
	pk = grp->nparked < PEERGROUP_PARKED_MAX &&
	     grp->parked_bytes + size <= PEERGROUP_PARKED_BYTES_MAX ?
	     kmalloc(sizeof(*pk), GFP_KERNEL_ACCOUNT) : NULL;
	if (!pk) {
		WRITE_ONCE(grp->parked_dropped, grp->parked_dropped + 1);
		return;
	}
	pk->rec = pg_record_get(rec);
	pk->origin = *origin;
	pk->size = size;
	list_add_tail(&pk->node, &grp->parked);
	WRITE_ONCE(grp->nparked, grp->nparked + 1);
	grp->parked_bytes += size;
}

/*
 * The provider learned something (a record of its own type was stored):
 * the parked records pass the rules again, in the order they came, with
 * their origin, until a pass stores none of the provider's own. One that
 * is deferred again stays; one refused now is dropped, as it would have
 * been on arrival.
 */
static void unpark(struct pg_group *grp)
{
	const struct pg_security_ops *ops = grp->sec_ops;
	enum pg_write_outcome outcome;
	struct pg_parked *pk, *tmp;
	bool again = true;
	LIST_HEAD(batch);

	lockdep_assert_held(&grp->write_lock);
	while (again && grp->nparked) {
		again = false;
		parked_expire(grp, pg_group_now(grp));
		list_splice_init(&grp->parked, &batch);
		list_for_each_entry_safe(pk, tmp, &batch, node) {
			/* Deferred again, it is parked anew, at the end. */
			list_add_tail(&pk->node, &grp->parked);
			if (foreign_locked(grp, pk->rec, &pk->origin, &outcome,
					   NULL, NULL) ||
			    outcome != PG_WRITE_DEFERRED) {
				again |= outcome == PG_WRITE_ACCEPTED &&
					 ops->owns_type &&
					 ops->owns_type(pk->rec->type);
				parked_free(grp, pk);
			}
		}
	}
}

void pg_write_parked_flush(struct pg_group *grp)
{
	struct pg_parked *pk, *tmp;

	list_for_each_entry_safe(pk, tmp, &grp->parked, node)
		parked_free(grp, pk);
}

int pg_write_foreign(struct pg_group *grp, const struct pg_record_fields *f,
		     const struct pg_origin *origin,
		     enum pg_write_outcome *outcome, struct pg_record **stored,
		     struct pg_write_err *err)
{
	struct pg_record *rec;
	int ret;

	if (stored)
		*stored = NULL;
	ret = check_form(f, err);
	if (ret)
		return ret;
	rec = pg_record_build(f);
	if (!rec)
		return pg_write_fail(err, -ENOMEM, 0, "out of memory for the record");

	mutex_lock(&grp->write_lock);
	ret = foreign_locked(grp, rec, origin, outcome, stored, err);
	if (!ret && *outcome == PG_WRITE_DEFERRED &&
	    origin->kind == PG_ORIGIN_PEER)
		park(grp, rec, origin);
	if (!ret && *outcome == PG_WRITE_ACCEPTED && grp->sec_ops->owns_type &&
	    grp->sec_ops->owns_type(rec->type))
		unpark(grp);
	mutex_unlock(&grp->write_lock);
	/* An imported database is a first synchronization. */
	if (!ret && *outcome != PG_WRITE_DEFERRED &&
	    origin->kind == PG_ORIGIN_IMPORT)
		pg_group_synchronized(grp);
	pg_record_put(rec);
	return ret;
}

#include "selftest/import.c"
