# fairtop — build, check, demo, bench, install.
#
#   make            build ./fairtop
#   make deps       install missing Debian packages (as root), else say which,
#                   and DuckDB's npm package into build/npm/
#   make check      every test, then the unit tests again under ASan+UBSan
#   make demo       fresh demo.db from sample_runs, then show it
#   make bench      ingest speed and memory on 1M and 10M generated rows
#   make calibrate  the gate's false-alarm and detection rates, simulated
#   make lint       cppcheck over the sources, clean
#   make install    PREFIX=/usr/local DESTDIR= (binary, man pages, completions)

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
MAN5DIR  = $(PREFIX)/share/man/man5
# the completion scripts, where each shell looks for them by default
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d
MAN5 = man/fairtop.ini.5 man/fairtop-formats.5

CC      ?= cc
STD      = -std=c11 -D_POSIX_C_SOURCE=200809L
# snprintf() cutting a long name to fit its buffer is intended, not a bug.
# Warnings are errors in `make check` (and so in CI), not in a plain
# `make` of a release, where a newer compiler's new warning must not stop
# a packager (htop's --enable-werror); WERROR=-Werror turns them on.
WERROR  ?=
WARN     = -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes -Wformat=2 \
	-Wno-format-truncation
OPT     ?= -O2 -g
DEPFLAGS = -MMD -MP
INCLUDES = -I.
# assert() checks internal invariants in every build of this Makefile (as
# SQLite's and redis's test builds do); CPPFLAGS=-DNDEBUG leaves them out.
FINAL_CFLAGS = $(STD) $(WARN) $(OPT) $(INCLUDES) $(DEPFLAGS) $(CPPFLAGS) \
	$(CFLAGS)
LIBS     = -pthread -lsqlite3 -lcsv -linih -lnettle -lncursesw -lm
TEST_LIBS = -pthread -lcmocka -lsqlite3 -lcsv -linih -lnettle -lncursesw -lm
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ifndef V
QUIET_CC   = @printf '    %-6s %s\n' CC $@;
QUIET_LINK = @printf '    %-6s %s\n' LINK $@;
endif

# Debian packages fairtop builds and tests with (make deps installs them).
DEB_PACKAGES = build-essential libncurses-dev libsqlite3-dev \
	libcsv-dev libcmocka-dev libinih-dev nettle-dev clang libclang-rt-14-dev valgrind cppcheck tmux sqlite3 python3 time man-db groff-base locales chromium \
	postgresql nodejs npm zsh fish

CORE_OBJ = core/page.o core/fail.o core/number.o core/text.o core/source.o core/csvread.o \
	core/columns.o core/confusion.o core/fairness.o core/classweights.o \
	core/groups.o core/summary.o core/runinfo.o core/predictions.o \
	core/counts.o core/history.o core/policy.o core/drift.o core/judge.o \
	core/interval.o core/reference.o core/alerts.o core/chain.o \
	core/deployments.o core/hook.o core/isotime.o core/lastfair.o core/actor.o \
	core/disparity.o core/array.o core/hashmap.o \
	core/strtab.o core/strbuf.o core/json.o core/sqlgen.o \
	core/mlflow.o core/mlflow_files.o core/groupset.o
STORAGE_OBJ = storage/store.o storage/schema.o storage/ingest.o \
	storage/runread.o storage/evalread.o storage/decisions.o \
	storage/lineage.o storage/audit.o storage/audit_records.o storage/alerts_store.o \
	storage/deploy_store.o storage/summary_store.o storage/driftcache.o \
	storage/verdict_store.o storage/declock.o storage/mlflow_db.o
SERVICE_OBJ = service/runload.o service/judgeload.o service/headline.o \
	service/rollplan.o service/timeline.o service/deployrun.o \
	service/snapshot.o service/verdictcache.o service/alerteval.o \
	service/stepdrift.o service/verdict.o service/ingest.o \
	service/rundisparity.o service/incident.o service/incident_page.o \
	service/postmortem.o service/deploygate.o service/mlflow_import.o
TUI_OBJ = tui/screen.o tui/model.o tui/chart.o tui/dialog.o tui/table.o \
	tui/view_runs.o tui/view_compare.o tui/view_drift.o \
	tui/view_alerts.o tui/view_timeline.o tui/view_incident.o tui/header.o \
	tui/modal.o tui/pageview.o \
	tui/app.o
