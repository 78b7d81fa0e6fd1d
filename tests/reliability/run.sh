#!/bin/bash
# run.sh -- `make reliability` (and, with --short, part of `make test`): a
# private stack on free ports with innodb_flush_log_at_trx_commit=1 takes the
# faults, races and hostile input of tests/reliability/run.mjs; then a control
# stack with innodb_flush_log_at_trx_commit=0 must show lost writes under the
# same database kills. The report goes to var/reports/ and is printed.
# --cluster (make reliability CLUSTER=1; with --short, part of make test): the
# stack is three Galera nodes and two rekeyd (cgi/ops/stack.sh cluster).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mode=""; clustered=""; control=""
for a in "$@"; do
	case "$a" in
	--short) mode=--short ;;
	--cluster) clustered=--cluster ;;
	--control) control=--control ;;
	esac
done
mkdir -p var/reports
out=var/reports/reliability-$(date -u +%Y%m%dT%H%M%SZ)${clustered:+-cluster}${mode:+-short}.txt
tmp=$(mktemp -d /tmp/rekey-rel.XXXXXX)
chmod 711 "$tmp"
[ -n "${KEEP:-}" ] || trap 'for s in a b c; do cgi/ops/stack.sh stop "$tmp/$s" >/dev/null 2>&1; done; rm -rf "$tmp"' EXIT INT TERM
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# argon2id made cheap: the races sign in hundreds of times (its cost is not measured here)
export REKEY_SIGNIN_LIMIT_IP=100000000 REKEY_SIGNIN_LIMIT_ACCOUNT=100000000 REKEY_ANON_LIMIT_IP=100000000 REKEY_PWHASH_OPSLIMIT=1 REKEY_PWHASH_MEMLIMIT_MIB=8 REKEY_WORKERS=4
rc=0
run() { # DIR FLUSH ARGS...
	local d=$1 flush=$2 port how=start; shift 2
	port=$(free_port)
	[ "${1:-}" = --cluster ] && how=cluster
	local t0; t0=$(date +%s%N)
	if ! DB_FLUSH=$flush cgi/ops/stack.sh $how "$d" "$port" >"$d.log" 2>&1; then
		echo "the stack did not start:"; cat "$d.log"; tail -n 30 "$d"/node*/mariadb.log 2>/dev/null; return 1
	fi
	[ $how = cluster ] && echo "  the cluster stack started in $(( ($(date +%s%N) - t0) / 1000000 )) ms (a new cluster: node1 bootstrapped, node2 and node3 joined by SST; migrations, demo seed, 2 rekeyd, nginx)"
	DB_FLUSH=$flush REKEY_TEST_DIR="$d" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$d/mail" node tests/reliability/run.mjs "$@"
	local r=$?
	cgi/ops/stack.sh stop "$d" >/dev/null 2>&1
	if [ $r != 0 ]; then # the logs, for the report (the folder goes at exit)
		mkdir -p "$root/${out%.txt}-logs/$(basename "$d")"
		cp -r "$d/log" "$d"/node*/mariadb.log "$root/${out%.txt}-logs/$(basename "$d")/" 2>/dev/null
		for f in "$d"/node*/mariadb.log; do [ -f "$f" ] && cp "$f" "$root/${out%.txt}-logs/$(basename "$d")/$(basename "$(dirname "$f")").log"; done
	fi
	return $r
}
{
	echo "Rekey reliability${clustered:+ on a Galera cluster}${mode:+ (short)}, $(date -u), $(nproc) cores"
	# the machine may be shared: its load beside the figures
	echo "load before: $(uptime)"
	if [ -n "$clustered" ]; then
		run "$tmp/c" 1 --cluster $mode $control || rc=1
	else
		run "$tmp/a" 1 $mode || rc=1
		run "$tmp/b" 0 --control $mode || rc=1
	fi
	echo
	echo "load after: $(uptime)"
	[ $rc = 0 ] && echo "reliability: passed" || echo "reliability: FAILED"
	exit $rc
} 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
echo "written to $out"
exit $rc
