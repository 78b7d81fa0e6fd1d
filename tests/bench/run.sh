#!/bin/bash
# run.sh -- `make bench`: prints the figures; writes them to var/reports/ as well.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p var/reports
out=var/reports/bench-$(date -u +%Y%m%dT%H%M%SZ).txt
{
	echo "Rekey bench, $(date -u), $(nproc) cores, $(uname -m)"
	node tests/bench/core.bench.mjs
} | tee "$out"
echo "written to $out"
