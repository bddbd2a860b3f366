/*
 * driver: one sx_start_cash (or sx_client_start_cash) call through the C ABI, reported as key=value lines for the Rust
 * tests (tests/c_api/abi.rs, tests/hostile/failures.rs, tests/hostile/fresh_connection.rs), which assert the values.
 *
 *   driver <base_url> <id> <token> <cap> [<connect_ms> <total_ms> [client]]
 *
 * With "client", the call is sx_client_start_cash on a client made for it (sx_client_new with the base URL,
 * sx_client_use_token, sx_client_set_timeouts) instead of sx_start_cash with the process-wide settings.
 * peak_rss_kb is the process's peak resident memory (VmHWM of /proc/self/status, Linux), for bounds on what
 * an answer may make the library hold. Not getrusage: its ru_maxrss keeps the peak of the image before exec,
 * which for a child of a test process is the test process's own.
 *
 * "@NULL" as base_url means: do not call sx_set_base_url; as id or token: a NULL pointer.
 * "@NULLBUF" as cap means out_buf NULL with cap 0 (a size query).
 * message, body and last_response are printed escaped (\\, \n, \r, \xNN) on one line each;
 * last_response comes last.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smartx.h"

#define CANARY 0x5A
#define GUARD_BYTES 64

static const char *arg_or_null(const char *arg)
{
    return strcmp(arg, "@NULL") == 0 ? NULL : arg;
}

static void print_escaped(const char *key, const char *s, size_t len)
{
    printf("%s=", key);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') {
            fputs("\\\\", stdout);
        } else if (c == '\n') {
            fputs("\\n", stdout);
        } else if (c == '\r') {
            fputs("\\r", stdout);
        } else if (c < 0x20 || c == 0x7F) {
            printf("\\x%02x", c);
        } else {
            putchar(c);
        }
    }
    putchar('\n');
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

static void print_peak_rss(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    if (status == NULL) {
        return;
    }
    char line[256];
    long kb;
    while (fgets(line, sizeof line, status) != NULL) {
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) {
            printf("peak_rss_kb=%ld\n", kb);
        }
    }
    fclose(status);
}

/* Reads a (buf, cap, out_len) string of the library: size query, then exact fit. */
static char *read_string(sx_result (*get)(char *, size_t, size_t *), size_t *len, sx_result *result)
{
    *len = 0;
    (void)get(NULL, 0, len); /* size query */
    char *text = malloc(*len + 1);
    if (text == NULL) {
        exit(3);
    }
    *result = get(text, *len + 1, len);
    if (*result != SX_OK) {
        text[0] = '\0';
        *len = 0;
    }
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 7 && !(argc == 8 && strcmp(argv[7], "client") == 0)) {
        fprintf(stderr, "usage: %s base_url id token cap [connect_ms total_ms [client]]\n", argv[0]);
        return 2;
    }
    int use_client = argc == 8;
    const char *base_url = arg_or_null(argv[1]);
    const char *id = arg_or_null(argv[2]);
    const char *token = arg_or_null(argv[3]);

    int null_buffer = strcmp(argv[4], "@NULLBUF") == 0;
    size_t cap = null_buffer ? 0 : (size_t)strtoull(argv[4], NULL, 10);

    sx_client *client = NULL;
    if (use_client) {
        printf("client_new_result=%u\n", (unsigned)sx_client_new(base_url, &client));
        printf("use_token_result=%u\n", (unsigned)sx_client_use_token(client, token));
    } else if (base_url != NULL) {
        printf("set_base_url_result=%u\n", (unsigned)sx_set_base_url(base_url));
    }
    if (argc >= 7) {
        uint32_t connect_ms = (uint32_t)strtoul(argv[5], NULL, 10);
        uint32_t total_ms = (uint32_t)strtoul(argv[6], NULL, 10);
        sx_result set = use_client ? sx_client_set_timeouts(client, connect_ms, total_ms, total_ms)
                                   : sx_set_timeouts(connect_ms, total_ms);
        printf("set_timeouts_result=%u\n", (unsigned)set);
    }

    /* The buffer is followed by guard bytes; all of it starts as a canary to see what was written. */
    char *buffer = NULL;
    if (!null_buffer) {
        buffer = malloc(cap + GUARD_BYTES);
        if (buffer == NULL) {
            return 3;
        }
        memset(buffer, CANARY, cap + GUARD_BYTES);
    }

    size_t out_len = (size_t)-1;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sx_result result = use_client ? sx_client_start_cash(client, id, buffer, cap, &out_len)
                                  : sx_start_cash(id, token, buffer, cap, &out_len);
    long call_ms = elapsed_ms(&start);

    printf("result=%u\n", (unsigned)result);
    printf("name=%s\n", sx_result_name(result));
    printf("out_len=%zu\n", out_len);
    printf("elapsed_ms=%ld\n", call_ms);
    printf("http_status=%d\n", (int)sx_last_http_status());

    size_t message_len;
    sx_result message_result;
    char *message = read_string(sx_last_error_message, &message_len, &message_result);
    printf("message_result=%u\n", (unsigned)message_result);
    print_escaped("message", message, message_len);

    size_t response_len;
    sx_result response_result;
    char *response = read_string(sx_last_response, &response_len, &response_result);
    printf("last_response_result=%u\n", (unsigned)response_result);
    printf("last_response_len=%zu\n", response_len);

    int guard_intact = 1;
    int buffer_untouched = 1;
    int written = 0;
    int matches = 0;
    if (buffer != NULL) {
        for (size_t i = 0; i < cap + GUARD_BYTES; i++) {
            if ((unsigned char)buffer[i] != CANARY) {
                buffer_untouched = 0;
                if (i >= cap) {
                    guard_intact = 0;
                }
            }
        }
        written = out_len != (size_t)-1 && out_len < cap && !buffer_untouched;
        matches = written && buffer[out_len] == '\0' && out_len == response_len &&
                  memcmp(buffer, response, out_len) == 0;
    }
    printf("guard_intact=%d\n", guard_intact);
    printf("buffer_untouched=%d\n", buffer_untouched);
    printf("buffer_written=%d\n", written);
    printf("buffer_matches_last_response=%d\n", matches);
    if (written) {
        print_escaped("body", buffer, out_len);
    }
    print_peak_rss();
    print_escaped("last_response", response, response_len);

    free(message);
    free(response);
    free(buffer);
    sx_client_free(client);
    sx_shutdown();
    return 0;
}
