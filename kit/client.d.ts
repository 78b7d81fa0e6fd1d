// client.d.ts -- types of @rekey/kit/client (kit/client.mjs). Requests follow
// cgi/openapi.json; answers are the JSON that cgi/api/*.c builds. Times are
// strings as the server writes them (ISO 8601, UTC).
import type {
  PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON, AuthenticationResponseJSON,
} from "./core.js";
import type { SoftAuthenticator, CreateKnobs, GetKnobs } from "./authenticator.js";

/** An answer outside 2xx (status 0, code "network": no answer at all). */
export declare class RekeyError extends Error {
  constructor(init?: { status?: number; code?: string; message?: string; requestId?: string; details?: Record<string, unknown>;
    body?: unknown; method?: string; path?: string; cause?: unknown });
  name: "RekeyError";
  /** the HTTP status, 0 when nothing answered */
  status: number;
  /** the server's problem code (snake_case), "http_<status>" without a JSON error, "network" */
  code: string;
  message: string;
  /** the request id, when the deployment sends one (error.request_id or X-Request-Id) */
  requestId?: string;
  /** the error object's other fields (tries_left, problems, ...) */
  details: Record<string, unknown>;
  /** the whole answer (JSON, or text) */
  body: unknown;
  method?: string;
  path?: string;
}

export interface RekeyClientOptions {
  /** where the deployment answers, e.g. "http://127.0.0.1:8080" */
  baseUrl: string;
  /** its configured origin (sent as Origin); default: baseUrl's origin */
  origin?: string;
  /** another fetch (default: globalThis.fetch) */
  fetch?: typeof fetch;
  /** headers sent with every request */
  headers?: Record<string, string>;
}

export interface RawAnswer {
  status: number;
  json: any;
  text: string;
  headers: Headers;
  bytes: Uint8Array;
}

export interface RequestOptions {
  /** sent as JSON */
  body?: unknown;
  /** sent as given (bytes or a string) */
  raw?: string | Uint8Array | ArrayBuffer | Blob;
  /** a null value leaves that header out */
  headers?: Record<string, string | null>;
  query?: Record<string, string | number | boolean | undefined | null>;
}

/** The last argument of every route method. */
export interface CallOptions {
  headers?: Record<string, string | null>;
  query?: Record<string, string | number | boolean | undefined | null>;
}

export type Id = number | string;

// ---- answers ----

/** support: where people get help (the operator's support_contact); absent while degraded */
/** node: the database server this worker uses; with Galera, the node's name and state */
export interface HealthNode { endpoint?: string; wsrep?: boolean; name?: string; ready?: boolean; state?: string; cluster_size?: number; cluster_status?: string }
export interface Health { status: "ok" | "degraded"; db: "ok" | "down" | "not_synced"; schema: number | null; support?: string; node?: HealthNode }
/** The durations and counts the pages state, from the server's configuration (GET /api/settings). */
export interface Settings {
  operator: string;
  hold_hours: number; freeze_hold_hours: number; code_seconds: number; code_resend_seconds: number; dispute_hours: number; freeze_link_hours: number;
  delete_flow_seconds: number; reset_flow_seconds: number; handoff_seconds: number; signin_window_seconds: number; face_frames: number;
  step_up_seconds: number;
  /** each duration in words, e.g. { hold: "24 hours" } */
  texts: Record<"hold" | "freeze_hold" | "code" | "code_resend" | "dispute" | "freeze_link" | "delete_flow" | "reset_flow" | "handoff" | "signin_window" | "review_claim" | "step_up", string>;
  /** each duration in seconds, for pages that say it in their own language */
  seconds: Record<"hold" | "freeze_hold" | "code" | "code_resend" | "dispute" | "freeze_link" | "delete_flow" | "reset_flow" | "handoff" | "signin_window" | "review_claim" | "step_up", number>;
  /** the best of the catalogues' languages for the request's Accept-Language ("en" when none fits) */
  language: Language;
  /** the operator's profile: security questions offered, SMS a second factor */
  reset_questions: boolean; sms_as_second_factor: boolean;
}
/** The languages of the pages, mails and SMS (web/i18n/). */
export type Language = "en" | "de" | "zh" | "es" | "ar";
export interface OpenApiDocument { openapi: string; info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, unknown>>; [k: string]: unknown }

