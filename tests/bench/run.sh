#!/bin/bash
# run.sh -- `make bench`: prints the figures and writes them to var/reports/.
# The HTTP rows run against a private stack on free ports, removed afterwards.
# --cluster (make bench CLUSTER=1): the HTTP rows again on three Galera nodes
# and two rekeyd (2 workers each: the same 4 in all), beside the single-node ones.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p var/reports
out=var/reports/bench-$(date -u +%Y%m%dT%H%M%SZ)${1:+-cluster}.txt
tmp=$(mktemp -d /tmp/rekey-bench.XXXXXX)
chmod 711 "$tmp"
trap 'cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1; cgi/ops/stack.sh stop "$tmp/cluster" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
port=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
clustered=""
[ "${1:-}" = --cluster ] && clustered=1
export REKEY_SIGNIN_LIMIT_IP=100000000 REKEY_SIGNIN_LIMIT_ACCOUNT=100000000 REKEY_ANON_LIMIT_IP=100000000 REKEY_PWHASH_OPSLIMIT=1 REKEY_PWHASH_MEMLIMIT_MIB=8
{
	echo "Rekey bench, $(date -u), $(nproc) cores, $(uname -m)"
	# the machine may be shared: its load beside the figures
	echo "load: $(uptime)"
	node tests/bench/core.bench.mjs
	node tests/bench/webauthn.bench.mjs
	# the bench build of rekeyd (GET /api/bench/empty); argon2id made cheap so that
	# preparing thousands of reset flows takes seconds (sign-in cost is not a row)
	if BUILD="$root/build/bench" cgi/ops/stack.sh start "$tmp/stack" "$port" >"$tmp/stack.log" 2>&1; then
		REKEY_BENCH_JSON="$tmp/single.json" REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/stack/mail" node tests/bench/http.bench.mjs
		sup=$(cat "$tmp/stack/run/rekeyd.pid")
		echo "rekeyd memory after the load (RSS, KiB): supervisor $(ps -o rss= --pid "$sup" | tr -d ' ');" \
			"mailer and workers: $(ps -o rss= --ppid "$sup" | sort -n | tr '\n' ' ')"
	else
		echo "the stack did not start"; cat "$tmp/stack.log"
	fi
	if [ -n "$clustered" ]; then
		cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1
		echo
		echo "== the same rows on a Galera cluster: 3 nodes, 2 rekeyd x 2 workers, one nginx upstream (all on these $(nproc) cores)"
		echo "load: $(uptime)"
		if BUILD="$root/build/bench" REKEY_WORKERS=2 cgi/ops/stack.sh cluster "$tmp/cluster" "$port" >"$tmp/cluster.log" 2>&1; then
			REKEY_WORKERS=4 REKEY_BENCH_JSON="$tmp/cluster.json" REKEY_TEST_DIR="$tmp/cluster" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/cluster/mail" \
				node tests/bench/http.bench.mjs
			node -e '
const [s, c] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
console.log("\ncluster beside single node (same run): req/s, p99 ms, mariadbd CPU ms per request (all nodes), database round trips per request, Galera write-set bytes per request");
console.log("  " + "endpoint".padEnd(54) + "single".padStart(8) + "cluster".padStart(9) + "ratio".padStart(7) + "p99 1".padStart(8) + "p99 C".padStart(8) +
  "db ms 1".padStart(9) + "db ms C".padStart(9) + "trips 1".padStart(9) + "trips C".padStart(9) + "WS B/req".padStart(10));
for (const r of s) { const x = c.find((y) => y.name.replace(/\d+ cases/, "") === r.name.replace(/\d+ cases/, "")); if (!x) continue;
  console.log("  " + r.name.padEnd(54) + r.rps.toFixed(0).padStart(8) + x.rps.toFixed(0).padStart(9) + (x.rps / r.rps).toFixed(2).padStart(7) +
    r.p99.toFixed(1).padStart(8) + x.p99.toFixed(1).padStart(8) + r.cpu.mariadbd.toFixed(3).padStart(9) + x.cpu.mariadbd.toFixed(3).padStart(9) +
    r.trips.toFixed(1).padStart(9) + x.trips.toFixed(1).padStart(9) + (x.galera ? (x.galera.wsrep_replicated_bytes / Math.max(1, x.n)).toFixed(0) : "-").padStart(10)); }' "$tmp/single.json" "$tmp/cluster.json"
			echo "load: $(uptime)"
		else
			echo "the cluster did not start"; cat "$tmp/cluster.log"
		fi
	fi
} 2>&1 | tee "$out"
echo "written to $out"
