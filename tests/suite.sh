#!/bin/bash
# suite.sh -- a quick loop while developing: one private stack like tests/run.sh's
# (MariaDB + rekeyd + nginx + loopback SMTP on free ports), then the given
# node:test suites against it, then everything stopped. `make test` runs them all.
#   tests/suite.sh tests/node/api_reset.test.mjs [phone:tests/e2e/x.test.mjs] [SUITE:PATTERN]
#   KEEP=1 tests/suite.sh ...   leaves the stack up and prints how to reach it
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ $# -gt 0 ] || { echo "usage: tests/suite.sh SUITE..." >&2; exit 2; }
tmp=$(mktemp -d /tmp/rekey-suite.XXXXXX); chmod 700 "$tmp"
smtp_pid=""
cleanup() {
	[ -n "${KEEP:-}" ] && { echo "stack left up: REKEY_TEST_DIR=$tmp/stack REKEY_TEST_PORT=$port REKEY_TEST_MAIL=$tmp/smtp-mail; stop: cgi/ops/stack.sh stop $tmp/stack; kill $smtp_pid"; return; }
	cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1
	[ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
. tests/test-stack.sh
if ! test_stack_start "$tmp"; then
	echo "the stack did not start:"; cat "$tmp/stack.log"; tail -20 "$tmp/stack/log/"*.log 2>/dev/null; exit 1
fi
rc=0
for run in "$@"; do
	viewport=desktop; case $run in phone:*) viewport=phone; run=${run#phone:} ;; esac
	suite=${run%%:*}; pattern=${run#"$suite"}; pattern=${pattern#:}
	REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/smtp-mail" REKEY_E2E_VIEWPORT=$viewport \
		node --test --test-concurrency=1 ${pattern:+--test-name-pattern="$pattern"} "$suite" > "$tmp/out.log" 2>&1 || rc=1
	grep -E '^(not ok|# (pass|fail))' "$tmp/out.log" | sed "s|^|$(basename "$suite") ($viewport): |"
	grep -q '^not ok' "$tmp/out.log" && { cat "$tmp/out.log"; tail -30 "$tmp/stack/log/rekeyd.log"; }
done
exit $rc
