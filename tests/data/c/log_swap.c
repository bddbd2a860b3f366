/*
 * log_swap: issue 16 item 10 as a host sees it. A card start waits at the sandbox's terminal on a second
 * thread while the main thread changes the log callback and frees the old callback's state at once, as a host
 * that trusts sx_client_set_log's promise does. Under valgrind, a line written to the old callback after that
 * (a call that kept the log it started with) is a write into freed memory.
 *
 *   log_swap <base_url>     (a sandbox started with --terminal-delay-ms of about a second)
 *
 * Exits 0 when the start was paid, the old callback got the call's first lines, and the new one its last.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smartx.h"

struct sink {
    int lines;
    int saw_answer;   /* a line with "HTTP 200" */
};

static void log_line(void *user_data, uint32_t level, const char *message)
{
    struct sink *sink = user_data;
    (void)level;
    sink->lines++;
    if (strstr(message, "HTTP 200") != NULL) sink->saw_answer = 1;
}

struct start {
    sx_client *client;
    char id[129];
    sx_result result;
};

static void *start_card(void *arg)
{
    struct start *s = arg;
    sx_transaction *tx = NULL;
    s->result = sx_transaction_start(s->client, s->id, "cashless", &tx);
    sx_transaction_free(tx);
    return NULL;
}

static int lines_of(struct sink *sink)
{
    return __atomic_load_n(&sink->lines, __ATOMIC_SEQ_CST);
}

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    struct start s = {0};
    sx_basket *basket = NULL;
    sx_transaction *tx = NULL;
    if (sx_client_new(argv[1], &s.client) != SX_OK || sx_client_use_token(s.client, "t") != SX_OK) return 3;
    if (sx_basket_new("EUR", &basket) != SX_OK) return 3;
    if (sx_basket_add_product(basket, "Brot", NULL, NULL, 1, 250, 7) != SX_OK) return 3;
    if (sx_transaction_create(s.client, basket, &tx) != SX_OK) return 4;
    snprintf(s.id, sizeof s.id, "%s", sx_transaction_id(tx));
    sx_transaction_free(tx);
    sx_basket_free(basket);

    struct sink *old = calloc(1, sizeof *old);
    struct sink *new = calloc(1, sizeof *new);
    if (old == NULL || new == NULL) return 5;
    if (sx_client_set_log(s.client, log_line, old, SX_LOG_DEBUG) != SX_OK) return 6;
    pthread_t thread;
    if (pthread_create(&thread, NULL, start_card, &s) != 0) return 7;
    /* The start has logged that it is sending; give it a moment to be on the wire, at the terminal. */
    while (lines_of(old) == 0) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    struct timespec wait = {0, 200000000};
    nanosleep(&wait, NULL);
    if (sx_client_set_log(s.client, log_line, new, SX_LOG_DEBUG) != SX_OK) return 8;
    int old_lines = old->lines;
    free(old);   /* the promise: never called again */
    pthread_join(thread, NULL);
    sx_client_free(s.client);
    printf("result=%s old_lines=%d new_lines=%d new_saw_answer=%d\n", sx_result_name(s.result), old_lines,
           new->lines, new->saw_answer);
    int ok = s.result == SX_OK && old_lines > 0 && new->saw_answer;
    free(new);
    return ok ? 0 : 1;
}
