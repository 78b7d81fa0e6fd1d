// frames.mjs -- synthetic camera frames for the face-capture tests: the same
// "face" as tests/check_image.c (a 24-pixel checkerboard in an ellipse in the
// middle of an even background), as gray levels, RGBA, PNG (with sensor noise)
// or a .y4m video (with its own noise in every frame).
import { PNG } from "pngjs";

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

// Sensor noise, as a real camera has: -2..+2 on every pixel. The same sequence
// every time (tests/check_image.c makes the same), so that one scene gives one file (a still frame is byte-identical);
// without it a frame is a flat-colour picture that the core refuses as no
// camera's (frame_not_camera).
export function sensorNoise(g) {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % 5; // uint32 arithmetic, as in C
  for (let i = 0; i < g.length; i++) g[i] = Math.max(0, Math.min(255, g[i] + rnd() - 2));
  return g;
}

export function framePng(opts) {
  const { g, W, H } = grayFrame(opts);
  sensorNoise(g);
  const png = new PNG({ width: W, height: H });
  for (let i = 0; i < W * H; i++) { png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = g[i]; png.data[4 * i + 3] = 255; }
  return PNG.sync.write(png);
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
