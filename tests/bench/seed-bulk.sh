#!/bin/bash
# seed-bulk.sh CONF ARGS... -- a large data set (issue #21) in the database of
# rekey.conf CONF: `rekeyctl seed-bulk ARGS --out TMP` writes it in chunks
# (the server key makes the audit hashes and seals the evidence), and each
# chunk is loaded here with LOAD DATA LOCAL INFILE as soon as it is written
# (the generator runs ahead on the other core), then deleted. Foreign and
# unique checks are off during the load (the generator makes the keys
# unique and the references right); the indexes are the schema's, built as
# rows arrive. ANALYZE TABLE at the end so that plans see the new sizes.
#   tests/bench/seed-bulk.sh var/rekey.conf --accounts 10000 --backlog 5000 --expired 1000000
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$1; shift
ctl=${REKEYCTL:-$root/build/rekeyctl}
sock=$(sed -n 's/^db_socket = //p' "$conf" | head -1)
name=$(sed -n 's/^db_name = //p' "$conf" | head -1)
[ -n "${REKEY_DB_NAME:-}" ] && name=$REKEY_DB_NAME
out=$(mktemp -d /tmp/rekey-bulk.XXXXXX)
trap 'rm -rf "$out"' EXIT
t0=$(date +%s.%N)
rows=0; chunks=0
status=0
# the manifest: one line per finished chunk, TABLE FILE ROWS COLUMNS
while read -r table file n cols; do
	mariadb --socket="$sock" -uroot --local-infile=1 "$name" -e "SET SESSION foreign_key_checks = 0, unique_checks = 0;
		LOAD DATA LOCAL INFILE '$file' INTO TABLE $table CHARACTER SET binary ($cols)" || { status=1; echo "seed-bulk: loading $file failed" >&2; }
	rm -f "$file"
	rows=$((rows + n)); chunks=$((chunks + 1))
	printf 'seed-bulk: loaded %-14s %8d rows (%d rows in %d chunks, %.0f s)\n' "$table" "$n" "$rows" "$chunks" "$(echo "$(date +%s.%N) - $t0" | bc)" >&2
done < <("$ctl" -c "$conf" seed-bulk "$@" --out "$out/files"; echo $? > "$out/rc")
[ "$(cat "$out/rc")" = 0 ] || status=1
mariadb --socket="$sock" -uroot "$name" -N -e "ANALYZE TABLE accounts, passkeys, totp_bindings, phones, signins, transfers, sessions, holds,
	delete_flows, reset_cases, reset_flows, case_events, evidence, audit_log, audit_heads, codes" >/dev/null || status=1
printf 'seed-bulk: %d rows loaded in %.0f s\n' "$rows" "$(echo "$(date +%s.%N) - $t0" | bc)" >&2
exit $status
