// core.d.ts -- types of @rekey/kit/core: web/js/core.mjs, the JavaScript API
// of Rekey's portable core (core.wasm). Every verdict comes from the C code;
// the shapes below are the JSON that wasm/exports.c builds.

/** A problem code from wasm/problem.h ("image_bad_crc", "email_invalid", ...). */
export type ProblemCode = string;

/** Bytes in any of the forms the core accepts. */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

export declare class CoreError extends Error {
  constructor(code: ProblemCode, message?: string);
  name: "CoreError";
  code: ProblemCode;
}

export interface LoadCoreOptions {
  /** Where core.wasm is (default: beside core.mjs in the package). */
  url?: string | URL;
  /** The module's bytes, when already read. */
  bytes?: Uint8Array | ArrayBuffer;
}

/** { ok, problems }: the shape of every check. */
export interface Verdict {
  ok: boolean;
  problems: ProblemCode[];
}

export type ImageFormat = "png" | "jpeg";

export interface ImageInfo extends Verdict {
  format: ImageFormat | null;
  width: number;
  height: number;
}

export interface ScreenshotPolicy {
  maxBytes?: number;
  minSide?: number;
  maxSide?: number;
  maxPixels?: number;
}

export interface ScreenshotMetrics {
  mean: number;
  contrast: number;
  sharpness: number;
  highlight: number;
}

export interface ScreenshotVerdict extends ImageInfo {
  bytes: number;
  /** null when the picture was not decoded (a structural problem first). */
  metrics: ScreenshotMetrics | null;
  /** 16 hex digits: a perceptual fingerprint (compare with image.distance). */
  fingerprint: string | null;
}

export interface FrameMetrics {
  mean: number;
  centreMean: number;
  sideMean: number;
  centreEnergy: number;
  sideEnergy: number;
  sharpness: number;
  motion: number;
  flat: number;
}

export interface FrameVerdict extends Verdict {
  metrics: FrameMetrics;
}

export interface AuthenticatorFlags {
  up: boolean;
  uv: boolean;
  be: boolean;
  bs: boolean;
  at: boolean;
  ed: boolean;
}

/** RFC 9052 COSE_Key as the core reads it: EC2 (kty 2), OKP (kty 1) or RSA (kty 3). */
export interface CosePublicKey {
  kty: 1 | 2 | 3;
  alg: number;
  crv?: number;
  x?: Uint8Array;
  y?: Uint8Array;
  n?: Uint8Array;
  e?: Uint8Array;
}

export interface AuthenticatorData {
  rpIdHash: Uint8Array;
  flags: AuthenticatorFlags;
  signCount: number;
  /** present with attested credential data (flag at) */
  aaguid?: string;
  credentialId?: Uint8Array;
  publicKey?: CosePublicKey;
  publicKeyCbor?: Uint8Array;
  /** present with extensions (flag ed) */
  extensions?: Uint8Array;
}

export interface AttestationStatementSummary {
  alg?: number;
  sigLength?: number;
  x5cCount?: number;
}

export interface AttestationObject {
  fmt: string;
  attStmt: AttestationStatementSummary;
  authData: AuthenticatorData;
  authDataBytes: Uint8Array;
}

export interface ClientDataExpectation {
  type?: "webauthn.create" | "webauthn.get" | string;
  challenge?: string;
  origin?: string;
}

export interface CollectedClientData {
  type: string;
  challenge: string;
  origin: string;
  crossOrigin?: boolean;
  topOrigin?: string;
}

export interface ClientDataVerdict extends Verdict {
  clientData: CollectedClientData | null;
}

export interface Chain {
  id: string;
  name: string;
  coin: string;
  decimals: number;
}

export type FlowKind = "delete_passkey" | "reset_passkeys";

export interface FlowTransition {
  from: string;
  event: string;
  to: string;
  guard: string;
}

/** One row of the reset decision table; null: "any". */
export interface RouteRule {
  identity_verified: boolean | null;
  high_value: boolean | null;
  password_confirmed: boolean | null;
  tool_available: boolean | null;
  attempts_exhausted: boolean | null;
  chose_documents: boolean | null;
  /** a live set of saved recovery codes, not declined in this flow (issue #17) */
  recovery_codes: boolean | null;
  /** the strict profile: reset_questions = off (#18) */
  questions_off: boolean | null;
  route: "face" | "documents" | "questions" | "recovery_code" | string;
  why: string;
}

export interface FlowDescription {
  kind: FlowKind;
  start: string;
  states: string[];
  terminal: string[];
  events: string[];
  transitions: FlowTransition[];
  /** fact name -> its default (numbers; factor and identity by name) */
  facts: Record<string, number | string>;
  factors: string[];
  identities: string[];
  routeRules?: RouteRule[];
}

export interface FlowState {
  kind: FlowKind | string;
  name: string;
  terminal: boolean;
}

/** Facts for a step: booleans and numbers, factor and identity by name. */
export type FlowFacts = Record<string, boolean | number | string>;

export interface FlowStep extends Verdict {
  state: FlowState;
  /** the reset's route, when the step decided it */
  route?: string;
  routeRule?: number;
}

