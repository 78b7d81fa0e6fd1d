#!/bin/bash
# run.sh -- `make bench`: prints the figures and writes them to var/reports/.
# The HTTP rows run against a private stack on free ports, removed afterwards.
# --cluster (make bench CLUSTER=1): the HTTP rows again on three Galera nodes
# and two rekeyd (2 workers each: the same 4 in all), beside the single-node ones.
# --size 10k|100k|1m (make bench SIZE=...): first a generated data set of
# that many accounts (tests/bench/seed-bulk.sh: history, audit chains, cases
# with a 5,000-case review backlog, a million expired codes), then the HTTP
# rows on it and the operator's commands (tests/bench/ops.bench.mjs); the
# figures are kept in var/reports/bench-size-SIZE.json and every size run so
# far is printed side by side with p99(1m) / p99(10k) per route.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p var/reports
clustered=""; size=""
while [ $# -gt 0 ]; do
	case $1 in
	--cluster) clustered=1 ;;
	--size) size=$2; shift ;;
	*) echo "usage: run.sh [--cluster] [--size 10k|100k|1m]" >&2; exit 2 ;;
	esac
	shift
done
accounts=""
case $size in
"") ;;
10k) accounts=10000 ;; 100k) accounts=100000 ;; 1m) accounts=1000000 ;;
*) echo "SIZE is 10k, 100k or 1m" >&2; exit 2 ;;
esac
out=var/reports/bench-$(date -u +%Y%m%dT%H%M%SZ)${clustered:+-cluster}${size:+-$size}.txt
tmp=$(mktemp -d /tmp/rekey-bench.XXXXXX)
chmod 711 "$tmp"
trap 'cgi/ops/stack.sh stop "$tmp/stack" >/dev/null 2>&1; cgi/ops/stack.sh stop "$tmp/cluster" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
port=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
export REKEY_SIGNIN_LIMIT_IP=100000000 REKEY_SIGNIN_LIMIT_ACCOUNT=100000000 REKEY_ANON_LIMIT_IP=100000000 REKEY_PWHASH_OPSLIMIT=1 REKEY_PWHASH_MEMLIMIT_MIB=8
{
	echo "Rekey bench, $(date -u), $(nproc) cores, $(uname -m)"
	# the machine may be shared: its load beside the figures
	echo "load: $(uptime)"
	node tests/bench/core.bench.mjs
	node tests/bench/webauthn.bench.mjs
	# the bench build of rekeyd (GET /api/bench/empty); argon2id made cheap so that
	# preparing thousands of reset flows takes seconds (sign-in cost is not a row)
	# with a size: the same buffer pool at every size (1 GiB), so that the
	# sizes differ only in their data
	# (and no sweep by the delivery process: the sweep is measured alone, by rekeyctl)
	sweep_every=${REKEY_SWEEP_SECONDS:-600}
	[ -n "$accounts" ] && sweep_every=0
	if BUILD="$root/build/bench" DB_BUFFER_POOL=${accounts:+1G} REKEY_SWEEP_SECONDS=$sweep_every cgi/ops/stack.sh start "$tmp/stack" "$port" >"$tmp/stack.log" 2>&1; then
		if [ -n "$accounts" ]; then
			echo
			echo "== $size: generating $accounts accounts (rekeyctl seed-bulk + LOAD DATA); load: $(uptime | sed 's/.*load average/load average/')"
			# a larger redo log while loading (dynamic since MariaDB 10.9): fewer checkpoints
			mariadb --socket="$tmp/stack/run/mysqld.sock" -uroot -e "SET GLOBAL innodb_log_file_size = 1073741824" 2>/dev/null
			s0=$(date +%s)
			tests/bench/seed-bulk.sh "$tmp/stack/rekey.conf" --accounts "$accounts" --backlog 5000 --expired 1000000 2>"$tmp/seed.log"
			seed_rc=$?
			seed_secs=$(( $(date +%s) - s0 ))
			grep -E "written in|rows loaded in" "$tmp/seed.log"
			[ $seed_rc = 0 ] || { echo "the generator failed:"; tail -20 "$tmp/seed.log"; }
			mariadb --socket="$tmp/stack/run/mysqld.sock" -uroot -N -B rekey -e "SELECT CONCAT(table_name, ' ', table_rows, ' rows, ',
				ROUND((data_length + index_length) / 1048576), ' MiB') FROM information_schema.tables WHERE table_schema = 'rekey'
				AND table_rows > 1000 ORDER BY data_length + index_length DESC" | sed 's/^/  /'
			echo "  generated and loaded in $seed_secs s; load now: $(uptime | sed 's/.*load average/load average/')"
			# the load's dirty pages written out before the rows: a bulk load's aftermath
			# (up to 90 % of the buffer pool dirty, written at innodb_io_capacity in the
			# background for minutes) is not what a request costs on a running system,
			# and it competed with the durable writes' log flushes at the larger sizes
			echo "  $(tests/bench/settle.sh "$tmp/stack/run/mysqld.sock" 600 "the load")"
			# the nightly job's checkpoint: audit-verify --since reads only what comes after it
			"$root/build/rekeyctl" -c "$tmp/stack/rekey.conf" audit-checkpoint > "$tmp/checkpoint.txt"
		fi
		# with a size, 3,000 pre-made single-use requests a row (9,000 without): the
		# rows that grow with the data are the point, and making them takes minutes
		BENCH_N=${BENCH_N:-${accounts:+3000}} REKEY_BENCH_JSON="$tmp/single.json" REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" \
			REKEY_TEST_MAIL="$tmp/stack/mail" node tests/bench/http.bench.mjs
		if [ -n "$accounts" ]; then
			REKEY_TEST_DIR="$tmp/stack" REKEY_TEST_PORT="$port" REKEY_TEST_MAIL="$tmp/stack/mail" BENCH_CHECKPOINT="$tmp/checkpoint.txt" \
				BENCH_OPS_JSON="$tmp/ops.json" node tests/bench/ops.bench.mjs
			node -e '
const fs = require("fs"); const [size, secs, http, ops, load] = process.argv.slice(1);
fs.writeFileSync(`var/reports/bench-size-${size}.json`, JSON.stringify({ size, at: new Date().toISOString(), load, seedSecs: Number(secs),
  http: JSON.parse(fs.readFileSync(http, "utf8")), ops: fs.existsSync(ops) ? JSON.parse(fs.readFileSync(ops, "utf8")).ops : [] }));' \
				"$size" "$seed_secs" "$tmp/single.json" "$tmp/ops.json" "$(uptime | sed 's/.*load average/load average/')"
			node tests/bench/sizes.mjs
		fi
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
