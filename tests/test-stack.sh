# test-stack.sh -- sourced by tests/run.sh and tests/suite.sh: the private
# stack the API suites run against. test_stack_start TMP starts a loopback
# SMTP server (aiosmtpd, Maildir TMP/smtp-mail) and MariaDB + rekeyd + nginx
# in TMP/stack on free ports (GET /metrics on a loopback port of its own); sets port,
# smtp_port, smtp_pid, metrics_port and exports what
# the suites read. Case 2 goes to an external face provider that
# tests/node/api_provider.test.mjs plays on REKEY_TEST_PROVIDER_PORT.
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
test_stack_start() {
	local tmp=$1 provider_port
	port=$(free_port); smtp_port=$(free_port); provider_port=$(free_port)
	# GET /metrics on its own loopback listener (api_metrics scrapes it, with a real Prometheus)
	metrics_port=$(free_port); export REKEY_TEST_METRICS_PORT=$metrics_port
	export REKEY_FACE_PROVIDER=http REKEY_FACE_PROVIDER_URL="http://127.0.0.1:$provider_port/checks"
	export REKEY_FACE_PROVIDER_TOKEN=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_') REKEY_FACE_WEBHOOK_SECRET=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')
	export REKEY_TEST_PROVIDER_PORT=$provider_port REKEY_TEST_PROVIDER_TOKEN=$REKEY_FACE_PROVIDER_TOKEN REKEY_TEST_WEBHOOK_SECRET=$REKEY_FACE_WEBHOOK_SECRET
	mkdir -p "$tmp/smtp-mail/tmp" "$tmp/smtp-mail/new" "$tmp/smtp-mail/cur"
	/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$tmp/smtp-mail" >"$tmp/smtp.log" 2>&1 &
	smtp_pid=$!
	REKEY_SMTP_URL="smtp://127.0.0.1:$smtp_port" REKEY_METRICS_PORT=$metrics_port REKEY_WORKERS=3 REKEY_SIGNIN_LIMIT_IP=300 REKEY_SWEEP_SECONDS=1 REKEY_SWEEP_BATCHES_PER_PASS=1 \
		cgi/ops/stack.sh start "$tmp/stack" "$port" >"$tmp/stack.log" 2>&1
}
