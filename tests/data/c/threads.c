/*
 * threads: 8 threads make 25 sx_start_cash calls each at the same time, on ids
 * "{prefix}_{t*25+i}", and check that every answer is their own: SX_OK, HTTP 200, the
 * answer holds the id and a receipt of 4 lines, and this thread's sx_last_response is
 * the same answer (last response and status are per thread).
 *
 *   threads <base_url> <token> <prefix>
 *
 * Exits 0 only if all 200 calls were right.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartx.h"

#define THREADS 8
#define CALLS_PER_THREAD 25
#define ANSWER_CAP 65536

struct worker {
    pthread_t thread;
    int index;
    const char *token;
    const char *prefix;
    int good;
    char first_problem[512];
};

static void note_problem(struct worker *w, const char *id, const char *what, sx_result r)
{
    if (w->first_problem[0] == '\0') {
        snprintf(w->first_problem, sizeof w->first_problem, "%s: %s (%s)", id, what, sx_result_name(r));
    }
}

static int answer_is_for(const char *answer, size_t len, const char *id)
{
    char quoted[160];
    snprintf(quoted, sizeof quoted, "\"%s\"", id);
    if (strstr(answer, quoted) == NULL) {
        return 0;
    }
    sx_transaction *tx = NULL;
    if (sx_transaction_parse(answer, len, &tx) != SX_OK) {
        return 0;
    }
    int ok = sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 4;
    sx_transaction_free(tx);
    return ok;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    char *answer = malloc(ANSWER_CAP);
    char *kept = malloc(ANSWER_CAP);
    if (answer == NULL || kept == NULL) {
        free(answer);
        free(kept);
        return NULL;
    }
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
        char id[128];
        snprintf(id, sizeof id, "%s_%d", w->prefix, w->index * CALLS_PER_THREAD + i);
        size_t len = 0;
        sx_result r = sx_start_cash(id, w->token, answer, ANSWER_CAP, &len);
        if (r != SX_OK) {
            note_problem(w, id, "result", r);
            continue;
        }
        if (sx_last_http_status() != 200) {
            note_problem(w, id, "HTTP status is not 200", r);
            continue;
        }
        if (!answer_is_for(answer, len, id)) {
            note_problem(w, id, "the answer is not this transaction's", r);
            continue;
        }
        size_t kept_len = 0;
        sx_result kr = sx_last_response(kept, ANSWER_CAP, &kept_len);
        if (kr != SX_OK || kept_len != len || memcmp(kept, answer, len) != 0) {
            note_problem(w, id, "sx_last_response differs from the answer", kr);
            continue;
        }
        w->good++;
    }
    free(answer);
    free(kept);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s base_url token prefix\n", argv[0]);
        return 2;
    }
    sx_result r = sx_set_base_url(argv[1]);
    if (r != SX_OK) {
        printf("sx_set_base_url: %s\n", sx_result_name(r));
        return 1;
    }

    struct worker workers[THREADS];
    memset(workers, 0, sizeof workers);
    for (int t = 0; t < THREADS; t++) {
        workers[t].index = t;
        workers[t].token = argv[2];
        workers[t].prefix = argv[3];
        if (pthread_create(&workers[t].thread, NULL, work, &workers[t]) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    int good = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(workers[t].thread, NULL);
        good += workers[t].good;
        printf("thread %d: %d of %d right%s%s\n", t, workers[t].good, CALLS_PER_THREAD,
               workers[t].first_problem[0] != '\0' ? "; first problem: " : "", workers[t].first_problem);
    }
    sx_shutdown();
    printf("total: %d of %d right\n", good, THREADS * CALLS_PER_THREAD);
    return good == THREADS * CALLS_PER_THREAD ? 0 : 1;
}
