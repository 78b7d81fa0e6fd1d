// fastcgi.mjs -- one FastCGI request straight to rekeyd's socket (no nginx),
// with the parameters the test chooses (REMOTE_ADDR above all): what rekeyd
// itself decides, whatever the web server in front of it does. FastCGI 1.0:
// BEGIN_REQUEST (responder), PARAMS, an empty PARAMS, an empty STDIN; the
// answer is STDOUT records up to END_REQUEST.
import { connect } from "node:net";

function record(type, body) {
  const pad = (8 - (body.length % 8)) % 8;
  const h = Buffer.from([1, type, 0, 1, body.length >> 8, body.length & 255, pad, 0]);
  return Buffer.concat([h, body, Buffer.alloc(pad)]);
}

function lengthOf(n) {
  return n < 128 ? Buffer.from([n]) : Buffer.from([(n >>> 24) | 0x80, (n >> 16) & 255, (n >> 8) & 255, n & 255]);
}

export function fcgiRequest(socketPath, params) {
  const pairs = Buffer.concat(Object.entries(params).flatMap(([k, v]) => {
    const kb = Buffer.from(k), vb = Buffer.from(String(v));
    return [lengthOf(kb.length), lengthOf(vb.length), kb, vb];
  }));
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    const chunks = [];
    s.on("error", reject);
    s.on("data", (d) => chunks.push(d));
    s.on("close", () => {
      const all = Buffer.concat(chunks);
      const out = [];
      for (let o = 0; o + 8 <= all.length;) {
        const type = all[o + 1], len = all.readUInt16BE(o + 4), pad = all[o + 6];
        if (type === 6) out.push(all.subarray(o + 8, o + 8 + len));
        o += 8 + len + pad;
      }
      const text = Buffer.concat(out).toString("utf8");
      const cut = text.indexOf("\r\n\r\n");
      const headers = {};
      for (const l of text.slice(0, cut).split("\r\n")) {
        const i = l.indexOf(":");
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number((headers.status || "200").split(" ")[0]), headers, body: text.slice(cut + 4) });
    });
    s.write(Buffer.concat([
      record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
      record(4, pairs), record(4, Buffer.alloc(0)), record(5, Buffer.alloc(0)),
    ]));
  });
}
