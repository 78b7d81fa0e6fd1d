// totp-signin.mjs -- tests/ops/run.sh: the demo account totp@rekey.test signs
// in with its password and a TOTP code through the stack's nginx and rekeyd
// (REKEY_TEST_DIR, REKEY_TEST_PORT), which opens the TOTP secret under the key
// its row names. Prints the two answers' statuses; exits 1 unless signed in.
import { Client, totp, base32Decode } from "../node/stack.mjs";

const c = new Client();
const first = await c.signIn("totp@rekey.test");
// the next step's code: a code of this step may have been used by an earlier run
const second = await c.post("/api/session/totp", { code: totp(base32Decode("JBSWY3DPEHPK3PXP"), 1) });
console.log(`totp sign-in: password ${first.status} ${first.json?.status}, code ${second.status} ${second.json?.status ?? second.json?.error?.code}`);
process.exit(first.json?.status === "second_factor_required" && second.status === 200 ? 0 : 1);
