// face-video.mjs -- a video for Chromium's fake camera in which the face
// capture takes its pictures: the demo's (`make run` writes var/demo-face.y4m;
// the README says how to start Chromium with it) and the browser tests'. The
// "face" is the one tests/check_image.c draws: a checkerboard in an ellipse in
// the middle of an even background, with sensor noise in every frame. The
// page's checks are the real ones: this video passes them as a well-lit,
// centred face would.
//   node cgi/ops/face-video.mjs OUT.y4m
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export function grayFrame({ bg = 120, lo = 70, hi = 200, shift = 0, scale = 1, W = 640, H = 480 } = {}) {
  const g = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const dx = (x - W / 2 - shift) / (W * 0.18), dy = (y - H / 2) / (H * 0.3);
    let v = bg;
    if (dx * dx + dy * dy <= 1) v = ((Math.floor((x - shift + 1000) / 24) + Math.floor(y / 24)) & 1) ? hi : lo;
    g[y * W + x] = Math.min(255, Math.floor(v * scale));
  }
  return { g, W, H };
}

// A YUV4MPEG2 file Chromium's fake camera plays in a loop (I420, neutral chroma).
export function frameY4m(opts, frames = 5) {
  const { g, W, H } = grayFrame(opts);
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)];
  // sensor noise, as a real camera has (two identical frames are one picture uploaded twice)
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % 5;
  for (let i = 0; i < frames; i++) {
    const y = Buffer.from(g);
    for (let j = 0; j < y.length; j++) y[j] = Math.max(0, Math.min(255, y[j] + rnd() - 2));
    parts.push(Buffer.from("FRAME\n"), y, chroma);
  }
  return Buffer.concat(parts);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(process.argv[2], frameY4m({}, 10));
}