export interface SignInAnswer { status: "signed_in" | "second_factor_required"; factors: ("passkey" | "totp")[]; csrf: string }
export interface SignedIn { status: "signed_in"; csrf: string }
export interface StepUpState { fresh: boolean; until: string | null; methods: ("passkey" | "totp")[]; step_up_seconds: number }
export interface SessionInfo { id: number; stage: string; created_at: string; last_seen_at: string; ip: string; user_agent: string; current: boolean }

export interface Hold { reason: string; source_event: string; starts_at: string; ends_at: string }
export interface WithdrawalHold { held: boolean; until: string | null; holds: Hold[] }
export interface ServiceHold extends WithdrawalHold { account: number }
export interface Tools { totp: boolean; passkeys: number; phone: string | null }
export interface SignInRecord { at: string; ip: string; country: string; device: string }
export interface Me {
  id: number; email: string; display_name: string; identity_status: "unverified" | "verified" | "invalid" | string;
  value_tier: "high" | "standard" | string; frozen: boolean; no_passkey_protection: boolean; created_at: string;
  csrf: string; tools: Tools; withdrawal_hold: WithdrawalHold; recent_signins: SignInRecord[]; operator: string;
  /** the saved language of the account's pages, mails and SMS; null until one is saved */
  language: Language | null;
  /** a freeze code was made (the code itself is shown once) */
  freeze_code: { issued_at: string; used: boolean } | null;
  /** the open reset case (the header's "My case": /case.html signed in) */
  open_case: { id: number; status: string } | null;
}

export interface CodeSent { sent: true; expires_in: number; resend_after?: number }
export interface CodeVerified { verified: true }
export interface TotpSetup { secret: string; uri: string; qr_svg: string }
export interface Bound { bound: true }
export interface DevMessage { id: number; channel: string; to: string; subject: string; body: string; created_at: string; delivered: boolean }

export interface Passkey {
  id: number; name: string; alg: number; synced: boolean; device_bound: boolean; aaguid: string; authenticator: string;
  transports: string; created_at: string; last_used_at: string | null;
  /** suspended by a reset or a deletion until the dispute window ends (then deleted) */
  removed: boolean; removed_until: string | null;
}
/** the arguments of PublicKeyCredential.signalAllAcceptedCredentials (WebAuthn L3 §5.1.10) */
export interface AcceptedCredentials { rpId: string; userId: string; allAcceptedCredentialIds: string[] }
/** "this was not me" from a reset's or a deletion's mail */
export interface Undone { frozen: true; undone: true; restored: number; revoked: { passkeys: number; totp: number; phones: number }; case: number | null }
export interface PasskeyAdded { id: number; name: string; alg: number; synced: boolean; device_bound: boolean }
export interface PasskeySignedIn { status: "signed_in"; passkey: number; csrf: string }

export interface DeleteMethod { method: "passkey" | "totp" | "sms"; count?: number; phone?: string }
export interface DeleteStarted { id: number; state: "confirm"; passkey: { id: number; name: string }; hold_hours: number; warning: string }
export interface DeleteFlowState {
  id: number; state: string; expires_at: string; email_tries_left: number; factor_tries_left: number; methods: DeleteMethod[];
}
export interface DeleteDone { id: number; state: "deleted"; withdrawal_hold: WithdrawalHold; no_passkey_protection: boolean }
export interface DeleteUnavailable { id: number; state: string; next: string }

