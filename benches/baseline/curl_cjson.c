/*
 * Baseline for the smartx benchmark: what an experienced C register developer writes by hand with
 * libcurl + cJSON to start cash payments. Built and run by benches/start_cash/baseline.rs.
 *
 *   curl_cjson round-trip BASE_URL PREFIX FIRST COUNT
 *       token from env SX_BENCH_TOKEN (kept out of argv so `ps` never shows it).
 *       Starts {PREFIX}_{FIRST} once as warm-up (connection set up), then {PREFIX}_{FIRST+1} ..
 *       {PREFIX}_{FIRST+COUNT} one after another on the same keep-alive handle.
 *       Prints:  baseline round_trip calls=N wall_ns=W cpu_us=C
 *                baseline latencies_ns L1 L2 ... LN
 *   curl_cjson sales BASE_URL CA_FILE PREFIX COUNT GAP_MS
 *       client id and secret from env SX_BENCH_CLIENT_ID, SX_BENCH_CLIENT_SECRET. A register's day (benches/
 *       latency.rs): a cold process with no token; COUNT sales {PREFIX}_1 .. {PREFIX}_COUNT, GAP_MS apart. Each
 *       sale gets a token first if it has none (POST /oauth/token, client_credentials), then starts cash, on one
 *       keep-alive handle (a connection the server closed meanwhile is replaced by libcurl).
 *       Prints:  baseline sales_ns L1 .. LN   (the wall time of each sale's payment, token included)
 *   curl_cjson parse FILE ITERS WARMUP
 *       cJSON_Parse + walk of "receipt" and "receipt_merchant" + cJSON_Delete, ITERS times.
 *       Prints:  baseline parse iters=N wall_ns=W
 *
 * Exit code 0 on success; any failed call aborts with a message on stderr and exit code 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <cJSON.h>
#include <curl/curl.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Response buffer that grows by doubling and is reused across calls (no malloc per call once warm). */
struct body {
    char *data;
    size_t len;
    size_t cap;
};

