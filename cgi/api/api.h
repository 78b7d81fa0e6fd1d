/* api/api.h -- the handlers, one file per route group of the table in
 * routes.c. A handler fills r->status and r->out (or answers with http_fail*) and
 * returns RK_OK, RK_REFUSED after http_fail*(), or the database's RK_RETRY,
 * RK_DOWN, RK_FAIL to let the dispatcher retry or answer
 * 503/500. Handlers call store/ and base/; an api file never calls another. */
#ifndef REKEY_API_H
#define REKEY_API_H
#include "../store/store.h"

/* api/account.c */
int h_me(struct req *r);
int h_account_language(struct req *r);
/* api/codes.c */
int h_code_send(struct req *r);
int h_code_verify(struct req *r);
/* api/delete.c */
int h_delete_cancel(struct req *r);
int h_delete_email_code(struct req *r);
int h_delete_email_resend(struct req *r);
int h_delete_get(struct req *r);
int h_delete_next(struct req *r);
int h_delete_passkey_options(struct req *r);
int h_delete_sms(struct req *r);
int h_delete_start(struct req *r);
int h_delete_unavailable(struct req *r);
int h_delete_verify(struct req *r);
/* api/freeze.c */
int h_account_freeze(struct req *r);
int h_account_freeze_code(struct req *r);
int h_account_freeze_self(struct req *r);
int h_freeze_code_new(struct req *r);
/* api/dev.c */
int h_dev_mail(struct req *r);
/* api/evidence.c */
int h_evidence_list(struct req *r);
int h_evidence_upload(struct req *r);
/* api/face.c */
int h_face_webhook(struct req *r);
/* api/health.c */
int h_health(struct req *r);
int h_openapi(struct req *r);
/* api/holds.c */
int h_holds_withdrawal(struct req *r);
/* api/metrics.c */
int h_metrics(struct req *r);
/* api/password.c */
int h_password_change(struct req *r);
int h_pwreset_code(struct req *r);
int h_pwreset_factor(struct req *r);
int h_pwreset_factor_options(struct req *r);
int h_pwreset_password(struct req *r);
int h_pwreset_start(struct req *r);
/* api/passkeys.c */
int h_passkey_auth_options(struct req *r);
int h_passkey_authenticate(struct req *r);
int h_passkey_reg_options(struct req *r);
int h_passkey_register(struct req *r);
int h_passkey_rename(struct req *r);
int h_passkeys_list(struct req *r);
/* api/recovery.c */
int h_anti_phishing_get(struct req *r);
int h_anti_phishing_set(struct req *r);
int h_contact_add(struct req *r);
int h_contact_confirm(struct req *r);
int h_contact_remove(struct req *r);
int h_contacts_list(struct req *r);
int h_recovery_codes_get(struct req *r);
int h_recovery_codes_make(struct req *r);
/* api/reset.c */
int h_case_status(struct req *r);
int h_case_upload_link(struct req *r);
int h_reset_agree(struct req *r);
int h_reset_answers(struct req *r);
int h_reset_credentials(struct req *r);
int h_reset_documents(struct req *r);
int h_reset_email_code(struct req *r);
int h_reset_email_resend(struct req *r);
int h_reset_forgot(struct req *r);
int h_reset_get(struct req *r);
int h_reset_handoff_claim(struct req *r);
int h_reset_handoff_create(struct req *r);
int h_reset_more_info_claim(struct req *r);
int h_reset_recovery_code(struct req *r);
int h_reset_recovery_skip(struct req *r);
int h_reset_start(struct req *r);
int h_reset_start_questions(struct req *r);
int h_reset_submit_evidence(struct req *r);
/* api/admin.c */
int h_admin_audit(struct req *r);
int h_admin_checkpoint(struct req *r);
int h_admin_health(struct req *r);
int h_admin_policy(struct req *r);
int h_admin_reviewer_add(struct req *r);
int h_admin_reviewer_disable(struct req *r);
int h_admin_reviewer_enable(struct req *r);
int h_admin_reviewer_link(struct req *r);
int h_admin_reviewer_roles(struct req *r);
int h_admin_reviewers(struct req *r);
/* api/review.c */
int h_review_case(struct req *r);
int h_review_claim(struct req *r);
int h_review_decision(struct req *r);
int h_review_enrol(struct req *r);
int h_review_enrol_options(struct req *r);
int h_review_evidence(struct req *r);
int h_review_identity_photo(struct req *r);
int h_review_me(struct req *r);
int h_review_language(struct req *r);
int h_review_queue(struct req *r);
int h_review_reasons(struct req *r);
int h_review_release(struct req *r);
int h_review_session_create(struct req *r);
int h_review_session_delete(struct req *r);
int h_review_session_options(struct req *r);
/* api/session.c */
int h_session_create(struct req *r);
int h_session_delete(struct req *r);
int h_session_totp(struct req *r);
int h_step_up_get(struct req *r);
int h_step_up_options(struct req *r);
int h_step_up(struct req *r);
int h_sessions_list(struct req *r);
int h_sessions_revoke(struct req *r);
int h_sessions_revoke_others(struct req *r);
/* api/settings.c */
int h_settings(struct req *r);
/* api/tools.c */
int h_phone_confirm(struct req *r);
int h_phone_setup(struct req *r);
int h_totp_confirm(struct req *r);
int h_totp_setup(struct req *r);

#endif