CLI_OBJ = cli/main.o cli/cli.o cli/command.o cli/cmd_dashboard.o cli/output.o cli/cmd_ingest.o \
	cli/cmd_runs.o cli/cmd_show.o cli/findings.o \
	cli/cmd_gate.o cli/cmd_compare.o cli/cmd_policy.o \
	cli/cmd_alerts.o cli/deployflow.o cli/cmd_deploy.o \
	cli/cmd_rollback.o cli/cmd_audit.o \
	cli/cmd_report.o cli/stepdrift_out.o cli/verdict_out.o \
	cli/disparity_out.o cli/cmd_incident.o cli/page_out.o \
	cli/report_story.o cli/report_html.o cli/cmd_sql.o \
	cli/cmd_completion.o
ALL_OBJ = $(CORE_OBJ) $(STORAGE_OBJ) $(SERVICE_OBJ) $(TUI_OBJ) $(CLI_OBJ)

UNIT_TESTS = test_number test_text test_csvread test_confusion \
	test_fairness test_classweights test_groups test_predictions \
	test_runinfo test_counts test_history test_summary test_store \
	test_isotime \
	test_policy test_drift test_interval test_judge test_alerts \
	test_audit test_alerts_store test_model test_chart test_dialog \
	test_table test_driftcache test_app test_verdictcache \
	test_verdict test_lastfair test_disparity test_calibration \
	test_stepdrift test_rollplan test_alerteval test_timeline test_findings \
	test_rundisparity test_array test_hashmap test_strtab test_strbuf \
	test_cmdtable test_json test_deploygate test_modal test_sqlgen \
	test_completion test_mlflow test_oom test_summary_store test_output
UNIT_BIN = $(addprefix tests/unit/,$(UNIT_TESTS))
ASAN_BIN = $(addprefix tests/unit/asan/,$(UNIT_TESTS))
ASAN_CORE_OBJ = $(addprefix tests/unit/asan/,$(CORE_OBJ) $(STORAGE_OBJ) \
	$(SERVICE_OBJ) $(TUI_OBJ))

.PHONY: all deps check unit unit-asan e2e fuzz lint demo bench bench-scale calibrate \
	samples \
	install uninstall clean
.DEFAULT_GOAL := all
# keep the sanitizer build's objects between test binaries
.SECONDARY:

all: fairtop sample_runs/generate

