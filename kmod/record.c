// SPDX-License-Identifier: GPL-2.0
/*
 * Records: building, checking and freeing them, and a group's table.
 */
#include "record.h"

#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>

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

/* 1..PEERGROUP_ATTR_NAME_MAX letters and digits. */
bool pg_attr_name_valid(const char *name)
{
	size_t len = strnlen(name, PEERGROUP_ATTR_NAME_MAX + 1);
	size_t i;

	if (!len || len > PEERGROUP_ATTR_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]))
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
