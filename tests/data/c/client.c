/*
 * client: one sx_client driven through a script of steps given as arguments, reported as key=value
 * lines on stdout for the Rust tests (tests/c_api/client.rs), which assert the values. Every log line the
 * client writes goes to stderr as "LOG <level> <message>", so that a test can search all of it.
 *
 *   client <base_url|@NULL> <step>...
 *
 * Steps (N is the step's position, from 1; its keys are "N.<key>"):
 *   log=<max_level>             sx_client_set_log with a callback printing to stderr
 *   timeouts=<c>,<t>,<term>     sx_client_set_timeouts
 *   ca=<path>                   sx_client_add_ca_file
 *   proxy=<url|@NULL>           sx_client_set_proxy
 *   token=<t>                   sx_client_use_token
 *   cc=<id>,<secret>            sx_client_use_client_credentials
 *   refresh=<id>,<secret>,<rt>  sx_client_use_refresh_token
 *   pair=<id>,<secret>,<uuid>   sx_client_pair: N.user_code, N.url, N.expires_in, N.result, N.ms
 *   cancel_after=<ms>           a thread that calls sx_client_cancel after <ms> (for the next pair)
 *   cash=<id>                   sx_client_start_cash: N.result, N.status, N.len, N.ms, N.message, N.answer
 *                               (the answer written to the buffer) and N.response (sx_last_response)
 *   defaults=<c>,<t>            sx_set_base_url(<base_url>) and sx_set_timeouts, for the process-wide calls
 *   sxcash=<id>,<token>         sx_start_cash with the process-wide settings: the keys of cash
 *   threads=<n>,<id>            n threads at once, each sx_client_start_cash(<id>_<i>): N.ok, N.failed
 *   sleep=<ms>
 *   waitfile=<path>             waits (at most 30 s) until <path> exists
 *   rt                          sx_client_refresh_token: N.result, N.rt
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "smartx.h"

static sx_client *client;
static const char *base_url;
static pthread_t canceller;
static int canceller_running;
static long cancel_after_ms;

static long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* Prints "<step>.<key>=" and len bytes of s on one line, escaped (\\, \xNN). */
static void print_escaped(int step, const char *key, const char *s, size_t len)
{
    printf("%d.%s=", step, key);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') {
            fputs("\\\\", stdout);
        } else if (c < 0x20 || c == 0x7F) {
            printf("\\x%02x", c);
        } else {
            putchar(c);
        }
    }
    putchar('\n');
}

/* The answer a payment call wrote, its time and the last response, after the call. */
static void print_payment(int step, const char *answer, size_t len, sx_result result, long ms)
{
    printf("%d.status=%d\n%d.len=%zu\n%d.ms=%ld\n", step, (int)sx_last_http_status(), step, len, step, ms);
    print_escaped(step, "answer", answer, result == SX_OK ? len : 0);
    size_t response_len = 0;
    (void)sx_last_response(NULL, 0, &response_len); /* size query */
    char *response = malloc(response_len + 1);
    if (response == NULL || sx_last_response(response, response_len + 1, &response_len) != SX_OK) {
        response_len = 0;
    }
    print_escaped(step, "response", response == NULL ? "" : response, response_len);
    free(response);
}

static void print_message(int step)
{
    char message[1024];
    size_t len = 0;
    if (sx_last_error_message(message, sizeof message, &len) != SX_OK) {
        message[0] = '\0';
    }
    print_escaped(step, "message", message, strlen(message));
}

static void on_log(void *user_data, uint32_t level, const char *message)
{
    (void)user_data;
    /* One fprintf per line: lines of threads logging at once stay whole. */
    fprintf(stderr, "LOG %u %s\n", (unsigned)level, message);
}

static void on_code(void *user_data, const char *user_code, const char *url, uint32_t expires_in)
{
    int step = *(int *)user_data;
    printf("%d.user_code=%s\n%d.url=%s\n%d.expires_in=%u\n", step, user_code, step, url, step, (unsigned)expires_in);
    fflush(stdout);
}

static void *cancel_later(void *unused)
{
    (void)unused;
    sleep_ms(cancel_after_ms);
    sx_client_cancel(client);
    return NULL;
}

struct cash_thread {
    pthread_t thread;
    char id[128];
    sx_result result;
};

static void *cash_in_thread(void *arg)
{
    struct cash_thread *t = arg;
    char answer[65536];
    size_t len = 0;
    t->result = sx_client_start_cash(client, t->id, answer, sizeof answer, &len);
    return NULL;
}

/* Splits "a,b,c" in place into at most n parts; returns how many. */
static int split(char *text, char **parts, int n)
{
    int count = 0;
    char *save = NULL;
    for (char *part = strtok_r(text, ",", &save); part != NULL && count < n; part = strtok_r(NULL, ",", &save)) {
        parts[count++] = part;
    }
    return count;
}

