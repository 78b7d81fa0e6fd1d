/* base/qr.c -- QR codes (libqrencode) as SVG paths. */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base.h"


/* The QR code as an SVG path: one "M x y h1v1h-1z" per dark module. */
char *
qr_svg(const char *text, const char *label)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char *svg, *p;
	size_t cap;
	int w;

	if (q == NULL)
		return NULL;
	w = q->width;
	cap = (size_t)w * (size_t)w * 24 + 512;
	if ((svg = malloc(cap)) == NULL) {
		QRcode_free(q);
		return NULL;
	}
	p = svg + snprintf(svg, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-4 -4 %d %d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"%s\">"
	    "<rect x=\"-4\" y=\"-4\" width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", w + 8, w + 8, label, w + 8, w + 8);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1)
				p += snprintf(p, cap - (size_t)(p - svg), "M%d %dh1v1h-1z", x, y);
	snprintf(p, cap - (size_t)(p - svg), "\"/></svg>");
	QRcode_free(q);
	return svg;
}
