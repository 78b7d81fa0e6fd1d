// authenticator.d.ts -- types of @rekey/kit/authenticator (kit/authenticator.mjs).
import type { KeyObject } from "node:crypto";
import type {
  PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON, AuthenticationResponseJSON,
} from "./core.js";

export type {
  PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON, AuthenticationResponseJSON,
} from "./core.js";

/** COSE algorithm identifiers: ES256 -7, EdDSA -8, RS256 -257. */
export declare const ALG: Readonly<{ ES256: -7; EdDSA: -8; RS256: -257 }>;
export type CoseAlgorithm = -7 | -8 | -257;

/** authenticatorData flag bits (WebAuthn L3 §6.1). */
export declare const FLAGS: Readonly<{ UP: 0x01; UV: 0x04; BE: 0x08; BS: 0x10; AT: 0x40; ED: 0x80 }>;

export interface FlagSettings {
  up?: boolean;
  uv?: boolean;
  be?: boolean;
  bs?: boolean;
  at?: boolean;
  ed?: boolean;
}

export interface SoftAuthenticatorOptions {
  /** clientDataJSON.origin: the deployment's configured origin */
  origin: string;
  /** used when the options name no RP ID (default "localhost") */
  rpId?: string;
  /** 32 hex digits (dashes allowed) */
  aaguid?: string;
  /** flags reported by default: user verified, user present, backup eligible, backed up (all true) */
  uv?: boolean;
  up?: boolean;
  be?: boolean;
  bs?: boolean;
  /** reported as authenticatorAttachment when set */
  attachment?: "platform" | "cross-platform";
}

/** One stored (resident) credential. */
export interface SoftCredential {
  id: Buffer;
  alg: CoseAlgorithm;
  privateKey: KeyObject;
  counter: number;
  /** the user handle (user.id of the creation options, base64url) */
  userHandle?: string;
  rpId?: string;
}

/** A credential as exportCredentials() writes it (private key: PKCS#8 DER, base64url). */
export interface ExportedCredential {
  id: string;
  alg: CoseAlgorithm;
  counter: number;
  rpId: string;
  userHandle: string | null;
  privateKey: string;
}

/** A certificate from attestationCert(): its key and its DER bytes. */
export interface AttestationCertificate {
  key: KeyObject;
  der: Buffer;
}

/** Shared by create() and get(): clientDataJSON forgeries. */
export interface ClientDataKnobs {
  type?: string;
  challenge?: string;
  origin?: string;
  crossOrigin?: boolean;
  topOrigin?: string;
  /** the whole clientDataJSON, as given */
  clientDataJSON?: string;
}

/**
 * Per-call knobs of create(). Defaults make a conforming response; each
 * knob forges one thing, for negative tests.
 */
export interface CreateKnobs extends ClientDataKnobs {
  /** the credential's algorithm (default ES256) */
  alg?: CoseAlgorithm;
  /** "none" (default), "packed" (self attestation, or x5c with cert), "fido-u2f" (with cert), or any string */
  fmt?: string;
  /** attest with this certificate (packed with x5c, fido-u2f) */
  cert?: AttestationCertificate;
  /** an attStmt of your own (a CBOR map) */
  attStmt?: Map<string, unknown>;
  rpId?: string;
  counter?: number;
  credentialId?: Buffer | Uint8Array;
  credIdLength?: number;
  flags?: FlagSettings;
  /** the flags byte, as given */
  flagsByte?: number;
  /** COSE key bytes, as given */
  coseKey?: Buffer | Uint8Array;
  /** another alg value inside the COSE key */
  coseAlg?: number;
  /** flip a bit of the attestation signature */
  badAttestationSig?: boolean;
  /** rewrite the encoded attestation object */
  attestationObject?: (encoded: Buffer) => Buffer;
  /** do not keep the credential */
  noStore?: boolean;
}

/** Per-call knobs of get(). */
export interface GetKnobs extends ClientDataKnobs {
  /** the credential to use (default: pick(options)) */
  credential?: SoftCredential;
  /** the counter to report (default: the stored one + 1) */
  counter?: number;
  rpId?: string;
  flags?: FlagSettings;
  flagsByte?: number;
  /** authenticatorData, as given */
  authenticatorData?: Buffer | Uint8Array;
  /** flip a bit of the signature */
  badSignature?: boolean;
  /** another credential id in the answer */
  credentialId?: Buffer | Uint8Array;
  /** another userHandle (null or undefined: none) */
  userHandle?: string | null;
}

export declare class SoftAuthenticator {
  constructor(options: SoftAuthenticatorOptions);
  origin: string;
  rpId: string;
  aaguid: Buffer;
  uv: boolean;
  up: boolean;
  be: boolean;
  bs: boolean;
  attachment?: "platform" | "cross-platform";
  /** the resident credentials, oldest first */
  creds: SoftCredential[];
  flags(settings?: FlagSettings): number;
  clientData(type: string, challenge: string, knobs?: ClientDataKnobs): Buffer;
  /** navigator.credentials.create() in JSON form */
  create(options: PublicKeyCredentialCreationOptionsJSON, knobs?: CreateKnobs): RegistrationResponseJSON;
  /** the credential get() uses for these options */
  pick(options?: PublicKeyCredentialRequestOptionsJSON): SoftCredential | undefined;
  /** navigator.credentials.get() in JSON form */
  get(options: PublicKeyCredentialRequestOptionsJSON, knobs?: GetKnobs): AuthenticationResponseJSON;
  exportCredentials(): ExportedCredential[];
  /** adds (or replaces, by id) credentials; returns how many */
  importCredentials(json: string | ExportedCredential[]): number;
  publicKey(id: string): KeyObject;
}

export type CborValue = number | string | Buffer | Uint8Array | CborValue[] | Map<CborValue, CborValue>;
/** A minimal deterministic CBOR encoder (definite lengths, shortest heads). */
export declare function cbor(value: CborValue): Buffer;
export declare function attestationCert(options?: { days?: number; commonName?: string }): AttestationCertificate;
export declare function certifiedStatement(fmt: "packed" | "fido-u2f" | string, cert: AttestationCertificate, authData: Buffer,
  clientDataJSON: Buffer, options?: { badSig?: boolean }): Map<string, unknown>;
