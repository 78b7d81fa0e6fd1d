/* problem.h -- the one table of stable problem codes shared by every core
 * module, rekeyd and the JavaScript API. A code's number is its index; its
 * name is the snake_case string that reaches JSON. Never renumber: append. */
#ifndef REKEY_PROBLEM_H
#define REKEY_PROBLEM_H

#define PROBLEM_TABLE(X) \
	X(PROB_OK, "ok", "No problem.") \
	X(PROB_INTERNAL, "internal", "Something went wrong inside the checker.") \
	X(PROB_TOO_LARGE, "too_large", "The input is larger than allowed.") \
	/* base64url, RFC 4648 §5 */ \
	X(PROB_B64_ALPHABET, "b64url_bad_character", "The text has a character outside the base64url alphabet.") \
	X(PROB_B64_PADDING, "b64url_padding", "Padding ('=') is not allowed in base64url here.") \
	X(PROB_B64_LENGTH, "b64url_bad_length", "The base64url text has an impossible length.") \
	X(PROB_B64_TRAILING_BITS, "b64url_trailing_bits", "The last base64url character has non-zero unused bits.") \
	/* CBOR, RFC 8949 */ \
	X(PROB_CBOR_TRUNCATED, "cbor_truncated", "The CBOR data ends too early.") \
	X(PROB_CBOR_INDEFINITE, "cbor_indefinite_length", "Indefinite-length CBOR items are not allowed.") \
	X(PROB_CBOR_RESERVED, "cbor_reserved_value", "The CBOR data uses a reserved additional-information value.") \
	X(PROB_CBOR_DEPTH, "cbor_too_deep", "The CBOR data is nested too deeply.") \
	X(PROB_CBOR_TRAILING, "cbor_trailing_bytes", "There are bytes after the end of the CBOR item.") \
	X(PROB_CBOR_TYPE, "cbor_wrong_type", "A CBOR item has the wrong type.") \
	X(PROB_CBOR_NONCANONICAL, "cbor_not_canonical", "The CBOR data is not in the canonical form WebAuthn requires.") \
	X(PROB_CBOR_DUPLICATE_KEY, "cbor_duplicate_key", "A CBOR map has the same key twice.") \
	X(PROB_CBOR_UTF8, "cbor_bad_utf8", "A CBOR text string is not valid UTF-8.") \
	/* WebAuthn L3 */ \
	X(PROB_AD_SHORT, "authdata_too_short", "Authenticator data is shorter than 37 bytes.") \
	X(PROB_AD_CREDID_LENGTH, "authdata_credential_id_length", "The credential ID is empty or longer than 1023 bytes.") \
	X(PROB_AD_NO_ATTESTED, "authdata_missing_attested_data", "Attested credential data is missing.") \
	X(PROB_AD_UNEXPECTED_ATTESTED, "authdata_unexpected_attested_data", "Attested credential data is present where it must not be.") \
	X(PROB_AD_TRAILING, "authdata_trailing_bytes", "Authenticator data has bytes after its end.") \
	X(PROB_AD_BS_WITHOUT_BE, "authdata_bs_without_be", "The backup state flag is set without the backup eligibility flag.") \
	X(PROB_AD_RESERVED_FLAGS, "authdata_reserved_flags", "Authenticator data has reserved flags set.") \
	X(PROB_COSE_KEY, "cose_key_invalid", "The credential public key is not a valid COSE key.") \
	X(PROB_COSE_ALG, "cose_alg_unsupported", "The credential uses an unsupported algorithm.") \
	X(PROB_ATT_FMT, "attestation_bad_format", "The attestation object is malformed.") \
	X(PROB_ATT_UNSUPPORTED, "unsupported_attestation", "This attestation format is not supported.") \
	X(PROB_CD_JSON, "client_data_malformed", "The client data is not valid JSON.") \
	X(PROB_CD_TYPE, "client_data_wrong_type", "The client data has the wrong ceremony type.") \
	X(PROB_CD_CHALLENGE, "client_data_wrong_challenge", "The client data answers a different challenge.") \
	X(PROB_CD_ORIGIN, "client_data_wrong_origin", "The request came from an unexpected origin.") \
	X(PROB_CD_CROSS_ORIGIN, "client_data_cross_origin", "Cross-origin use of the credential is not allowed.") \
	/* images */ \
	X(PROB_IMG_EMPTY, "image_empty", "The file is empty.") \
	X(PROB_IMG_FORMAT, "image_unknown_format", "The file is not a PNG or JPEG image.") \
	X(PROB_IMG_TRUNCATED, "image_truncated", "The image file is cut short.") \
	X(PROB_IMG_CRC, "image_bad_crc", "A PNG chunk fails its checksum.") \
	X(PROB_IMG_STRUCTURE, "image_bad_structure", "The image file is not structured correctly.") \
	X(PROB_IMG_HEADER, "image_bad_header", "The image header has invalid values.") \
	X(PROB_IMG_TRAILING, "image_trailing_data", "There is extra data after the end of the image.") \
	X(PROB_IMG_DECODE, "image_decode_failed", "The image data cannot be decoded.") \
	X(PROB_IMG_TOO_MANY_BYTES, "image_too_many_bytes", "The file is larger than allowed.") \
	X(PROB_IMG_TOO_SMALL, "image_too_small", "The image is too small to read.") \
	X(PROB_IMG_TOO_LARGE, "image_too_large", "The image is wider or taller than allowed.") \
	X(PROB_IMG_TOO_MANY_PIXELS, "image_too_many_pixels", "The image has more pixels than allowed.") \
	X(PROB_IMG_BLANK, "image_blank", "The image is blank.") \
	X(PROB_IMG_DARK, "image_too_dark", "The image is too dark to read.") \
	X(PROB_IMG_BLURRED, "image_blurred", "The image is blurred.") \
	/* camera frames (face capture): the article's tips */ \
	X(PROB_FRAME_DARK, "frame_too_dark", "Too dark: move somewhere brighter.") \
	X(PROB_FRAME_BACKLIT, "frame_backlit", "The light is behind you: turn to face it.") \
	X(PROB_FRAME_OFF_CENTRE, "frame_off_centre", "Put your whole face in the middle of the frame.") \
	X(PROB_FRAME_BLURRED, "frame_blurred", "The picture is blurred: hold still and clean the lens.") \
	X(PROB_FRAME_MOVING, "frame_moving", "Hold still for a moment.") \
	/* chains */ \
	X(PROB_CHAIN_UNKNOWN, "chain_unknown", "This coin or network is not supported.") \
	X(PROB_ADDR_FORMAT, "address_bad_format", "The address does not have the right format for this network.") \
	X(PROB_ADDR_CHECKSUM, "address_bad_checksum", "The address checksum is wrong: check for a typo.") \
	X(PROB_ADDR_NETWORK, "address_wrong_network", "The address belongs to a different network.") \
	X(PROB_TXID_FORMAT, "txid_bad_format", "The transaction ID does not have the right format for this network.") \
	/* validators */ \
	X(PROB_EMAIL_INVALID, "email_invalid", "Enter a valid email address.") \
	X(PROB_CODE_INVALID, "code_invalid", "Enter the 6-digit code.") \
	X(PROB_PASSWORD_SHORT, "password_too_short", "The password must have at least 10 characters.") \
	X(PROB_PASSWORD_LONG, "password_too_long", "The password must have at most 128 characters.") \
	X(PROB_PASSWORD_WEAK, "password_too_simple", "Use a less predictable password.") \
	X(PROB_PASSWORD_COMMON, "password_common", "This password is on a list of common passwords. Choose another.") \
	X(PROB_TEXT_UTF8, "text_bad_utf8", "The text is not valid UTF-8.") \
	X(PROB_AMOUNT_FORMAT, "amount_bad_format", "Enter the amount as a plain number, like 0.25.") \
	X(PROB_AMOUNT_ZERO, "amount_not_positive", "The amount must be more than zero.") \
	X(PROB_AMOUNT_DECIMALS, "amount_too_many_decimals", "The amount has more decimal places than this coin allows.") \
	X(PROB_AMOUNT_RANGE, "amount_too_large", "The amount is too large.") \
	/* flows */ \
	X(PROB_FLOW_UNKNOWN, "flow_unknown", "Unknown flow.") \
	X(PROB_FLOW_STATE, "flow_bad_state", "Unknown flow step.") \
	X(PROB_FLOW_EVENT, "flow_bad_event", "Unknown flow event.") \
	X(PROB_FLOW_NOT_ALLOWED, "flow_step_not_allowed", "This step is not the next one in the flow.") \
	X(PROB_FLOW_GUARD, "flow_condition_not_met", "This step's condition is not met.") \
	X(PROB_FLOW_SAME_FACTOR, "flow_same_factor", "The second verification must use a different factor.") \
	X(PROB_FLOW_SELF_VERIFY, "flow_self_verification", "The passkey being deleted cannot verify its own deletion.") \
	X(PROB_FLOW_NOT_AGREED, "flow_not_agreed", "Tick \"I agree\" to continue.") \
	X(PROB_FLOW_NO_ATTEMPTS, "flow_no_attempts_left", "No attempts are left.") \
	X(PROB_FLOW_LAST_FACTOR, "flow_last_factor", "This is your last security tool: bind another one first.") \
	X(PROB_FLOW_SMS_OFF, "flow_sms_not_a_factor", "An SMS code is not accepted as a second factor here: use another passkey or an authenticator app.") \
	X(PROB_FLOW_QUESTIONS_OFF, "flow_questions_off", "Security questions are not offered here: verify with your face or documents.") \
	/* appended, never renumbered: images */ \
	X(PROB_IMG_TYPE_MISMATCH, "image_type_mismatch", "The file is not of the type it was sent as (a PNG sent as JPEG, or the other way round).") \
	/* appended: camera frames */ \
	X(PROB_FRAME_NOT_CAMERA, "frame_not_camera", "This does not look like a camera picture: take it with the camera, in normal light.") \
	/* WebAuthn: the credential public key's value (wasm/ecc.h, cose_key_parse) */ \
	X(PROB_COSE_NOT_ON_CURVE, "cose_key_not_on_curve", "The credential public key is not a point on its curve.") \
	X(PROB_COSE_SMALL_ORDER, "cose_key_small_order", "The credential public key is a point of small order.") \
	X(PROB_COSE_SUBGROUP, "cose_key_not_in_subgroup", "The credential public key is outside its curve's prime-order subgroup.") \
	X(PROB_COSE_RSA_WEAK, "cose_rsa_key_weak", "The credential's RSA key is refused: it needs an odd 2048- to 4096-bit modulus and an odd exponent of 3 or more.") \
	/* appended: coins on networks (chain_coin_decimals) */ \
	X(PROB_COIN_NOT_LISTED, "coin_not_listed", "This coin is not listed on that network. Check the coin and the network.")

enum problem {
#define PROBLEM_ENUM(id, name, msg) id,
	PROBLEM_TABLE(PROBLEM_ENUM)
#undef PROBLEM_ENUM
	PROB__MAX
};

const char *problem_name(enum problem p);
const char *problem_message(enum problem p);
/* Returns PROB__MAX when the name is unknown. */
enum problem problem_lookup(const char *name);

/* Each module's header declares its <module>_strerror over this one table
 * (libfido2's fido_strerr habit): codes cross modules -- a CBOR problem
 * surfaces from authdata_parse -- so they share one enum, in ranges. */
#define PROBLEM_STRERROR(mod) \
	static inline const char *mod##_strerror(enum problem p) { return problem_message(p); }

/* A fixed-capacity list of problems: checks report several at once. */
#define PROBLEMS_MAX 16
struct problems {
	unsigned n;
	unsigned char code[PROBLEMS_MAX];
};
void problems_add(struct problems *ps, enum problem p);
int problems_has(const struct problems *ps, enum problem p);

#endif
