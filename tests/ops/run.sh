#!/bin/bash
# tests/ops/run.sh -- `make test`: the operator's drills on a stack of their own
# (MariaDB + rekeyd + nginx in a temporary folder), each step a line
# "  ok NAME" or "  FAIL NAME" (tests/run.sh counts them).
#  1. key rotation of the evidence vault: rotate, retire refused while rows
#     need the old key, a reseal killed (kill -9) in the middle and resumed,
#     every box opening as sealed (nothing sealed twice), then retire;
#  2. backup and restore: back up, change things, restore into an empty data
#     directory, audit-verify intact, every table's CHECKSUM TABLE equal to
#     the backup's moment, a checkpoint taken after the backup reports the
#     restored chains as rewound, the vault's boxes open (its keys came back).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tmp=$(mktemp -d /tmp/rekey-ops.XXXXXX); chmod 700 "$tmp"
dir=$tmp/stack
cleanup() { cgi/ops/stack.sh stop "$dir" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
fails=0
ok() { echo "  ok $1"; }
fail() { echo "  FAIL $1${2:+: $2}"; fails=$((fails + 1)); }
check() { # NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if out=$("$@" 2>&1); then ok "$name"; else fail "$name" "$out"; fi
}
ctl() { build/rekeyctl -c "$dir/rekey.conf" "$@"; }
sql() { mariadb --socket="$dir/run/mysqld.sock" -uroot -N -B rekey -e "$1"; }
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free_port)
if ! REKEY_WORKERS=2 cgi/ops/stack.sh start "$dir" "$port" >"$tmp/stack.log" 2>&1; then
	echo "  the stack did not start:"; cat "$tmp/stack.log"; exit 1
fi
echo "ops stack started on port $port"

# ---- the vault's contents: screenshots of three cases (through the API,
# as make run's demo queue does) and identity photos of 60 more accounts
node cgi/ops/demo-queue.mjs "$dir" "$port" >"$tmp/demo.log" 2>&1 || { echo "  demo queue failed:"; cat "$tmp/demo.log"; exit 1; }
for n in $(seq 1 60); do
	id=$(ctl account-add "ops$n@rekey.test" "ops-password-$n" verified) && ctl identity-photo "$id" >/dev/null || { echo "  account $n failed"; exit 1; }
done
rows=$(sql "SELECT (SELECT COUNT(*) FROM evidence) + (SELECT COUNT(*) FROM identity_photos) + (SELECT COUNT(*) FROM totp_bindings)")
ev=$(sql "SELECT COUNT(*) FROM evidence"); tb=$(sql "SELECT COUNT(*) FROM totp_bindings")
echo "sealed at rest: $rows rows ($ev evidence rows with two boxes each, $tb TOTP secrets, the rest identity photos)"
[ "$ev" -gt 0 ] && [ "$tb" -gt 0 ] && [ "$rows" -gt 60 ] && ok "vault_has_evidence_photos_and_totp" || fail "vault_has_evidence_photos_and_totp" "$rows rows, $ev evidence, $tb TOTP"

echo "== key rotation"
check "keys_verify_before_rotation" ctl keys verify
out=$(ctl keys retire 1 2>&1) && fail "retire_refuses_the_current_key" "$out" || { echo "$out" | grep -q "current key" && ok "retire_refuses_the_current_key" || fail "retire_refuses_the_current_key" "$out"; }
out=$(ctl keys rotate 2>&1); echo "$out" | sed 's/^/    /'
[ -f "$dir/secret.key.vault" ] && grep -q '^current 2$' "$dir/secret.key.vault" && grep -q '^1 derived$' "$dir/secret.key.vault" \
	&& [ "$(stat -c %a "$dir/secret.key.vault")" = 600 ] && ok "rotate_writes_key_2_as_current" || fail "rotate_writes_key_2_as_current" "$out"
