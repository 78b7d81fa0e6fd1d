// webauthn.mjs -- the browser side of passkeys: the core converts the JSON
// forms, pre-checks what the authenticator returned, and failures are told
// in plain words. The server repeats every check.
import { t } from "./i18n.mjs";
import { api } from "./api.mjs";

function plain(e) {
  switch (e && e.name) {
    case "NotAllowedError": return t("webauthn.cancelled");
    case "InvalidStateError": return t("webauthn.registered");
    case "SecurityError": return t("webauthn.security");
    case "NotSupportedError": return t("webauthn.not_supported");
    case "AbortError": return t("webauthn.aborted");
    default: return e && e.message ? e.message : t("webauthn.failed");
  }
}

export class PasskeyError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export function passkeysSupported() {
  return typeof window !== "undefined" && !!window.PublicKeyCredential && !!navigator.credentials;
}

const UV_MISSING = t("problem.user_verification_missing");

// navigator.credentials.create() for server options, read by the core before
// anything is sent; returns the RegistrationResponseJSON.
export async function createCredential(core, options) {
  let cred;
  try {
    cred = await navigator.credentials.create({ publicKey: core.webauthn.creationOptionsFromJSON(options) });
  } catch (e) {
    throw new PasskeyError(plain(e), e.name);
  }
  const json = core.webauthn.registrationResponseToJSON(cred);
  try {
    const att = core.webauthn.parseAttestationObject(core.b64url.decode(json.response.attestationObject));
    if (options.authenticatorSelection.userVerification === "required" && !att.authData.flags.uv)
      throw new PasskeyError(UV_MISSING, "user_verification_missing");
  } catch (e) {
    if (e instanceof PasskeyError) throw e;
    throw new PasskeyError(core.message(e.code), e.code);
  }
  return json;
}

// navigator.credentials.get() for server options; returns the AuthenticationResponseJSON.
// With { mediation: "conditional", signal } the browser offers the passkey in
// the email field's autofill instead of a dialog, until signal aborts it.
export async function getAssertion(core, options, { mediation, signal } = {}) {
  let cred;
  try {
    cred = await navigator.credentials.get({ publicKey: core.webauthn.requestOptionsFromJSON(options), ...(mediation ? { mediation } : {}), ...(signal ? { signal } : {}) });
  } catch (e) {
    throw new PasskeyError(plain(e), e.name);
  }
  const json = core.webauthn.authenticationResponseToJSON(cred);
  try {
    const ad = core.webauthn.parseAuthenticatorData(core.b64url.decode(json.response.authenticatorData));
    if (options.userVerification === "required" && !ad.flags.uv)
      throw new PasskeyError(UV_MISSING, "user_verification_missing");
  } catch (e) {
    if (e instanceof PasskeyError) throw e;
    throw new PasskeyError(core.message(e.code), e.code);
  }
  return json;
}

// Registration: options from the server, the authenticator, a local check, the server.
export async function addPasskey(core, name) {
  const options = await api("POST", "/api/passkeys/registration/options", {});
  const json = await createCredential(core, options);
  return api("POST", "/api/passkeys/registration", name ? { response: json, name } : { response: json });
}

// WebAuthn L3 §5.1.10 signals, where the browser has them (feature-detected;
// a browser without them, or one that refuses, changes nothing here).
// The list of passkeys the account still accepts, from GET /api/passkeys'
// signal: the provider stops offering a deleted one. Suspended passkeys are
// not in it (they do not sign), so a provider that applies it forgets them;
// a passkey that may come back is never signalled as unknown (below).
export async function signalAccepted(signal) {
  if (!signal || typeof window === "undefined" || !window.PublicKeyCredential ||
    typeof PublicKeyCredential.signalAllAcceptedCredentials !== "function") return false;
  try {
    await PublicKeyCredential.signalAllAcceptedCredentials(signal);
    return true;
  } catch {
    return false;
  }
}

// A credential the server does not know (unknown_credential): the provider may forget it.
export async function signalUnknown(rpId, credentialId) {
  if (typeof window === "undefined" || !window.PublicKeyCredential ||
    typeof PublicKeyCredential.signalUnknownCredential !== "function") return false;
  try {
    await PublicKeyCredential.signalUnknownCredential({ rpId, credentialId });
    return true;
  } catch {
    return false;
  }
}

// Sign-in: first factor when signed out, second factor after a password.
// A passkey the server does not know is signalled to the provider; a
// suspended one (passkey_suspended: removed by a reset or a deletion, within
// the dispute window) never is: its owner may need it back.
export async function signInWithPasskey(core, how = {}) {
  const options = await api("POST", "/api/passkeys/authentication/options", {});
  const response = await getAssertion(core, options, how);
  try {
    return await api("POST", "/api/passkeys/authentication", { response });
  } catch (e) {
    if (e && e.code === "unknown_credential") await signalUnknown(options.rpId, response.id);
    throw e;
  }
}

// Whether this browser can offer passkeys in autofill (conditional mediation).
export async function conditionalSupported() {
  try {
    return passkeysSupported() && typeof PublicKeyCredential.isConditionalMediationAvailable === "function"
      && await PublicKeyCredential.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}