/** review_hours: how long a review takes by route (the operator's SLA), for "under review"; in the answers of a flow's steps */
export interface ResetState { id: number; state: string; review_hours?: { face: number; documents: number; questions_failed: number } }
export interface ResetStarted extends ResetState { entry: string; instructions: string[] }
export interface ResetGot extends ResetState { password_confirmed: boolean }
export interface ResetCredentials extends ResetState { message: string; document_review: boolean }
/** Saved recovery codes (#17): the count, never the codes */
export interface RecoveryCodesState { remaining: number; created_at: string | null; total: number }
/** A new set, shown once */
export interface RecoveryCodes { codes: string[]; created_at: string }
export interface Contact { id: number; email: string; confirmed: boolean; created_at?: string }
export interface ContactAdded extends Contact { expires_in: number }
export interface ResetByRecoveryCode extends ResetState { reset: true; csrf: string; next: string; recovery_codes: RecoveryCodes }
export interface ResetRouted extends ResetState { route: "questions" | "face" | "documents" | "recovery_code"; route_rule: number; case: number; attempts_left: number }
export interface QuestionOption { id: number; label: string }
export interface Question { id: string; text: string; kind: string; options: QuestionOption[] }
export interface ResetQuestions extends ResetState { questions: Question[]; attempts_left: number }
export type ResetAnswers = (ResetState & { reset: true; csrf: string; next: string }) | (ResetState & { reset: false; attempts_left: number });
export interface ResetUnderReview extends ResetState { case_status: "under_review" }
export interface FaceHandoff { url: string; qr_svg: string; expires_at: string }
export interface HandoffTaken { id: number; state: string; route?: "face" | "documents"; /** the more-information link: what the reviewer asked for */ asked?: string }
export interface UploadLink { url: string; expires_at: string }
export interface CaseEvent { at: string; event: string; detail: string }
export interface CaseStatus {
  case: number; route: string; status: string; attempts_left: number; created_at: string; updated_at: string;
  timeline: CaseEvent[]; more_info_expires_at?: string; [k: string]: unknown;
}

export interface EvidenceFields {
  /** the reset flow (its id from reset.start) */
  flow: Id;
  kind: "operator_email" | "counterparty_tx" | "face_frame";
  email_kind?: "deposit" | "withdrawal" | "signup" | "signin";
  direction?: "withdrawal" | "deposit";
  coin?: string; network?: string; amount?: string; time?: string; reference?: string; counterparty?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  /** image/png or image/jpeg; default: from the bytes */
  type?: string;
}
export interface EvidenceStored { id: number; kind: string; format: string; width: number; height: number; bytes: number; sha256: string; fingerprint: string }
export interface EvidenceItem {
  id: number; kind: string; email_kind: string; coin: string; amount: string; format: string; width: number; height: number; bytes: number; created_at: string;
}
export interface FaceWebhookBody { event_id: string; reference: string; check_id?: string; result: "match" | "no_match"; score?: number }

export interface Reviewer { id: number; email: string; roles: string[]; csrf: string; language?: Language | null }
export interface ReviewEnrolOptions { email: string; options: PublicKeyCredentialCreationOptionsJSON }
export interface ReviewReasons { approve: string[]; reject: string[]; more_info: string[] }
export interface QueueCase {
  id: number; kind: string; status: string; tier: string; submitted_at: string; due_at: string; overdue: boolean;
  account: number; claimed_by: string; age_hours: number;
  /** the user's language ("" when not chosen): the console shows it beside each case */
  language: Language | "";
}
export interface ReviewQueue {
  cases: QueueCase[];
  counts: { kind: Record<string, number>; status: Record<string, number>; tier: Record<string, number>; total: number };
  next: { after_due: number; after_id: number } | null;
}
export interface ReviewQueueFilters {
  route?: "questions_failed" | "face" | "documents"; status?: "under_review" | "second_approval" | "needs_more_info"; tier?: "high" | "standard";
  min_age_hours?: string | number; limit?: string | number; after_due?: string | number; after_id?: string | number;
}
export interface ReviewEvidence {
  id: number; kind: string; format: string; width: number; height: number; bytes: number; sha256: string; created_at: string; ring_cases: string;
  email_kind?: string;
  transaction?: { direction: string; coin: string; network: string; amount: string; time: string; reference: string; counterparty: string; match_score: number; match_reasons: string };
}
export interface ReviewCase {
  id: number; route: string; status: string; questions_attempts: number; created_at: string; submitted_at: string; residence_country: string;
  claim: { held: boolean; mine: boolean };
  four_eyes: { needed: boolean; first_approval_by: number; mine: boolean };
  account: { id: number; email: string; name: string; identity_status: string; value_tier: "high" | "standard"; registered_at: string; language: Language | "";
    no_passkey_protection: boolean; frozen: boolean; tools: Record<string, unknown>; recent_signins: SignInRecord[] };
  previous_cases: { id: number; route: string; status: string; created_at: string }[];
  timeline: CaseEvent[];
  evidence: ReviewEvidence[];
  face_check: { provider: string; status: string; score: number; attempts: number; last_error: string } | null;
  /** an identity photo is on file (GET .../identity-photo) */
  identity_photo: boolean;
  decisions: { reviewer: string; decision: string; effective: boolean; reason: string; note_user: string; note_internal: string; at: string }[];
}
export interface Claimed { case: number; claimed: boolean }
export interface Decision { decision: "approve" | "reject" | "more_info"; reason: string; note_user?: string; note_internal?: string }
export interface DecisionAnswer { status: "awaiting_second_approval" | "completed" | "needs_more_info" | "rejected" }
export interface Picture { contentType: string; bytes: Uint8Array }

