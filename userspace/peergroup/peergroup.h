/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The peergroup tool: what main.c offers the per-object files.
 */
#ifndef _PG_PEERGROUP_H
#define _PG_PEERGROUP_H

#include <stdbool.h>
#include <stdio.h>
#include "libpeergroup.h"

/* Exit codes, also listed by "peergroup help". */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* the operation failed: kernel or library */
	EXIT_USAGE = 2,		/* the command line is wrong */
};

struct tool {
	bool json;		/* -j: results as JSON on stdout */
	struct pg_handle *h;	/* opened by tool_open() */
	const char *group;	/* the group a record command names, or NULL */
};

/*
 * A word of the command line and what runs it; argv[0] is the word after
 * this one. run NULL means "print the help". Hidden words (aliases) are
 * left out of "expected: ..." lists.
 */
struct command {
	const char *name;
	int (*run)(struct tool *t, int argc, char **argv);
	bool hidden;
};

/*
 * Runs the command argv[0] names from cmds (argc >= 1), or help(stdout) for
 * a help entry; where ("group", or NULL at the top) and noun ("command",
 * "object") word the usage error for an unknown one.
 */
int dispatch(struct tool *t, const struct command *cmds, const char *where,
	     const char *noun, void (*help)(FILE *f), int argc, char **argv);

/* Prints "peergroup: WHERE: MESSAGE" to stderr; returns EXIT_USAGE. */
int usage_error(const char *where, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Opens the library handle; prints why not and returns EXIT_FAILED. */
int tool_open(struct tool *t);

/*
 * For a command that takes a GROUP and nothing else ("neighbour show
 * GROUP"): argv holds exactly one word, or a usage error says what is
 * missing or extra; then the handle is opened (tool_open()). EXIT_OK, or
 * the exit code.
 */
int group_only(struct tool *t, const char *where, int argc, char **argv);

/*
 * Prints the failure err of the last library call on t->h, e.g.
 * "peergroup: group add office: <message> (EEXIST, PEER_E_ALREADY_EXISTS)",
 * with what = "group add office" made from fmt; returns EXIT_FAILED.
 */
int tool_failed(struct tool *t, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * For "KEYWORD VALUE" arguments: argv[*i] is the keyword; returns the value
 * and moves *i onto it, or prints "missing VALUE after KEYWORD" (what names
 * the value) and returns NULL (then return EXIT_USAGE).
 */
const char *keyword_value(const char *where, const char *what, int argc,
			  char **argv, int *i);

/*
 * Reads file (or "-", stdin) for the argument arg, up to max + 1 bytes
 * (read_input()); prints why not and returns EXIT_FAILED. bound says why
 * max: a file of more than max bytes is then a usage error, e.g.
 * "data-file F: more than 65000 bytes, the most a record holds (EMSGSIZE)";
 * with bound NULL the caller judges *len > max.
 */
int tool_read(const char *where, const char *arg, const char *file,
	      size_t max, const char *bound, char **buf, size_t *len);

/*
 * cert.c: "cert FILE" (or "-", stdin), this node's certificate chain as
 * PEM or DER, into *der (free() it), *len bytes of DER certificates one
 * after another, at most PG_CERTS_MAX of PG_CERTS_LEN_MAX bytes. EXIT_OK,
 * or the exit code after printing why not, naming the argument.
 */
int read_certs(const char *where, const char *file, uint8_t **der,
	       size_t *len);

/* group.c */
int group_run(struct tool *t, int argc, char **argv);
void group_usage(FILE *f);

/* record.c */
int record_run(struct tool *t, int argc, char **argv);
void record_usage(FILE *f);

/* listen.c */
int listen_run(struct tool *t, int argc, char **argv);
void listen_usage(FILE *f);

/* neighbour.c (also "neighbor") */
int neighbour_run(struct tool *t, int argc, char **argv);
void neighbour_usage(FILE *f);
/*
 * Why group is not synchronized yet, as its neighbours tell (which needs
 * CAP_NET_ADMIN): "connected to ADDR port P (ID), not synchronized yet",
 * else "the last connection, to ADDR port P, was refused: wrong password
 * (auth)" (or "failed: the peer's group derives its key with other
 * Argon2id parameters; give the creator's ... (kdf)"), "no neighbour: add one", "connecting to its neighbours"; ""
 * when they tell nothing (not permitted, say). Asks the kernel on t's handle, after any
 * error of its has been reported.
 */
void why_not_ready(struct tool *t, const char *group, char *out, size_t len);

/* member.c */
int member_run(struct tool *t, int argc, char **argv);
void member_usage(FILE *f);
/* invite.c */
int member_invite(struct tool *t, int argc, char **argv);

/* monitor.c */
int monitor_run(struct tool *t, int argc, char **argv);
void monitor_usage(FILE *f);

/* db.c: export and import */
int export_run(struct tool *t, int argc, char **argv);
int import_run(struct tool *t, int argc, char **argv);
void db_usage(FILE *f);
/*
 * "GROUP FILE" arguments: EXIT_OK, a usage error naming what is missing or
 * extra (FILE may be - for stdin, for stdout with where "export"), or -1
 * after printing help() for "help".
 */
int group_and_file(const char *where, int argc, char **argv,
		   void (*help)(FILE *f));
/*
 * "N records WHAT" (with -j {"records":N}) on stdout, or on stderr when
 * not to_stdout (stdout carries a file).
 */
void print_count(struct tool *t, const char *what, size_t n, bool to_stdout);

#endif /* _PG_PEERGROUP_H */
