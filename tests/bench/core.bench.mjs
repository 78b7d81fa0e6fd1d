// core.bench.mjs -- the portable core in Node against the npm libraries a JS
// page would otherwise use, on the same files, one process. Prints a table;
// asserts nothing (numbers, not timed tests).
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { imageSize } from "image-size";
import { decodeAttestationObject, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import { loadCore } from "../../web/js/core.mjs";

const root = new URL("../../", import.meta.url).pathname;
const corpus = root + "tests/vectors/image/corpus/";
const core = await loadCore();

function median(fn, { runs = 30, warm = 5 } = {}) {
  for (let i = 0; i < warm; i++) fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    fn();
    t.push(performance.now() - a);
  }
  t.sort((x, y) => x - y);
  return t[Math.floor(t.length / 2)];
}

const rows = [];
const row = (what, ours, theirs, theirName) => rows.push({ what, ours, theirs, theirName });

const png = readFileSync(corpus + "email-1080x2400.png");
const jpg = readFileSync(corpus + "email-1080x2400.jpg");
row("PNG 1080x2400: core.image.checkScreenshot (full check)", median(() => core.image.checkScreenshot(png)), median(() => PNG.sync.read(png)), "pngjs full decode");
row("PNG 1080x2400: core.image.inspect (walk + decode)", median(() => core.image.inspect(png)), median(() => PNG.sync.read(png)), "pngjs full decode");
row("JPEG 1080x2400: core.image.checkScreenshot", median(() => core.image.checkScreenshot(jpg)), median(() => jpeg.decode(jpg, { useTArray: true })), "jpeg-js full decode");
row("PNG header only: core.image.checkScreenshot with a 1-pixel limit", median(() => core.image.checkScreenshot(png, { maxPixels: 1 }), { runs: 2000 }),
  median(() => imageSize(png), { runs: 2000 }), "image-size (header only)");

// a "none" attestation around a real authenticatorData, decoded 10,000 times
const ad = core.b64url.decode("PpZrl-Wqt-OFfBpyy2SraN1m7LT0GZORwGA7-6ujYkNdAAAAAPv8MAcVTk7MjAtuAgVX170AFCSmW4sVHyjf2mbYpnn2E_jox-XcpQECAyYgASFYIPWLalDzyxIDmAADvfK8iNM5To50kh7TyPH-teEz8RMdIlgg3D7bPIWQJ8z-WFn3zdYZzJw9c7mhPdmflQqD9vV7efA");
const te = new TextEncoder();
const att = new Uint8Array([0xa3, 0x63, ...te.encode("fmt"), 0x64, ...te.encode("none"), 0x67, ...te.encode("attStmt"), 0xa0,
  0x68, ...te.encode("authData"), 0x58, ad.length, ...ad]);
const N = 10000;
row(`attestation object + authData + COSE key, x${N}`, median(() => { for (let i = 0; i < N; i++) core.webauthn.parseAttestationObject(att); }, { runs: 7, warm: 2 }),
  median(() => { for (let i = 0; i < N; i++) { const o = decodeAttestationObject(att); parseAuthenticatorData(o.get("authData")); } }, { runs: 7, warm: 2 }),
  "@simplewebauthn/server decodeAttestationObject + parseAuthenticatorData");

const wasm = readFileSync(root + "web/js/core.wasm");
const loader = statSync(root + "web/js/loader.mjs").size;
const api = statSync(root + "web/js/core.mjs").size;

const pad = (s, n) => String(s).padEnd(n);
console.log("\ncore (wasm in Node " + process.version + ") vs JS libraries, median ms");
console.log(pad("measure", 66) + pad("core ms", 10) + pad("other ms", 10) + pad("ratio", 8) + "other");
for (const r of rows) {
  console.log(pad(r.what, 66) + pad(r.ours.toFixed(3), 10) + pad(r.theirs.toFixed(3), 10) + pad((r.theirs / r.ours).toFixed(2) + "x", 8) + r.theirName);
}
// live face-capture tips: one 640x480 camera frame (RGBA) with its previous frame
const fw = 640, fh = 480, cur = new Uint8ClampedArray(fw * fh * 4), prev = new Uint8ClampedArray(fw * fh * 4);
for (let i = 0; i < fw * fh; i++) {
  const x = i % fw, y = Math.floor(i / fw), v = 90 + ((x * 7 + y * 13) % 120);
  cur.fill(v, 4 * i, 4 * i + 3); prev.fill(v + 2, 4 * i, 4 * i + 3); cur[4 * i + 3] = prev[4 * i + 3] = 255;
}
const frameMs = median(() => core.image.checkFrame(cur, fw, fh, prev), { runs: 60, warm: 5 });
console.log(`\ncore.image.checkFrame, 640x480 RGBA with the previous frame: ${frameMs.toFixed(2)} ms median (${(1000 / frameMs).toFixed(0)} frames/s possible)`);
console.log(`\ncore.wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped (target <= 80 KB)`);
console.log(`loader.mjs: ${loader} bytes (target <= 5 KB); core.mjs (the API): ${api} bytes, ${gzipSync(readFileSync(root + "web/js/core.mjs")).length} gzipped`);
console.log(`full check of a 1080x2400 PNG: ${rows[0].ours.toFixed(1)} ms median (target <= 40 ms)`);
