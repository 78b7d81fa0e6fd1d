// i18n-problems.mjs -- the problem codes (cgi/base/problems.h, wasm/problem.h)
// that only a broken client or a protocol detail can cause: malformed CBOR,
// base64url, authenticator data, webhook signatures, paging parameters. A page
// says one sentence for all of them ("problem.technical"); the API's own
// message keeps the detail for developers. Every other code has its words in
// the catalogue as "problem.<code>" (tests/node/api_i18n.test.mjs checks both).
export const TECHNICAL = new Set([
  "ok", "too_large", "text_bad_utf8",
  "b64url_bad_character", "b64url_bad_length", "b64url_padding", "b64url_trailing_bits",
  "cbor_bad_utf8", "cbor_duplicate_key", "cbor_indefinite_length", "cbor_not_canonical", "cbor_reserved_value", "cbor_too_deep",
  "cbor_trailing_bytes", "cbor_truncated", "cbor_wrong_type",
  "authdata_bs_without_be", "authdata_credential_id_length", "authdata_missing_attested_data", "authdata_reserved_flags",
  "authdata_too_short", "authdata_trailing_bytes", "authdata_unexpected_attested_data",
  "attestation_bad_format", "attestation_invalid", "signature_invalid", "unsupported_attestation", "credential_id_mismatch",
  "client_data_cross_origin", "client_data_malformed", "client_data_wrong_origin", "client_data_wrong_type",
  "cose_alg_unsupported", "cose_key_not_in_subgroup", "cose_key_not_on_curve", "cose_key_small_order", "cose_rsa_key_weak", "cose_key_invalid",
  "flow_bad_event", "flow_bad_state", "flow_unknown",
  "webhook_replayed", "webhook_signature", "webhook_stale",
  "invalid_cursor", "invalid_limit", "unknown_field", "unexpected_body", "malformed_json", "truncated_body", "method_not_allowed",
  "metrics_forbidden", // /metrics answers monitoring addresses only: no page calls it
]);
