/*
 * races: 16 threads call the library for a given time while other threads keep changing what the calls
 * depend on. Run by tests/c_api/races.rs, which asserts the counts this program prints and what the sandboxes saw.
 *
 *   races <seconds> <good_url> <other_url> <dead_url> <token> <fixture.json> <ids_out>
 *
 * The 16 calling threads:
 *   5 "start":        sx_transaction_create on a client fixed to <good_url>, then sx_start_cash on that fresh
 *                     transaction through the process-wide settings; an answer with SX_OK is parsed, checked
 *                     (its id, status ok, a receipt), walked and rendered.
 *   3 "parse":        sx_transaction_parse of <fixture.json>, a walk of both receipts and sx_receipt_render in
 *                     text and ESC/POS, compared with the bytes main rendered before the threads started.
 *   4 "client_start": sx_transaction_create + sx_client_start_cash on one of two shared clients (one with a
 *                     fixed token, one with client credentials), checked like "start".
 *   4 "get":          sx_transaction_get of the seed transaction on a shared client, walked and rendered.
 * Meanwhile, each on a thread of its own: sx_shutdown; sx_set_base_url cycling through <good_url>,
 * <other_url> (a second sandbox that knows none of the ids) and <dead_url> (a loopback port nobody listens
 * on); sx_set_timeouts cycling through the defaults, generous values and 1 ms / 5 ms; two threads making
 * clients of their own (sx_client_new, a token, a call, sx_client_free) that no other thread ever uses.
 *
 * sx_shutdown resets the settings to the environment's: the test runs this program with SX_BASE_URL set to
 * <good_url>, and the program refuses to start otherwise, so that no call ever leaves the loopback.
 *
 * Prints key=value lines: "<kind>.<SX_NAME>=n" for every result seen, "calls.<kind>=n", "undocumented=n"
 * (results outside the documented set), "problems=n" and "problem=<first few>" (wrong answers). Writes
 * "<id> <result>" for every transaction a payment was started for (whatever came back) to <ids_out>, so the
 * test can ask the sandbox how often each was started. Exit 0 when no call gave an undocumented result and
 * nothing was wrong; the test asserts the rest.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smartx.h"

#define ANSWER_CAP 65536
#define ID_CAP 160

enum kind {
    K_CREATE,
    K_START,
    K_CLIENT_START,
    K_PARSE,
    K_RENDER,
    K_GET,
    K_SET_BASE_URL,
    K_SET_TIMEOUTS,
    K_SHUTDOWN,
    K_CLIENT_NEW,
    K_CLIENT_CALL,
    K_CLIENT_FREE,
    KINDS
};

static const char *const KIND_NAMES[KINDS] = {
    "create", "start", "client_start", "parse", "render", "get", "set_base_url", "set_timeouts", "shutdown",
    "client_new", "client_call", "client_free",
};

/* The documented result codes (include/smartx.h); anything else is counted as undocumented. */
static const sx_result CODES[] = {
    SX_OK, SX_ERR_NULL_ARGUMENT, SX_ERR_INVALID_ARGUMENT, SX_ERR_BUFFER_TOO_SMALL, SX_ERR_OUT_OF_RANGE,
    SX_ERR_CONNECT, SX_ERR_OUTCOME_UNKNOWN, SX_ERR_TLS, SX_ERR_UNAUTHORIZED, SX_ERR_API, SX_ERR_HTTP,
    SX_ERR_BAD_RESPONSE, SX_ERR_NOT_OK, SX_ERR_CANCELLED, SX_ERR_EXPIRED, SX_ERR_PANIC,
};
#define NCODES (sizeof CODES / sizeof CODES[0])

/* A void function's call: counted as SX_OK, so that every call shows in the table. */
#define VOID_CALL SX_OK

struct started {
    char id[ID_CAP];
    sx_result result;
};

struct worker {
    pthread_t thread;
    void *(*body)(void *);
    unsigned index;
    uint64_t random;
    unsigned long counts[KINDS][NCODES + 1]; /* the last column: undocumented */
    unsigned long problems;
    char problem[512];
    struct started *started;
    size_t started_len, started_cap;
};

