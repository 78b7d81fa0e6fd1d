/* exports.h -- the wasm export surface (see exports.c). */
#ifndef REKEY_EXPORTS_H
#define REKEY_EXPORTS_H
#include <stddef.h>

void *rk_alloc_js(size_t n);
void rk_free_js(void *p);
const char *rk_version_js(void);
char *rk_problems_js(void);
long rk_b64url_encode_js(const unsigned char *in, size_t n, char *out, size_t outmax);
long rk_b64url_decode_js(const char *s, size_t n, unsigned char *out, size_t outmax);
void rk_sha256_js(const unsigned char *p, size_t n, unsigned char *out);
void rk_keccak256_js(const unsigned char *p, size_t n, unsigned char *out);
char *rk_image_inspect_js(const unsigned char *p, size_t n);
char *rk_frame_check_js(const unsigned char *rgba, size_t n, unsigned w, unsigned h, const unsigned char *prev, size_t prevn);
char *rk_image_check_js(const unsigned char *p, size_t n, double max_bytes, double min_side,
    double max_side, double max_pixels);
char *rk_authdata_parse_js(const unsigned char *p, size_t n);
char *rk_attobj_parse_js(const unsigned char *p, size_t n);
char *rk_clientdata_check_js(const unsigned char *p, size_t n, const char *type,
    const char *challenge, const char *origin);
char *rk_chain_list_js(void);
int rk_chain_check_js(const char *chain, size_t cn, const char *s, size_t n, int kind);
char *rk_validate_js(int kind, const char *s, size_t n, const char *arg, size_t argn);
char *rk_flow_describe_js(const char *kind);
char *rk_flow_next_js(const char *kind, const char *state, const char *event,
    const unsigned char *facts, size_t nfacts);

#endif
