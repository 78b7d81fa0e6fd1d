#!/bin/bash
# run.sh -- `make test`: every suite. C unit suites (Check), core.wasm in Node,
# then a private MariaDB + rekeyd + nginx (+ a loopback SMTP server) on free
# ports in a temporary folder for the API suites. Everything started here is
# stopped and removed at the end, also when a test fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0; failed=0
tmp=$(mktemp -d /tmp/rekey-test.XXXXXX)
chmod 700 "$tmp"  # nginx's workers run as this user (cgi/ops/nginx.conf.in)
smtp_pid=""
cleanup() {
	cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1
	cgi/ops/stack.sh stop "$tmp/stack2" >/dev/null 2>&1
	cgi/ops/stack.sh stop "$tmp/stackw" >/dev/null 2>&1
	cgi/ops/stack.sh stop "$tmp/stack3" >/dev/null 2>&1
	[ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

count_node() { # adds node:test's "# pass N" / "# fail N" to the totals
	local out=$1 p f
	p=$(grep -E '^# pass [0-9]+' "$out" | tail -1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	[ -z "$p" ] && failed=$((failed + 1))
}

# One suite on a stack of its own, both given the same environment, then the
# stack stopped: stack_suite LABEL DIR PORT SUITE VAR=VALUE...
stack_suite() {
	local label=$1 sdir=$2 sport=$3 suite=$4
	shift 4
	if env "$@" cgi/ops/stack.sh start "$sdir" "$sport" >"$sdir.log" 2>&1; then
		env "$@" node --test --test-concurrency=1 "$suite" > "$sdir-node.log" 2>&1
		grep -E '^(not ok|# (pass|fail))' "$sdir-node.log" | sed "s|^|  $label: |"
		grep -q '^not ok' "$sdir-node.log" && { cat "$sdir-node.log"; tail -30 "$sdir/log/rekeyd.log"; }
		count_node "$sdir-node.log"
	else
		echo "  the stack for $label did not start:"; cat "$sdir.log"; tail -20 "$sdir/log/"*.log 2>/dev/null
		failed=$((failed + 1))
	fi
	cgi/ops/stack.sh stop "$sdir" >/dev/null 2>&1
}

echo "== C unit suites (Check)"
# one Check suite: its summary line, its failures, and the counts
run_check() {
	local t=$1 out rc c
	out=$("$t" 2>&1); rc=$?
	echo "$out" | sed -n 's/^\([0-9]*%: Checks: .*\)/  '"$(basename "$t")"': \1/p'
	echo "$out" | grep -E ':[FE]:' | sed 's/^/    /'
	c=$(echo "$out" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p')
	set -- $c
	passed=$((passed + ${1:-0} - ${2:-0} - ${3:-0})); failed=$((failed + ${2:-0} + ${3:-0}))
	[ "$rc" != 0 ] && [ "${2:-0}${3:-0}" = "00" ] && failed=$((failed + 1))
}
for t in $(ls build/tests/check_* | grep -v '/check_db$'); do
	run_check "$t"
done

echo "== fuzz corpora and crashers, replayed under ASan + UBSan"
fz=$(tests/fuzz/run.sh replay 0); rc=$?
echo "$fz"
n=$(echo "$fz" | grep -c "no finding"); passed=$((passed + n))
[ "$rc" != 0 ] && failed=$((failed + 1))

echo "== core.wasm in Node"
node --test tests/node/core.test.mjs > "$tmp/node-core.log" 2>&1
grep -E '^(not ok|# (pass|fail))' "$tmp/node-core.log" | sed 's/^/  /'
grep -q '^not ok' "$tmp/node-core.log" && cat "$tmp/node-core.log"
count_node "$tmp/node-core.log"

echo "== API against nginx -> rekeyd -> MariaDB"
. tests/test-stack.sh
if test_stack_start "$tmp"; then
	# cgi/base/db.c against this stack's MariaDB (read routes, write routes, reconnects), then
	# the store/ modules and base/ratelimit.c called directly (build/tests/store/, tests/store_fixture.c)
	for t in build/tests/check_db build/tests/store/check_*; do
		REKEY_TEST_DB_SOCKET="$tmp/stack/run/mysqld.sock" run_check "$t"
	done
	# the browser suites run at 1280x800 and again at 390x844 (phone:)
	for suite in $(ls tests/node/api_*.test.mjs | grep -v api_outage) tests/e2e/*.test.mjs \
		$(ls tests/e2e/*.test.mjs | grep -v private-dir | sed 's/^/phone:/') tests/node/api_outage.test.mjs; do
		viewport=desktop; case $suite in phone:*) viewport=phone; suite=${suite#phone:} ;; esac
		REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/smtp-mail" REKEY_E2E_VIEWPORT=$viewport \
			node --test --test-concurrency=1 "$suite" > "$tmp/node-api.log" 2>&1
		grep -E '^(not ok|# (pass|fail))' "$tmp/node-api.log" | sed "s|^|  $(basename "$suite")$([ $viewport = phone ] && echo ' (390 px)'): |"
		grep -q '^not ok' "$tmp/node-api.log" && { cat "$tmp/node-api.log"; tail -30 "$tmp/stack/log/rekeyd.log"; }
		count_node "$tmp/node-api.log"
	done
	# every write of every suite above went through schema/031's triggers: each
	# account's kept summary (what GET /api/me reads) must equal its tables
	if out=$(build/rekeyctl -c "$tmp/stack/rekey.conf" summaries check 2>&1); then
		echo "  account summaries after every suite: $out"; passed=$((passed + 1))
	else
		echo "  account summaries after every suite: FAILED"; echo "$out" | head -20; failed=$((failed + 1))
	fi
else
	echo "  the stack did not start:"; cat "$tmp/stack.log"; tail -20 "$tmp/stack/log/"*.log 2>/dev/null
	failed=$((failed + 1))
fi

echo "== API with the other settings: a second stack (face_provider = manual, webauthn_uv = preferred, aaguid_allow, cookie_secure = 1, the strict profile)"
# Only the suites whose answers depend on these settings run here: the Case 2
# tests (the provider decides where a face case goes; SUITE:PATTERN runs the
# tests whose names match) and api_settings (which the loop above ran with the
# main stack's values). rekeyd and the suites' rekeyctl read the settings from
# this environment alike; dev_mode = 1 refuses cookie_secure = 1, so it is off
# here. Nothing listens at face_provider_url unless api_face plays the provider
# there, to see that it is never called. Mail goes to the same SMTP server.
# The strict profile (#18: reset_questions = off, sms_as_second_factor = off)
# runs here too; api_profile asserts whichever profile it finds, so it runs
# on both stacks.
port2=$(free_port); provider_port2=$(free_port)
second=(REKEY_FACE_PROVIDER=manual REKEY_FACE_PROVIDER_URL="http://127.0.0.1:$provider_port2/checks" REKEY_TEST_PROVIDER_PORT="$provider_port2"
	REKEY_WEBAUTHN_UV=preferred REKEY_AAGUID_ALLOW=0f2a7c3e-5b1d-4e6f-8a9b-0c1d2e3f4a5b,6B1D3A50-2C4E-4F8A-9D7B-1E5C0A3F9B24
	REKEY_HOLD_HOURS=48 REKEY_CODE_SECONDS=300 REKEY_RESET_QUESTIONS=off REKEY_SMS_AS_SECOND_FACTOR=off
	REKEY_COOKIE_SECURE=1 REKEY_DEV_MODE=0 REKEY_SMTP_URL="smtp://127.0.0.1:$smtp_port" REKEY_WORKERS=2 REKEY_SWEEP_SECONDS=1
	REKEY_TEST_DIR="$tmp/stack2" REKEY_TEST_PORT="$port2" REKEY_TEST_MAIL="$tmp/smtp-mail")
if env "${second[@]}" cgi/ops/stack.sh start "$tmp/stack2" "$port2" >"$tmp/stack2.log" 2>&1; then
	for run in api_face api_settings api_durations api_profile api_evidence:^face api_review:^face; do
		suite=tests/node/${run%%:*}.test.mjs; pattern=${run#"${run%%:*}"}; pattern=${pattern#:}
		env "${second[@]}" node --test --test-concurrency=1 ${pattern:+--test-name-pattern="$pattern"} "$suite" > "$tmp/node-api2.log" 2>&1
		grep -E '^(not ok|# (pass|fail))' "$tmp/node-api2.log" | sed "s|^|  $(basename "$suite")${pattern:+ ($pattern)}: |"
		grep -q '^not ok' "$tmp/node-api2.log" && { cat "$tmp/node-api2.log"; tail -30 "$tmp/stack2/log/rekeyd.log"; }
		count_node "$tmp/node-api2.log"
	done
else
	echo "  the second stack did not start:"; cat "$tmp/stack2.log"; tail -20 "$tmp/stack2/log/"*.log 2>/dev/null
	failed=$((failed + 1))
fi
cgi/ops/stack.sh stop "$tmp/stack2" >/dev/null 2>&1

echo "== The write transactions' witness (#15): transactions rolled back under rekeyd with no error, on purpose (the bench build)"
# What Galera was seen doing under the cluster races, made deterministic by
# the bench build (REKEY_TEST_SILENT_ROLLBACK, cgi/routes.c): with
# db_tx_witness = on every request still counts whole or not at all; with it
# off, the control, the suite must see the damage (else the injection is dead).
for mode in on off; do
	portw=$(free_port); mportw=$(free_port)
	stack_suite "db_witness.test.mjs (witness $mode$([ $mode = off ] && echo ', the control'))" "$tmp/stackw" "$portw" tests/node/db_witness.test.mjs \
		BUILD="$root/build/bench" REKEY_DB_TX_WITNESS=$mode REKEY_WITNESS_CONTROL=$([ $mode = off ] && echo 1 || echo 0) \
		REKEY_TEST_SILENT_ROLLBACK="/api/reset=1;/api/account/language=-1;/api/reset/{id}/email-code=5" REKEY_SMTP_URL="smtp://127.0.0.1:$smtp_port" REKEY_WORKERS=2 \
		REKEY_METRICS_PORT="$mportw" REKEY_TEST_METRICS_PORT="$mportw" REKEY_TEST_DIR="$tmp/stackw" REKEY_TEST_PORT="$portw" REKEY_TEST_MAIL="$tmp/smtp-mail"
	rm -rf "$tmp/stackw"
done

echo "== HTTPS: a third stack as make run TLS=1 starts it (issue #22): the API, redirects, Secure cookies, a passkey sign-in in Chromium"
# stack.sh makes a local CA and a localhost certificate in stack3/tls/; Node
# trusts that CA (NODE_EXTRA_CA_CERTS), Chromium the certificate's key (the suite)
port3=$(free_port); tls_port3=$(free_port)
stack_suite tls.test.mjs "$tmp/stack3" "$port3" tests/ops/tls.test.mjs \
	REKEY_TLS=1 REKEY_TLS_PORT="$tls_port3" REKEY_SMTP_URL="smtp://127.0.0.1:$smtp_port" REKEY_WORKERS=2 NODE_EXTRA_CA_CERTS="$tmp/stack3/tls/ca.pem" \
	REKEY_TEST_DIR="$tmp/stack3" REKEY_TEST_PORT="$port3" REKEY_TEST_TLS_PORT="$tls_port3" REKEY_TEST_MAIL="$tmp/smtp-mail"

echo "== install and systemd: make install into a DESTDIR, systemd-analyze verify and security (issue #22)"
node --test --test-concurrency=1 tests/ops/install.test.mjs > "$tmp/node-install.log" 2>&1
grep -E '^(not ok|# (pass|fail|skip)|# .*exposure)' "$tmp/node-install.log" | sed "s|^|  install.test.mjs: |"
grep -q '^not ok' "$tmp/node-install.log" && cat "$tmp/node-install.log"
count_node "$tmp/node-install.log"

echo "== mutants: a rotating sample of 5 (issue #24; make mutants runs all of tests/mutants/mutants.txt)"
# a copy of the tree and a stack of its own; the sample changes with the day of the year
if tests/mutants/run.py --sample 5 > "$tmp/mutants.log" 2>&1; then
	grep -E '^(killed|weak) ' "$tmp/mutants.log" | sed 's/^/  /'
	passed=$((passed + $(grep -cE '^(killed|weak) ' "$tmp/mutants.log")))
else
	cat "$tmp/mutants.log"
	failed=$((failed + 1))
fi

echo "== operations (own stack): vault key rotation with a reseal killed midway, backup and restore drill"
if tests/ops/run.sh > "$tmp/ops.log" 2>&1; then
	grep -E '^\s+(ok|FAIL) |^    (audit|keys|reseal|backup|restore|killed)' "$tmp/ops.log" | sed 's/^/ /'
	passed=$((passed + $(grep -cE '^\s+ok ' "$tmp/ops.log")))
else
	cat "$tmp/ops.log"
	failed=$((failed + 1 + $(grep -cE '^\s+FAIL ' "$tmp/ops.log")))
fi

echo "== reliability, short: database and worker kills, races, hostile input (own stacks)"
if tests/reliability/run.sh --short > "$tmp/reliability.log" 2>&1; then
	grep -E '^\s+(ok|FAIL) ' "$tmp/reliability.log" | sed 's/^/ /'
	passed=$((passed + $(grep -cE '^\s+ok ' "$tmp/reliability.log")))
else
	cat "$tmp/reliability.log"
	failed=$((failed + 1 + $(grep -cE '^\s+FAIL ' "$tmp/reliability.log")))
fi

echo "== cluster, short: three Galera nodes and two rekeyd (own stack): races across nodes, a node killed and rejoined, checksums"
if tests/reliability/run.sh --cluster --short > "$tmp/cluster.log" 2>&1; then
	grep -E '^\s+(ok|FAIL) |cluster stack started|killed; restarted|checksums of|transaction conflicts' "$tmp/cluster.log" | sed 's/^/ /'
	passed=$((passed + $(grep -cE '^\s+ok ' "$tmp/cluster.log")))
else
	cat "$tmp/cluster.log"
	failed=$((failed + 1 + $(grep -cE '^\s+FAIL ' "$tmp/cluster.log")))
fi

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
