// make-corpus.mjs -- builds the screenshot corpus in tests/vectors/image/corpus/:
// real screenshots taken with Debian's Chromium, ImageMagick conversions, and
// corrupted variants made here byte by byte. Run: node tests/vectors/image/make-corpus.mjs
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { deflateSync, crc32 as zcrc } from "node:zlib";

const dir = new URL("./corpus/", import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
const put = (name, bytes) => writeFileSync(dir + name, bytes);
const get = (name) => readFileSync(dir + name);
const im = (...args) => execFileSync("/usr/bin/convert", args);

const emailPage = `<!doctype html><meta charset=utf-8><style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
header{background:#1b4dd8;color:#fff;padding:18px 20px;font-weight:600}
.card{background:#fff;margin:16px;padding:18px;border-radius:8px;box-shadow:0 1px 3px #0002}
.meta{color:#555;font-size:14px}.amount{font-size:28px;font-weight:700;margin:12px 0}
td{padding:4px 8px 4px 0;vertical-align:top}code{font-size:13px;word-break:break-all}</style>
<header>Inbox · dana.demo@rekey.test</header>
<div class=card><div class=meta>From: Rekey Demo Exchange &lt;security@rekey.test&gt;<br>To: dana.demo@rekey.test<br>Date: 3 Nov 2025, 14:02</div>
<h2>Deposit confirmed</h2><p>Hello Dana,</p><p>Your deposit has arrived in your account.</p>
<div class=amount>0.42000000 BTC</div><table>
<tr><td>Network</td><td>Bitcoin</td></tr><tr><td>Address</td><td><code>bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq</code></td></tr>
<tr><td>TXID</td><td><code>fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc74254770f</code></td></tr>
<tr><td>Time</td><td>2025-11-03 14:01:37 UTC</td></tr></table>
<p>If you did not make this deposit, contact support.</p><p class=meta>Rekey Demo Exchange · This is an automated message.</p></div>`;
const txPage = `<!doctype html><meta charset=utf-8><style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#0f1115;color:#e8e8e8}
header{padding:16px 20px;font-weight:700;font-size:20px;border-bottom:1px solid #333}
.row{display:flex;justify-content:space-between;padding:14px 20px;border-bottom:1px solid #222}
.k{color:#999}.v{text-align:right;max-width:60%;word-break:break-all}.ok{color:#3ecf8e;font-weight:700}
.big{font-size:30px;font-weight:800;padding:24px 20px}</style>
<header>Withdrawal details</header><div class=big>-0.42 BTC</div>
<div class=row><span class=k>Status</span><span class="v ok">Completed</span></div>
<div class=row><span class=k>Coin</span><span class=v>BTC</span></div>
<div class=row><span class=k>Network</span><span class=v>Bitcoin</span></div>
<div class=row><span class=k>Amount</span><span class=v>0.42000000</span></div>
<div class=row><span class=k>To address</span><span class=v>bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq</span></div>
<div class=row><span class=k>TXID</span><span class=v>fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc74254770f</span></div>
<div class=row><span class=k>Time</span><span class=v>2025-11-03 14:00:12</span></div>
<div class=row><span class=k>Platform</span><span class=v>Kraken</span></div>`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  for (const [name, html] of [["email", emailPage], ["tx", txPage]]) {
    const page = await browser.newPage({ viewport: { width: 540, height: 1200 }, deviceScaleFactor: 2 });
    await page.setContent(html);
    put(`${name}-1080x2400.png`, await page.screenshot({ type: "png" }));
    put(`${name}-1080x2400.jpg`, await page.screenshot({ type: "jpeg", quality: 80 }));
    await page.setViewportSize({ width: 360, height: 640 });
    put(`${name}-720x1280.png`, await page.screenshot({ type: "png" }));
    await page.close();
  }
} finally {
  await browser.close();
}

