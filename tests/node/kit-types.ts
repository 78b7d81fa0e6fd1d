// kit-types.ts -- compiled (never run) by tests/node/api_kit_package.test.mjs with
// `tsc --noEmit --strict` in a project that installed the @rekey/kit tarball:
// the declarations describe the shapes the suites see at run time.
import { loadCore, CoreError, type Core, type ScreenshotVerdict, type FlowStep, type AuthenticatorData } from "@rekey/kit/core";
import { RekeyClient, RekeyError, ROUTES, HELPERS, type DeleteDone, type ResetRouted, type Me, type RawAnswer } from "@rekey/kit/client";
import { SoftAuthenticator, ALG, FLAGS, attestationCert, cbor, type ExportedCredential, type RegistrationResponseJSON } from "@rekey/kit/authenticator";

async function core(): Promise<void> {
  const c: Core = await loadCore({ url: new URL("file:///x/core.wasm") });
  const v: ScreenshotVerdict = c.image.checkScreenshot(new Uint8Array(8), { maxBytes: 1 << 20 });
  const side: number = v.width + v.height;
  const fp: string | null = v.fingerprint;
  const mean: number | undefined = v.metrics?.sharpness;
  const ad: AuthenticatorData = c.webauthn.parseAuthenticatorData(new Uint8Array(37));
  const uv: boolean = ad.flags.uv;
  const step: FlowStep = c.flow.next(c.flow.start("reset_passkeys"), "agree", { agreed: true });
  const route: string | undefined = step.route;
  const rules = c.flow.describe("reset_passkeys").routeRules ?? [];
  const why: string[] = rules.map((r) => r.why);
  const frame = c.image.checkFrame(new Uint8Array(4), 1, 1, null);
  const motion: number = frame.metrics.motion;
  const d: number = c.image.distance("0000000000000000", "ffffffffffffffff");
  const e = new CoreError("internal");
  const code: string = e.code;
  void [side, fp, mean, uv, route, why, motion, d, code, c.hash.sha256(new Uint8Array(1)).length, c.chain.list()[0]?.decimals];
}

async function client(): Promise<void> {
  const c = new RekeyClient({ baseUrl: "http://127.0.0.1:8080", origin: "http://localhost:8080" });
  const auth = new SoftAuthenticator({ origin: c.origin, uv: true, attachment: "platform" });
  const s = await c.session.signIn({ email: "a@b.co", password: "p" });
  if (s.status === "second_factor_required" && s.factors.includes("totp")) await c.session.totp({ code: "123456" });
  const me: Me = await c.account.me();
  const phone: string | null = me.tools.phone;
  const added = await c.passkeys.register(auth, "Laptop", { alg: ALG.EdDSA, fmt: "packed" });
  const flow = await c.passkeys.startDelete(added.id);
  await c.deleteFlow.next(flow.id);
  const at = await c.deleteFlow.emailCode(flow.id, { code: "123456" });
  const counts: (number | undefined)[] = at.methods.map((m) => m.count);
  const opts = await c.deleteFlow.passkeyOptions(flow.id);
  const done: DeleteDone = await c.deleteFlow.verify(flow.id, { method: "passkey", response: auth.get(opts, { badSignature: false }) });
  const until: string | null = done.withdrawal_hold.until;
  const again: DeleteDone = await c.deleteFlow.run(added.id, { emailCode: async () => "123456", secondFactor: { method: "totp", code: () => "654321" } });
  const r = await c.reset.start({ entry: "signin" });
  const routed: ResetRouted = await c.reset.emailCode(r.id, { code: "123456" });
  if (routed.route === "questions") {
    const q = await c.reset.questions(r.id);
    const a = await c.reset.answers(r.id, { answers: q.questions.map((x) => [x.options[0].id]) });
    if (a.reset) console.log(a.next); else console.log(a.attempts_left);
  }
  const stored = await c.evidence.upload(new Uint8Array(10), { flow: r.id, kind: "counterparty_tx", coin: "USDT" }, { onProgress: (f: number) => void f });
  const sha: string = stored.sha256;
  const queue = await c.review.queue({ query: { route: "documents", limit: 10 } });
  const due: string | undefined = queue.cases[0]?.due_at;
  const pic = await c.review.evidence(1);
  const bytes: Uint8Array = pic.bytes;
  const raw: RawAnswer = await c.request("POST", "/api/reset", { body: {}, headers: { Origin: null } });
  const status: number = raw.status;
  const hold = await c.holds.withdrawal({ query: { account: 1 }, headers: { Authorization: "Bearer x" } });
  const held: boolean = hold.held;
  try { await c.system.health(); } catch (e) {
    if (e instanceof RekeyError) { const rid: string | undefined = e.requestId; void [rid, e.status, e.code, e.message, e.details]; }
  }
  const routes: string[] = ROUTES.map((x) => `${x.method} ${x.path} ${x.group}.${x.name}`);
  void [phone, counts, until, again, sha, due, bytes, status, held, routes, HELPERS.passkeys];
}

function authenticator(): void {
  const a = new SoftAuthenticator({ origin: "http://localhost:8080", be: false, bs: false });
  const reg: RegistrationResponseJSON = a.create({ rp: { id: "localhost", name: "x" }, user: { id: "dQ", name: "u", displayName: "u" },
    challenge: "AAAA", pubKeyCredParams: [{ type: "public-key", alg: -7 }] }, { alg: ALG.RS256, cert: attestationCert(), fmt: "fido-u2f" });
  const exported: ExportedCredential[] = a.exportCredentials();
  const n: number = new SoftAuthenticator({ origin: "x" }).importCredentials(JSON.stringify(exported));
  const got = a.get({ challenge: "BBBB", allowCredentials: [{ type: "public-key", id: reg.id }] }, { counter: 7, flags: { uv: false } });
  const handle: string | null | undefined = got.response.userHandle;
  const bits: number = a.flags({ up: true }) & FLAGS.UV;
  void [n, handle, bits, cbor(new Map([[1, 2]])).length];
}

void [core, client, authenticator];
