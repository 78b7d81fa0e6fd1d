/* base/heap.h -- how a worker's heap is kept between requests. */
#ifndef REKEY_BASE_HEAP_H
#define REKEY_BASE_HEAP_H

/* Blocks up to this size come from the heap, not from mmap: 32 MiB, the
 * most glibc allows (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit). */
#define HEAP_MMAP_THRESHOLD (32u * 1024 * 1024)
/* Free heap up to this size stays with the process, to be used again. */
#define HEAP_TRIM_THRESHOLD (64u * 1024 * 1024)

/* Issue #21: an evidence upload of a 1080x2400 screenshot allocates and
 * frees some 40 MB in all, ~15 MB at its peak (the decoded pixels, stb's
 * buffers, the compressor's output). With glibc's defaults each request
 * gives that memory back to the kernel and faults it in again, zeroed, on
 * the next: ~3,850 page faults and ~5 ms of CPU an upload. With these, a
 * worker stays at its peak (~25 MB resident instead of ~9.5 MB). Called
 * once by each worker before its first request; 0, or -1 if the allocator
 * refused a setting. */
int heap_keep_for_requests(void);

#endif