// ImageMagick conversions of the real screenshots
im(dir + "email-1080x2400.png", "-resize", "50%", dir + "email-540x1200-scaled.png");
im(dir + "email-1080x2400.png", "-quality", "70", dir + "email-reencoded.jpg");
im(dir + "tx-1080x2400.png", "-interlace", "JPEG", "-quality", "85", dir + "tx-progressive.jpg");
im(dir + "tx-720x1280.png", "-colorspace", "Gray", dir + "tx-gray.png");
im(dir + "email-720x1280.png", "-blur", "0x6", dir + "email-blurred.png");
im(dir + "tx-720x1280.png", "-fill", "black", "-colorize", "93%", dir + "tx-dark.png");
im(dir + "email-720x1280.png", "-fill", "black", "-colorize", "82%", dir + "email-dark.png");
im("-size", "800x800", "xc:white", dir + "blank-white.png");
im("-size", "800x800", "xc:black", dir + "blank-black.jpg");
im(dir + "email-720x1280.png", "-resize", "100x178", dir + "tiny.png");

// corrupted variants, byte by byte
const png = get("email-720x1280.png");
const jpg = get("tx-progressive.jpg");
const be32 = (b, o) => b.readUInt32BE(o);
function chunks(b) {
  const out = [];
  for (let o = 8; o < b.length; ) {
    const len = be32(b, o), type = b.toString("latin1", o + 4, o + 8);
    out.push({ o, len, type });
    o += 12 + len;
  }
  return out;
}
function fixCrc(b, c) {
  b.writeUInt32BE(zcrc(b.subarray(c.o + 4, c.o + 8 + c.len)) >>> 0, c.o + 8 + c.len);
}
const cs = chunks(png);
const idat = cs.find((c) => c.type === "IDAT");
put("truncated.png", png.subarray(0, Math.floor(png.length / 2)));
{ const b = Buffer.from(png); b[idat.o + 8 + 10] ^= 0xff; put("bad-crc.png", b); }
{ const b = Buffer.from(png); for (let i = 2; i < Math.min(idat.len, 400); i++) b[idat.o + 8 + i] = 0xff; fixCrc(b, idat); put("bad-zlib.png", b); }
put("missing-iend.png", png.subarray(0, png.length - 12));
put("trailing-data.png", Buffer.concat([png, Buffer.from("tail bytes after IEND")]));
// PNG/ZIP polyglot: a stored ZIP after IEND
const zip = Buffer.from("504b0304140000000000000000000000000000000000000000000500000068692e7478746869216869504b0506000000000000000000000000000000000000", "hex");
put("polyglot-png-zip.png", Buffer.concat([png, zip]));
// pixel flood: a valid PNG whose header claims 100000 x 100000 pixels
function makePng(w, h, raw) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunk = (type, data) => {
    const b = Buffer.alloc(12 + data.length);
    b.writeUInt32BE(data.length, 0);
    b.write(type, 4, "latin1");
    data.copy(b, 8);
    b.writeUInt32BE(zcrc(b.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return b;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  return Buffer.concat([sig, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
put("pixel-flood.png", makePng(100000, 100000, Buffer.alloc(100001 * 4)));
put("huge-side.png", makePng(12000, 400, Buffer.alloc(12001 * 400)));
{ const b = makePng(400, 400, Buffer.alloc(401 * 400)); b[8 + 8 + 9] = 7; fixCrc(b, chunks(b)[0]); put("bad-ihdr-colortype.png", b); }
// JPEG: truncated, missing EOI, bad Huffman table, HTML polyglot
put("truncated.jpg", jpg.subarray(0, Math.floor(jpg.length / 2)));
put("missing-eoi.jpg", jpg.subarray(0, jpg.length - 2));
{
  const b = Buffer.from(jpg);
  const i = b.indexOf(Buffer.from([0xff, 0xc4]));
  for (let k = 0; k < 16; k++) b[i + 5 + k] = 0xff; // code counts that overflow the table
  put("bad-huffman.jpg", b);
}
put("polyglot-jpeg-html.jpg", Buffer.concat([jpg, Buffer.from("<html><script>alert(1)</script></html>")]));
put("zero-size.png", Buffer.alloc(0));
put("not-an-image.png", Buffer.from("<!doctype html><title>hi</title>"));
put("wrong-extension.jpg", png);
console.log("corpus written to", dir);