# something new after the rotation is sealed with key 2, by rekeyctl here; rekeyd, which
# started before the rotation, re-reads the ring when it changes (check_vault covers it)
id=$(ctl account-add "ops-new@rekey.test" "ops-password-new" verified) && ctl identity-photo "$id" >/dev/null
[ "$(sql "SELECT key_id FROM identity_photos WHERE account_id = $id")" = 2 ] && ok "new_rows_sealed_with_the_new_key" || fail "new_rows_sealed_with_the_new_key"
out=$(ctl keys retire 1 2>&1) && fail "retire_refused_while_rows_need_the_key" "$out" || { echo "$out" | grep -q "still seals $rows rows" && ok "retire_refused_while_rows_need_the_key" || fail "retire_refused_while_rows_need_the_key" "$out"; }
grep -q '^1 derived$' "$dir/secret.key.vault" && ok "refused_retire_keeps_the_key" || fail "refused_retire_keeps_the_key"

# a reseal, one row per transaction, killed once it has committed a few batches
build/rekeyctl -c "$dir/rekey.conf" keys reseal 1 > "$tmp/reseal1.log" 2>&1 &
pid=$!
for _ in $(seq 1 2000); do
	[ "$(grep -c 'resealed$' "$tmp/reseal1.log")" -ge 3 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.005
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
sed -n '1p;$p' "$tmp/reseal1.log" | sed 's/^/    /'
old=$(sql "SELECT (SELECT COUNT(*) FROM evidence WHERE key_id = 1) + (SELECT COUNT(*) FROM identity_photos WHERE key_id = 1) + (SELECT COUNT(*) FROM totp_bindings WHERE key_id = 1)")
echo "    killed (-9) with $old of $rows rows still under key 1"
[ "$old" -gt 0 ] && [ "$old" -lt "$rows" ] && ok "reseal_killed_midway" || fail "reseal_killed_midway" "$old of $rows under key 1"
# every box opens with the key its row names: the killed batch rolled back whole
check "every_box_opens_after_the_kill" ctl keys verify
out=$(ctl keys retire 1 2>&1) && fail "retire_refused_after_the_kill" "$out" || ok "retire_refused_after_the_kill"
out=$(ctl keys reseal 7 2>&1); rc=$?
echo "$out" | sed -n '1p;$p' | sed 's/^/    /'
[ $rc = 0 ] && echo "$out" | grep -q "^reseal: $old rows under older keys" && echo "$out" | grep -q "done, $old rows resealed" \
	&& ok "reseal_resumes_where_it_stopped" || fail "reseal_resumes_where_it_stopped" "$out"
[ "$(sql "SELECT COUNT(*) FROM evidence WHERE key_id <> 2")$(sql "SELECT COUNT(*) FROM identity_photos WHERE key_id <> 2")$(sql "SELECT COUNT(*) FROM totp_bindings WHERE key_id <> 2")" = 000 ] \
	&& ok "every_row_under_key_2" || fail "every_row_under_key_2"
# rekeyd (started before the rotation) opens a TOTP secret resealed under key 2: a real sign-in
out=$(REKEY_TEST_DIR="$dir" REKEY_TEST_PORT="$port" node tests/ops/totp-signin.mjs 2>&1); rc=$?; echo "    $out"
[ $rc = 0 ] && echo "$out" | grep -q "code 200" && ok "totp_sign_in_after_reseal" || fail "totp_sign_in_after_reseal" "$out"
# opened, each original matches its SHA-256 and each picture is an image: nothing sealed twice
out=$(ctl keys verify 2>&1); echo "    $out"
echo "$out" | grep -q "^keys: $((rows + 1)) rows open as sealed, 0 do not" && ok "nothing_sealed_twice" || fail "nothing_sealed_twice" "$out"
out=$(ctl keys reseal 2>&1); echo "$out" | grep -q "done, 0 rows resealed" && ok "reseal_again_is_a_no_op" || fail "reseal_again_is_a_no_op" "$out"
check "retire_once_no_row_needs_the_key" ctl keys retire 1
grep -q '^1 ' "$dir/secret.key.vault" && fail "retired_key_gone_from_the_ring" || ok "retired_key_gone_from_the_ring"
out=$(ctl keys retire 1 2>&1) && fail "retire_twice_refused" "$out" || ok "retire_twice_refused"
# a row that still named the retired key would open no more: verify says which
sql "UPDATE identity_photos SET key_id = 1 WHERE account_id = $id"
out=$(ctl keys verify 2>&1) && fail "verify_finds_a_row_under_a_retired_key" "$out" || { echo "$out" | grep -q "account $id (key 1)" && ok "verify_finds_a_row_under_a_retired_key" || fail "verify_finds_a_row_under_a_retired_key" "$out"; }
sql "UPDATE identity_photos SET key_id = 2 WHERE account_id = $id"
check "rekeyd_opens_resealed_boxes" ctl keys verify
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE event IN ('vault_key_rotated', 'vault_resealed', 'vault_key_retired')")" -ge 4 ] \
	&& ok "rotation_steps_audited" || fail "rotation_steps_audited"