/* What every thread reads; set up by main before the threads start and not changed afterwards. */
static struct {
    const char *urls[3]; /* good, other, dead */
    const char *token;
    const char *fixture;
    size_t fixture_len;
    char *fixture_text; /* the fixture's customer receipt rendered as text */
    size_t fixture_text_len;
    char *fixture_escpos; /* and its merchant receipt as ESC/POS in CP437 */
    size_t fixture_escpos_len;
    sx_client *creator;   /* fixed token, <good_url>: creates the transactions of the "start" threads */
    sx_client *shared[2]; /* [0] fixed token, [1] client credentials; both <good_url> */
    sx_basket *basket;
} g;

static int stop;

static int stopping(void)
{
    return __atomic_load_n(&stop, __ATOMIC_RELAXED);
}

static void sleep_us(long us)
{
    struct timespec t = { us / 1000000L, (us % 1000000L) * 1000L };
    nanosleep(&t, NULL);
}

/* xorshift64: each thread its own sequence. */
static unsigned next_random(struct worker *w, unsigned below)
{
    uint64_t x = w->random;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    w->random = x;
    return (unsigned)(x % below);
}

static sx_result count(struct worker *w, enum kind kind, sx_result r)
{
    size_t i = 0;
    while (i < NCODES && CODES[i] != r) {
        i++;
    }
    w->counts[kind][i]++;
    return r;
}

static void problem(struct worker *w, const char *what, const char *detail)
{
    w->problems++;
    size_t used = strlen(w->problem);
    if (used < sizeof w->problem - 1 && w->problems <= 3) {
        snprintf(w->problem + used, sizeof w->problem - used, "[thread %u: %s %s] ", w->index, what, detail);
    }
}

static void remember_start(struct worker *w, const char *id, sx_result r)
{
    if (w->started_len == w->started_cap) {
        size_t cap = w->started_cap ? w->started_cap * 2 : 1024;
        struct started *more = realloc(w->started, cap * sizeof *more);
        if (more == NULL) {
            problem(w, "out of memory", "");
            return;
        }
        w->started = more;
        w->started_cap = cap;
    }
    snprintf(w->started[w->started_len].id, ID_CAP, "%s", id);
    w->started[w->started_len].result = r;
    w->started_len++;
}

/* Every line of a receipt can be read, and the one after the last is out of range. */
static void walk(struct worker *w, const sx_transaction *tx, uint32_t which)
{
    size_t n = sx_receipt_count(tx, which);
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        sx_receipt_line line;
        if (sx_receipt_line_get(tx, which, i, &line) != SX_OK) {
            problem(w, "sx_receipt_line_get failed below the count", "");
            return;
        }
        chars += strlen(line.type) + strlen(line.caption) + strlen(line.text) + strlen(line.name) +
                 strlen(line.value);
    }
    sx_receipt_line line;
    if (sx_receipt_line_get(tx, which, n, &line) != SX_ERR_OUT_OF_RANGE) {
        problem(w, "sx_receipt_line_get past the end is not SX_ERR_OUT_OF_RANGE", "");
    }
    (void)chars;
}

/* Renders a receipt into a buffer of its own (a size query first); returns it (NULL on failure). */
static char *render(struct worker *w, const sx_transaction *tx, uint32_t which, const sx_render_options *opts,
                    size_t *out_len)
{
    size_t len = 0;
    if (sx_receipt_render(tx, which, opts, NULL, 0, &len) != SX_ERR_BUFFER_TOO_SMALL) {
        problem(w, "the render size query is not SX_ERR_BUFFER_TOO_SMALL", "");
        return NULL;
    }
    char *buf = malloc(len + 1);
    if (buf == NULL) {
        return NULL;
    }
    size_t written = 0;
    if (count(w, K_RENDER, sx_receipt_render(tx, which, opts, buf, len + 1, &written)) != SX_OK ||
        written != len) {
        problem(w, "sx_receipt_render into a buffer that fits failed", "");
        free(buf);
        return NULL;
    }
    *out_len = len;
    return buf;
}

static const sx_render_options TEXT = { 0, SX_FORMAT_TEXT, 0, 0 };
static const sx_render_options ESCPOS = { 48, SX_FORMAT_ESCPOS, SX_CODEPAGE_CP437, SX_RENDER_CUT };