static size_t body_write(char *ptr, size_t size, size_t nmemb, void *userdata) {
    struct body *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (b->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) return 0; /* makes curl fail with CURLE_WRITE_ERROR */
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
           (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static const char *string_or_empty(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : "";
}

/* Reads every receipt line the way a register does before printing: type, the strings and the decoration
 * flags. Returns a checksum so the compiler cannot drop the work. */
static size_t walk_receipt(const cJSON *lines) {
    size_t sum = 0;
    const cJSON *line;
    cJSON_ArrayForEach(line, lines) {
        const char *type = string_or_empty(line, "type");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(line, "value");
        sum += strlen(type);
        sum += strlen(string_or_empty(value, "caption"));
        sum += strlen(string_or_empty(value, "text"));
        sum += strlen(string_or_empty(value, "name"));
        sum += strlen(string_or_empty(value, "value"));
        const cJSON *deco;
        cJSON_ArrayForEach(deco, cJSON_GetObjectItemCaseSensitive(value, "decoration")) {
            if (!cJSON_IsString(deco)) continue;
            if (strcmp(deco->valuestring, "important") == 0) sum += 1;
            else if (strcmp(deco->valuestring, "align-center") == 0) sum += 4;
            else if (strcmp(deco->valuestring, "align-left") == 0 ||
                     strcmp(deco->valuestring, "align_left") == 0) sum += 2;
            else if (strcmp(deco->valuestring, "align-right") == 0 ||
                     strcmp(deco->valuestring, "align_right") == 0) sum += 8;
        }
    }
    return sum;
}

static size_t walk_transaction(const cJSON *tx) {
    return walk_receipt(cJSON_GetObjectItemCaseSensitive(tx, "receipt")) +
           walk_receipt(cJSON_GetObjectItemCaseSensitive(tx, "receipt_merchant"));
}

/* One start/cash call: POST, check HTTP 200 and "status":"ok", walk the customer receipt. */
static int start_cash(CURL *curl, struct body *b, const char *base_url, const char *id, size_t *checksum) {
    char url[512];
    int n = snprintf(url, sizeof url, "%s/api/v2/Smart/Transactions/%s/start/cash", base_url, id);
    if (n < 0 || (size_t)n >= sizeof url) {
        fprintf(stderr, "baseline: URL too long\n");
        return -1;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    b->len = 0;
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "baseline: %s: %s\n", id, curl_easy_strerror(rc));
        return -1;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        fprintf(stderr, "baseline: %s: HTTP %ld\n", id, status);
        return -1;
    }
    cJSON *tx = cJSON_ParseWithLength(b->data, b->len);
    if (!tx) {
        fprintf(stderr, "baseline: %s: answer is not JSON\n", id);
        return -1;
    }
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(tx, "status");
    int ok = cJSON_IsString(st) && strcmp(st->valuestring, "ok") == 0;
    if (ok) *checksum += walk_receipt(cJSON_GetObjectItemCaseSensitive(tx, "receipt"));
    cJSON_Delete(tx);
    if (!ok) {
        fprintf(stderr, "baseline: %s: status is not ok\n", id);
        return -1;
    }
    return 0;
}

static int round_trip(const char *base_url, const char *prefix, unsigned long first, unsigned long count) {
    const char *token = getenv("SX_BENCH_TOKEN");
    if (!token || !*token) {
        fprintf(stderr, "baseline: SX_BENCH_TOKEN is not set\n");
        return 1;
    }
    uint64_t *lat = calloc(count ? count : 1, sizeof *lat);
    if (!lat) return 1;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    if (!curl) return 1;

    char authorization[4200], authenticate[4200];
    snprintf(authorization, sizeof authorization, "Authorization: Bearer %s", token);
    snprintf(authenticate, sizeof authenticate, "Authenticate: Bearer %s", token);
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, authorization);
    headers = curl_slist_append(headers, authenticate);
    headers = curl_slist_append(headers, "Content-Type:"); /* no body, so no form content type */
    headers = curl_slist_append(headers, "Expect:");

    struct body b = {0};
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "register-baseline/1.0");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, body_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* timeouts without SIGALRM: safe in a threaded register */
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);

    char id[256];
    size_t checksum = 0;
    int failed = 0;

    snprintf(id, sizeof id, "%s_%lu", prefix, first);
    failed = start_cash(curl, &b, base_url, id, &checksum) != 0;

    uint64_t cpu0 = cpu_us();
    uint64_t t0 = now_ns();
    for (unsigned long i = 0; i < count && !failed; i++) {
        snprintf(id, sizeof id, "%s_%lu", prefix, first + 1 + i);
        uint64_t s = now_ns();
        failed = start_cash(curl, &b, base_url, id, &checksum) != 0;
        lat[i] = now_ns() - s;
    }
    uint64_t wall = now_ns() - t0;
    uint64_t cpu = cpu_us() - cpu0;

    if (!failed) {
        printf("baseline round_trip calls=%lu wall_ns=%llu cpu_us=%llu checksum=%zu\n", count,
               (unsigned long long)wall, (unsigned long long)cpu, checksum);
        printf("baseline latencies_ns");
        for (unsigned long i = 0; i < count; i++) printf(" %llu", (unsigned long long)lat[i]);
        printf("\n");
    }

    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    free(b.data);
    free(lat);
    return failed;
}

/* POST /oauth/token with the client credentials; the access token into `token`. */
static int get_token(CURL *curl, struct body *b, const char *base_url, char *token, size_t cap) {
    const char *id = getenv("SX_BENCH_CLIENT_ID"), *secret = getenv("SX_BENCH_CLIENT_SECRET");
    if (!id || !secret) {
        fprintf(stderr, "baseline: SX_BENCH_CLIENT_ID and SX_BENCH_CLIENT_SECRET are not set\n");
        return -1;
    }
    char url[512], form[1024];
    snprintf(url, sizeof url, "%s/oauth/token", base_url);
    char *id_q = curl_easy_escape(curl, id, 0), *secret_q = curl_easy_escape(curl, secret, 0);
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", id_q, secret_q);
    curl_free(id_q);
    curl_free(secret_q);
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
    b->len = 0;
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "baseline: token: %s, HTTP %ld\n", curl_easy_strerror(rc), status);
        return -1;
    }
    cJSON *answer = cJSON_ParseWithLength(b->data, b->len);
    const char *access = string_or_empty(answer, "access_token");
    int ok = *access && strlen(access) < cap;
    if (ok) strcpy(token, access);
    cJSON_Delete(answer);
    if (!ok) fprintf(stderr, "baseline: the token answer holds no access_token\n");
    return ok ? 0 : -1;
}

