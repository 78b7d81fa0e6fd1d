// frames.mjs -- synthetic camera frames for the face-capture tests: the same
// "face" as tests/check_image.c (a 24-pixel checkerboard in an ellipse in the
// middle of an even background), as gray levels, RGBA, PNG (with sensor noise)
// or a .y4m video (with its own noise in every frame).
import { PNG } from "pngjs";

export { grayFrame, frameY4m } from "../../cgi/ops/face-video.mjs";
import { grayFrame } from "../../cgi/ops/face-video.mjs";

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

