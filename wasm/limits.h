/* limits.h -- every hard limit of the core, in one place. */
#ifndef REKEY_LIMITS_H
#define REKEY_LIMITS_H

#define LIM_B64URL_MAX_IN      (1u << 20)   /* characters accepted by b64url_decode */
#define LIM_CBOR_MAX_DEPTH     8            /* WebAuthn structures nest 4 deep */
#define LIM_CBOR_MAX_ITEMS     4096         /* items walked in one document */
#define LIM_CREDID_MAX         1023         /* WebAuthn L3 §7.1 step 25 */
#define LIM_CLIENTDATA_MAX     4096         /* bytes of clientDataJSON */
#define LIM_EMAIL_MAX          254          /* RFC 5321 §4.5.3.1 path limit */
#define LIM_EMAIL_LOCAL_MAX    64
#define LIM_PASSWORD_MIN       10
#define LIM_PASSWORD_MAX       128
#define LIM_AMOUNT_DIGITS      30           /* integer part digits */
#define LIM_ADDR_MAX           128
#define LIM_IMG_DEFAULT_MAX_BYTES   (10u * 1024 * 1024)
#define LIM_IMG_DEFAULT_MIN_SIDE    320
#define LIM_IMG_DEFAULT_MAX_SIDE    10000
#define LIM_IMG_DEFAULT_MAX_PIXELS  40000000u
#define LIM_IMG_HARD_MAX_PIXELS     100000000u /* no policy may exceed this */
#define LIM_IMG_MAX_CHUNKS     100000
#define LIM_FLOW_FACTS         16
/* camera frames (face capture) that no camera made: image_frame_check_gray */
#define LIM_FRAME_MAX_ASPECT   2            /* long side / short side: cameras give 4:3, 16:9, 1:1; phone screens 19.5:9..20:9 */
#define LIM_FRAME_MAX_FLAT_PERMILLE 500     /* face-box pixels equal to their right and lower neighbours, per mille (sensors are noisy) */
/* RSA credential keys (cose_key_parse): RFC 8230 §6.1 requires 2048 bits or
 * more; 4096 bounds the work a key can ask of a verifier. Authenticators
 * use 2048 bits and e = 65537, and rekeyd's libfido2 takes nothing else (a
 * 256-byte n, a 3-byte e): the core's bounds are the wider, portable ones. */
#define LIM_RSA_MIN_BITS       2048
#define LIM_RSA_MAX_BITS       4096
#define LIM_RSA_E_MAX_BYTES    4            /* e < 2^32; authenticators use 65537 */

#endif
