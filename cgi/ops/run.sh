#!/bin/bash
# run.sh -- `make run`: start the stack in var/, print where things are, wait for Ctrl-C.
set -euo pipefail
dir=$1; port=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
trap '"$root/cgi/ops/stack.sh" stop "$dir"; echo; echo "Rekey stopped."; exit 0' INT TERM
"$root/cgi/ops/stack.sh" start "$dir" "$port"
abs=$(realpath "$dir")
cat <<MSG

  Rekey is running.
    Sign-in page      http://localhost:$port/
    Security settings http://localhost:$port/account/settings.html
    My passkeys       http://localhost:$port/account/passkeys.html
    API health        http://localhost:$port/api/health
    API description   http://localhost:$port/api/openapi.json
    Dev mail page     http://localhost:$port/dev/mail.html
  Demo sign-in (password rekey-demo-2026 for all):
    demo@rekey.test    identity verified, medium value          (a reset goes to face verification)
    whale@rekey.test   identity verified, high value            (face verification)
    newbie@rekey.test  not verified, low value                  (documents)
    totp@rekey.test    TOTP (secret JBSWY3DPEHPK3PXP), phone +41791234567 (security questions)
  Reset passkeys: http://localhost:$port/reset.html
  Passkeys work on http://localhost:$port (RP ID localhost), with a real authenticator
  or Chromium's DevTools virtual authenticator.
  Mail lands in $abs/mail/new (Maildir), SMS in $abs/sms/new.
  Logs: $abs/log/. Stop with Ctrl-C or 'make stop'; the data stays in $abs.

MSG
if [ -t 0 ] || [ "${REKEY_FOREGROUND:-1}" = 1 ]; then
	while kill -0 "$(cat "$abs/run/rekeyd.pid")" 2>/dev/null; do sleep 1; done
	"$root/cgi/ops/stack.sh" stop "$dir"
fi
