#!/bin/bash
# seed-bulk.sh CONF ARGS... -- a large data set (issue #21) in the database of
# rekey.conf CONF: `rekeyctl seed-bulk ARGS --out TMP` writes it in chunks
# (the server key makes the audit hashes and seals the evidence), and each
# chunk is loaded here with LOAD DATA LOCAL INFILE as soon as it is written
# (the generator runs ahead), BULK_JOBS chunks at a time (2), then deleted.
# Foreign and unique checks are off during the load (the generator makes
# the keys unique and the references right); the indexes are the schema's,
# built as rows arrive. ANALYZE TABLE at the end so that plans see the sizes.
# For a database nobody else writes meanwhile (a bench's, a test's): the
# audit trigger (schema/012) is dropped while the chains load -- each row
# would run it for nothing, the heads come as rows of their own -- and put
# back as it was at the end, also when the load fails.
#   tests/bench/seed-bulk.sh var/rekey.conf --accounts 10000 --backlog 5000 --expired 1000000
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$1; shift
ctl=${REKEYCTL:-$root/build/rekeyctl}
jobs_max=${BULK_JOBS:-2}
sock=$(sed -n 's/^db_socket = //p' "$conf" | head -1)
name=$(sed -n 's/^db_name = //p' "$conf" | head -1)
db() { mariadb --socket="$sock" -uroot "$name" "$@"; }
out=$(mktemp -d /tmp/rekey-bulk.XXXXXX)
trigger=$(db -N -B -e "SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'audit_log_moves_head'")
restore() {
	if [ -n "$trigger" ]; then
		db -e "CREATE TRIGGER IF NOT EXISTS audit_log_moves_head AFTER INSERT ON audit_log FOR EACH ROW $trigger" ||
			echo "seed-bulk: the audit trigger could not be put back: apply schema/012 again" >&2
	fi
	rm -rf "$out"
}
trap restore EXIT
trap 'exit 1' INT TERM
[ -n "$trigger" ] && db -e "DROP TRIGGER audit_log_moves_head"
t0=$(date +%s.%N)
rows=0; chunks=0
load() { # TABLE FILE COLUMNS: one chunk, one transaction
	db --local-infile=1 -e "SET SESSION foreign_key_checks = 0, unique_checks = 0;
		LOAD DATA LOCAL INFILE '$2' INTO TABLE $1 CHARACTER SET binary ($3)" || { echo "seed-bulk: loading $2 failed" >&2; touch "$out/failed"; }
	rm -f "$2"
}
# the manifest: one line per finished chunk, TABLE FILE ROWS COLUMNS
# (two chunks of one table never load at once: concurrent bulk inserts
# into one table meet on its auto-increment lock, ER 1467)
declare -A loading
while read -r table file n cols; do
	[ -n "${loading[$table]:-}" ] && wait "${loading[$table]}" 2>/dev/null
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
	load "$table" "$file" "$cols" &
	loading[$table]=$!
	rows=$((rows + n)); chunks=$((chunks + 1))
	printf 'seed-bulk: loading %-14s %8d rows (%d rows in %d chunks so far, %.0f s)\n' "$table" "$n" "$rows" "$chunks" "$(echo "$(date +%s.%N) - $t0" | bc)" >&2
done < <("$ctl" -c "$conf" seed-bulk "$@" --out "$out/files"; echo $? > "$out/rc")
wait
status=0
[ "$(cat "$out/rc" 2>/dev/null)" = 0 ] && [ ! -e "$out/failed" ] || status=1
db -N -e "ANALYZE TABLE accounts, passkeys, totp_bindings, phones, signins, transfers, sessions, holds,
	delete_flows, reset_cases, reset_flows, case_events, evidence, audit_log, audit_heads, codes" >/dev/null || status=1
secs=$(echo "$(date +%s.%N) - $t0" | bc)
printf 'seed-bulk: %d rows loaded in %.0f s (%.0f rows/s)\n' "$rows" "$secs" "$(echo "$rows / $secs" | bc)" >&2
exit $status
