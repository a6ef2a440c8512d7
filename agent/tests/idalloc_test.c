/*
 * idalloc_test: ids and slot ranges: runs of free slots, wrap-around, and ids given back
 * under a grace period not handed out before it.
 */
#include <criterion/criterion.h>

#include "agent/dataplane/idalloc.h"

Test(idalloc, runs_are_contiguous_and_disjoint)
{
	struct idalloc a;
	uint32_t x, y, z;

	idalloc_init(&a, 100);
	cr_assert_eq(idalloc_get(&a, 10, &x), 0);
	cr_assert_eq(idalloc_get(&a, 32, &y), 0);
	cr_assert_eq(idalloc_get(&a, 1, &z), 0);
	cr_expect(y >= x + 10 || y + 32 <= x, "runs overlap: %u+10, %u+32", x, y);
	cr_expect(z < y || z >= y + 32);
	cr_expect_eq(a.in_use, 43);
	idalloc_free(&a);
}

Test(idalloc, marked_ids_are_skipped)
{
	struct idalloc a;
	uint32_t x;

	idalloc_init(&a, 200);
	idalloc_mark(&a, 0, 64);
	idalloc_mark(&a, 70, 60);
	cr_assert_eq(idalloc_get(&a, 6, &x), 0);
	cr_expect_eq(x, 64, "the only run of 6 below 130 starts at 64");
	cr_assert_eq(idalloc_get(&a, 8, &x), 0);
	cr_expect_geq(x, 130);
	idalloc_free(&a);
}

Test(idalloc, full_means_full)
{
	struct idalloc a;
	uint32_t x;

	idalloc_init(&a, 64);
	cr_assert_eq(idalloc_get(&a, 64, &x), 0);
	cr_expect_eq(idalloc_get(&a, 1, &x), -1);
	idalloc_put(&a, 10, 2);
	cr_assert_eq(idalloc_get(&a, 2, &x), 0);
	cr_expect_eq(x, 10);
	idalloc_free(&a);
}

Test(idalloc, deferred_ids_wait_for_a_grace_period)
{
	struct idalloc a;
	uint32_t x;

	idalloc_init(&a, 8);
	cr_assert_eq(idalloc_get(&a, 8, &x), 0);
	idalloc_defer(&a, 2, 3);
	cr_expect(idalloc_has_pending(&a));
	cr_expect_eq(idalloc_get(&a, 1, &x), -1, "deferred ids are not free yet");
	idalloc_grace(&a);
	cr_expect(!idalloc_has_pending(&a));
	cr_assert_eq(idalloc_get(&a, 3, &x), 0);
	cr_expect_eq(x, 2);
	idalloc_free(&a);
}

Test(idalloc, wraps_around)
{
	struct idalloc a;
	uint32_t x, i;

	idalloc_init(&a, 256);
	for (i = 0; i < 25; i++)
		cr_assert_eq(idalloc_get(&a, 10, &x), 0);
	idalloc_put(&a, 0, 10);
	cr_assert_eq(idalloc_get(&a, 10, &x), 0, "the cursor wraps to the freed run");
	cr_expect_eq(x, 0);
	cr_expect_eq(idalloc_get(&a, 7, &x), -1, "6 left at the end, none elsewhere");
	idalloc_free(&a);
}