// ---- the route groups ----

export interface SystemApi {
  health(options?: CallOptions): Promise<Health>;
  openapi(options?: CallOptions): Promise<OpenApiDocument>;
  settings(options?: CallOptions): Promise<Settings>;
  /** GET /metrics: the Prometheus text; answered to loopback or metrics_allow only (RekeyError metrics_forbidden otherwise) */
  metrics(options?: CallOptions): Promise<string>;
}
export interface SessionApi {
  signIn(body: { email: string; password: string }, options?: CallOptions): Promise<SignInAnswer>;
  signOut(options?: CallOptions): Promise<void>;
  totp(body: { code: string }, options?: CallOptions): Promise<SignedIn>;
  list(options?: CallOptions): Promise<{ sessions: SessionInfo[] }>;
  revoke(id: Id, options?: CallOptions): Promise<void>;
  /** sign out everywhere else: every other session of the account, in one statement */
  revokeOthers(body?: Record<string, never>, options?: CallOptions): Promise<{ revoked: number }>;
  /** whether this session used a second factor within step_up_seconds */
  stepUpState(options?: CallOptions): Promise<StepUpState>;
  stepUpOptions(body?: Record<string, never>, options?: CallOptions): Promise<PublicKeyCredentialRequestOptionsJSON>;
  stepUp(body: { method: "passkey"; response: AuthenticationResponseJSON } | { method: "totp"; code: string },
    options?: CallOptions): Promise<{ fresh: true; until: string }>;
}
export interface AccountApi {
  me(options?: CallOptions): Promise<Me>;
  freeze(body: { token: string }, options?: CallOptions): Promise<{ frozen: true } | Undone>;
  recoveryCodes(options?: CallOptions): Promise<RecoveryCodesState>;
  /** needs a step-up; the previous set stops working */
  makeRecoveryCodes(body?: Record<string, never>, options?: CallOptions): Promise<RecoveryCodes>;
  contacts(options?: CallOptions): Promise<{ contacts: Contact[]; max: number }>;
  /** needs a step-up; a code is sent to the address */
  addContact(body: { email: string }, options?: CallOptions): Promise<ContactAdded>;
  confirmContact(id: Id, body: { code: string }, options?: CallOptions): Promise<Contact>;
  /** needs a step-up; every address is told, the removed one too */
  removeContact(id: Id, options?: CallOptions): Promise<void>;
  antiPhishing(options?: CallOptions): Promise<{ code: string | null }>;
  /** 4-20 printable characters; needs a step-up */
  setAntiPhishing(body: { code: string }, options?: CallOptions): Promise<{ code: string }>;
  /** settings: Freeze my account (no second factor) */
  freezeNow(body: { confirm: true }, options?: CallOptions): Promise<{ frozen: true }>;
  /** a new freeze code, shown once */
  newFreezeCode(body?: Record<string, never>, options?: CallOptions): Promise<{ code: string }>;
  /** signed out: the email address and the freeze code */
  freezeByCode(body: { email: string; code: string }, options?: CallOptions): Promise<{ frozen: true }>;
  setLanguage(body: { language: Language }, options?: CallOptions): Promise<{ language: Language }>;
  /** the current password and a fresh step-up (403 step_up_required otherwise) */
  changePassword(body: { current_password: string; new_password: string }, options?: CallOptions): Promise<PasswordChanged>;
}
export interface PasswordChanged { changed: true; sessions_revoked: number; withdrawal_hold: WithdrawalHold }
/** the forgotten-password flow, signed out, bound to this client's cookie */
export interface PasswordResetApi {
  start(body: { email: string }, options?: CallOptions): Promise<{ state: "code"; message: string; expires_in: number }>;
  code(body: { code: string }, options?: CallOptions): Promise<{ state: "factor"; methods: ("passkey" | "totp")[] } | { state: "documents"; next: string; why: "frozen" | "no_factor"; message: string }>;
  factorOptions(body?: Record<string, never>, options?: CallOptions): Promise<PublicKeyCredentialRequestOptionsJSON>;
  factor(body: { method: "passkey"; response: AuthenticationResponseJSON } | { method: "totp"; code: string },
    options?: CallOptions): Promise<{ state: "password" }>;
  password(body: { password: string }, options?: CallOptions): Promise<{ state: "done"; sessions_revoked: number; withdrawal_hold: WithdrawalHold; next: string }>;
}
export interface CodesApi {
  sendEmail(body: { purpose: "step_up" }, options?: CallOptions): Promise<CodeSent>;
  verifyEmail(body: { purpose: "step_up"; code: string }, options?: CallOptions): Promise<CodeVerified>;
}
export interface ToolsApi {
  totpSetup(body?: Record<string, never>, options?: CallOptions): Promise<TotpSetup>;
  totpConfirm(body: { code: string }, options?: CallOptions): Promise<Bound>;
  phoneSetup(body: { phone: string }, options?: CallOptions): Promise<CodeSent>;
  phoneConfirm(body: { code: string }, options?: CallOptions): Promise<Bound>;
}
export interface HoldsApi {
  /** a service call: options.headers.Authorization = "Bearer <service_token>", options.query.account */
  withdrawal(options: CallOptions & { query: { account: Id } }): Promise<ServiceHold>;
}
export interface DevApi {
  mail(options?: CallOptions): Promise<{ messages: DevMessage[] }>;
}
export interface PasskeysApi {
  registrationOptions(body?: Record<string, never>, options?: CallOptions): Promise<PublicKeyCredentialCreationOptionsJSON>;
  completeRegistration(body: { response: RegistrationResponseJSON; name?: string }, options?: CallOptions): Promise<PasskeyAdded>;
  authenticationOptions(body?: Record<string, never>, options?: CallOptions): Promise<PublicKeyCredentialRequestOptionsJSON>;
  authenticate(body: { response: AuthenticationResponseJSON }, options?: CallOptions): Promise<PasskeySignedIn>;
  list(options?: CallOptions): Promise<{ passkeys: Passkey[]; signal: AcceptedCredentials }>;
  rename(id: Id, body: { name: string }, options?: CallOptions): Promise<{ id: number; name: string }>;
  startDelete(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<DeleteStarted>;
  /** registrationOptions -> authenticator.create -> completeRegistration */
  register(authenticator: Pick<SoftAuthenticator, "create">, name?: string, knobs?: CreateKnobs): Promise<PasskeyAdded>;
  /** authenticationOptions -> authenticator.get -> authenticate */
  signIn(authenticator: Pick<SoftAuthenticator, "get">, knobs?: GetKnobs): Promise<PasskeySignedIn>;
}
export type SecondFactor =
  | { method: "passkey"; authenticator: Pick<SoftAuthenticator, "get"> }
  | { method: "totp" | "sms"; code: (at: DeleteFlowState) => string | Promise<string> };
export interface DeleteFlowApi {
  get(id: Id, options?: CallOptions): Promise<DeleteFlowState>;
  next(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<DeleteFlowState>;
  emailCode(id: Id, body: { code: string }, options?: CallOptions): Promise<DeleteFlowState>;
  resendEmailCode(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<DeleteFlowState>;
  sendSms(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<DeleteFlowState>;
  passkeyOptions(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<PublicKeyCredentialRequestOptionsJSON>;
  verify(id: Id, body: { method: "passkey"; response: AuthenticationResponseJSON } | { method: "totp" | "sms"; code: string },
    options?: CallOptions): Promise<DeleteDone>;
  unavailable(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<DeleteUnavailable>;
  cancel(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<DeleteFlowState>;
  /** startDelete -> next -> emailCode -> the second factor -> verify */
  run(passkeyId: Id, steps: { emailCode: () => string | Promise<string>; secondFactor: SecondFactor }): Promise<DeleteDone>;
}
export interface ResetApi {
  start(body?: { entry?: "settings" | "delete_passkey" | "signin" | "direct" }, options?: CallOptions): Promise<ResetStarted>;
  get(id: Id, options?: CallOptions): Promise<ResetGot>;
  agree(id: Id, body: { agree: boolean }, options?: CallOptions): Promise<ResetState>;
  credentials(id: Id, body: { email: string; password: string }, options?: CallOptions): Promise<ResetCredentials>;
  forgotPassword(id: Id, body: { email: string }, options?: CallOptions): Promise<ResetCredentials>;
  emailCode(id: Id, body: { code: string }, options?: CallOptions): Promise<ResetRouted>;
  /** a new email code (the old one stops working); the same answer for a flow that matched no account */
  emailCodeResend(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<CodeSent>;
  questions(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<ResetQuestions>;
  /** one list of option ids per question, in the questions' order */
  answers(id: Id, body: { answers: number[][] }, options?: CallOptions): Promise<ResetAnswers>;
  documents(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<ResetState>;
  /** a saved recovery code: the reset completes and a new set is answered */
  recoveryCode(id: Id, body: { code: string }, options?: CallOptions): Promise<ResetByRecoveryCode>;
  /** no code at hand: the decision table's cases instead */
  skipRecoveryCode(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<ResetRouted>;
  faceHandoff(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<FaceHandoff>;
  handoff(body: { token: string }, options?: CallOptions): Promise<HandoffTaken>;
  moreInfo(body: { token: string }, options?: CallOptions): Promise<HandoffTaken>;
}
export interface EvidenceApi {
  /** POST /api/reset/{fields.flow}/evidence: the image as the body, the fields in the query */
  upload(file: Uint8Array | ArrayBuffer | Blob, fields: EvidenceFields,
    options?: { onProgress?: (fraction: number) => void; headers?: Record<string, string | null> }): Promise<EvidenceStored>;
  list(id: Id, options?: CallOptions): Promise<{ evidence: EvidenceItem[] }>;
  submit(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<ResetUnderReview>;
}
export interface CasesApi {
  status(options: CallOptions & { query: { token: string } }): Promise<CaseStatus>;
  uploadLink(body: { token: string }, options?: CallOptions): Promise<UploadLink>;
}
export interface FaceApi {
  /** the provider's call: options.headers X-Rekey-Timestamp and X-Rekey-Signature (v1=HMAC-SHA256) */
  webhook(body: FaceWebhookBody, options: CallOptions): Promise<{ status: "match" | "no_match" | string }>;
}
export interface ReviewApi {
  enrolOptions(body: { token: string }, options?: CallOptions): Promise<ReviewEnrolOptions>;
  enrol(body: { token: string; response: RegistrationResponseJSON }, options?: CallOptions): Promise<{ status: "enrolled"; reviewer: Reviewer }>;
  signInOptions(body?: Record<string, never>, options?: CallOptions): Promise<PublicKeyCredentialRequestOptionsJSON>;
  signIn(body: { response: AuthenticationResponseJSON }, options?: CallOptions): Promise<{ status: "signed_in"; reviewer: Reviewer }>;
  signOut(options?: CallOptions): Promise<void>;
  me(options?: CallOptions): Promise<Reviewer>;
  setLanguage(body: { language: Language }, options?: CallOptions): Promise<{ language: Language }>;
  reasons(options?: CallOptions): Promise<ReviewReasons>;
  queue(options?: CallOptions & { query?: ReviewQueueFilters }): Promise<ReviewQueue>;
  getCase(id: Id, options?: CallOptions): Promise<ReviewCase>;
  claim(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<Claimed>;
  release(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<Claimed>;
  evidence(id: Id, options?: CallOptions): Promise<Picture>;
  identityPhoto(id: Id, options?: CallOptions): Promise<Picture>;
  decide(id: Id, body: Decision, options?: CallOptions): Promise<DecisionAnswer>;
  /** enrolOptions -> authenticator.create -> enrol */
  enrolWith(authenticator: Pick<SoftAuthenticator, "create">, token: string): Promise<{ status: "enrolled"; reviewer: Reviewer }>;
  /** signInOptions -> authenticator.get -> signIn */
  signInWith(authenticator: Pick<SoftAuthenticator, "get">): Promise<{ status: "signed_in"; reviewer: Reviewer }>;
}
/** The admin console (reviewers with the admin role; sign in through review first) */
export type ReviewerRole = "reviewer" | "senior" | "admin";
export interface AdminReviewer {
  id: number; email: string; roles: ReviewerRole[]; disabled: boolean; passkeys: number;
  /** when its newest session began, or null: never signed in */
  last_sign_in: string | null; created_at: string; you: boolean;
}
/** enrol_url: the one-time link, in this answer only */
export interface AdminEnrolLink { id: number; enrol_url: string; enrol_hours: number }
export interface AdminPolicy {
  reasons: ReviewReasons; sla_hours: { face: number; documents: number; questions_failed: number };
  claim_minutes: number; four_eyes_cents: number; enrol_hours: number; session_idle_seconds: number; session_absolute_seconds: number;
}
export interface AdminAudit { intact: boolean; entries: number; broken?: { chain: number; seq: number; why: string } }
export interface AdminCheckpoint { checkpoint: string; filename: string; sha256: string }
export interface AdminHealth {
  mail: Partial<Record<"email" | "sms", { pending: number; failing: number; oldest_pending_seconds: number; sent_recently: number }>>;
  sent_window_hours: number;
  face_checks: Partial<Record<"queued" | "sent" | "failed", { count: number; oldest_seconds: number }>>;
  face_provider: string;
}
export interface AdminApi {
  reviewers(options?: CallOptions): Promise<{ reviewers: AdminReviewer[] }>;
  addReviewer(body: { email: string; roles: ReviewerRole[] }, options?: CallOptions): Promise<AdminEnrolLink & { email: string; roles: ReviewerRole[] }>;
  setRoles(id: Id, body: { roles: ReviewerRole[] }, options?: CallOptions): Promise<{ id: number; roles: ReviewerRole[] }>;
  disable(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<{ id: number; disabled: true }>;
  enable(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<{ id: number; disabled: false }>;
  enrolLink(id: Id, body?: Record<string, never>, options?: CallOptions): Promise<AdminEnrolLink>;
  policy(options?: CallOptions): Promise<AdminPolicy>;
  audit(options?: CallOptions): Promise<AdminAudit>;
  checkpoint(body?: Record<string, never>, options?: CallOptions): Promise<AdminCheckpoint>;
  health(options?: CallOptions): Promise<AdminHealth>;
}

export interface Route {
  readonly group: keyof RouteGroups;
  readonly name: string;
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly body: "json" | "none" | "image";
}
export interface RouteGroups {
  system: SystemApi; session: SessionApi; account: AccountApi; passwordReset: PasswordResetApi; codes: CodesApi; tools: ToolsApi; holds: HoldsApi; dev: DevApi;
  passkeys: PasskeysApi; deleteFlow: DeleteFlowApi; reset: ResetApi; evidence: EvidenceApi; cases: CasesApi; face: FaceApi; review: ReviewApi; admin: AdminApi;
}
/** Every route of cgi/openapi.json and the method that calls it. */
export declare const ROUTES: readonly Route[];
/** Methods that chain several routes, per group. */
export declare const HELPERS: Readonly<Partial<Record<keyof RouteGroups, readonly string[]>>>;

export declare class RekeyClient implements RouteGroups {
  constructor(options: RekeyClientOptions);
  readonly baseUrl: string;
  origin: string;
  /** cookie name -> value */
  jar: Map<string, string>;
  /** the X-CSRF-Token sent on state changes (taken from answers that carry one) */
  csrf: string;
  /** the Cookie header; assigning replaces the jar */
  cookie: string;
  /** one request, whatever its status */
  request(method: string, path: string, options?: RequestOptions): Promise<RawAnswer>;
  /** the JSON answer of a 2xx, or a RekeyError */
  call<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  system: SystemApi;
  session: SessionApi;
  account: AccountApi;
  passwordReset: PasswordResetApi;
  codes: CodesApi;
  tools: ToolsApi;
  holds: HoldsApi;
  dev: DevApi;
  passkeys: PasskeysApi;
  deleteFlow: DeleteFlowApi;
  reset: ResetApi;
  evidence: EvidenceApi;
  cases: CasesApi;
  face: FaceApi;
  review: ReviewApi;
  admin: AdminApi;
}