/** WebAuthn L3 §5.1.9/§5.1.10 JSON forms (what Rekey's API sends and takes). */
export interface PublicKeyCredentialDescriptorJSON {
  type: "public-key";
  id: string;
  transports?: string[];
}
export interface PublicKeyCredentialCreationOptionsJSON {
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  challenge: string;
  pubKeyCredParams: { type: "public-key"; alg: number }[];
  timeout?: number;
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: {
    authenticatorAttachment?: "platform" | "cross-platform";
    residentKey?: "discouraged" | "preferred" | "required";
    requireResidentKey?: boolean;
    userVerification?: "discouraged" | "preferred" | "required";
  };
  attestation?: "none" | "indirect" | "direct" | "enterprise";
  extensions?: Record<string, unknown>;
}
export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: string;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: "discouraged" | "preferred" | "required";
  extensions?: Record<string, unknown>;
}
export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: {
    clientDataJSON: string;
    attestationObject: string;
    authenticatorData?: string;
    transports?: string[];
    publicKey?: string;
    publicKeyAlgorithm?: number;
  };
  authenticatorAttachment?: "platform" | "cross-platform";
  clientExtensionResults: Record<string, unknown>;
}
export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle?: string | null;
  };
  authenticatorAttachment?: "platform" | "cross-platform";
  clientExtensionResults: Record<string, unknown>;
}

/** What a browser's navigator.credentials returns (the parts the core reads). */
export interface BrowserCredentialLike {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  getClientExtensionResults?(): Record<string, unknown>;
  response: {
    clientDataJSON: ArrayBuffer;
    attestationObject?: ArrayBuffer;
    authenticatorData?: ArrayBuffer;
    signature?: ArrayBuffer;
    userHandle?: ArrayBuffer | null;
    getTransports?(): string[];
    getAuthenticatorData?(): ArrayBuffer;
    getPublicKeyAlgorithm?(): number;
  };
}

export interface Core {
  /** the core's version (wasm/), e.g. "0.1.0" */
  readonly version: string;
  /** the message of a problem code (the generic one for an unknown code) */
  message(code: ProblemCode): string;
  problemCodes(): ProblemCode[];
  readonly CoreError: typeof CoreError;
  readonly b64url: {
    /** RFC 4648 §5 without padding */
    encode(bytes: Bytes): string;
    /** throws CoreError (b64url_*) on a non-canonical string */
    decode(text: string): Uint8Array;
  };
  readonly hash: {
    sha256(bytes: Bytes): Uint8Array;
    keccak256(bytes: Bytes): Uint8Array;
  };
  readonly image: {
    inspect(bytes: Bytes): ImageInfo;
    checkScreenshot(bytes: Bytes, policy?: ScreenshotPolicy): ScreenshotVerdict;
    /** one camera frame: RGBA (ImageData.data), its size, the previous frame */
    checkFrame(rgba: Bytes, width: number, height: number, prev?: Bytes | null): FrameVerdict;
    /** Hamming distance of two fingerprints (16 hex digits each) */
    distance(a: string, b: string): number;
  };
  readonly webauthn: {
    parseAuthenticatorData(bytes: Bytes): AuthenticatorData;
    parseAttestationObject(bytes: Bytes): AttestationObject;
    checkClientData(bytes: Bytes, expect?: ClientDataExpectation): ClientDataVerdict;
    creationOptionsFromJSON(j: PublicKeyCredentialCreationOptionsJSON): Record<string, unknown> & {
      challenge: ArrayBuffer; user: { id: ArrayBuffer; name: string; displayName: string };
      excludeCredentials: { type: "public-key"; id: ArrayBuffer; transports?: string[] }[];
    };
    requestOptionsFromJSON(j: PublicKeyCredentialRequestOptionsJSON): Record<string, unknown> & {
      challenge: ArrayBuffer; allowCredentials: { type: "public-key"; id: ArrayBuffer; transports?: string[] }[];
    };
    registrationResponseToJSON(cred: BrowserCredentialLike): RegistrationResponseJSON;
    authenticationResponseToJSON(cred: BrowserCredentialLike): AuthenticationResponseJSON;
  };
  readonly chain: {
    list(): Chain[];
    validateAddress(chainId: string, address: string): Verdict;
    validateTxid(chainId: string, txid: string): Verdict;
  };
  readonly validate: {
    email(s: string): Verdict;
    code(s: string): Verdict;
    password(s: string): Verdict;
    /** coin: a network id (its native coin) or a coin; with network, that coin's decimals there */
    amount(coin: string, s: string, network?: string): Verdict;
    /** whether the coin is listed on the network (the core's one table of coins and decimals) */
    coin(coin: string, network: string): Verdict;
  };
  readonly flow: {
    describe(kind: FlowKind): FlowDescription;
    start(kind: FlowKind): FlowState;
    /** state: a FlowState, "kind:name" or a state name */
    next(state: FlowState | string, event: string, facts?: FlowFacts): FlowStep;
  };
}

export declare function loadCore(options?: LoadCoreOptions): Promise<Core>;
