/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the peergroup C selftests.
 */
#ifndef _PG_SELFTEST_H
#define _PG_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpeergroup.h"

/* Writes TEXT to a (proc or sysfs) file: 0 or a negative errno. */
static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t len = strlen(text), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, text, len);
	ret = ret == len ? 0 : -errno;
	close(fd);
	return ret;
}

/* The number of groups a dump lists, or a negative errno. */
static inline long count_groups(struct pg_handle *h)
{
	struct pg_group_info *groups = NULL;
	size_t n = 0;
	int ret;

	ret = pg_group_enum(h, &groups, &n);
	free(groups);
	return ret ? ret : (long)n;
}

#endif /* _PG_SELFTEST_H */
