/* check_heap.c -- cgi/base/heap.c: a worker's heap kept between requests.
 * An upload-sized request (blocks of 8 MB, written in full, then freed), run
 * three times in one process; the page faults of the third are counted
 * (getrusage: minor faults, each a page the kernel zeroed and mapped). Each
 * test runs in its own forked process (Check's default), on a fresh heap. */
#include <sys/resource.h>
#include "vectors.h"
#include "../cgi/base/heap.h"

#define BLOCK (8u * 1024 * 1024)
#define BLOCKS 4
#define PAGES (BLOCKS * BLOCK / 4096)

/* writes every page of p (through a volatile pointer: a block that is
 * written and freed unread may otherwise be optimised away) */
static void
touch(unsigned char *p, size_t n, int v)
{
	volatile unsigned char *q = p;
	for (size_t i = 0; i < n; i += 4096)
		q[i] = (unsigned char)v;
}

static long
faults(void)
{
	struct rusage u;
	ck_assert_int_eq(getrusage(RUSAGE_SELF, &u), 0);
	return u.ru_minflt;
}

/* what an upload does with its buffers: the faults it took */
static long
request(void)
{
	unsigned char *b[BLOCKS];
	long f0 = faults();
	for (int i = 0; i < BLOCKS; i++) {
		ck_assert_ptr_nonnull(b[i] = malloc(BLOCK));
		touch(b[i], BLOCK, i + 1);
	}
	for (int i = BLOCKS - 1; i >= 0; i--)
		free(b[i]);
	return faults() - f0;
}

START_TEST(valid_kept_heap_serves_the_next_request_without_faults)
{
	long third;

	ck_assert_int_eq(heap_keep_for_requests(), 0);
	ck_assert_int_ge(request(), PAGES / 2); /* the first request grows the heap */
	request();
	third = request();
	ck_assert_msg(third < PAGES / 20, "%ld page faults in a request of %d pages", third, PAGES);
}
END_TEST

/* the control: glibc's defaults give the blocks back after each request
 * (the sliding trim threshold is twice the largest block freed), so every
 * request faults its pages in again -- what heap_keep_for_requests is for */
START_TEST(wrong_default_heap_faults_every_request_again)
{
	long third;

	request();
	request();
	third = request();
	ck_assert_msg(third > PAGES / 2, "%ld page faults in a request of %d pages", third, PAGES);
}
END_TEST

/* a block above the threshold still comes from mmap and goes back when freed */
START_TEST(wrong_block_beyond_the_threshold_is_not_kept)
{
	unsigned char *big;
	long f0;
	size_t n = HEAP_MMAP_THRESHOLD + BLOCK;

	ck_assert_int_eq(heap_keep_for_requests(), 0);
	for (int round = 0; round < 2; round++) {
		f0 = faults();
		ck_assert_ptr_nonnull(big = malloc(n));
		touch(big, n, 7);
		free(big);
		f0 = faults() - f0;
		ck_assert_msg(f0 > (long)(n / 4096 / 2), "round %d: %ld faults", round, f0);
	}
}
END_TEST

RUN_SUITE("heap", valid_kept_heap_serves_the_next_request_without_faults, wrong_default_heap_faults_every_request_again,
    wrong_block_beyond_the_threshold_is_not_kept)