check "audit_intact_after_rotation" ctl audit-verify

echo "== backup and restore"
# rekeyd and nginx stopped, MariaDB alone: nothing writes behind the drill's back
cgi/ops/stack.sh stop "$dir" >/dev/null 2>&1
cgi/ops/stack.sh db-start "$dir" >/dev/null 2>&1 || { fail "db_start"; exit 1; }
checksums() { # every table's CHECKSUM TABLE, one "table checksum" per line
	local t list=""
	for t in $(sql "SHOW TABLES"); do list="$list${list:+, }$t"; done
	sql "CHECKSUM TABLE $list EXTENDED" | sed 's/^rekey\.//'
}
ctl hold "$id" 24 "before the backup" >/dev/null
checksums > "$tmp/sums.backup"
out=$(ctl backup "$tmp/backup" 2>&1); rc=$?; echo "$out" | sed 's/^/    /'
[ $rc = 0 ] && [ -f "$tmp/backup/MANIFEST" ] && [ -f "$tmp/backup/files/secret.key" ] && [ -f "$tmp/backup/files/secret.key.vault" ] \
	&& ok "backup_made" || fail "backup_made" "$out"
(cd "$tmp/backup" && sha256sum --quiet --strict -c MANIFEST) >/dev/null 2>&1 && ok "manifest_checks_with_sha256sum" || fail "manifest_checks_with_sha256sum"
out=$(ctl backup "$tmp/backup" 2>&1) && fail "backup_refuses_a_folder_in_use" || ok "backup_refuses_a_folder_in_use"
# after the backup: more entries in the chains, then a checkpoint of those heads
ctl hold "$id" 48 "after the backup" >/dev/null
ctl account-add "after-backup@rekey.test" "after-backup-pw" verified >/dev/null
ctl audit-checkpoint > "$tmp/checkpoint.after"
checksums > "$tmp/sums.after"
cmp -s "$tmp/sums.backup" "$tmp/sums.after" && fail "changes_after_the_backup" || ok "changes_after_the_backup"

# a damaged backup is refused before anything is written
cp -a "$tmp/backup" "$tmp/damaged"
printf 'x' >> "$tmp/damaged/files/rekey.conf"
mkdir -p "$tmp/empty"
out=$(ctl restore "$tmp/damaged" "$tmp/empty" 2>&1) && fail "restore_refuses_a_changed_file" "$out" \
	|| { echo "$out" | grep -q "files/rekey.conf does not match" && [ -z "$(ls -A "$tmp/empty")" ] && ok "restore_refuses_a_changed_file" || fail "restore_refuses_a_changed_file" "$out"; }
