/* base/qr.h -- a QR code as an SVG document (malloc'd). */
#ifndef REKEY_BASE_QR_H
#define REKEY_BASE_QR_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

char *qr_svg(const char *text, const char *label);

#endif
