// make-frames.mjs -- the face-frame vectors in tests/vectors/image/corpus/
// (verdicts in frames.tsv): a synthetic camera frame with sensor noise and the
// same scene without it (tests/node/frames.mjs), and a real Chromium
// screenshot (email-1080x2400.png, made by make-corpus.mjs) cut to a camera's
// 640x480, as PNG and as JPEG. Run: node tests/vectors/image/make-frames.mjs
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { framePng, grayFrame } from "../../node/frames.mjs";

const dir = new URL("./corpus/", import.meta.url).pathname;
const im = (...args) => execFileSync("/usr/bin/convert", args);

// 8-bit gray files: noise does not compress, and the frames are gray anyway
const gray = (rgba) => PNG.sync.write(PNG.sync.read(rgba), { colorType: 0 });
writeFileSync(dir + "camera-640x480.png", gray(framePng()));
const { g, W, H } = grayFrame();
const flat = new PNG({ width: W, height: H });
for (let i = 0; i < W * H; i++) { flat.data[4 * i] = flat.data[4 * i + 1] = flat.data[4 * i + 2] = g[i]; flat.data[4 * i + 3] = 255; }
writeFileSync(dir + "camera-640x480-noiseless.png", gray(PNG.sync.write(flat)));
// the card with the amount and the addresses: text on a flat background
im(dir + "email-1080x2400.png", "-crop", "640x480+220+560", "+repage", "-strip", dir + "screen-640x480.png");
im(dir + "screen-640x480.png", "-quality", "85", dir + "screen-640x480.jpg");