static int sales(const char *base_url, const char *ca_file, const char *prefix, unsigned long count,
                 unsigned long gap_ms) {
    uint64_t *lat = calloc(count ? count : 1, sizeof *lat);
    if (!lat) return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    if (!curl) return 1;
    struct body b = {0};
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "register-baseline/1.0");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, body_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);

    char token[4096] = "", authorization[4200], authenticate[4200], id[256];
    struct curl_slist *headers = NULL;
    size_t checksum = 0;
    int failed = 0;
    for (unsigned long i = 0; i < count && !failed; i++) {
        if (i > 0) {
            struct timespec gap = {(time_t)(gap_ms / 1000), (long)(gap_ms % 1000) * 1000000L};
            nanosleep(&gap, NULL);
        }
        uint64_t s = now_ns();
        if (!*token) {
            failed = get_token(curl, &b, base_url, token, sizeof token) != 0;
            if (failed) break;
            snprintf(authorization, sizeof authorization, "Authorization: Bearer %s", token);
            snprintf(authenticate, sizeof authenticate, "Authenticate: Bearer %s", token);
            headers = curl_slist_append(headers, "Accept: application/json");
            headers = curl_slist_append(headers, authorization);
            headers = curl_slist_append(headers, authenticate);
            headers = curl_slist_append(headers, "Content-Type:");
            headers = curl_slist_append(headers, "Expect:");
            curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
        }
        snprintf(id, sizeof id, "%s_%lu", prefix, i + 1);
        failed = start_cash(curl, &b, base_url, id, &checksum) != 0;
        lat[i] = now_ns() - s;
    }
    if (!failed) {
        printf("baseline sales_ns");
        for (unsigned long i = 0; i < count; i++) printf(" %llu", (unsigned long long)lat[i]);
        printf("\n");
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    free(b.data);
    free(lat);
    return failed;
}

static int parse(const char *path, unsigned long iters, unsigned long warmup) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    char *json = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *grown = realloc(json, cap);
            if (!grown) return 1;
            json = grown;
        }
        size_t n = fread(json + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    fclose(f);

    size_t checksum = 0;
    uint64_t t0 = 0;
    for (unsigned long i = 0; i < warmup + iters; i++) {
        if (i == warmup) t0 = now_ns();
        cJSON *tx = cJSON_ParseWithLength(json, len);
        if (!tx) {
            fprintf(stderr, "baseline: %s is not JSON\n", path);
            return 1;
        }
        checksum += walk_transaction(tx);
        cJSON_Delete(tx);
    }
    uint64_t wall = now_ns() - t0;
    printf("baseline parse iters=%lu wall_ns=%llu checksum=%zu\n", iters, (unsigned long long)wall, checksum);
    free(json);
    return 0;
}

static unsigned long number(const char *s) {
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end) {
        fprintf(stderr, "baseline: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    if (argc == 6 && strcmp(argv[1], "round-trip") == 0)
        return round_trip(argv[2], argv[3], number(argv[4]), number(argv[5]));
    if (argc == 5 && strcmp(argv[1], "parse") == 0) return parse(argv[2], number(argv[3]), number(argv[4]));
    if (argc == 7 && strcmp(argv[1], "sales") == 0)
        return sales(argv[2], argv[3], argv[4], number(argv[5]), number(argv[6]));
    fprintf(stderr,
            "usage: %s round-trip BASE_URL PREFIX FIRST COUNT   (token in env SX_BENCH_TOKEN)\n"
            "       %s sales BASE_URL CA_FILE PREFIX COUNT GAP_MS   (client in env SX_BENCH_CLIENT_ID, _SECRET)\n"
            "       %s parse FILE ITERS WARMUP\n",
            argv[0], argv[0], argv[0]);
    return 2;
}
