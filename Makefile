# Rekey -- `make run` stands up the demo, `make test` runs every suite.
# Everything builds into build/ (native) and web/js/core.wasm (browser + Node).

CC      ?= cc
PORT    ?= 8080
B       := build
WARN    := -Wall -Wextra -Werror -Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual -Wundef
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -fno-strict-overflow
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) $(HARDEN) -I/usr/include/stb
LDHARD  := -pie -Wl,-z,relro,-z,now,-z,noexecstack
PKGS    := libsodium jansson libmariadb libcurl liboath libqrencode libfido2 libdeflate
SRVINC  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I/usr/include/mariadb
SRVLIB  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lfcgi

CORE_SRC := $(filter-out wasm/exports.c,$(wildcard wasm/*.c))
CORE_OBJ := $(CORE_SRC:wasm/%.c=$(B)/core/%.o)
# the common-password list, extracted at build time from @zxcvbn-ts/language-common
# (MIT; a devDependency, installed by npm ci) -- README "Passwords"
CORE_GEN := wasm/common_passwords.inc
ZXCVBN   := node_modules/@zxcvbn-ts/language-common/package.json
# rekeyd and rekeyctl: the layers of cgi/ (README: routes -> api -> store -> base;
# jobs and ctl beside api). rekeyd has no ctl/, rekeyctl no server.
LAYERS   := base store api jobs
CGI_HDR  := $(wildcard cgi/*.h cgi/*/*.h)
LAYER_OBJ := $(patsubst cgi/%.c,$(B)/cgi/%.o,$(foreach l,$(LAYERS),$(wildcard cgi/$(l)/*.c)) cgi/routes.c)
CTL_OBJ  := $(patsubst cgi/%.c,$(B)/cgi/%.o,$(wildcard cgi/ctl/*.c))
CGI_OBJ  := $(LAYER_OBJ) $(CTL_OBJ) $(B)/cgi/server.o
# check_db runs against the test stack's MariaDB (tests/run.sh), with cgi/base/db.c
CHECK_DB := $(B)/tests/check_db
# so do the suites of the store/ modules and of base/ratelimit.c: each calls
# its module directly (tests/store_fixture.c: an app on the stack's socket);
# built into build/tests/store/, apart from the suites that need no database
# (CHECKS, `make test-c`). check_vault needs no database, only the store objects.
STORE_SUITES := session codes holds cases vault ratelimit
STORE_CHECKS := $(STORE_SUITES:%=$(B)/tests/store/check_%)
STORE_OBJ    := $(filter $(B)/cgi/base/% $(B)/cgi/store/%,$(LAYER_OBJ))
CHECKS   := $(filter-out $(CHECK_DB) $(STORE_SUITES:%=$(B)/tests/check_%),$(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/check_*.c)))
EMCC_ENV := NODE_PATH=/usr/share/nodejs
# the harnesses are the list: tests/fuzz/fuzz_<name>.c (run.sh finds the same files)
FUZZERS     := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CC     := clang
FUZZ_FLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I/usr/include/stb
FUZZ_BINS   := $(FUZZERS:%=$(B)/fuzz/fuzz_%)

.PHONY: install all deps deps-test run cluster stop test test-c test-node test-api bench reliability fuzz clean wasm native kit mutants
all: native wasm
native: $(B)/libcore.a $(B)/rekeyd $(B)/rekeyctl $(B)/core_cli
wasm: web/js/core.wasm

deps:
	@cgi/ops/deps.sh
# and what only the tests use: Chromium, wrk, ImageMagick, Prometheus (promtool), systemd-analyze
deps-test:
	@cgi/ops/deps.sh --test

$(CORE_GEN): wasm/common-passwords.mjs wasm/limits.h $(ZXCVBN)
	node wasm/common-passwords.mjs $@
# the list comes from the npm package (package-lock.json pins it): npm ci when it is missing
# (only then: npm dates the files it unpacks in 1985, so no date rule would hold)
$(ZXCVBN):
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.ok

$(B)/core/%.o: wasm/%.c wasm/*.h $(CORE_GEN) | $(B)/core
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/core/exports.o: wasm/exports.c wasm/*.h | $(B)/core
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/libcore.a: $(CORE_OBJ)
	ar rcs $@ $^

$(B)/cgi/%.o: cgi/%.c $(CGI_HDR) wasm/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SRVINC) -c $< -o $@
# mails and SMS in five languages: the catalogues' C table (cgi/base/i18n.h)
I18N_JSON := $(wildcard web/i18n/*.json)
$(B)/gen/i18n_table.h: $(I18N_JSON) cgi/ops/i18n-table.mjs web/js/messages.mjs
	node cgi/ops/i18n-table.mjs web/i18n $@
$(B)/cgi/base/i18n.o: cgi/base/i18n.c $(CGI_HDR) $(B)/gen/i18n_table.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(B)/gen -c $< -o $@
$(B)/rekeyd: $(B)/cgi/main.o $(B)/cgi/server.o $(LAYER_OBJ) $(B)/libcore.a
	$(CC) $(LDHARD) -o $@ $^ $(SRVLIB) -lm
$(B)/rekeyctl: $(B)/cgi/ctl_main.o $(CTL_OBJ) $(LAYER_OBJ) $(B)/libcore.a
	$(CC) $(LDHARD) -o $@ $^ $(SRVLIB) -lm

# `make bench` only: rekeyd with GET /api/bench/empty (the plumbing limit: an
# empty FastCGI answer through nginx). Production builds never have the route.
$(B)/bench/routes.o: cgi/routes.c $(CGI_HDR) wasm/*.h | $(B)/bench
	$(CC) $(CFLAGS) $(SRVINC) -DREKEY_BENCH -c $< -o $@
$(B)/bench/rekeyd: $(B)/cgi/main.o $(B)/cgi/server.o $(filter-out $(B)/cgi/routes.o,$(LAYER_OBJ)) $(B)/bench/routes.o $(B)/libcore.a
	$(CC) $(LDHARD) -o $@ $^ $(SRVLIB) -lm
$(B)/bench/rekeyctl: $(B)/rekeyctl | $(B)/bench
	ln -sf ../rekeyctl $@
$(B)/bench:
	mkdir -p $@

# the native twin of core.wasm's boundary, for the parity test
$(B)/core_cli: tests/core_cli.c $(B)/core/exports.o $(B)/libcore.a
	$(CC) $(CFLAGS) $(LDHARD) -o $@ $^ -lm

web/js/core.wasm: $(CORE_SRC) wasm/exports.c wasm/*.h wasm/exports.json $(CORE_GEN)
	$(EMCC_ENV) emcc -O2 -std=gnu11 -I/usr/include/stb $(CORE_SRC) wasm/exports.c --no-entry \
	  -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=1GB \
	  -sEXPORTED_FUNCTIONS=@wasm/exports.json -o $@

$(CHECK_DB): tests/check_db.c $(B)/cgi/base/db.o $(B)/cgi/base/log.o $(B)/cgi/base/metrics.o | $(B)/tests
	$(CC) $(CFLAGS) $(SRVINC) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check libmariadb libsodium)
$(B)/tests/check_i18n: tests/check_i18n.c $(B)/cgi/base/i18n.o | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check)
$(B)/tests/check_config: tests/check_config.c $(B)/cgi/base/config.o | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check)
# issue #22: the JSON log lines and the shared counters, each on its own object
$(B)/tests/check_log: tests/check_log.c $(B)/cgi/base/log.o | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check)
$(B)/tests/check_metrics: tests/check_metrics.c $(B)/cgi/base/metrics.o | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check)
# issue #21: a worker's heap kept between requests (page faults counted)
$(B)/tests/check_heap: tests/check_heap.c $(B)/cgi/base/heap.o | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check)
# check_ecc compares wasm/ecc.c with the libsodium that rekeyd asks again
$(B)/tests/check_ecc: tests/check_ecc.c $(B)/libcore.a | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check libsodium) -o $@ $^ $(shell pkg-config --libs check libsodium) -lm
$(B)/tests/check_%: tests/check_%.c $(B)/libcore.a | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check) -lm
$(B)/tests/store/fixture.o: tests/store_fixture.c tests/store_fixture.h $(CGI_HDR) wasm/*.h | $(B)/tests/store
	$(CC) $(CFLAGS) $(SRVINC) $(shell pkg-config --cflags check) -c $< -o $@
$(STORE_CHECKS): $(B)/tests/store/check_%: tests/check_%.c tests/store_fixture.h $(B)/tests/store/fixture.o $(STORE_OBJ) $(B)/libcore.a | $(B)/tests/store
	$(CC) $(CFLAGS) $(SRVINC) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $(filter-out %.h,$^) $(SRVLIB) $(shell pkg-config --libs check) -lm

$(B)/core $(B)/tests $(B)/tests/store:
	mkdir -p $@

node_modules/.ok: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# ---- run the demo ----
# TLS=1: HTTPS on TLS_PORT (a certificate made by openssl in var/tls/, or
# TLS_CERT and TLS_KEY), PORT only redirects there; METRICS_PORT: GET /metrics
# for Prometheus on 127.0.0.1 only (README: Operating Rekey)
TLS_PORT     ?= 8443
METRICS_PORT ?= 9464
RUN_ENV = REKEY_METRICS_PORT=$(METRICS_PORT) $(if $(filter 1,$(TLS)),REKEY_TLS=1 REKEY_TLS_PORT=$(TLS_PORT) \
	$(if $(TLS_CERT),REKEY_TLS_CERT=$(abspath $(TLS_CERT)) REKEY_TLS_KEY=$(abspath $(TLS_KEY))))
run: deps all
	@$(RUN_ENV) cgi/ops/run.sh var $(PORT)
# three Galera nodes and two rekeyd behind one nginx (var/cluster/)
cluster: deps all
	@$(RUN_ENV) cgi/ops/run.sh var/cluster $(PORT) cluster

# ---- install (README: Deployment): binaries, web files, schema, the systemd
# unit and the operator's examples into $(DESTDIR)$(PREFIX) ----
PREFIX  ?= /usr/local
DESTDIR ?=
SHARE   := $(DESTDIR)$(PREFIX)/share/rekey
install: native wasm
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/schema $(SHARE)/web $(DESTDIR)$(PREFIX)/share/doc/rekey \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/sysusers.d
	install -m 0755 $(B)/rekeyd $(B)/rekeyctl $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 schema/*.sql $(SHARE)/schema/
	install -m 0644 cgi/openapi.json cgi/aaguids.tsv $(SHARE)/
	cd web && find . -path ./dev -prune -o -type f -print | while read -r f; do \
	  install -D -m 0644 "$$f" "$(SHARE)/web/$$f" || exit 1; done
	sed 's|@PREFIX@|$(PREFIX)|g' cgi/ops/systemd/rekeyd.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/rekeyd.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/rekeyd.service
	install -m 0644 cgi/ops/systemd/rekey.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/rekey.conf
	sed 's|@PREFIX@|$(PREFIX)|g' cgi/ops/rekey.conf.example > $(DESTDIR)$(PREFIX)/share/doc/rekey/rekey.conf.example
	sed 's|@PREFIX@|$(PREFIX)|g' cgi/ops/nginx-site.conf.example > $(DESTDIR)$(PREFIX)/share/doc/rekey/nginx-site.conf.example
	install -m 0644 README.md cgi/ops/alerts.yml docs/OPERATIONS.md $(DESTDIR)$(PREFIX)/share/doc/rekey/
stop:
	@cgi/ops/stack.sh stop var
	@cgi/ops/stack.sh stop var/cluster

# ---- @rekey/kit: the Node package (docs/node.md), made by npm pack ----
KIT_TGZ := $(B)/kit/rekey-kit-$(shell node -p 'require("./package.json").version' 2>/dev/null).tgz
kit: $(KIT_TGZ)
$(KIT_TGZ): package.json web/js/core.wasm web/js/core.mjs web/js/loader.mjs $(wildcard kit/*.mjs kit/*.d.ts) docs/node.md README.md
	@mkdir -p $(@D)
	npm pack --silent --pack-destination $(@D) >/dev/null
	@echo "$@"

# ---- tests ----
# (tests/node/api_kit_package.test.mjs packs again into its own folder and installs that)
test: deps-test all $(CHECKS) $(CHECK_DB) $(STORE_CHECKS) $(FUZZ_BINS) node_modules/.ok kit $(B)/bench/rekeyd $(B)/bench/rekeyctl
	@tests/run.sh

# issue #24: each security check switched off in turn (tests/mutants/mutants.txt),
# on a copy of the tree against one private stack; a mutant no test notices fails
# the run. Report in var/reports/mutants-*.txt. make test runs a rotating sample of 5.
mutants: deps all $(CHECKS) $(STORE_CHECKS) node_modules/.ok
	@tests/mutants/run.py

test-c: $(CHECKS)
	@set -e; for t in $(CHECKS); do CK_VERBOSITY=normal $$t; done

test-node: all
	node --test tests/node/core.test.mjs

# CLUSTER=1: on three Galera nodes and two rekeyd (tests/reliability/run.sh --cluster)
reliability: all node_modules/.ok
	@tests/reliability/run.sh $(if $(CLUSTER),--cluster)

bench: all node_modules/.ok $(B)/bench_assert $(B)/bench_png $(B)/bench/rekeyd $(B)/bench/rekeyctl
	@tests/bench/run.sh $(if $(CLUSTER),--cluster) $(if $(SIZE),--size $(SIZE))

clean:
	rm -rf $(B) web/js/core.wasm $(CORE_GEN)

# ---- fuzzing: libFuzzer + ASan + UBSan (clang) ----

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRC) wasm/*.h $(CORE_GEN) | $(B)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(CORE_SRC) -lm
# the server's parsers of outside bytes (query strings, cookies, the webhook
# signature, config lines): base/ and the face module, with the server's libraries
FUZZ_SRV_SRC := $(wildcard cgi/base/*.c) cgi/store/face.c
$(B)/fuzz/fuzz_srv_%: tests/fuzz/fuzz_srv_%.c $(CORE_SRC) $(FUZZ_SRV_SRC) wasm/*.h $(CGI_HDR) $(CORE_GEN) $(B)/gen/i18n_table.h | $(B)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(SRVINC) -I$(B)/gen -Wno-unused-command-line-argument -o $@ $< $(CORE_SRC) $(FUZZ_SRV_SRC) $(SRVLIB) -lm
$(B)/fuzz:
	mkdir -p $@

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh run $(FUZZ_SECONDS) $(FUZZERS)

fuzz-replay: $(FUZZ_BINS)
	@tests/fuzz/run.sh replay 0 $(FUZZERS)

$(B)/bench_assert: tests/bench/bench_assert.c $(B)/libcore.a
	$(CC) $(CFLAGS) $(SRVINC) -o $@ $^ $(SRVLIB) -lm
# issue #21: an upload's image work before and after, and the PNG encoder's settings
$(B)/bench_png: tests/bench/bench_png.c tests/bench/bench_png_stb.c tests/bench/bench_png_zlib.c tests/bench/bench_png.h $(B)/cgi/base/stb_write.o $(B)/libcore.a
	$(CC) $(CFLAGS) $(SRVINC) -o $@ $(filter %.c %.o %.a,$^) -ldeflate -lz -lm