/* A paid transaction's answer: it parses, with its own id, status ok, a customer receipt; walked and rendered. */
static void check_paid_answer(struct worker *w, const char *answer, size_t answer_len, const char *id)
{
    sx_transaction *tx = NULL;
    if (count(w, K_PARSE, sx_transaction_parse(answer, answer_len, &tx)) != SX_OK) {
        problem(w, "a paid answer does not parse:", id);
        return;
    }
    if (strcmp(sx_transaction_id(tx), id) != 0) {
        problem(w, "the answer is another transaction's:", id);
    }
    if (strcmp(sx_transaction_status(tx), "ok") != 0) {
        problem(w, "a paid answer's status is not ok:", id);
    }
    if (sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 0) {
        problem(w, "a paid answer has no receipt:", id);
    }
    walk(w, tx, SX_RECEIPT_CUSTOMER);
    size_t len = 0;
    free(render(w, tx, SX_RECEIPT_CUSTOMER, &TEXT, &len));
    sx_transaction_free(tx);
}

/* A fresh transaction on `client` (always <good_url>); its id into `id`. */
static int create(struct worker *w, sx_client *client, char id[ID_CAP])
{
    sx_transaction *tx = NULL;
    if (count(w, K_CREATE, sx_transaction_create(client, g.basket, &tx)) != SX_OK) {
        return 0;
    }
    snprintf(id, ID_CAP, "%s", sx_transaction_id(tx));
    sx_transaction_free(tx);
    if (id[0] == '\0') {
        problem(w, "a created transaction has no id", "");
        return 0;
    }
    return 1;
}

static void *start_thread(void *arg)
{
    struct worker *w = arg;
    char *answer = malloc(ANSWER_CAP);
    if (answer == NULL) {
        return NULL;
    }
    while (!stopping()) {
        char id[ID_CAP];
        if (!create(w, g.creator, id)) {
            continue;
        }
        size_t len = 0;
        sx_result r = count(w, K_START, sx_start_cash(id, g.token, answer, ANSWER_CAP, &len));
        remember_start(w, id, r);
        if (r != SX_OK) {
            continue;
        }
        check_paid_answer(w, answer, len, id);
    }
    free(answer);
    return NULL;
}

static void *client_start_thread(void *arg)
{
    struct worker *w = arg;
    char *answer = malloc(ANSWER_CAP);
    if (answer == NULL) {
        return NULL;
    }
    sx_client *client = g.shared[w->index % 2];
    while (!stopping()) {
        char id[ID_CAP];
        if (!create(w, client, id)) {
            continue;
        }
        size_t len = 0;
        sx_result r = count(w, K_CLIENT_START, sx_client_start_cash(client, id, answer, ANSWER_CAP, &len));
        remember_start(w, id, r);
        if (r != SX_OK) {
            continue;
        }
        check_paid_answer(w, answer, len, id);
    }
    free(answer);
    return NULL;
}

static void *get_thread(void *arg)
{
    struct worker *w = arg;
    sx_client *client = g.shared[w->index % 2];
    const char *seed = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2";
    while (!stopping()) {
        sx_transaction *tx = NULL;
        if (count(w, K_GET, sx_transaction_get(client, seed, &tx)) != SX_OK) {
            continue;
        }
        if (strcmp(sx_transaction_id(tx), seed) != 0) {
            problem(w, "sx_transaction_get gave another transaction than", seed);
        }
        walk(w, tx, SX_RECEIPT_CUSTOMER);
        size_t len = 0;
        free(render(w, tx, SX_RECEIPT_CUSTOMER, &ESCPOS, &len));
        sx_transaction_free(tx);
    }
    return NULL;
}

static void *parse_thread(void *arg)
{
    struct worker *w = arg;
    while (!stopping()) {
        sx_transaction *tx = NULL;
        if (count(w, K_PARSE, sx_transaction_parse(g.fixture, g.fixture_len, &tx)) != SX_OK) {
            problem(w, "the fixture does not parse", "");
            continue;
        }
        walk(w, tx, SX_RECEIPT_CUSTOMER);
        walk(w, tx, SX_RECEIPT_MERCHANT);
        size_t len = 0;
        char *text = render(w, tx, SX_RECEIPT_CUSTOMER, &TEXT, &len);
        if (text != NULL && (len != g.fixture_text_len || memcmp(text, g.fixture_text, len) != 0)) {
            problem(w, "the text receipt differs from the one rendered before the threads started", "");
        }
        free(text);
        char *escpos = render(w, tx, SX_RECEIPT_MERCHANT, &ESCPOS, &len);
        if (escpos != NULL && (len != g.fixture_escpos_len || memcmp(escpos, g.fixture_escpos, len) != 0)) {
            problem(w, "the ESC/POS receipt differs from the one rendered before the threads started", "");
        }
        free(escpos);
        sx_transaction_free(tx);
    }
    return NULL;
}

