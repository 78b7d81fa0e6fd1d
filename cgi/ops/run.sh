#!/bin/bash
# run.sh -- `make run`: start the stack in var/, print where things are, wait for Ctrl-C.
#   run.sh DIR PORT [cluster]   (`make cluster`: three Galera nodes, two rekeyd, in DIR)
set -euo pipefail
dir=$1; port=$2; mode=${3:-start}
root=$(cd "$(dirname "$0")/../.." && pwd)
trap '"$root/cgi/ops/stack.sh" stop "$dir"; echo; echo "Rekey stopped."; exit 0' INT TERM
t0=$(date +%s)
[ "$mode" = cluster ] && echo "Starting three Galera nodes (a new cluster's joiners take ~15 s each for their state transfer)..."
"$root/cgi/ops/stack.sh" "$mode" "$dir" "$port"
abs=$(realpath "$dir")
# the public site: HTTPS with TLS=1 (the plain port then only redirects)
site="http://localhost:$port"
[ "${REKEY_TLS:-0}" = 1 ] && site="https://localhost:$REKEY_TLS_PORT"
# Node trusts the local CA that stack.sh made (none when the certificate was given by path)
[ -f "$abs/tls/ca.pem" ] && [ -z "${REKEY_TLS_CERT:-}" ] && export NODE_EXTRA_CA_CERTS="$abs/tls/ca.pem"
ctl() { "$root/build/rekeyctl" -c "$abs/rekey.conf" "$@"; }
# the review console: two demo reviewers (a fresh enrolment link at every start
# until each has a passkey) and cases waiting in the queue
links=""
for who in "reviewer@rekey.test reviewer" "senior@rekey.test reviewer,senior"; do
	set -- $who
	if ctl reviewer list | grep -q "^$1	.*	0 passkey"; then
		links="$links    $1 ($2): $(ctl reviewer enrol-link "$1")\n"
	elif ! ctl reviewer list | grep -q "^$1	"; then
		links="$links    $1 ($2): $(ctl reviewer add "$1" "$2")\n"
	else
		links="$links    $1 ($2): enrolled; sign in at $site/review/\n"
	fi
done
node "$root/cgi/ops/demo-queue.mjs" "$abs" "$port" "$site" || echo "  demo queue: not filled (see $abs/log/)"
# face verification with Chromium's fake camera: its stock picture has no face
# in the middle, so the demo plays this video instead (the same checks apply)
[ -f "$abs/demo-face.y4m" ] || node "$root/cgi/ops/face-video.mjs" "$abs/demo-face.y4m" || true
cat <<MSG

  Rekey is running.
    Sign-in page      $site/
    Security settings $site/account/settings.html
    My passkeys       $site/account/passkeys.html
    API health        $site/api/health
    API description   $site/api/openapi.json
$([ "${REKEY_TLS:-0}" = 1 ] && echo "    Plain HTTP        http://localhost:$port redirects to $site (HSTS; the local CA: $abs/tls/ca.pem)" || echo "    Dev mail page     $site/dev/mail.html")
$([ -n "${REKEY_METRICS_PORT:-}" ] && echo "    Metrics           http://127.0.0.1:$REKEY_METRICS_PORT/metrics (loopback only)")
  Demo sign-in (password rekey-demo-2026 for all):
    demo@rekey.test    identity verified, medium value          (a reset goes to face verification)
    whale@rekey.test   identity verified, high value            (face verification)
    newbie@rekey.test  not verified, low value                  (documents)
    totp@rekey.test    TOTP (secret JBSWY3DPEHPK3PXP), phone +41791234567 (security questions)
  Reset passkeys: $site/reset.html
  Review console: $site/review/ (reviewers sign in with a passkey; enrol first):
$(printf "$links")
  Passkeys work on $site (RP ID localhost), with a real authenticator
  or Chromium's DevTools virtual authenticator.
  Face verification without a camera (demo@ or whale@): start Chromium with a demo video
    chromium --user-data-dir=$abs/chromium --use-fake-device-for-media-stream \\
      --use-file-for-fake-video-capture=$abs/demo-face.y4m $site/reset.html
  Mail lands in $abs/mail/new (Maildir), SMS in $abs/sms/new.
  Logs: $abs/log/. Stop with Ctrl-C or 'make stop'; the data stays in $abs.

MSG
if [ "$mode" = cluster ]; then
	echo "  Cluster (started in $(( $(date +%s) - t0 )) s): two rekeyd behind one nginx upstream, three Galera nodes."
	echo "    rekeyd 1  $abs/run/rekeyd.sock   config $abs/rekey.conf  (nodes 1, 2, 3 in that order)"
	echo "    rekeyd 2  $abs/run/rekeyd2.sock  config $abs/rekey2.conf (nodes 2, 3, 1)"
	echo "  Nodes ($abs/nodes: name, socket, port, pid file):"
	while read -r name sock nport pidf; do
		st=$(mariadb --socket="$sock" -uroot -N -B -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size')" 2>/dev/null | awk '{printf "%s=%s ", $1, $2}')
		echo "    $name  127.0.0.1:$nport  $sock  pid $(cat "$pidf" 2>/dev/null)  ${st:-down}"
	done < "$abs/nodes"
	echo "  SQL on a node: mariadb --socket=$abs/node1/mysqld.sock -uroot rekey"
	echo
fi
if [ -t 0 ] || [ "${REKEY_FOREGROUND:-1}" = 1 ]; then
	# `make stop` from another terminal removes the pid file: that ends the wait too
	while pid=$(cat "$abs/run/rekeyd.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; do sleep 1; done
	"$root/cgi/ops/stack.sh" stop "$dir"
	echo "Rekey stopped."
fi
