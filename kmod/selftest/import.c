// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel unit test of import's refusal once a group has neighbours
 * (DEBUG builds only). Until replication exists no command can give a group
 * a neighbour, so the test sets the count itself, on a group of its own in
 * the initial namespace, made before the family is registered (no one else
 * can see it): a record that imports cleanly without neighbours must be
 * refused with EBUSY and its message while there is one, and leave
 * the table as it was.
 *
 * It calls pg_write_foreign(), where import decides, as netlink's import
 * does after parsing (the policy and the parsing are the userspace tests',
 * record_db_test). The commit of the last import publishes a change as
 * usual: with the family not yet registered, netlink has not subscribed.
 */
#ifdef DEBUG

#define IMPORT_TEST_GROUP	"pg-selftest-import"
#define IMPORT_TEST_PEER	"selftest"

static const u8 import_test_type[PEERGROUP_GUID_LEN] = {
	0x49, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x54, 0x65,
	0x73, 0x74, 0x8c, 0x01, 0x5e, 0x22, 0xa7, 0x10,
};

/* A record of @grp's own, secured by it: what an export would hold. */
static struct pg_record *import_test_record(struct pg_group *grp)
{
	static const char data[] = "imported";
	struct pg_record_fields f = {
		.type = import_test_type,
		.version = 1,
		.creator = grp->identity,
		.modifier = grp->identity,
		.data_len = sizeof(data),
		.data = data,
		.sec_room = grp->sec_ops->sec_len,
	};
	struct pg_record *rec;
	u8 id[PEERGROUP_GUID_LEN];

	pg_record_new_id(grp->identity, id);
	f.id = id;
	f.created = pg_group_now(grp);
	f.modified = f.created;
	f.expires = f.created + 3600ULL * NSEC_PER_SEC;
	rec = pg_record_build(&f);
	if (rec && provider_secure(grp, rec, PEERGROUP_CHANGE_ADDED, NULL)) {
		pg_record_put(rec);
		rec = NULL;
	}
	return rec;
}

/* Imports @rec into @grp as an import from a file would: its errno. */
static int import_test_run(struct pg_group *grp, const struct pg_record *rec,
			   struct pg_write_err *err)
{
	struct pg_record_fields f = {
		.id = rec->id,
		.type = rec->type,
		.version = rec->version,
		.flags = rec->flags,
		.creator = rec->creator,
		.modifier = rec->modifier,
		.created = rec->created,
		.modified = rec->modified,
		.expires = rec->expires,
		.nattrs = rec->nattrs,
		.attrs = rec->attrs,
		.data_len = rec->data_len,
		.data = rec->data,
		.sec_len = rec->sec_len,
		.sec = rec->sec,
	};
	enum pg_write_outcome outcome = PG_WRITE_DEFERRED;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = pg_write_foreign(grp, &f, &pg_origin_import, &outcome, NULL, err);
	if (!ret && outcome != PG_WRITE_ACCEPTED)
		ret = -EPROTO;
	return ret;
}

/* The table's generation and record count, read under its lock. */
static void import_test_table(struct pg_group *grp, u32 *gen, u32 *nrecords)
{
	mutex_lock(&grp->table_lock);
	*gen = grp->gen;
	*nrecords = grp->nrecords;
	mutex_unlock(&grp->table_lock);
}

static bool import_test_group(struct pg_group *grp)
{
	struct pg_write_err err;
	struct pg_record *rec, *found;
	u32 gen, gen_after, nrecords;
	bool ok = true;
	int ret;

	rec = import_test_record(grp);
	if (!rec) {
		pr_err("import selftest: no record to import\n");
		return false;
	}

	pg_group_connected(grp, 1);
	import_test_table(grp, &gen, &nrecords);
	ret = import_test_run(grp, rec, &err);
	if (ret != -EBUSY || !err.msg ||
	    strcmp(err.msg,
		   "group: connected; import only before the first connection")) {
		pr_err("import selftest: with a neighbour: %d (%s), not EBUSY\n",
		       ret, err.msg ?: "no message");
		ok = false;
	}
	found = pg_table_find(grp, rec->id);
	import_test_table(grp, &gen_after, &nrecords);
	if (found || gen_after != gen || nrecords) {
		pr_err("import selftest: with a neighbour, the table changed\n");
		ok = false;
	}
	pg_record_put(found);

	/* The same record, once the neighbour is gone: it was a good one. */
	pg_group_connected(grp, -1);
	ret = import_test_run(grp, rec, &err);
	found = pg_table_find(grp, rec->id);
	import_test_table(grp, &gen_after, &nrecords);
	if (ret || !found || nrecords != 1) {
		pr_err("import selftest: without neighbours: %d (%s)\n", ret,
		       err.msg ?: "no message");
		ok = false;
	}
	pg_record_put(found);
	pg_record_put(rec);
	return ok;
}

bool pg_import_selftest(void)
{
	static const u8 key[PEERGROUP_GROUP_KEY_LEN] = "selftest key";
	struct pg_net *pn = pg_net(&init_net);
	struct pg_group_params params = {
		.name = IMPORT_TEST_GROUP,
		.identity = IMPORT_TEST_PEER,
		.security = PEERGROUP_SECURITY_PSK,
		.key = key,
		.kdf = { .time = 1, .memory = 8, .lanes = 1 },
	};
	struct pg_write_err err = { };
	struct pg_group *grp;
	bool ok;
	int ret;

	mutex_lock(&pn->lock);
	ret = pg_group_create(pn, &params, &grp, &err);
	if (!ret)
		pg_group_get(grp);
	mutex_unlock(&pn->lock);
	if (ret) {
		pr_err("import selftest: no group (%d: %s)\n", ret,
		       err.msg ?: "");
		return false;
	}

	ok = import_test_group(grp);

	mutex_lock(&pn->lock);
	pg_group_remove(grp);
	mutex_unlock(&pn->lock);
	pg_group_put(grp);
	if (ok)
		pr_info("import selftest: pass\n");
	return ok;
}

#endif /* DEBUG */
