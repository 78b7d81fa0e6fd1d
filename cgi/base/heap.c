/* base/heap.c -- a worker's heap kept between requests (heap.h says why). */
#include <malloc.h>
#include "heap.h"

int
heap_keep_for_requests(void)
{
	/* fixed thresholds also end glibc's sliding ones (mallopt(3)) */
	if (mallopt(M_MMAP_THRESHOLD, (int)HEAP_MMAP_THRESHOLD) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, (int)HEAP_TRIM_THRESHOLD) != 1)
		return -1;
	return 0;
}
