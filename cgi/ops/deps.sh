#!/bin/sh
# deps.sh -- installs the Debian packages Rekey needs that are missing.
# As root it runs apt-get; otherwise it prints the one line to run and fails.
# galera-4, mariadb-backup and socat: `make cluster` (Galera nodes, their state transfers).
# openssl: the TLS certificate of `make run TLS=1`; prometheus (promtool) and systemd
# (systemd-analyze): the tests of the metrics, alert rules and unit (issue #22).
set -eu
PKGS="gcc make pkg-config openssl libfcgi-dev libmariadb-dev libsodium-dev libjansson-dev liboath-dev \
libqrencode-dev libcurl4-openssl-dev libfido2-dev libstb-dev libdeflate-dev check emscripten mariadb-server \
mariadb-client nginx-light python3-aiosmtpd clang libclang-rt-14-dev curl galera-4 mariadb-backup rsync socat"
[ "${1:-}" = "--test" ] && PKGS="$PKGS wrk chromium imagemagick prometheus systemd"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere than Debian: look for the commands
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "Rekey needs these Debian packages. Run as root:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps the packaged services from starting: Rekey runs its own
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
