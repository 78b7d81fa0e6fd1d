#!/usr/bin/env python3
"""run.py -- `make mutants` (issue #24): switch off each security check in
turn and require a test to notice.

    tests/mutants/run.py [--sample N] [--only NAME[,NAME...]] [--no-baseline]

The list is tests/mutants/mutants.txt, one mutant a line:

    name @@ file @@ exact text @@ its replacement @@ suites @@ expect

  file     a path in the tree; the exact text must occur in it exactly once
  suites   comma-separated: api_x[:PATTERN] (tests/node/api_x.test.mjs, only the
           tests whose names match PATTERN), core[:PATTERN] (core.wasm in Node),
           check_x[:TCASE] (a Check suite; store suites run against the stack),
           +REKEY_X=V (a setting for this mutant's rekeyd and suites, as run.sh's
           second stack has; ';' in V stands for ',')
  expect   what a test that notices this check should say: the error code of
           the check's own refusal (or the core's problem name, or the words of
           a behaviour test's assertion); case ignored, '|' between alternatives. Killed only by failures that never
           mention it, the mutant is "weak": another check caught it.

For each mutant, on a copy of the tree (never the tree itself): apply the edit,
rebuild what changed (make's own rules; a change to the SQL array's text is
rebuilt as db.c, the one file that holds the strings), restart rekeyd (the
database stays up), run only the named suites, restore. Killed: some named
suite failed. Survived: all passed -- the run fails. A mutant that does not
build fails the run too (it tested nothing).

Before the mutants, every named suite runs once unmutated (the baseline): a
suite that fails without a mutant would kill every mutant it names. --sample N
(what `make test` runs) tries N mutants chosen by the day of the year, so that
every mutant is tried over time, and skips the baseline: make test has just run
every suite against the unmutated tree.

Report: var/reports/mutants-YYYYmmdd-HHMMSS.txt (and on stdout).
"""
import argparse, datetime, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIST = os.path.join(ROOT, "tests", "mutants", "mutants.txt")
SEP = " @@ "
SUITE_TIMEOUT = 600  # a hung rekeyd must not hang the run
# headers whose mutants only change string constants that one file compiles:
# rebuilding that file is enough (the enum beside them does not change)
HEADER_USERS = {"cgi/base/db_sql.h": ["cgi/base/db.c"]}
STORE_SUITES = {"check_session", "check_codes", "check_holds", "check_cases", "check_vault", "check_ratelimit"}


def log(*a):
    print(*a, flush=True)