static void *shutdown_thread(void *arg)
{
    struct worker *w = arg;
    while (!stopping()) {
        sx_shutdown();
        count(w, K_SHUTDOWN, VOID_CALL);
        sleep_us(1000 + next_random(w, 4000));
    }
    return NULL;
}

static void *base_url_thread(void *arg)
{
    struct worker *w = arg;
    while (!stopping()) {
        const char *url = g.urls[next_random(w, 3)];
        if (count(w, K_SET_BASE_URL, sx_set_base_url(url)) != SX_OK) {
            problem(w, "sx_set_base_url refused", url);
        }
        sleep_us(500 + next_random(w, 2000));
    }
    return NULL;
}

static void *timeouts_thread(void *arg)
{
    /* connect, total: the defaults, generous values, and too short for most calls (timeouts then). */
    static const uint32_t SETTINGS[][2] = { { 0, 0 }, { 2000, 10000 }, { 1, 5 }, { 1000, 1 } };
    struct worker *w = arg;
    while (!stopping()) {
        const uint32_t *s = SETTINGS[next_random(w, sizeof SETTINGS / sizeof SETTINGS[0])];
        if (count(w, K_SET_TIMEOUTS, sx_set_timeouts(s[0], s[1])) != SX_OK) {
            problem(w, "sx_set_timeouts refused", "");
        }
        sleep_us(1000 + next_random(w, 4000));
    }
    return NULL;
}

/* Clients of this thread's own: made, used once (or not), freed; no other thread ever sees them. */
static void *client_churn_thread(void *arg)
{
    struct worker *w = arg;
    while (!stopping()) {
        sx_client *client = NULL;
        if (count(w, K_CLIENT_NEW, sx_client_new(g.urls[0], &client)) != SX_OK) {
            problem(w, "sx_client_new failed", "");
            continue;
        }
        if (next_random(w, 2) == 0) {
            sx_client_use_token(client, g.token);
        } else {
            sx_client_use_client_credentials(client, "sandbox-client", "sandbox-secret");
        }
        if (next_random(w, 2) == 0) {
            sx_transaction *tx = NULL;
            count(w, K_CLIENT_CALL, sx_transaction_get(client, "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2", &tx));
            sx_transaction_free(tx);
        }
        sx_client_free(client);
        count(w, K_CLIENT_FREE, VOID_CALL);
        sleep_us(next_random(w, 2000));
    }
    return NULL;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = malloc(ANSWER_CAP);
    *len = buf ? fread(buf, 1, ANSWER_CAP, f) : 0;
    fclose(f);
    return buf;
}

