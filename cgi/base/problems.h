/* base/problems.h -- THE table of the server's problem codes: every 4xx/5xx
 * that rekeyd (or nginx in front of it, for /api/) answers has its row here,
 * with its HTTP status and the message the user reads. Handlers name a row
 * (http_fail(r, SP_NOT_FOUND_CASE)); the core's own codes (wasm/problem.h)
 * go through http_fail_core(). A code may have several rows (one per
 * situation, each with its own words); a code keeps one meaning. A NULL
 * message: the row's message is the field the request got wrong. A
 * {duration} in a message is the configured one (config_expand()).
 * cgi/openapi.json lists every code of both tables and `rekeyctl problems`
 * prints them; tests/node/api_problems.test.mjs keeps the three equal. */
#ifndef REKEY_BASE_PROBLEMS_H
#define REKEY_BASE_PROBLEMS_H

#define SERVER_PROBLEMS(X) \
	X(SP_ACCOUNT_FROZEN, "account_frozen", 403, "This account is frozen. Use the passkey reset to regain access.") \
	X(SP_ADMIN_SELF, "admin_self", 409, "You cannot disable yourself or take away your own admin role.") \
	X(SP_ACCOUNT_FROZEN_DISPUTE, "account_frozen_dispute", 403, "Your account is frozen while we review a reset you did not make. Our reviewers decide who keeps the account; nothing else is needed from you now.") \
	X(SP_ALREADY_SIGNED_IN, "already_signed_in", 409, "You are already signed in.") \
	X(SP_ANTI_PHISHING_INVALID, "anti_phishing_invalid", 400, "The anti-phishing code must be 4 to 20 letters, digits, spaces or punctuation.") \
	X(SP_ANSWERS_INCOMPLETE, "answers_incomplete", 400, "Answer every question.") \
	X(SP_ATTESTATION_INVALID, "attestation_invalid", 400, "The attestation statement is malformed.") \
	X(SP_ATTESTATION_NOT_VERIFIED, "attestation_invalid", 400, "The attestation signature does not verify.") \
	X(SP_AUTHENTICATOR_NOT_ALLOWED, "authenticator_not_allowed", 400, "This kind of authenticator is not accepted here.") \
	X(SP_BACKUP_ELIGIBILITY_CHANGED, "backup_eligibility_changed", 400, "This passkey reported a different backup eligibility than when it was added.") \
	X(SP_BAD_REQUEST, "bad_request", 400, "The request is malformed.") \
	X(SP_BODY_TOO_LARGE, "body_too_large", 413, "The request body is too large.") \
	X(SP_CASE_DISPUTED, "case_disputed", 409, "The account's owner said this reset was not them. Our reviewers decide it.") \
	X(SP_CHALLENGE_EXPIRED, "challenge_expired", 400, "This request has expired. Start again.") \
	X(SP_CHALLENGE_USED, "challenge_used", 400, "This request was already answered. Start again.") \
	X(SP_CHECK_CLOSED, "check_closed", 409, "This check already has its result.") \
	X(SP_CLAIM_REQUIRED, "claim_required", 403, "Claim the case to view its evidence.") \
	X(SP_CLAIM_REQUIRED_DECIDE, "claim_required", 403, "Claim the case before deciding it.") \
	X(SP_CLAIMED_BY_OTHER, "claimed_by_other", 409, "Another reviewer is working on this case.") \
	X(SP_CLIENT_DATA_WRONG_CHALLENGE, "client_data_wrong_challenge", 400, "The sign-in request is out of date. Try again.") \
	X(SP_CODE_EXPIRED, "code_expired", 410, "This code has expired, was already used, or ran out of tries. Ask for a new one.") \
	X(SP_CODE_REPLACED, "code_expired", 410, "This code has expired or was replaced. Ask for a new one.") \
	X(SP_CODE_WRONG, "code_wrong", 400, "The code is wrong or was already used.") \
	X(SP_CODE_WRONG_LAST, "code_wrong", 400, "The code is wrong and no tries are left. Ask for a new one.") \
	X(SP_CODE_WRONG_RESET, "code_wrong", 400, "The code is wrong or has expired. Check it and try again.") \
	X(SP_CODE_WRONG_TOTP, "code_wrong", 400, "The code is wrong. Check the time on your phone and try again.") \
	X(SP_CODE_WRONG_TRIES, "code_wrong", 400, "The code is wrong. Check it and try again.") \
	X(SP_CONTACT_CONFIRMED, "contact_confirmed", 409, "This address is already confirmed.") \
	X(SP_CONTACT_EXISTS, "contact_exists", 409, "This address is already on your account.") \
	X(SP_CONTACT_IS_PRIMARY, "contact_exists", 409, "This is your account's own email address: notices go there already.") \
	X(SP_CONTACTS_FULL, "contacts_full", 409, "You have the most notification addresses allowed. Remove one first.") \
	X(SP_COSE_KEY_INVALID, "cose_key_invalid", 400, "The passkey's public key is not usable.") \
	X(SP_COUNTER_RACE, "counter_regression", 409, "This passkey was used twice at once.") \
	X(SP_COUNTER_REGRESSION, "counter_regression", 400, "This passkey's counter went backwards; it may have been cloned.") \
	X(SP_COUNTRY_INVALID, "country_invalid", 400, "Choose your country of residence.") \
	X(SP_CREDENTIAL_EXISTS, "credential_exists", 409, "This passkey is already registered.") \
	X(SP_CREDENTIAL_ID_MISMATCH, "credential_id_mismatch", 400, "The credential's id and rawId differ.") \
	X(SP_CREDENTIAL_ID_NOT_IN_AUTHDATA, "credential_id_mismatch", 400, "The credential ID does not match the authenticator data.") \
	X(SP_CSRF_ORIGIN, "csrf_origin", 403, "This request did not come from this site.") \
	X(SP_CSRF_TOKEN, "csrf_token", 403, "The page is out of date: reload it and try again.") \
	X(SP_DATABASE_UNAVAILABLE, "database_unavailable", 503, "The service is briefly unavailable. Try again in a moment.") \
	X(SP_DISPUTE_DECISION, "dispute_decision_invalid", 400, "A disputed case is decided by approve (the reset stands) or reject (the owner keeps the account).") \
	X(SP_DUPLICATE_IMAGE, "duplicate_image", 409, "This picture was already uploaded for this case.") \
	X(SP_EVIDENCE_INCOMPLETE, "evidence_incomplete", 400, "Upload what our team asked for first.") \
	X(SP_EVIDENCE_INCOMPLETE_DOCUMENTS, "evidence_incomplete", 400, "Upload both: a screenshot of an email from us, and the transaction screenshot from the other platform.") \
	X(SP_EVIDENCE_INCOMPLETE_FACE, "evidence_incomplete", 400, "Three clear pictures of your face are needed.") \
	X(SP_EVIDENCE_LIMIT, "evidence_limit", 409, "This case has as many files as it can take.") \
	X(SP_EVIDENCE_UNREADABLE, "evidence_unreadable", 500, "This file cannot be decrypted.") \
	X(SP_FIELD_TOO_LONG, "field_too_long", 400, NULL) \
	X(SP_FLOW_DEAD, "flow_dead", 410, "Too many wrong answers. This deletion was stopped; start again from My passkeys.") \
	X(SP_FLOW_DEAD_RESET, "flow_dead", 410, "Too many wrong codes. Start the reset again.") \
	X(SP_FLOW_DEAD_PASSWORD, "flow_dead", 410, "Too many wrong tries. Start the password reset again.") \
	X(SP_FLOW_EXPIRED, "flow_expired", 410, "This deletion took longer than {delete_flow}. Start again.") \
	X(SP_FLOW_EXPIRED_RESET, "flow_expired", 410, "This reset took longer than {reset_flow}. Start again.") \
	X(SP_FLOW_EXPIRED_PASSWORD, "flow_expired", 410, "This password reset took longer than {reset_flow}. Start again.") \
	X(SP_FLOW_FINISHED, "flow_finished", 410, "This deletion has already ended. Start again from My passkeys.") \
	X(SP_FLOW_FINISHED_CANCEL, "flow_finished", 409, "This deletion has already ended.") \
	X(SP_FOUR_EYES_SAME_REVIEWER, "four_eyes_same_reviewer", 409, "A second reviewer must approve this case.") \
	X(SP_FREEZE_CODE_WRONG, "freeze_code_wrong", 403, "That email address and freeze code do not match. Check the code you printed, or use the link in our email.") \
	X(SP_FREEZE_CONFIRM, "confirmation_required", 400, "Confirm that you want to freeze your account.") \
	X(SP_IDENTITY_INVALID, "identity_invalid", 409, "The account's primary identity verification is not valid: a face case cannot be approved. Reject it with identity_invalid.") \
	X(SP_INTERNAL, "internal", 500, "Something went wrong on our side.") \
	X(SP_INVALID_CREDENTIALS, "invalid_credentials", 401, "The email or password is wrong.") \
	X(SP_INVALID_CURSOR, "invalid_cursor", 400, "after_due and after_id go together (the previous page's next).") \
	X(SP_INVALID_FIELD, "invalid_field", 400, NULL) \
	X(SP_INVALID_LIMIT, "invalid_limit", 400, "limit: 1 to 200 cases a page.") \
	X(SP_LINK_EXPIRED, "link_expired", 410, "This link has expired. Contact support.") \
	X(SP_LINK_EXPIRED_ENROL, "link_expired", 410, "This enrolment link has expired. Ask an administrator for a new one.") \
	X(SP_LINK_EXPIRED_HANDOFF, "link_expired", 410, "This link expired after {handoff}. Start again on your computer to get a new one.") \
	X(SP_LINK_EXPIRED_MORE_INFO, "link_expired", 410, "The time to answer has passed. Start a new reset.") \
	X(SP_LINK_EXPIRED_RESET, "link_expired", 410, "This link has expired. Start a new reset.") \
	X(SP_LINK_INVALID, "link_invalid", 404, "This link is not valid.") \
	X(SP_LINK_INVALID_ENROL, "link_invalid", 404, "This enrolment link is not valid.") \
	X(SP_LINK_USED, "link_used", 410, "This link was already used. Your account is frozen.") \
	X(SP_LINK_USED_ANSWERED, "link_used", 410, "This request was already answered.") \
	X(SP_LINK_USED_ENROL, "link_used", 410, "This enrolment link was already used. Ask an administrator for a new one.") \
	X(SP_LINK_USED_HANDOFF, "link_used", 410, "This link was already used. Start again on your computer to get a new one.") \
	X(SP_MALFORMED_JSON, "malformed_json", 400, "The body is not valid JSON.") \
	X(SP_MALFORMED_JSON_OBJECT, "malformed_json", 400, "The body must be a JSON object.") \
	X(SP_METHOD_NOT_ALLOWED, "method_not_allowed", 405, "This method is not allowed here.") \
	X(SP_METHOD_UNAVAILABLE, "method_unavailable", 409, "No phone is bound to this account.") \
	X(SP_METRICS_FORBIDDEN, "metrics_forbidden", 403, "Metrics are served to the monitoring addresses only.") \
	X(SP_METHOD_UNAVAILABLE_SMS, "method_unavailable", 409, "An SMS code is not accepted as a second factor here.") \
	X(SP_MISSING_FIELD, "missing_field", 400, NULL) \
	X(SP_NAME_EMPTY, "name_empty", 400, "Enter a name.") \
	X(SP_NOT_CLAIMED, "not_claimed", 409, "You do not hold this case.") \
	X(SP_NOT_FOUND, "not_found", 404, "No such resource.") \
	X(SP_NOT_FOUND_ACCOUNT, "not_found", 404, "No such account.") \
	X(SP_NOT_FOUND_CASE, "not_found", 404, "No such case.") \
	X(SP_NOT_FOUND_CHECK, "not_found", 404, "No such check.") \
	X(SP_NOT_FOUND_CONTACT, "not_found", 404, "No such notification address.") \
	X(SP_NOT_FOUND_DELETION, "not_found", 404, "No such deletion in progress.") \
	X(SP_NOT_FOUND_FILE, "not_found", 404, "No such file.") \
	X(SP_NOT_FOUND_IDENTITY_PHOTO, "not_found", 404, "No identity photo on file.") \
	X(SP_NOT_FOUND_LINK, "not_found", 404, "This link is not valid.") \
	X(SP_NOT_FOUND_OPENAPI, "not_found", 404, "The API description is not installed.") \
	X(SP_NOT_FOUND_PASSKEY, "not_found", 404, "No such passkey.") \
	X(SP_NOT_FOUND_PASSWORD_RESET, "not_found", 404, "No password reset in progress on this browser. Start again.") \
	X(SP_NOT_FOUND_RESET, "not_found", 404, "No such reset in progress on this browser.") \
	X(SP_NOT_FOUND_REVIEWER, "not_found", 404, "No such reviewer.") \
	X(SP_NOT_FOUND_SESSION, "not_found", 404, "No such session.") \
	X(SP_NOT_IN_REVIEW, "not_in_review", 409, "This case is not waiting for a review.") \
	X(SP_NOT_WAITING, "not_waiting", 409, "Our team is not waiting for anything from you on this case.") \
	X(SP_NOTE_USER_REQUIRED, "note_user_required", 400, "Write what the user should be told.") \
	X(SP_OVERLOADED, "overloaded", 503, "The service is busy.") \
	X(SP_PASSKEY_SUSPENDED, "passkey_suspended", 403, "This passkey was removed from the account. If that was not you, use the \"this was not me\" link in our email within {dispute}.") \
	X(SP_PHONE_ALREADY_BOUND, "phone_already_bound", 409, "A phone is already bound to this account.") \
	X(SP_PHONE_INVALID, "phone_invalid", 400, "Enter the number with its country code, like +41791234567.") \
	X(SP_PHONE_NOT_STARTED, "phone_not_started", 409, "Enter your phone number first.") \
	X(SP_PASSWORD_WRONG, "password_wrong", 400, "Your current password is wrong.") \
	X(SP_QUESTIONS_ANSWERED, "questions_answered", 409, "These questions were already answered.") \
	X(SP_QUESTIONS_UNAVAILABLE, "questions_unavailable", 409, "This account's history is too short for questions. Submit documents instead.") \
	X(SP_RECOVERY_CODE_WRONG, "recovery_code_wrong", 400, "This recovery code is wrong or was already used. Check it and try again.") \
	X(SP_RECOVERY_NO_CODES, "recovery_no_codes", 409, "This account has no saved recovery codes left.") \
	X(SP_REASON_INVALID, "reason_invalid", 400, "Choose a reason from the list for this decision.") \
	X(SP_REFERENCE_INVALID, "reference_invalid", 400, "Enter the address or the transaction ID exactly as shown on the other platform.") \
	X(SP_REQUEST_TIMEOUT, "request_timeout", 408, "The request took too long to arrive. Try again.") \
	X(SP_RESEND_TOO_SOON, "resend_too_soon", 429, "A code was sent less than {code_resend} ago. Wait a moment before asking again.") \
	X(SP_REVIEWER_EXISTS, "reviewer_exists", 409, "This email already belongs to a reviewer.") \
	X(SP_REVIEWER_DISABLED, "reviewer_disabled", 403, "This reviewer account is disabled.") \
	X(SP_ROLE_REQUIRED, "role_required", 403, "Your reviewer role does not allow this.") \
	X(SP_ROLES_INVALID, "roles_invalid", 400, "Choose one or more roles: reviewer, senior, admin.") \
	X(SP_RP_ID_MISMATCH, "rp_id_mismatch", 400, "This passkey belongs to another site.") \
	X(SP_SECOND_FACTOR_REQUIRED, "second_factor_required", 401, "Finish signing in with your second factor.") \
	X(SP_STEP_UP_NO_FACTOR, "step_up_no_factor", 409, "Add a passkey or an authenticator app first: this change needs one to confirm it is you.") \
	X(SP_STEP_UP_REQUIRED, "step_up_required", 403, "Confirm it is you with a passkey or your authenticator app (needed within {step_up} of a change like this).") \
	X(SP_SENIOR_REQUIRED, "senior_required", 403, "The second approval needs a senior reviewer.") \
	X(SP_SERVICE_TIMEOUT, "service_timeout", 504, "The service took too long to answer. Try again in a moment.") \
	X(SP_SERVICE_UNAVAILABLE, "service_unavailable", 502, "The service is briefly unavailable. Try again in a moment.") \
	X(SP_ATTESTATION_SIGNATURE_WRONG, "signature_invalid", 400, "The attestation signature does not verify.") \
	X(SP_SIGNATURE_INVALID, "signature_invalid", 400, "The passkey's signature does not verify.") \
	X(SP_TIME_INVALID, "time_invalid", 400, "Enter the transaction's date and time.") \
	X(SP_TOO_MANY_ATTEMPTS, "too_many_attempts", 429, "Too many attempts. Wait {signin_window} and try again.") \
	X(SP_TOO_MANY_CODES, "too_many_attempts", 429, "Too many wrong codes. Wait {signin_window} and try again.") \
	X(SP_TOO_MANY_SIGNINS, "too_many_attempts", 429, "Too many sign-in attempts. Wait {signin_window} and try again.") \
	X(SP_TOO_MANY_TOTP, "too_many_attempts", 429, "Too many wrong codes. Sign in again later.") \
	X(SP_TOO_MANY_REQUESTS, "too_many_requests", 429, "Too many requests from your network. Wait {signin_window} and try again.") \
	X(SP_TOTP_ALREADY_BOUND, "totp_already_bound", 409, "An authenticator app is already bound to this account.") \
	X(SP_TOTP_NOT_STARTED, "totp_not_started", 409, "Start binding the authenticator app first.") \
	X(SP_TRUNCATED_BODY, "truncated_body", 400, "The request body was cut short.") \
	X(SP_REVIEW_SESSION_ENDED, "unauthenticated", 401, "Your review session has ended. Sign in again.") \
	X(SP_SESSION_ENDED, "unauthenticated", 401, "Your session has ended. Sign in again.") \
	X(SP_UNAUTHENTICATED, "unauthenticated", 401, "Sign in to continue.") \
	X(SP_UNAUTHENTICATED_REVIEWER, "unauthenticated", 401, "Sign in to the review console.") \
	X(SP_UNAUTHENTICATED_SERVICE, "unauthenticated", 401, "A valid service token is required.") \
	X(SP_UNEXPECTED_BODY, "unexpected_body", 400, "This request takes no body.") \
	X(SP_UNKNOWN_CREDENTIAL, "unknown_credential", 400, "This passkey is not registered here.") \
	X(SP_UNKNOWN_FIELD, "unknown_field", 400, "The body has a field this request does not take.") \
	X(SP_UNKNOWN_PARAMETER, "unknown_field", 400, "The request has a parameter it does not take.") \
	X(SP_UNSUPPORTED_ATTESTATION, "unsupported_attestation", 400, "This authenticator's attestation format is not supported.") \
	X(SP_UNSUPPORTED_IMAGE_TYPE, "unsupported_media_type", 415, "Upload a PNG or JPEG screenshot.") \
	X(SP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415, "Send the body as application/json.") \
	X(SP_USER_HANDLE_MISMATCH, "user_handle_mismatch", 400, "This passkey does not belong to that account.") \
	X(SP_USER_PRESENCE_MISSING, "user_presence_missing", 400, "The authenticator did not confirm that you were present.") \
	X(SP_USER_VERIFICATION_MISSING, "user_verification_missing", 400, "Your authenticator did not verify you (PIN, fingerprint or face). Use one that can.") \
	X(SP_WEBHOOK_REPLAYED, "webhook_replayed", 409, "This event was already received.") \
	X(SP_WEBHOOK_SIGNATURE, "webhook_signature", 401, "The request is not signed.") \
	X(SP_WEBHOOK_SIGNATURE_MALFORMED, "webhook_signature", 401, "The signature is malformed.") \
	X(SP_WEBHOOK_SIGNATURE_WRONG, "webhook_signature", 401, "The signature does not match.") \
	X(SP_WEBHOOK_TIMESTAMP, "webhook_signature", 401, "The timestamp is not a number.") \
	X(SP_WEBHOOK_STALE, "webhook_stale", 401, "The timestamp is outside the allowed window.") \
	X(SP_WRONG_CREDENTIAL, "wrong_credential", 400, "This passkey belongs to another account.")

enum sproblem {
#define SP_ENUM(id, code, status, msg) id,
	SERVER_PROBLEMS(SP_ENUM)
#undef SP_ENUM
	SP__MAX
};

const char *sproblem_code(enum sproblem p);
int sproblem_status(enum sproblem p);
const char *sproblem_message(enum sproblem p);

#endif
