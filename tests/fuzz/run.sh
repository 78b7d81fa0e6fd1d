#!/bin/bash
# run.sh -- `make fuzz`: each harness for N seconds, growing tests/fuzz/corpus/<name>
# and writing any crash to tests/crashers/<name>/ (kept as must-not-crash tests).
# The corpus is then minimized with libFuzzer's -merge=1 (same features, fewer files).
# `make fuzz-replay` (part of make test): every corpus file and crasher once.
set -uo pipefail
mode=$1; secs=$2; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# no names: every harness there is (tests/fuzz/fuzz_<name>.c), the one list
if [ $# = 0 ]; then
	set -- $(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c$|\1|')
fi
fail=0
for f in "$@"; do
	bin=build/fuzz/fuzz_$f
	mkdir -p "tests/fuzz/corpus/$f" "tests/crashers/$f"
	dirs=("tests/fuzz/corpus/$f")
	[ -n "$(ls -A "tests/crashers/$f" 2>/dev/null)" ] && dirs+=("tests/crashers/$f")
	if [ "$mode" = replay ]; then
		n=$(ls "${dirs[@]}" | wc -l)
		if "$bin" -runs=0 "${dirs[@]}" >"build/fuzz/$f.replay.log" 2>&1; then
			echo "  fuzz_$f: replayed $n inputs, no finding"
		else
			echo "  fuzz_$f: FAILED on replay"; tail -30 "build/fuzz/$f.replay.log"; fail=1
		fi
	else
		"$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="tests/crashers/$f/" "tests/fuzz/corpus/$f" >"build/fuzz/$f.log" 2>&1
		rc=$?
		stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "build/fuzz/$f.log" | tail -1)
		echo "  fuzz_$f: exit $rc; $stats"
		[ "$rc" != 0 ] && { grep -E 'ERROR|SUMMARY' "build/fuzz/$f.log" | head -5; fail=1; }
		# Keep the committed corpus minimal: libFuzzer's merge keeps the smallest
		# set of inputs with the same features; the corpus is replaced only when it
		# succeeds.
		before=$(ls "tests/fuzz/corpus/$f" | wc -l)
		tmp=$(mktemp -d)
		if "$bin" -merge=1 -max_len=65536 -timeout=10 "$tmp" "tests/fuzz/corpus/$f" >"build/fuzz/$f.merge.log" 2>&1 &&
			[ -n "$(ls -A "$tmp")" ]; then
			rm -f "tests/fuzz/corpus/$f"/*
			mv "$tmp"/* "tests/fuzz/corpus/$f"/
			echo "  fuzz_$f: corpus merged, $before -> $(ls "tests/fuzz/corpus/$f" | wc -l) inputs;" \
				"$(grep -Eo '[0-9]+ new coverage edges' "build/fuzz/$f.merge.log" | tail -1)"
		else
			echo "  fuzz_$f: merge failed, corpus kept ($before inputs)"; tail -5 "build/fuzz/$f.merge.log"
		fi
		rm -rf "$tmp"
	fi
done
exit $fail
