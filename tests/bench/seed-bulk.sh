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
# triggers are dropped while the rows load -- the audit trigger (schema/012:
# the heads come as rows of their own) and the account summaries' (schema/031:
# each row would refresh its account's summary, one by one) -- then the
# summaries are made set-wise (account_summaries_rebuild) and every trigger is
# put back as it was, also when the load fails.
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
# every trigger of the schema, one per line: name, timing, event, table, body (newlines kept as \n)
db -N -B -e "SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_STATEMENT
	FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER" > "$out/triggers" ||
	{ echo "seed-bulk: cannot read the triggers" >&2; exit 1; }
restore() {
	local trg timing event table body
	while IFS=$'\t' read -r trg timing event table body; do
		# (a body may hold statements of its own: the client must not split it at their semicolons)
		printf 'DELIMITER //\nCREATE TRIGGER IF NOT EXISTS %s %s %s ON %s FOR EACH ROW %b //\n' "$trg" "$timing" "$event" "$table" "$body" | db ||
			echo "seed-bulk: the trigger $trg could not be put back: apply its schema file again" >&2
	done < "$out/triggers"
	rm -rf "$out"
}
trap restore EXIT
trap 'exit 1' INT TERM
cut -f1 "$out/triggers" | while read -r trg; do db -e "DROP TRIGGER $trg"; done
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
# the summaries GET /api/me reads, made set-wise (the triggers were off)
s1=$(date +%s.%N)
db -e "CALL account_summaries_rebuild()" || status=1
printf 'seed-bulk: account summaries made in %.0f s\n' "$(echo "$(date +%s.%N) - $s1" | bc)" >&2
[ "$(cat "$out/rc" 2>/dev/null)" = 0 ] && [ ! -e "$out/failed" ] || status=1
db -N -e "ANALYZE TABLE accounts, account_summaries, passkeys, totp_bindings, phones, signins, transfers, sessions, holds,
	delete_flows, reset_cases, reset_flows, case_events, evidence, audit_log, audit_heads, codes" >/dev/null || status=1
secs=$(echo "$(date +%s.%N) - $t0" | bc)
printf 'seed-bulk: %d rows loaded in %.0f s (%.0f rows/s)\n' "$rows" "$secs" "$(echo "$rows / $secs" | bc)" >&2
exit $status