static int run_step(int step, char *arg)
{
    char *value = strchr(arg, '=');
    if (value != NULL) {
        *value++ = '\0';
    }
    char *p[3] = { NULL, NULL, NULL };
    sx_result result = SX_OK;

    if (strcmp(arg, "log") == 0) {
        result = sx_client_set_log(client, on_log, NULL, (uint32_t)strtoul(value, NULL, 10));
    } else if (strcmp(arg, "timeouts") == 0 && split(value, p, 3) == 3) {
        result = sx_client_set_timeouts(client, (uint32_t)strtoul(p[0], NULL, 10), (uint32_t)strtoul(p[1], NULL, 10),
                                        (uint32_t)strtoul(p[2], NULL, 10));
    } else if (strcmp(arg, "ca") == 0) {
        result = sx_client_add_ca_file(client, value);
    } else if (strcmp(arg, "proxy") == 0) {
        result = sx_client_set_proxy(client, strcmp(value, "@NULL") == 0 ? NULL : value);
    } else if (strcmp(arg, "token") == 0) {
        result = sx_client_use_token(client, value);
    } else if (strcmp(arg, "cc") == 0 && split(value, p, 2) == 2) {
        result = sx_client_use_client_credentials(client, p[0], p[1]);
    } else if (strcmp(arg, "refresh") == 0 && split(value, p, 3) == 3) {
        result = sx_client_use_refresh_token(client, p[0], p[1], p[2]);
    } else if (strcmp(arg, "pair") == 0 && split(value, p, 3) == 3) {
        long started = now_ms();
        result = sx_client_pair(client, p[0], p[1], p[2], on_code, &step);
        printf("%d.ms=%ld\n", step, now_ms() - started);
        if (canceller_running) {
            pthread_join(canceller, NULL);
            canceller_running = 0;
        }
    } else if (strcmp(arg, "cancel_after") == 0) {
        cancel_after_ms = strtol(value, NULL, 10);
        if (pthread_create(&canceller, NULL, cancel_later, NULL) != 0) {
            return 3;
        }
        canceller_running = 1;
        return 0;
    } else if (strcmp(arg, "cash") == 0) {
        static char answer[65536];
        size_t len = 0;
        long started = now_ms();
        result = sx_client_start_cash(client, value, answer, sizeof answer, &len);
        print_payment(step, answer, len, result, now_ms() - started);
    } else if (strcmp(arg, "defaults") == 0 && split(value, p, 2) == 2) {
        result = sx_set_base_url(base_url);
        if (result == SX_OK) {
            result = sx_set_timeouts((uint32_t)strtoul(p[0], NULL, 10), (uint32_t)strtoul(p[1], NULL, 10));
        }
    } else if (strcmp(arg, "sxcash") == 0 && split(value, p, 2) == 2) {
        static char answer[65536];
        size_t len = 0;
        long started = now_ms();
        result = sx_start_cash(p[0], p[1], answer, sizeof answer, &len);
        print_payment(step, answer, len, result, now_ms() - started);
    } else if (strcmp(arg, "threads") == 0 && split(value, p, 2) == 2) {
        int n = atoi(p[0]);
        struct cash_thread *threads = calloc((size_t)n, sizeof *threads);
        if (threads == NULL) {
            return 3;
        }
        for (int i = 0; i < n; i++) {
            snprintf(threads[i].id, sizeof threads[i].id, "%s_%d", p[1], i);
            if (pthread_create(&threads[i].thread, NULL, cash_in_thread, &threads[i]) != 0) {
                return 3;
            }
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            pthread_join(threads[i].thread, NULL);
            ok += threads[i].result == SX_OK;
        }
        printf("%d.ok=%d\n%d.failed=%d\n", step, ok, step, n - ok);
        free(threads);
        return 0;
    } else if (strcmp(arg, "sleep") == 0) {
        sleep_ms(strtol(value, NULL, 10));
        return 0;
    } else if (strcmp(arg, "waitfile") == 0) {
        long deadline = now_ms() + 30000;
        while (access(value, F_OK) != 0) {
            if (now_ms() > deadline) {
                return 4;
            }
            sleep_ms(10);
        }
        return 0;
    } else if (strcmp(arg, "rt") == 0) {
        size_t len = 0;
        (void)sx_client_refresh_token(client, NULL, 0, &len); /* size query */
        char *rt = malloc(len + 1);
        if (rt == NULL) {
            return 3;
        }
        result = sx_client_refresh_token(client, rt, len + 1, &len);
        printf("%d.rt=%s\n", step, result == SX_OK ? rt : "");
        free(rt);
    } else {
        fprintf(stderr, "unknown step %s\n", arg);
        return 2;
    }
    printf("%d.result=%u\n%d.name=%s\n", step, (unsigned)result, step, sx_result_name(result));
    print_message(step);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s base_url step...\n", argv[0]);
        return 2;
    }
    base_url = strcmp(argv[1], "@NULL") == 0 ? NULL : argv[1];
    sx_result created = sx_client_new(base_url, &client);
    printf("new=%u\n", (unsigned)created);
    if (created != SX_OK) {
        return 0;
    }
    int status = 0;
    for (int i = 2; i < argc && status == 0; i++) {
        status = run_step(i - 1, argv[i]);
    }
    sx_client_free(client);
    return status;
}
