/*
 * declock.c — one decision at a time per store.  See declock.h.
 */
#include "storage/declock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The pid written in the lock file by its holder, 0 when unreadable. */
static long holder_of(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int decision_lock_take(struct decision_lock *l, const struct store *s,
		       int wait_seconds, void (*waiting)(long pid),
		       struct fail *f)
{
	char path[4096];
	l->fd = -1;
	snprintf(path, sizeof path, "%s.decide", s->path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail_set(f, FAIL_INTERNAL, "%s: cannot open the "
				"decision lock (%s)", path, strerror(errno));
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	int told = 0;
	/* tenths of a second */
	for (long left = (long)wait_seconds * 10;; left--) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			break;
		if (errno != EACCES && errno != EAGAIN) {
			int e = errno;
			close(fd);
			return fail_set(f, FAIL_INTERNAL, "%s: cannot take "
					"the decision lock (%s)", path,
					strerror(e));
		}
		long pid = holder_of(fd);
		if (left <= 0) {
			close(fd);
			fail_set(f, FAIL_INTERNAL, "another deploy or rollback "
				 "(pid %ld) is deciding on %s; try again "
				 "when it is done", pid, s->path);
			return 1;
		}
		if (!told && waiting != NULL)
			waiting(pid);
		told = 1;
		struct timespec tenth = {0, 100000000L};
		nanosleep(&tenth, NULL);
	}
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
		/* the pid is for messages only: the lock stands */
	}
	l->fd = fd;
	return 0;
}

void decision_lock_release(struct decision_lock *l)
{
	if (l->fd < 0)
		return;
	/* closing drops the fcntl lock */
	close(l->fd);
	l->fd = -1;
}

int decision_lock_held(const struct store *s)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.decide", s->path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* never taken: no decision was ever made here */
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	return held;
}