static sx_client *new_client(void)
{
    sx_client *client = NULL;
    if (sx_client_new(g.urls[0], &client) != SX_OK) {
        return NULL;
    }
    return client;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: %s seconds good_url other_url dead_url token fixture.json ids_out\n", argv[0]);
        return 2;
    }
    long seconds = atol(argv[1]);
    g.urls[0] = argv[2];
    g.urls[1] = argv[3];
    g.urls[2] = argv[4];
    g.token = argv[5];
    const char *env_url = getenv("SX_BASE_URL");
    if (env_url == NULL || strcmp(env_url, g.urls[0]) != 0) {
        fprintf(stderr, "SX_BASE_URL must be %s: sx_shutdown falls back to it\n", g.urls[0]);
        return 2;
    }
    char *fixture = read_file(argv[6], &g.fixture_len);
    if (fixture == NULL || g.fixture_len == 0 || g.fixture_len == ANSWER_CAP) {
        fprintf(stderr, "cannot read %s (or it is over %d bytes)\n", argv[6], ANSWER_CAP);
        return 2;
    }
    g.fixture = fixture;

    /* The reference receipts, rendered before any thread starts. */
    struct worker setup;
    memset(&setup, 0, sizeof setup);
    sx_transaction *tx = NULL;
    if (sx_transaction_parse(g.fixture, g.fixture_len, &tx) != SX_OK) {
        fprintf(stderr, "the fixture does not parse\n");
        return 2;
    }
    g.fixture_text = render(&setup, tx, SX_RECEIPT_CUSTOMER, &TEXT, &g.fixture_text_len);
    g.fixture_escpos = render(&setup, tx, SX_RECEIPT_MERCHANT, &ESCPOS, &g.fixture_escpos_len);
    sx_transaction_free(tx);

    g.creator = new_client();
    g.shared[0] = new_client();
    g.shared[1] = new_client();
    if (setup.problems != 0 || g.fixture_text == NULL || g.fixture_escpos == NULL || g.creator == NULL || g.shared[0] == NULL ||
        g.shared[1] == NULL || sx_client_use_token(g.creator, g.token) != SX_OK ||
        sx_client_use_token(g.shared[0], g.token) != SX_OK ||
        sx_client_use_client_credentials(g.shared[1], "sandbox-client", "sandbox-secret") != SX_OK ||
        sx_basket_new("EUR", &g.basket) != SX_OK ||
        sx_basket_add_product(g.basket, "Race item", NULL, NULL, 1, 250, 19) != SX_OK) {
        fprintf(stderr, "setting up failed\n");
        return 2;
    }

    static struct worker workers[] = {
        { .body = start_thread },        { .body = start_thread },        { .body = start_thread },
        { .body = start_thread },        { .body = start_thread },        { .body = parse_thread },
        { .body = parse_thread },        { .body = parse_thread },        { .body = client_start_thread },
        { .body = client_start_thread }, { .body = client_start_thread }, { .body = client_start_thread },
        { .body = get_thread },          { .body = get_thread },          { .body = get_thread },
        { .body = get_thread },
        /* The threads that change what the calls depend on. */
        { .body = shutdown_thread },     { .body = base_url_thread },     { .body = timeouts_thread },
        { .body = client_churn_thread }, { .body = client_churn_thread },
    };
    const size_t nworkers = sizeof workers / sizeof workers[0];
    for (size_t i = 0; i < nworkers; i++) {
        workers[i].index = (unsigned)i;
        workers[i].random = 0x9E3779B97F4A7C15ULL * (i + 1);
        if (pthread_create(&workers[i].thread, NULL, workers[i].body, &workers[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += seconds;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0) {
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);

    unsigned long totals[KINDS][NCODES + 1];
    memset(totals, 0, sizeof totals);
    unsigned long problems = 0;
    FILE *ids = fopen(argv[7], "w");
    for (size_t i = 0; i < nworkers; i++) {
        struct worker *w = &workers[i];
        pthread_join(w->thread, NULL);
        for (int k = 0; k < KINDS; k++) {
            for (size_t c = 0; c <= NCODES; c++) {
                totals[k][c] += w->counts[k][c];
            }
        }
        problems += w->problems;
        if (w->problem[0] != '\0') {
            printf("problem=%s\n", w->problem);
        }
        for (size_t s = 0; s < w->started_len && ids != NULL; s++) {
            fprintf(ids, "%s %u\n", w->started[s].id, (unsigned)w->started[s].result);
        }
        free(w->started);
    }
    int ids_written = ids != NULL && fclose(ids) == 0;

    unsigned long undocumented = 0;
    for (int k = 0; k < KINDS; k++) {
        unsigned long calls = 0;
        for (size_t c = 0; c <= NCODES; c++) {
            calls += totals[k][c];
            if (totals[k][c] == 0) {
                continue;
            }
            printf("%s.%s=%lu\n", KIND_NAMES[k], c < NCODES ? sx_result_name(CODES[c]) : "UNDOCUMENTED",
                   totals[k][c]);
        }
        printf("calls.%s=%lu\n", KIND_NAMES[k], calls);
        undocumented += totals[k][NCODES];
    }
    printf("undocumented=%lu\nproblems=%lu\nids_written=%d\n", undocumented, problems, ids_written);

    sx_client_free(g.creator);
    sx_client_free(g.shared[0]);
    sx_client_free(g.shared[1]);
    sx_basket_free(g.basket);
    free(g.fixture_text);
    free(g.fixture_escpos);
    free(fixture);
    sx_shutdown();
    return undocumented == 0 && problems == 0 && ids_written ? 0 : 1;
}
