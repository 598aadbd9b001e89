// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * The group key: Argon2id (RFC 9106) of the password, salted with
 * "peergroup psk v2 " and the group id, 32 bytes (libpeergroup.h,
 * Documentation/records.rst). The kernel gets the key, never the password.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <argon2.h>
#include "libpeergroup.h"

#define KDF_SALT	"peergroup psk v2 "

/* kdf with its zero fields given their defaults, checked against the uapi. */
static const char *kdf_resolve(const struct pg_kdf *kdf, struct pg_kdf *out)
{
	*out = (struct pg_kdf){ 0 };
	if (kdf)
		*out = *kdf;
	if (!out->time)
		out->time = PG_KDF_TIME_DEFAULT;
	if (!out->memory_kib)
		out->memory_kib = PG_KDF_MEMORY_DEFAULT;
	if (!out->lanes)
		out->lanes = PG_KDF_LANES_DEFAULT;
	if (out->time > PEERGROUP_KDF_TIME_MAX)
		return "kdf time: more passes than PEERGROUP_KDF_TIME_MAX";
	if (out->lanes > PEERGROUP_KDF_LANES_MAX)
		return "kdf lanes: more than PEERGROUP_KDF_LANES_MAX";
	if (out->memory_kib > PEERGROUP_KDF_MEMORY_MAX)
		return "kdf memory: more than PEERGROUP_KDF_MEMORY_MAX KiB (4 GiB)";
	if (out->memory_kib < 8 * out->lanes)
		return "kdf memory: Argon2id needs at least 8 KiB per lane";
	return NULL;
}

int pg_kdf_derive(const void *password, size_t len, const char *group_id,
		  const struct pg_kdf *kdf, struct pg_kdf *kdf_used,
		  uint8_t key[PEERGROUP_GROUP_KEY_LEN], const char **why)
{
	size_t salt_len = strlen(KDF_SALT) + strlen(group_id);
	const char *bad;
	struct pg_kdf k;
	char *salt;
	int ret;

	bad = kdf_resolve(kdf, &k);
	if (!bad && (!len || len > PEERGROUP_PASSWORD_MAX))
		bad = "password: 1 to 256 bytes";
	if (bad) {
		if (why)
			*why = bad;
		return -EINVAL;
	}
	salt = malloc(salt_len + 1);
	if (!salt) {
		if (why)
			*why = "out of memory for the key derivation's salt";
		return -ENOMEM;
	}
	strcpy(salt, KDF_SALT);
	strcat(salt, group_id);
	ret = argon2id_hash_raw(k.time, k.memory_kib, k.lanes, password, len,
				salt, salt_len, key, PEERGROUP_GROUP_KEY_LEN);
	free(salt);
	if (ret != ARGON2_OK) {
		explicit_bzero(key, PEERGROUP_GROUP_KEY_LEN);
		if (why)
			*why = ret == ARGON2_MEMORY_ALLOCATION_ERROR ?
			       "out of memory for Argon2id (kdf memory)" :
			       argon2_error_message(ret);
		return ret == ARGON2_MEMORY_ALLOCATION_ERROR ? -ENOMEM : -EINVAL;
	}
	if (kdf_used)
		*kdf_used = k;
	return 0;
}
