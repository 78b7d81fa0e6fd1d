// demo-queue.mjs -- `make run`: puts cases in the review queue the way a
// user would, through the HTTP API: three seeded accounts start a passkey
// reset, read their email code from the Maildir, and submit screenshots (or
// face pictures). Accounts that already have a case are left alone.
//   node cgi/ops/demo-queue.mjs VAR_DIR PORT
import { readFileSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { deflateSync } from "node:zlib";

const [dir, port, site] = process.argv.slice(2);
const root = new URL("../../", import.meta.url).pathname;
// the public site (https://localhost:TLS_PORT with make run TLS=1), its address for Node
const origin = site || `http://localhost:${port}`, base = origin.replace("//localhost:", "//127.0.0.1:");
const PASSWORD = "rekey-demo-2026";
const sql = (q) => execFileSync("mariadb", [`--socket=${dir}/run/mysqld.sock`, "-uroot", "-N", "-B", "rekey", "-e", q]).toString().trim();
const corpus = (n) => readFileSync(root + "tests/vectors/image/corpus/" + n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(cookie, method, path, body, type = "application/json") {
  const res = await fetch(base + path, { method, headers: { Origin: origin, Cookie: cookie.v, "Content-Type": type },
    body: body === undefined ? undefined : type === "application/json" ? JSON.stringify(body) : body });
  for (const c of res.headers.getSetCookie()) cookie.v = c.split(";")[0];
  const j = await res.json().catch(() => null);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(j)}`);
  return j;
}

// the newest code mailed to an address after a time
async function code(email, after) {
  for (let i = 0; i < 300; i++) {
    let names = [];
    try { names = readdirSync(`${dir}/mail/new`); } catch { /* the Maildir appears with the first delivery */ }
    for (const f of names.map((n) => `${dir}/mail/new/${n}`).filter((p) => statSync(p).mtimeMs >= after)) {
      const m = readFileSync(f, "utf8");
      const c = m.includes(`To: <${email}>`) && m.match(/\b(\d{6})\b/);
      if (c) return c[1];
    }
    await sleep(100);
  }
  throw new Error(`no code mail for ${email}`);
}

// A gray PNG "face" frame (a checkerboard oval on an even background), made without libraries,
// with a camera sensor's noise (-2..+2): without it the core refuses it as no camera's (frame_not_camera).
function framePng(bg) {
  const W = 640, H = 480, raw = Buffer.alloc((W * 3 + 1) * H);
  let seed = 12345;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const dx = (x - W / 2) / (W * 0.18), dy = (y - H / 2) / (H * 0.3);
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const v = (dx * dx + dy * dy <= 1 ? (((Math.floor(x / 24) + Math.floor(y / 24)) & 1) ? 200 : 70) : bg) + ((seed >>> 16) % 5) - 2;
    raw.fill(v, y * (W * 3 + 1) + 1 + x * 3, y * (W * 3 + 1) + 4 + x * 3);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (t, d) => { const l = Buffer.alloc(4); l.writeUInt32BE(d.length); const td = Buffer.concat([Buffer.from(t), d]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([l, td, c]); };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(H, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

async function reset(email, evidence) {
  if (sql(`SELECT COUNT(*) FROM reset_cases c JOIN accounts a ON a.id = c.account_id WHERE a.email = '${email}'`) !== "0") return "has a case already";
  const cookie = { v: "" };
  const { id } = await call(cookie, "POST", "/api/reset", {});
  await call(cookie, "POST", `/api/reset/${id}/agree`, { agree: true });
  const t0 = Date.now() - 1000;
  await call(cookie, "POST", `/api/reset/${id}/credentials`, { email, password: PASSWORD });
  let r = await call(cookie, "POST", `/api/reset/${id}/email-code`, { code: await code(email, t0) });
  if (r.state === "questions_attention") r = await call(cookie, "POST", `/api/reset/${id}/documents`, {});
  for (const [file, fields, type] of evidence(r.state))
    await call(cookie, "POST", `/api/reset/${id}/evidence?${new URLSearchParams(fields)}`, file, type);
  await call(cookie, "POST", `/api/reset/${id}/evidence/submit`, {});
  return `case waiting (${r.state})`;
}

const docs = (amount) => () => [
  [corpus("email-1080x2400.png"), { kind: "operator_email", email_kind: "withdrawal" }, "image/png"],
  [corpus("tx-1080x2400.jpg"), { kind: "counterparty_tx", direction: "withdrawal", coin: "USDT", network: "TRX", amount, time: "2026-11-01T10:30",
    reference: "3".repeat(64), counterparty: "OKX" }, "image/jpeg"],
];
const face = () => [120, 124, 116].map((bg) => [framePng(bg), { kind: "face_frame", country: "CH" }, "image/png"]);

for (const [email, ev] of [["queue-docs@rekey.test", docs("250")], ["queue-highvalue@rekey.test", docs("1200")], ["queue-face@rekey.test", face]]) {
  try {
    console.log(`  demo queue: ${email}: ${await reset(email, ev)}`);
  } catch (e) {
    console.log(`  demo queue: ${email}: not queued (${e.message})`);
  }
}
