#!/bin/bash
# settle.sh SOCKET LIMIT_SECONDS WHAT -- the dirty pages of the server at SOCKET
# written out at a disk's pace (not innodb_io_capacity's 200 pages a second)
# until 200 or fewer are left or LIMIT_SECONDS have passed; the server's
# flushing settings put back as they were. For the bench, before its rows:
# the aftermath of a bulk load (run.sh) or of the rows' set-up (http.bench.mjs)
# is written in bursts for minutes in the background, stalling the durable
# rows' commits when a burst falls inside a row; that is not what a request
# costs on a running system. Prints "WHAT's dirty pages written out in ...".
set -uo pipefail
[ $# = 3 ] || { echo "usage: settle.sh SOCKET LIMIT_SECONDS WHAT" >&2; exit 2; }
sock=$1 limit=$2 what=$3
dsql() { mariadb --socket="$sock" -uroot -N -B -e "$1"; }
status() { dsql "SHOW GLOBAL STATUS LIKE '$1'" | cut -f2; }
io=$(dsql "SELECT @@innodb_io_capacity, @@innodb_io_capacity_max") || exit 1
restore() {
	dsql "SET GLOBAL innodb_max_dirty_pages_pct = 90, GLOBAL innodb_max_dirty_pages_pct_lwm = 0"
	dsql "SET GLOBAL innodb_io_capacity = $(echo "$io" | cut -f1), GLOBAL innodb_io_capacity_max = $(echo "$io" | cut -f2)"
}
trap restore EXIT
t0=$(date +%s%N)
dsql "SET GLOBAL innodb_io_capacity_max = 40000, GLOBAL innodb_io_capacity = 20000"
dsql "SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0.001, GLOBAL innodb_max_dirty_pages_pct = 0"
ms() { echo $(( ($(date +%s%N) - t0) / 1000000 )); }
while dirty=$(status Innodb_buffer_pool_pages_dirty); [ "${dirty:-0}" -gt 200 ] && [ "$(ms)" -lt $(( limit * 1000 )) ]; do
	sleep 0.5
done
t=$(ms)
echo "$what's dirty pages written out in $(( t / 1000 )).$(( t % 1000 / 100 )) s ($dirty left; checkpoint age $(status Innodb_checkpoint_age) bytes)"
