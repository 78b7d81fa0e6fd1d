// webauthn.bench.mjs -- one ES256 assertion, verified by rekeyd's C path
// (core + libfido2, in-process) and by @simplewebauthn/server's
// verifyAuthenticationResponse, on the same inputs. Prints a ratio.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import { SoftAuthenticator } from "../node/authenticator.mjs";

const root = new URL("../../", import.meta.url).pathname;
const origin = "http://localhost:8080";
const auth = new SoftAuthenticator({ origin });
const challenge = Buffer.alloc(32, 5).toString("base64url");
const reg = auth.create({ challenge, user: { id: Buffer.alloc(32, 1).toString("base64url") } });
const cred = auth.creds[0];
const resp = auth.get({ challenge }, { counter: 7 });
const jwk = cred.privateKey.export({ format: "jwk" });
const cose = Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), Buffer.from(jwk.x, "base64url"),
  Buffer.from([0x22, 0x58, 0x20]), Buffer.from(jwk.y, "base64url")]);

const dir = mkdtempSync("/tmp/rekey-bench-");
writeFileSync(dir + "/authData", Buffer.from(resp.response.authenticatorData, "base64url"));
writeFileSync(dir + "/clientDataJSON", Buffer.from(resp.response.clientDataJSON, "base64url"));
writeFileSync(dir + "/signature", Buffer.from(resp.response.signature, "base64url"));
writeFileSync(dir + "/publicKey", Buffer.concat([Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]));
writeFileSync(dir + "/challenge", challenge);
const cRate = Number(execFileSync(root + "build/bench_assert", [dir, "20000"], { encoding: "utf8" }).trim());
rmSync(dir, { recursive: true });

const N = 3000;
let ok = 0;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const v = await verifyAuthenticationResponse({
    response: resp, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: "localhost",
    credential: { id: reg.id, publicKey: new Uint8Array(cose), counter: 6 }, requireUserVerification: true,
  });
  ok += v.verified ? 1 : 0;
}
const jsRate = N / ((performance.now() - t0) / 1000);
if (ok !== N) throw new Error("simplewebauthn did not verify the assertion");
console.log("\nassertion verification (ES256), in-process, one core");
console.log(`  rekeyd's C path (core checks + libfido2):       ${cRate.toFixed(0).padStart(8)} /s`);
console.log(`  @simplewebauthn/server verifyAuthentication:   ${jsRate.toFixed(0).padStart(8)} /s`);
console.log(`  ratio: ${(cRate / jsRate).toFixed(2)}x (target >= 5x)`);
