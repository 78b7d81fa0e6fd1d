# Rekey -- `make run` stands up the demo, `make test` runs every suite.
# Everything builds into build/ (native) and web/js/core.wasm (browser + Node).

CC      ?= cc
PORT    ?= 8080
B       := build
WARN    := -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual -Wundef
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -fno-strict-overflow
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) $(HARDEN) -I/usr/include/stb
LDHARD  := -pie -Wl,-z,relro,-z,now,-z,noexecstack
PKGS    := libsodium jansson libmariadb libcurl liboath libqrencode libfido2
SRVINC  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I/usr/include/mariadb
SRVLIB  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lfcgi

CORE_SRC := $(filter-out wasm/exports.c,$(wildcard wasm/*.c))
CORE_OBJ := $(CORE_SRC:wasm/%.c=$(B)/core/%.o)
CGI_SRC  := $(filter-out cgi/main.c cgi/ctl_main.c,$(wildcard cgi/*.c))
CGI_OBJ  := $(CGI_SRC:cgi/%.c=$(B)/cgi/%.o)
# check_db runs against the test stack's MariaDB (tests/run.sh), with cgi/db.c
CHECK_DB := $(B)/tests/check_db
CHECKS   := $(filter-out $(CHECK_DB),$(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/check_*.c)))
EMCC_ENV := NODE_PATH=/usr/share/nodejs
FUZZERS     := b64url cbor authdata attobj clientdata image chain flow
FUZZ_SECONDS ?= 60
FUZZ_CC     := clang
FUZZ_FLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I/usr/include/stb
FUZZ_BINS   := $(FUZZERS:%=$(B)/fuzz/fuzz_%)

.PHONY: all deps run cluster stop test test-c test-node test-api bench reliability fuzz clean wasm native
all: native wasm
native: $(B)/libcore.a $(B)/rekeyd $(B)/rekeyctl $(B)/core_cli
wasm: web/js/core.wasm

deps:
	@cgi/ops/deps.sh

$(B)/core/%.o: wasm/%.c wasm/*.h | $(B)/core
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/core/exports.o: wasm/exports.c wasm/*.h | $(B)/core
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/libcore.a: $(CORE_OBJ)
	ar rcs $@ $^

$(B)/cgi/%.o: cgi/%.c cgi/*.h wasm/*.h | $(B)/cgi
	$(CC) $(CFLAGS) $(SRVINC) -c $< -o $@
$(B)/rekeyd: $(B)/cgi/main.o $(CGI_OBJ) $(B)/libcore.a
	$(CC) $(LDHARD) -o $@ $^ $(SRVLIB) -lm
$(B)/rekeyctl: $(B)/cgi/ctl_main.o $(CGI_OBJ) $(B)/libcore.a
	$(CC) $(LDHARD) -o $@ $^ $(SRVLIB) -lm
$(B)/cgi/main.o $(B)/cgi/ctl_main.o: $(B)/cgi/%.o: cgi/%.c cgi/*.h | $(B)/cgi
	$(CC) $(CFLAGS) $(SRVINC) -c $< -o $@

# `make bench` only: rekeyd with GET /api/bench/empty (the plumbing limit: an
# empty FastCGI answer through nginx). Production builds never have the route.
$(B)/bench/routes.o: cgi/routes.c cgi/*.h wasm/*.h | $(B)/bench
	$(CC) $(CFLAGS) $(SRVINC) -DREKEY_BENCH -c $< -o $@
$(B)/bench/rekeyd: $(B)/cgi/main.o $(filter-out $(B)/cgi/routes.o,$(CGI_OBJ)) $(B)/bench/routes.o $(B)/libcore.a
	$(CC) $(LDHARD) -o $@ $^ $(SRVLIB) -lm
$(B)/bench/rekeyctl: $(B)/rekeyctl | $(B)/bench
	ln -sf ../rekeyctl $@
$(B)/bench:
	mkdir -p $@

# the native twin of core.wasm's boundary, for the parity test
$(B)/core_cli: tests/core_cli.c $(B)/core/exports.o $(B)/libcore.a
	$(CC) $(CFLAGS) $(LDHARD) -o $@ $^ -lm

web/js/core.wasm: $(CORE_SRC) wasm/exports.c wasm/*.h wasm/exports.json
	$(EMCC_ENV) emcc -O2 -std=gnu11 -I/usr/include/stb $(CORE_SRC) wasm/exports.c --no-entry \
	  -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=1GB \
	  -sEXPORTED_FUNCTIONS=@wasm/exports.json -o $@

$(CHECK_DB): tests/check_db.c $(B)/cgi/db.o | $(B)/tests
	$(CC) $(CFLAGS) $(SRVINC) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check libmariadb)
$(B)/tests/check_config: tests/check_config.c $(B)/cgi/config.o | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check)
$(B)/tests/check_%: tests/check_%.c $(B)/libcore.a | $(B)/tests
	$(CC) $(CFLAGS) $(LDHARD) $(shell pkg-config --cflags check) -o $@ $^ $(shell pkg-config --libs check) -lm

$(B)/core $(B)/cgi $(B)/tests:
	mkdir -p $@

node_modules/.ok: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# ---- run the demo ----
run: deps all
	@cgi/ops/run.sh var $(PORT)
# three Galera nodes and two rekeyd behind one nginx (var/cluster/)
cluster: deps all
	@cgi/ops/run.sh var/cluster $(PORT) cluster
stop:
	@cgi/ops/stack.sh stop var
	@cgi/ops/stack.sh stop var/cluster

# ---- tests ----
test: deps all $(CHECKS) $(CHECK_DB) $(FUZZ_BINS) node_modules/.ok
	@tests/run.sh

test-c: $(CHECKS)
	@set -e; for t in $(CHECKS); do CK_VERBOSITY=normal $$t; done

test-node: all
	node --test tests/node/core.test.mjs

# CLUSTER=1: on three Galera nodes and two rekeyd (tests/reliability/run.sh --cluster)
reliability: all node_modules/.ok
	@tests/reliability/run.sh $(if $(CLUSTER),--cluster)

bench: all node_modules/.ok $(B)/bench_assert $(B)/bench/rekeyd $(B)/bench/rekeyctl
	@tests/bench/run.sh $(if $(CLUSTER),--cluster)

clean:
	rm -rf $(B) web/js/core.wasm

# ---- fuzzing: libFuzzer + ASan + UBSan (clang) ----

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRC) wasm/*.h | $(B)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(CORE_SRC) -lm
$(B)/fuzz:
	mkdir -p $@

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh run $(FUZZ_SECONDS) $(FUZZERS)

fuzz-replay: $(FUZZ_BINS)
	@tests/fuzz/run.sh replay 0 $(FUZZERS)

$(B)/bench_assert: tests/bench/bench_assert.c $(B)/libcore.a
	$(CC) $(CFLAGS) $(SRVINC) -o $@ $^ $(SRVLIB) -lm
