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
chmod 711 "$tmp"  # nginx workers pass through to the socket
smtp_pid=""
cleanup() {
	cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1
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
fz=$(tests/fuzz/run.sh replay 0 b64url cbor authdata attobj clientdata image chain flow); rc=$?
echo "$fz"
n=$(echo "$fz" | grep -c "no finding"); passed=$((passed + n))
[ "$rc" != 0 ] && failed=$((failed + 1))

echo "== core.wasm in Node"
node --test tests/node/core.test.mjs > "$tmp/node-core.log" 2>&1
grep -E '^(not ok|# (pass|fail))' "$tmp/node-core.log" | sed 's/^/  /'
grep -q '^not ok' "$tmp/node-core.log" && cat "$tmp/node-core.log"
count_node "$tmp/node-core.log"

echo "== API against nginx -> rekeyd -> MariaDB"
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free_port); smtp_port=$(free_port); provider_port=$(free_port)
# Case 2 goes to an external face provider: tests/node/api_provider.test.mjs plays it on this port
export REKEY_FACE_PROVIDER=http REKEY_FACE_PROVIDER_URL="http://127.0.0.1:$provider_port/checks"
export REKEY_FACE_PROVIDER_TOKEN=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_') REKEY_FACE_WEBHOOK_SECRET=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')
export REKEY_TEST_PROVIDER_PORT=$provider_port REKEY_TEST_PROVIDER_TOKEN=$REKEY_FACE_PROVIDER_TOKEN REKEY_TEST_WEBHOOK_SECRET=$REKEY_FACE_WEBHOOK_SECRET
mkdir -p "$tmp/smtp-mail/tmp" "$tmp/smtp-mail/new" "$tmp/smtp-mail/cur"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$tmp/smtp-mail" >"$tmp/smtp.log" 2>&1 &
smtp_pid=$!
if REKEY_SMTP_URL="smtp://127.0.0.1:$smtp_port" REKEY_WORKERS=3 REKEY_SIGNIN_LIMIT_IP=300 REKEY_SWEEP_SECONDS=1 cgi/ops/stack.sh start "$tmp/stack" "$port" >"$tmp/stack.log" 2>&1; then
	# cgi/db.c against this stack's MariaDB (read routes, write routes, reconnects)
	REKEY_TEST_DB_SOCKET="$tmp/stack/run/mysqld.sock" run_check build/tests/check_db
	for suite in $(ls tests/node/api_*.test.mjs | grep -v api_outage) tests/e2e/*.test.mjs tests/node/api_outage.test.mjs; do
		REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/smtp-mail" \
			node --test --test-concurrency=1 "$suite" > "$tmp/node-api.log" 2>&1
		grep -E '^(not ok|# (pass|fail))' "$tmp/node-api.log" | sed "s|^|  $(basename "$suite"): |"
		grep -q '^not ok' "$tmp/node-api.log" && { cat "$tmp/node-api.log"; tail -30 "$tmp/stack/log/rekeyd.log"; }
		count_node "$tmp/node-api.log"
	done
else
	echo "  the stack did not start:"; cat "$tmp/stack.log"; tail -20 "$tmp/stack/log/"*.log 2>/dev/null
	failed=$((failed + 1))
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
