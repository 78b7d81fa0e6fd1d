#!/bin/bash
# run.sh -- `make bench`: prints the figures and writes them to var/reports/.
# The HTTP rows run against a private stack on free ports, removed afterwards.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p var/reports
out=var/reports/bench-$(date -u +%Y%m%dT%H%M%SZ).txt
tmp=$(mktemp -d /tmp/rekey-bench.XXXXXX)
chmod 711 "$tmp"
trap 'cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
port=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
{
	echo "Rekey bench, $(date -u), $(nproc) cores, $(uname -m)"
	node tests/bench/core.bench.mjs
	node tests/bench/webauthn.bench.mjs
	# the bench build of rekeyd (GET /api/bench/empty); argon2id made cheap so that
	# preparing thousands of reset flows takes seconds (sign-in cost is not a row)
	if BUILD="$root/build/bench" REKEY_SIGNIN_LIMIT_IP=100000000 REKEY_SIGNIN_LIMIT_ACCOUNT=100000000 REKEY_ANON_LIMIT_IP=100000000 REKEY_PWHASH_OPSLIMIT=1 \
	    REKEY_PWHASH_MEMLIMIT_MIB=8 cgi/ops/stack.sh start "$tmp/stack" "$port" >"$tmp/stack.log" 2>&1; then
		REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/stack/mail" node tests/bench/http.bench.mjs
		sup=$(cat "$tmp/stack/run/rekeyd.pid")
		echo "rekeyd memory after the load (RSS, KiB): supervisor $(ps -o rss= --pid "$sup" | tr -d ' ');" \
			"mailer and workers: $(ps -o rss= --ppid "$sup" | sort -n | tr '\n' ' ')"
	else
		echo "the stack did not start"; cat "$tmp/stack.log"
	fi
} 2>&1 | tee "$out"
echo "written to $out"