class Mutant:
    def __init__(self, lineno, line):
        parts = line.split(SEP)
        if len(parts) != 6:
            raise SystemExit(f"mutants.txt:{lineno}: {len(parts)} fields, want 6 separated by '{SEP.strip()}'")
        self.lineno = lineno
        self.name, self.file, self.old, self.new, suites, self.expect = [p.strip() if i in (0, 1, 4, 5) else p for i, p in enumerate(parts)]
        items = [s.strip() for s in suites.split(",") if s.strip()]
        # +REKEY_X=V: a setting for this mutant's rekeyd and suites (';' stands for ',')
        self.env = dict(i[1:].split("=", 1) for i in items if i.startswith("+"))
        self.env = {k: v.replace(";", ",") for k, v in self.env.items()}
        self.suites = [i for i in items if not i.startswith("+")]
        if not self.suites or not self.expect:
            raise SystemExit(f"mutants.txt:{lineno}: no suites or no expected code")
        self.result = None
        self.detail = ""
        self.seconds = 0.0


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for i, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            out.append(Mutant(i, line))
    names = [m.name for m in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"mutants.txt: names used twice: {', '.join(sorted(dup))}")
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Stack:
    """One private stack (MariaDB + rekeyd + nginx + a loopback SMTP server)
    on free ports, serving the copy of the tree."""

    def __init__(self, tree, tmp):
        self.tree, self.tmp = tree, tmp
        self.dir = os.path.join(tmp, "stack")
        self.port, smtp, provider, metrics = free_port(), free_port(), free_port(), free_port()
        token = os.urandom(18).hex()
        secret = os.urandom(32).hex()
        self.mail = os.path.join(tmp, "smtp-mail")
        for d in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(self.mail, d), exist_ok=True)
        # as tests/run.sh's main stack
        self.env = dict(os.environ,
                        REKEY_FACE_PROVIDER="http", REKEY_FACE_PROVIDER_URL=f"http://127.0.0.1:{provider}/checks",
                        REKEY_FACE_PROVIDER_TOKEN=token, REKEY_FACE_WEBHOOK_SECRET=secret,
                        REKEY_TEST_PROVIDER_PORT=str(provider), REKEY_TEST_PROVIDER_TOKEN=token, REKEY_TEST_WEBHOOK_SECRET=secret,
                        REKEY_SMTP_URL=f"smtp://127.0.0.1:{smtp}", REKEY_WORKERS="3", REKEY_SIGNIN_LIMIT_IP="300",
                        REKEY_SWEEP_SECONDS="1",
                        # GET /metrics on its own loopback listener (api_metrics, api_outage)
                        REKEY_METRICS_PORT=str(metrics), REKEY_TEST_METRICS_PORT=str(metrics),
                        REKEY_TEST_DIR=self.dir, REKEY_TEST_PORT=str(self.port), REKEY_TEST_MAIL=self.mail,
                        REKEY_TEST_DB_SOCKET=os.path.join(self.dir, "run", "mysqld.sock"))
        self.rekeyd = None
        self.smtp = subprocess.Popen(["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp}", "-c",
                                      "aiosmtpd.handlers.Mailbox", self.mail],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        # output to a file: the servers it starts keep their stdout open
        logf = os.path.join(self.tmp, "stack.log")
        with open(logf, "w") as out:
            r = subprocess.run([os.path.join(self.tree, "cgi/ops/stack.sh"), "start", self.dir, str(self.port)],
                               cwd=self.tree, env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise SystemExit("the stack did not start:\n" + open(logf).read())

    def restart_rekeyd(self, extra=None):
        """A new rekeyd from the copy's build (with EXTRA settings); MariaDB and nginx stay up."""
        run = os.path.join(self.dir, "run")
        pidf = os.path.join(run, "rekeyd.pid")
        if self.rekeyd is not None:  # ours: wait for it (no zombie to poll)
            self.rekeyd.terminate()
            try:
                self.rekeyd.wait(15)
            except subprocess.TimeoutExpired:
                self.rekeyd.kill()
                self.rekeyd.wait()
        else:  # the one stack.sh started
            try:
                pid = int(open(pidf).read())
                os.kill(pid, signal.SIGTERM)
                for _ in range(150):
                    os.kill(pid, 0)
                    time.sleep(0.1)
                os.kill(pid, signal.SIGKILL)
            except (FileNotFoundError, ValueError, ProcessLookupError):
                pass
        sock = os.path.join(run, "rekeyd.sock")
        if os.path.exists(sock):
            os.unlink(sock)
        err = open(os.path.join(self.dir, "log", "rekeyd.log"), "a")
        p = subprocess.Popen([os.path.join(self.tree, "build/rekeyd"), "-c", os.path.join(self.dir, "rekey.conf")],
                             cwd=self.tree, env=dict(self.env, **(extra or {})), stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        self.rekeyd = p
        open(pidf, "w").write(str(p.pid))
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        # through nginx, as the suites will ask
        import urllib.request
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=2).read()
                return
            except Exception:
                time.sleep(0.1)

    def sql(self, q):
        subprocess.run(["mariadb", "--socket", os.path.join(self.dir, "run", "mysqld.sock"), "-uroot", "rekey", "-e", q],
                       check=False, capture_output=True)

    def stop(self):
        subprocess.run([os.path.join(self.tree, "cgi/ops/stack.sh"), "stop", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.smtp.terminate()
        try:
            self.smtp.wait(10)
        except subprocess.TimeoutExpired:
            self.smtp.kill()


def suite_cmd(tree, spec):
    name, _, pattern = spec.partition(":")
    if name.startswith("check_"):
        path = os.path.join(tree, "build/tests/store" if name in STORE_SUITES else "build/tests", name)
        return [path], ({"CK_RUN_CASE": pattern} if pattern else {}), path
    file = "tests/node/core.test.mjs" if name == "core" else f"tests/node/{name}.test.mjs"
    if not os.path.exists(os.path.join(tree, file)):
        raise SystemExit(f"no suite {spec}")
    cmd = ["node", "--test", "--test-concurrency=1"] + ([f"--test-name-pattern={pattern}"] if pattern else []) + [file]
    return cmd, {}, None


def failures(spec, out):
    """The text of the failing tests: node's 'not ok' blocks, Check's :F:/:E: lines."""
    if spec.startswith("check_"):
        return "\n".join(l for l in out.splitlines() if re.search(r":[FE]:", l))
    blocks, cur = [], None
    for l in out.splitlines():
        if re.match(r"^not ok \d+", l):
            cur = [l]
            blocks.append(cur)
        elif re.match(r"^(ok \d+|# Subtest:|# (tests|pass|fail) )", l):
            cur = None
        elif cur is not None:
            cur.append(l)
    return "\n".join("\n".join(b) for b in blocks)


def run_suites(tree, stack, specs, settings=None):
    """(all passed, [(spec, passed, failure text, output)])."""
    results = []
    for spec in specs:
        cmd, extra, _ = suite_cmd(tree, spec)
        try:
            r = subprocess.run(cmd, cwd=tree, env=dict(stack.env, **(settings or {}), **extra), capture_output=True, text=True, timeout=SUITE_TIMEOUT)
            out, ok = r.stdout + r.stderr, r.returncode == 0
        except subprocess.TimeoutExpired as e:
            out, ok = (e.stdout or b"").decode(errors="replace") + "\n(timed out)", False
        results.append((spec, ok, failures(spec, out) if not ok else "", out))
    return all(ok for _, ok, _, _ in results), results


def make(tree, targets):
    r = subprocess.run(["make", "-C", tree, "--no-print-directory", "WARN=", *targets], capture_output=True, text=True)
    return r.returncode == 0, r.stdout + r.stderr


def targets_for(m_or_specs, wasm_touched=False):
    specs = m_or_specs
    t = ["build/rekeyd", "build/rekeyctl"]
    for s in specs:
        name = s.partition(":")[0]
        if name.startswith("check_"):
            t.append(("build/tests/store/" if name in STORE_SUITES else "build/tests/") + name)
        if name == "core" and wasm_touched:
            t.append("web/js/core.wasm")
    return sorted(set(t))


def write_keep_mtime(tree, rel, text, orig_stat):
    path = os.path.join(tree, rel)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if rel in HEADER_USERS:  # the header keeps its time; the one file that compiles its strings is rebuilt
        os.utime(path, ns=(orig_stat.st_atime_ns, orig_stat.st_mtime_ns))
        for u in HEADER_USERS[rel]:
            os.utime(os.path.join(tree, u))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=0, help="only N mutants, rotating by the day of the year")
    ap.add_argument("--only", default="", help="comma-separated mutant names")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--list", default=LIST)
    args = ap.parse_args()
    t_start = time.time()
    mutants = load(args.list)
    total = len(mutants)
    # every edit must apply to the tree as it is, exactly once: all of them,
    # before any choice (a sample of 5 checked only its own 5, so a line left
    # behind by a change of the code failed make test on the days it came up)
    for m in mutants:
        text = open(os.path.join(ROOT, m.file), encoding="utf-8").read()
        c = text.count(m.old)
        if c != 1:
            raise SystemExit(f"mutants.txt:{m.lineno} {m.name}: the text occurs {c} times in {m.file}, want exactly once")
        if m.old == m.new:
            raise SystemExit(f"mutants.txt:{m.lineno} {m.name}: the replacement is the text itself")
    if args.only:
        want = set(args.only.split(","))
        mutants = [m for m in mutants if m.name in want]
        if len(mutants) != len(want):
            raise SystemExit("unknown names in --only")
    if args.sample:
        day = datetime.date.today().timetuple().tm_yday
        n = len(mutants)
        mutants = [mutants[(day * args.sample + k) % n] for k in range(min(args.sample, n))]

    # a TERM (make interrupted, a timeout) still stops the stack and removes the copy
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="rekey-mutants.")
    os.chmod(tmp, 0o711)  # nginx workers pass through to the socket
    tree = os.path.join(tmp, "tree")
    stack = None
    try:
        # the copy: the tree's files with their times (so that make rebuilds nothing), no var/, no .git
        subprocess.run(["rsync", "-a", "--exclude=/.git", "--exclude=/var", "--exclude=/node_modules", ROOT + "/", tree + "/"], check=True)
        if os.path.isdir(os.path.join(ROOT, "node_modules")):
            os.symlink(os.path.join(ROOT, "node_modules"), os.path.join(tree, "node_modules"))
        all_specs = sorted({s for m in mutants for s in m.suites})
        # the baseline runs each suite with each set of settings some mutant names
        groups = {}
        for m in mutants:
            groups.setdefault(tuple(sorted(m.env.items())), set()).update(m.suites)
        ok, out = make(tree, targets_for(all_specs, True))
        if not ok:
            raise SystemExit("the copy does not build:\n" + out[-3000:])
        stack = Stack(tree, tmp)
        stack.start()
        log(f"mutants: {len(mutants)} of {total}, copy in {tree}, stack on port {stack.port}")
        if not args.no_baseline and not args.sample:
            t0 = time.time()
            passed, res, n = True, [], 0
            for env, specs in sorted(groups.items()):
                stack.restart_rekeyd(dict(env))
                p, r = run_suites(tree, stack, sorted(specs), dict(env))
                passed, res, n = passed and p, res + r, n + len(specs)
            log(f"baseline: {n} suite runs, {time.time() - t0:.0f} s, {'all pass' if passed else 'FAILURES'}")
            if not passed:
                for spec, ok, fail, out in res:
                    if not ok:
                        log(f"  {spec} fails without a mutant:\n{out[-4000:]}")
                raise SystemExit("the baseline fails: mutants cannot be judged")
        for i, m in enumerate(mutants, 1):
            t0 = time.time()
            path = os.path.join(tree, m.file)
            st = os.stat(path)
            orig = open(path, encoding="utf-8").read()
            try:
                write_keep_mtime(tree, m.file, orig.replace(m.old, m.new, 1), st)
                built, bout = make(tree, targets_for(m.suites, m.file.startswith("wasm/")))
                if not built:
                    m.result, m.detail = "not-built", bout[-1500:]
                else:
                    stack.sql("DELETE FROM rate_limits")
                    stack.restart_rekeyd(m.env)
                    passed, res = run_suites(tree, stack, m.suites, m.env)
                    if passed:
                        m.result = "survived"
                    else:
                        fails = [(s, f) for s, ok, f, _ in res if not ok]
                        said = any(e.lower() in f.lower() for e in m.expect.split("|") for _, f in fails)
                        m.result = "killed" if said else "weak"
                        m.detail = "; ".join(s for s, _ in fails)
                        m.outputs = [(s, out) for s, ok, _, out in res if not ok]
                        if not said:
                            codes = sorted(set(re.findall(r"'([a-z][a-z0-9_]{3,})'", "\n".join(f for _, f in fails))))
                            m.detail += " -- said " + (", ".join(codes[:8]) or "(no code)") + f", not {m.expect}"
            finally:
                write_keep_mtime(tree, m.file, orig, st)
                if not m.file in HEADER_USERS:
                    os.utime(path)  # newer than the mutant's objects: rebuilt with the next mutant
            m.seconds = time.time() - t0
            log(f"[{i}/{len(mutants)}] {m.result:9} {m.name} ({m.seconds:.0f} s){' -- ' + m.detail if m.result in ('weak', 'survived') else ''}")
            if m.result == "not-built":
                log(m.detail)
    finally:
        if stack:
            stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    done = [m for m in mutants if m.result]
    killed = [m for m in done if m.result in ("killed", "weak")]
    weak = [m for m in done if m.result == "weak"]
    survived = [m for m in done if m.result == "survived"]
    broken = [m for m in done if m.result == "not-built"]
    rate = 100.0 * len(killed) / len(done) if done else 0.0
    minutes = (time.time() - t_start) / 60
    lines = [f"Rekey mutants ({'sample of ' + str(len(mutants)) + ', day ' + str(datetime.date.today().timetuple().tm_yday) if args.sample else 'all'}) -- "
             f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {minutes:.1f} min",
             f"kill rate: {len(killed)}/{len(done)} = {rate:.1f}% ({len(weak)} weak, {len(survived)} survived, {len(broken)} not built)", ""]
    for m in done:
        lines.append(f"{m.result:9} {m.name:34} {m.file}:{' ' + m.expect} [{', '.join(m.suites)}] {m.seconds:.0f}s")
    if weak:
        lines += ["", "weak (killed, but only by tests that report other codes than the check's own):"]
        lines += [f"  {m.name}: {m.detail}" for m in weak]
    if survived:
        lines += ["", "SURVIVORS (a check no test notices):"]
        lines += [f"  {m.name}: {m.file}: '{m.old.strip()}' -> '{m.new.strip()}' [{', '.join(m.suites)}]" for m in survived]
    if broken:
        lines += ["", "NOT BUILT (fix the line):"] + [f"  {m.name}" for m in broken]
    report = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(ROOT, "var", "reports"), exist_ok=True)
    stamp = f"{datetime.datetime.now():%Y%m%d-%H%M%S}{'-sample' if args.sample else ''}"
    rp = os.path.join(ROOT, "var", "reports", f"mutants-{stamp}.txt")
    open(rp, "w").write(report)
    # the failing suites' output of the weak ones, to see what caught them
    for m in weak:
        d = os.path.join(ROOT, "var", "reports", f"mutants-{stamp}.weak")
        os.makedirs(d, exist_ok=True)
        for spec, out in getattr(m, "outputs", []):
            open(os.path.join(d, f"{m.name}-{re.sub(r'[^A-Za-z0-9_.-]', '_', spec)}.log"), "w").write(out)
    log("")
    log(report + f"report: {rp}")
    sys.exit(0 if not survived and not broken and len(done) == len(mutants) else 1)


if __name__ == "__main__":
    main()
