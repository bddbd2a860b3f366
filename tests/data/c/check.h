/*
 * check.h: the counting checks the C test programs share. A failed check prints its line and the
 * program goes on, so one run shows every failure; main ends with "N passed, N failed" and exit 1 on any.
 * Included by one translation unit per program, so the counters and the function are static.
 */
#ifndef SMARTX_TEST_CHECK_H
#define SMARTX_TEST_CHECK_H

#include <stdio.h>

#include "smartx.h"

static int passed;
static int failed;

static void check(int ok, const char *what, int line)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAILED (line %d): %s\n", line, what);
    }
}

#define CHECK(cond) check((cond) != 0, #cond, __LINE__)

/* Compares results and shows both names when they differ. */
#define CHECK_RESULT(call, want)                                                          \
    do {                                                                                  \
        sx_result got_ = (call);                                                          \
        check(got_ == (want), #call " == " #want, __LINE__);                              \
        if (got_ != (want)) {                                                             \
            printf("    got %s (%u)\n", sx_result_name(got_), (unsigned)got_);            \
        }                                                                                 \
    } while (0)

#endif