fairtop: $(ALL_OBJ)
	$(QUIET_LINK)$(CC) $(FINAL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

%.o: %.c
	$(QUIET_CC)$(CC) $(FINAL_CFLAGS) -c -o $@ $<

sample_runs/generate: sample_runs/generate.c
	$(QUIET_LINK)$(CC) $(STD) $(WARN) -O2 -o $@ $< -lm

tests/unit/test_%: tests/unit/test_%.o tests/unit/fixture.o $(CORE_OBJ) \
		$(STORAGE_OBJ) $(SERVICE_OBJ) $(TUI_OBJ)
	$(QUIET_LINK)$(CC) $(FINAL_CFLAGS) $(LDFLAGS) $(TEST_WRAP) -o $@ $^ \
		$(TEST_LIBS)

# The unit tests link no cli/ object but these: test_findings checks
# cli/findings.c, which prints through cli/output.c (test_output checks
# the latter alone); test_cmdtable checks
# the command table, and so links every command (all of cli/ but main.o),
# as does test_completion, which checks the scripts generated from it.
tests/unit/test_findings: cli/findings.o cli/output.o
tests/unit/asan/test_findings: tests/unit/asan/cli/findings.o \
	tests/unit/asan/cli/output.o
tests/unit/test_output: cli/output.o
tests/unit/asan/test_output: tests/unit/asan/cli/output.o
CLI_TABLE_OBJ = $(filter-out cli/main.o,$(CLI_OBJ))
tests/unit/test_cmdtable: $(CLI_TABLE_OBJ)
tests/unit/asan/test_cmdtable: $(addprefix tests/unit/asan/,$(CLI_TABLE_OBJ))
tests/unit/test_completion: $(CLI_TABLE_OBJ)
tests/unit/asan/test_completion: $(addprefix tests/unit/asan/,$(CLI_TABLE_OBJ))
# test_oom fails the Nth allocation (tests/unit/oom.h): the linker sends
# every call to these functions from the objects it links, fairtop's
# included, to tests/unit/oom.c's __wrap_ ones (calls made inside shared
# libraries are not seen); time() too, to a fixed moment.  It runs
# ingest and gate through the command table.
OOM_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup \
	-Wl,--wrap=strndup,--wrap=time
tests/unit/test_oom tests/unit/asan/test_oom: TEST_WRAP = $(OOM_WRAP)
tests/unit/test_oom: tests/unit/oom.o $(CLI_TABLE_OBJ)
tests/unit/asan/test_oom: tests/unit/asan/tests/unit/oom.o \
	$(addprefix tests/unit/asan/,$(CLI_TABLE_OBJ))

tests/unit/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(FINAL_CFLAGS) $(SAN) -c -o $@ $<

tests/unit/asan/test_%: tests/unit/asan/tests/unit/test_%.o \
		tests/unit/asan/tests/unit/fixture.o $(ASAN_CORE_OBJ)
	$(QUIET_LINK)$(CC) $(FINAL_CFLAGS) $(SAN) $(LDFLAGS) $(TEST_WRAP) \
		-o $@ $^ $(TEST_LIBS)

# libFuzzer harnesses, one per reader (tests/fuzz/harness.c), built with
# clang; the core is compiled once, instrumented, into tests/fuzz/obj/.
FUZZ_NAMES = runinfo metrics predictions counts wide deployments policy \
	mlflow csv
FUZZ_BIN = $(addprefix tests/fuzz/fuzz_,$(FUZZ_NAMES))
FUZZ_OBJ = $(addprefix tests/fuzz/obj/,$(CORE_OBJ))
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_FLAGS = $(STD) -I. -g -O1 $(FUZZ_SAN)

tests/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(QUIET_CC)clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
		-c -o $@ $<

tests/fuzz/fuzz_%: tests/fuzz/harness.c $(FUZZ_OBJ)
	$(QUIET_LINK)clang $(FUZZ_FLAGS) -fsanitize=fuzzer -DFUZZ_$* -o $@ \
		$^ -pthread -lcsv -linih -lnettle -lm

fuzz: $(FUZZ_BIN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_NAMES)

# DuckDB for t2710, from npm (its binary ships inside the package), into
# a folder of the tree: build/npm/ (ignored by git).
DUCKDB_NODE_API = @duckdb/node-api@1.5.6-r.1
NPM_PREFIX = build/npm

deps:
	@sh tests/deps.sh $(DEB_PACKAGES)
	@sh tests/npm_deps.sh $(NPM_PREFIX) $(DUCKDB_NODE_API)

unit: $(UNIT_BIN)
	@sh tests/run_unit.sh $(UNIT_BIN)

unit-asan: $(ASAN_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 sh tests/run_unit.sh $(ASAN_BIN)

e2e: fairtop sample_runs/generate
	@sh tests/e2e/run.sh

# Each suite appends "passed failed" to $(COUNTS); the last line sums
# them up for CI.
COUNTS = tests/.counts
# The builds of `make check` use every core (the suites themselves run one
# at a time); JOBS=1 builds one file at a time.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check: deps
	@rm -f $(COUNTS)
	@$(MAKE) -j$(JOBS) --no-print-directory WERROR=-Werror all
	@$(MAKE) -j$(JOBS) --no-print-directory WERROR=-Werror $(UNIT_BIN)
	@FAIRTOP_COUNTS=$(CURDIR)/$(COUNTS) $(MAKE) --no-print-directory \
		WERROR=-Werror unit
	@FAIRTOP_COUNTS=$(CURDIR)/$(COUNTS) $(MAKE) --no-print-directory e2e
	@$(MAKE) -j$(JOBS) --no-print-directory WERROR=-Werror $(ASAN_BIN)
	@FAIRTOP_COUNTS=$(CURDIR)/$(COUNTS) $(MAKE) --no-print-directory \
		WERROR=-Werror unit-asan
	@$(MAKE) -j$(JOBS) --no-print-directory $(FUZZ_BIN)
	@FAIRTOP_COUNTS=$(CURDIR)/$(COUNTS) $(MAKE) --no-print-directory lint
	@FAIRTOP_COUNTS=$(CURDIR)/$(COUNTS) $(MAKE) --no-print-directory fuzz \
		FUZZ_SECONDS=10
	@awk '{p += $$1; f += $$2} END {printf "check: %d passed, %d failed\n", p, f}' $(COUNTS)

demo: deps
	@$(MAKE) --no-print-directory all
	@rm -f demo.db demo.db-wal demo.db-shm demo.db.decide
	./fairtop --db demo.db ingest sample_runs
	@echo "opening the dashboard (q quits; without a terminal it prints the runs)"
	./fairtop --db demo.db

# Regenerate the committed C07 sample runs (the e2e suite checks they match).
samples: sample_runs/generate
	./sample_runs/generate c07 sample_runs

# Static analysis: cppcheck over the sources, clean (a finding known to
# be false is suppressed at its line, with the reason).
lint:
	@if cppcheck --quiet --inline-suppr --std=c11 \
		--enable=warning,portability --error-exitcode=1 -I. \
		--suppress=missingIncludeSystem core storage service cli tui; \
	then echo "lint: 1 passed, 0 failed"; r=0; \
	else echo "lint: 0 passed, 1 failed"; r=1; fi; \
	[ -z "$$FAIRTOP_COUNTS" ] || \
		{ [ $$r -eq 0 ] && echo "1 0" || echo "0 1"; } >>"$$FAIRTOP_COUNTS"; \
	exit $$r

# The gate's false-alarm and detection rates (README, "The gate's rules").
calibrate: tests/unit/test_calibration
	@tests/unit/test_calibration --table

bench: deps
	@$(MAKE) --no-print-directory all tests/bench/csvbare
	@sh tests/bench/bench.sh
	@sh tests/bench/ingest_bench.sh
	@sh tests/bench/tui_bench.sh
	@sh tests/bench/mlflow_bench.sh
	@$(MAKE) --no-print-directory calibrate

# How fairtop grows with the runs in the store: 1,000, 10,000 and
# 100,000 small runs (many minutes; SCALE_RUNS="1000 10000" for less).
bench-scale: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/scale_bench.sh

tests/bench/csvbare: tests/bench/csvbare.c
	$(QUIET_LINK)$(CC) $(STD) $(WARN) -O2 -o $@ $< -lcsv

# The completion scripts are written by the binary just built, from its
# command table.
install: fairtop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(MAN5DIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 fairtop $(DESTDIR)$(BINDIR)/fairtop
	install -m 644 man/fairtop.1 $(DESTDIR)$(MANDIR)/fairtop.1
	install -m 644 $(MAN5) $(DESTDIR)$(MAN5DIR)
	./fairtop completion bash >$(DESTDIR)$(BASHCOMPDIR)/fairtop
	./fairtop completion zsh >$(DESTDIR)$(ZSHCOMPDIR)/_fairtop
	./fairtop completion fish >$(DESTDIR)$(FISHCOMPDIR)/fairtop.fish
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/fairtop \
		$(DESTDIR)$(ZSHCOMPDIR)/_fairtop \
		$(DESTDIR)$(FISHCOMPDIR)/fairtop.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fairtop $(DESTDIR)$(MANDIR)/fairtop.1 \
		$(addprefix $(DESTDIR)$(MAN5DIR)/,$(notdir $(MAN5))) \
		$(DESTDIR)$(BASHCOMPDIR)/fairtop \
		$(DESTDIR)$(ZSHCOMPDIR)/_fairtop \
		$(DESTDIR)$(FISHCOMPDIR)/fairtop.fish

clean:
	rm -f fairtop sample_runs/generate tests/bench/csvbare $(UNIT_BIN)
	rm -f $(ALL_OBJ) $(ALL_OBJ:.o=.d) tests/unit/*.o tests/unit/*.d
	rm -rf tests/unit/asan tests/unit/locale tests/e2e/tmp tests/fuzz/work tests/fuzz/obj \
		$(FUZZ_BIN)

-include $(ALL_OBJ:.o=.d) $(wildcard tests/unit/*.d) \
	$(wildcard tests/unit/asan/*/*.d tests/unit/asan/tests/unit/*.d) \
	$(wildcard tests/fuzz/obj/core/*.d)
