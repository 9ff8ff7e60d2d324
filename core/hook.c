/*
 * hook.c — the deploy hook.  See hook.h.
 */
#include "core/hook.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 64

/* Split command into words in buf (modified copy); returns the count,
 * -1 on an unterminated quote or too many words. */
static int split_words(char *buf, char **word)
{
	int n = 0;
	char *in = buf, *out = buf;
	while (*in) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in)
			break;
		if (n == MAX_WORDS - 1)
			return -1;
		word[n++] = out;
		while (*in && *in != ' ' && *in != '\t') {
			if (*in == '\'' || *in == '"') {
				char q = *in++;
				while (*in && *in != q)
					*out++ = *in++;
				if (*in != q)
					return -1;
				in++;
			} else {
				*out++ = *in++;
			}
		}
		if (*in)
			in++;
		*out++ = '\0';
	}
	word[n] = NULL;
	return n;
}

/* Keep the last HOOK_TAIL - 1 bytes seen. */
static void keep_tail(char *tail, size_t *len, const char *data, size_t n)
{
	size_t cap = HOOK_TAIL - 1;
	if (n >= cap) {
		memcpy(tail, data + n - cap, cap);
		*len = cap;
	} else {
		if (*len + n > cap) {
			size_t drop = *len + n - cap;
			memmove(tail, tail + drop, *len - drop);
			*len -= drop;
		}
		memcpy(tail + *len, data, n);
		*len += n;
	}
	tail[*len] = '\0';
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_env(const char *name, const char *value)
{
	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/* The signal fairtop got while a hook ran (0: none). */
static volatile sig_atomic_t stop_signal;

static void note_signal(int sig)
{
	stop_signal = sig;
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof stop_signals / sizeof *stop_signals)

int hook_run(const char *command, const struct hook_env *env,
	     int timeout_seconds, struct hook_result *r, struct fail *f)
{
	char *copy = strdup(command);
	char *word[MAX_WORDS];
	int fd[2] = {-1, -1};
	size_t tail_len = 0;
	memset(r, 0, sizeof *r);
	r->status = -1;
	if (copy == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (split_words(copy, word) <= 0) {
		free(copy);
		return fail_set(f, FAIL_USAGE, "deploy hook: expected a "
				"command (words, '...' or \"...\" quoted), "
				"found '%s'", command);
	}
	if (pipe(fd) != 0) {
		free(copy);
		return fail_set(f, FAIL_INTERNAL, "deploy hook: pipe: %s",
				strerror(errno));
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		free(copy);
		return fail_set(f, FAIL_INTERNAL, "deploy hook: fork: %s",
				strerror(errno));
	}
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		close(fd[1]);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		set_env("FAIRTOP_RUN", env->run);
		set_env("FAIRTOP_MODEL", env->model);
		set_env("FAIRTOP_VERSION", env->version);
		set_env("FAIRTOP_ACTION", env->action);
		set_env("FAIRTOP_REASON", env->reason);
		set_env("FAIRTOP_ACTOR", env->actor);
		execvp(word[0], word);
		fprintf(stderr, "fairtop: cannot run the deploy hook '%s': %s\n",
			word[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(fd[1]);
	free(copy);
	/* while the hook runs, a signal to fairtop stops the hook first */
	struct sigaction caught, old[NSTOP];
	memset(&caught, 0, sizeof caught);
	caught.sa_handler = note_signal;
	sigemptyset(&caught.sa_mask);
	stop_signal = 0;
	for (size_t k = 0; k < NSTOP; k++)
		sigaction(stop_signals[k], &caught, &old[k]);
	double deadline = now_seconds() + timeout_seconds;
	double kill_at = 0;
	int open_pipe = 1;
	for (;;) {
		int status;
		pid_t done = waitpid(pid, &status, WNOHANG);
		if (done == pid) {
			if (WIFEXITED(status)) {
				r->status = WEXITSTATUS(status);
			} else if (WIFSIGNALED(status)) {
				r->status = -1;
				r->signal = WTERMSIG(status);
			}
			break;
		}
		double now = now_seconds();
		if (stop_signal != 0 && !r->stopped_by && !r->timed_out) {
			r->stopped_by = stop_signal;
			kill(-pid, SIGTERM);
			kill_at = now + 2;
		} else if (!r->timed_out && !r->stopped_by && now >= deadline) {
			r->timed_out = 1;
			kill(-pid, SIGTERM);
			kill_at = now + 2;
		} else if ((r->timed_out || r->stopped_by) && kill_at > 0 &&
			   now >= kill_at) {
			kill(-pid, SIGKILL);
			kill_at = 0;
		}
		if (open_pipe) {
			struct pollfd p = {fd[0], POLLIN, 0};
			if (poll(&p, 1, 100) > 0) {
				char buf[4096];
				ssize_t got = read(fd[0], buf, sizeof buf);
				if (got > 0)
					keep_tail(r->tail, &tail_len, buf,
						  (size_t)got);
				else if (got == 0)
					open_pipe = 0;
			}
		} else {
			struct timespec pause = {0, 50 * 1000 * 1000};
			nanosleep(&pause, NULL);
		}
	}
	/* what the hook wrote before it ended */
	for (;;) {
		struct pollfd p = {fd[0], POLLIN, 0};
		char buf[4096];
		if (!open_pipe || poll(&p, 1, 0) <= 0)
			break;
		ssize_t got = read(fd[0], buf, sizeof buf);
		if (got <= 0)
			break;
		keep_tail(r->tail, &tail_len, buf, (size_t)got);
	}
	close(fd[0]);
	for (size_t k = 0; k < NSTOP; k++)
		sigaction(stop_signals[k], &old[k], NULL);
	return 0;
}