rm -rf "$tmp/damaged"; cp -a "$tmp/backup" "$tmp/damaged"
echo extra > "$tmp/damaged/files/unlisted"
out=$(ctl restore "$tmp/damaged" "$tmp/empty" 2>&1) && fail "restore_refuses_an_unlisted_file" "$out" || ok "restore_refuses_an_unlisted_file"
rm -rf "$tmp/damaged"; cp -a "$tmp/backup" "$tmp/damaged"
rm "$tmp/damaged/files/secret.key.vault"
out=$(ctl restore "$tmp/damaged" "$tmp/empty" 2>&1) && fail "restore_refuses_a_missing_file" "$out" \
	|| { echo "$out" | grep -q "secret.key.vault is missing" && ok "restore_refuses_a_missing_file" || fail "restore_refuses_a_missing_file" "$out"; }
rm -rf "$tmp/damaged"
# the running server's data directory is not empty: refused
out=$(ctl restore "$tmp/backup" "$dir/data" 2>&1) && fail "restore_refuses_a_non_empty_datadir" "$out" \
	|| { echo "$out" | grep -q "is not empty" && ok "restore_refuses_a_non_empty_datadir" || fail "restore_refuses_a_non_empty_datadir" "$out"; }

# the disaster: the server stopped, its data and key files gone
cgi/ops/stack.sh db-stop "$dir"
mv "$dir/data" "$tmp/data.lost"; mkdir -m 700 "$dir/data"
mv "$dir/secret.key" "$tmp/secret.key.lost"; mv "$dir/secret.key.vault" "$tmp/secret.key.vault.lost"
# a different key in the way is refused
head -c 32 /dev/urandom > "$dir/secret.key"
out=$(ctl restore "$tmp/backup" "$dir/data" 2>&1) && fail "restore_refuses_a_different_server_key" "$out" \
	|| { echo "$out" | grep -q "secret.key differs" && [ -z "$(ls -A "$dir/data")" ] && ok "restore_refuses_a_different_server_key" || fail "restore_refuses_a_different_server_key" "$out"; }
rm "$dir/secret.key"
out=$(ctl restore "$tmp/backup" "$dir/data" 2>&1); rc=$?; echo "$out" | sed 's/^/    /'
[ $rc = 0 ] && cmp -s "$dir/secret.key" "$tmp/secret.key.lost" && cmp -s "$dir/secret.key.vault" "$tmp/secret.key.vault.lost" \
	&& ok "restore_into_an_empty_datadir" || fail "restore_into_an_empty_datadir" "$out"
cgi/ops/stack.sh db-start "$dir" >/dev/null 2>&1 && ok "mariadb_starts_on_the_restored_data" || fail "mariadb_starts_on_the_restored_data"
out=$(ctl audit-verify 2>&1); echo "    $out"
echo "$out" | grep -q "every chain intact" && ok "audit_verify_intact_after_restore" || fail "audit_verify_intact_after_restore" "$out"
checksums > "$tmp/sums.restored"
if cmp -s "$tmp/sums.backup" "$tmp/sums.restored"; then
	ok "tables_equal_to_the_backup_moment ($(wc -l < "$tmp/sums.restored") tables, CHECKSUM TABLE)"
else
	fail "tables_equal_to_the_backup_moment" "$(diff "$tmp/sums.backup" "$tmp/sums.restored" | head -5)"
fi
out=$(ctl audit-verify "$tmp/checkpoint.after" 2>&1); rc=$?; echo "$out" | sed 's/^/    /'
[ $rc = 1 ] && echo "$out" | grep -q "REWOUND at chain" && ok "checkpoint_after_the_backup_reports_rewound" || fail "checkpoint_after_the_backup_reports_rewound" "$out"
out=$(ctl keys verify 2>&1); echo "    $out"
echo "$out" | grep -q ", 0 do not" && ok "vault_opens_after_restore" || fail "vault_opens_after_restore" "$out"
[ "$(sql "SELECT COUNT(*) FROM accounts WHERE email = 'after-backup@rekey.test'")" = 0 ] && ok "later_changes_are_gone" || fail "later_changes_are_gone"

echo "ops drills: $fails failed"
[ "$fails" = 0 ]
