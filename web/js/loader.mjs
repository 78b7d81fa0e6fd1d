// loader.mjs -- loads a standalone wasm module the same way in a browser
// (fetch) and in Node (fs). Answers the few WASI imports the module has.
const isNode = typeof process === "object" && process !== null && !!(process.versions && process.versions.node);

export async function loadWasm(url, bytes) {
  if (!bytes) {
    if (isNode) {
      const fs = await import("node:fs/promises");
      const { fileURLToPath } = await import("node:url");
      bytes = await fs.readFile(url instanceof URL && url.protocol === "file:" ? fileURLToPath(url) : url);
    } else {
      const res = await fetch(url, { credentials: "same-origin" });
      if (!res.ok) throw new Error(`core.wasm: HTTP ${res.status}`);
      bytes = await res.arrayBuffer();
    }
  }
  let memory = null;
  const fail = (what) => () => { throw new Error(`core.wasm called ${what}`); };
  const imports = {
    env: { emscripten_notify_memory_growth() {} },
    wasi_snapshot_preview1: {
      proc_exit: fail("proc_exit"),
      fd_close: () => 8,            // EBADF: the core has no files
      fd_seek: () => 8,
      fd_write: (fd, iovs, n, nwritten) => {
        // the core never prints; count the bytes so a stray write cannot hang
        const v = new DataView(memory.buffer);
        let total = 0;
        for (let i = 0; i < n; i++) total += v.getUint32(iovs + 8 * i + 4, true);
        v.setUint32(nwritten, total, true);
        return 0;
      },
    },
  };
  const { instance } = await WebAssembly.instantiate(bytes, imports);
  memory = instance.exports.memory;
  if (instance.exports._initialize) instance.exports._initialize();
  return instance.exports;
}
