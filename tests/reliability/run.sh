#!/bin/bash
# run.sh -- `make reliability` (and, with --short, part of `make test`): a
# private stack on free ports with innodb_flush_log_at_trx_commit=1 takes the
# faults, races and hostile input of tests/reliability/run.mjs; then a control
# stack with innodb_flush_log_at_trx_commit=0 must show lost writes under the
# same database kills. The report goes to var/reports/ and is printed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mode=${1:-}
mkdir -p var/reports
out=var/reports/reliability-$(date -u +%Y%m%dT%H%M%SZ)${mode:+-short}.txt
tmp=$(mktemp -d /tmp/rekey-rel.XXXXXX)
chmod 711 "$tmp"
trap 'cgi/ops/stack.sh stop "$tmp/a" >/dev/null 2>&1; cgi/ops/stack.sh stop "$tmp/b" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# argon2id made cheap: the races sign in hundreds of times (its cost is not measured here)
export REKEY_SIGNIN_LIMIT_IP=100000000 REKEY_SIGNIN_LIMIT_ACCOUNT=100000000 REKEY_ANON_LIMIT_IP=100000000 REKEY_PWHASH_OPSLIMIT=1 REKEY_PWHASH_MEMLIMIT_MIB=8 REKEY_WORKERS=4
rc=0
run() { # DIR FLUSH ARGS...
	local d=$1 flush=$2 port; shift 2
	port=$(free_port)
	if ! DB_FLUSH=$flush cgi/ops/stack.sh start "$d" "$port" >"$d.log" 2>&1; then
		echo "the stack did not start:"; cat "$d.log"; return 1
	fi
	DB_FLUSH=$flush REKEY_TEST_DIR="$d" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$d/mail" node tests/reliability/run.mjs "$@"
	local r=$?
	cgi/ops/stack.sh stop "$d" >/dev/null 2>&1
	return $r
}
{
	echo "Rekey reliability${mode:+ (short)}, $(date -u), $(nproc) cores"
	run "$tmp/a" 1 $mode || rc=1
	run "$tmp/b" 0 --control $mode || rc=1
	echo
	[ $rc = 0 ] && echo "reliability: passed" || echo "reliability: FAILED"
	exit $rc
} 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
echo "written to $out"
exit $rc
