/*
 * nulls: every function of the C API with NULL pointers, bad arguments and the buffer rule,
 * plus the receipt walk over both fixtures. No network: the base URL points at a closed
 * loopback port, so a call that wrongly sends something shows up as SX_ERR_CONNECT.
 *
 *   nulls <fixtures/start-cash-response.json> <fixtures/start-cashless-response.json>
 *
 * Prints one line per failed check and "N passed, N failed"; exits 1 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartx.h"
#include "check.h"

#define CANARY 0x5A
#define SECRET_TOKEN "tok-NULLS-SECRET-7c1e"

#define CHECK_STR(got, want)                                                              \
    do {                                                                                  \
        const char *got_s_ = (got);                                                       \
        int ok_ = got_s_ != NULL && strcmp(got_s_, (want)) == 0;                          \
        check(ok_, #got " == \"" want "\"", __LINE__);                                    \
        if (!ok_) {                                                                       \
            printf("    got \"%s\"\n", got_s_ != NULL ? got_s_ : "(NULL)");               \
        }                                                                                 \
    } while (0)

static int all_bytes(const void *p, size_t n, unsigned char value)
{
    const unsigned char *bytes = p;
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] != value) {
            return 0;
        }
    }
    return 1;
}

/* This thread's last error message (static buffer, "" when there is none). */
static const char *last_message(void)
{
    static char text[4096];
    size_t len = 0;
    text[0] = '\0';
    if (sx_last_error_message(text, sizeof text, &len) != SX_OK) {
        return "(sx_last_error_message failed)";
    }
    return text;
}

static size_t last_message_len(void)
{
    size_t len = 12345;
    sx_result r = sx_last_error_message(NULL, 0, &len);
    return r == SX_ERR_BUFFER_TOO_SMALL ? len : (size_t)-1;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("cannot open %s\n", path);
        exit(2);
    }
    char *data = NULL;
    size_t size = 0;
    size_t cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap == 0 ? 8192 : cap * 2;
            data = realloc(data, cap);
            if (data == NULL) {
                exit(2);
            }
        }
        size_t n = fread(data + size, 1, cap - size, f);
        if (n == 0) {
            break;
        }
        size += n;
    }
    fclose(f);
    *len = size;
    return data;
}

static void test_version_and_names(void)
{
    const char *version = sx_version();
    CHECK(version != NULL && version[0] >= '0' && version[0] <= '9');

    static const struct {
        sx_result value;
        const char *name;
    } names[] = {
        {SX_OK, "SX_OK"},
        {SX_ERR_NULL_ARGUMENT, "SX_ERR_NULL_ARGUMENT"},
        {SX_ERR_INVALID_ARGUMENT, "SX_ERR_INVALID_ARGUMENT"},
        {SX_ERR_BUFFER_TOO_SMALL, "SX_ERR_BUFFER_TOO_SMALL"},
        {SX_ERR_OUT_OF_RANGE, "SX_ERR_OUT_OF_RANGE"},
        {SX_ERR_CONNECT, "SX_ERR_CONNECT"},
        {SX_ERR_OUTCOME_UNKNOWN, "SX_ERR_OUTCOME_UNKNOWN"},
        {SX_ERR_TLS, "SX_ERR_TLS"},
        {SX_ERR_UNAUTHORIZED, "SX_ERR_UNAUTHORIZED"},
        {SX_ERR_API, "SX_ERR_API"},
        {SX_ERR_HTTP, "SX_ERR_HTTP"},
        {SX_ERR_BAD_RESPONSE, "SX_ERR_BAD_RESPONSE"},
        {SX_ERR_NOT_OK, "SX_ERR_NOT_OK"},
        {SX_ERR_PANIC, "SX_ERR_PANIC"},
    };
    size_t count = sizeof names / sizeof names[0];
    for (size_t i = 0; i < count; i++) {
        const char *got = sx_result_name(names[i].value);
        int ok = got != NULL && strcmp(got, names[i].name) == 0;
        check(ok, names[i].name, __LINE__);
        if (!ok) {
            printf("    sx_result_name(%u) = \"%s\"\n", (unsigned)names[i].value, got ? got : "(NULL)");
        }
    }

    const sx_result unknown[] = {5, 9, 13, 32, 98, 100, 1000, UINT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *got = sx_result_name(unknown[i]);
        CHECK(got != NULL && got[0] != '\0');
        for (size_t k = 0; got != NULL && k < count; k++) {
            CHECK(strcmp(got, names[k].name) != 0);
        }
    }
}

/* The one string-out rule, shown on sx_last_error_message and sx_last_response. */
static void test_string_buffers(void)
{
    size_t len = 777;
    CHECK(sx_last_http_status() == 0);
    CHECK_RESULT(sx_last_response(NULL, 0, &len), SX_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 0); /* no call made yet: no response */

    CHECK_RESULT(sx_set_base_url("ftp://x"), SX_ERR_INVALID_ARGUMENT);
    size_t message_len = last_message_len();
    CHECK(message_len > 0 && message_len != (size_t)-1);
    char message[4096];
    snprintf(message, sizeof message, "%s", last_message());
    CHECK(strlen(message) == message_len);

    /* Pointer misuse in the getters: NULL_ARGUMENT, and the stored message stays. */
    CHECK_RESULT(sx_last_error_message(NULL, 0, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_last_error_message(NULL, 16, &len), SX_ERR_NULL_ARGUMENT);
    char small[16];
    CHECK_RESULT(sx_last_error_message(small, sizeof small, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_last_response(NULL, 16, &len), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_last_response(small, sizeof small, NULL), SX_ERR_NULL_ARGUMENT);

    /* Exact fit: the bytes, a NUL, and the length without it. */
    char *exact = malloc(message_len + 1);
    if (exact == NULL) {
        exit(2);
    }
    len = 0;
    CHECK_RESULT(sx_last_error_message(exact, message_len + 1, &len), SX_OK);
    CHECK(len == message_len);
    CHECK(exact[message_len] == '\0' && strcmp(exact, message) == 0);

    /* One byte short: BUFFER_TOO_SMALL, the needed length, and not a byte written. */
    memset(exact, CANARY, message_len + 1);
    len = 0;
    CHECK_RESULT(sx_last_error_message(exact, message_len, &len), SX_ERR_BUFFER_TOO_SMALL);
    CHECK(len == message_len);
    CHECK(all_bytes(exact, message_len + 1, CANARY));
    free(exact);

    /* The getters never change the stored message, whatever they returned. */
    CHECK(strcmp(last_message(), message) == 0);

    /* Success clears it. */
    CHECK_RESULT(sx_set_base_url("http://127.0.0.1:1"), SX_OK);
    CHECK(last_message_len() == 0);
    char empty[1] = {CANARY};
    len = 99;
    CHECK_RESULT(sx_last_error_message(empty, 1, &len), SX_OK);
    CHECK(len == 0 && empty[0] == '\0');
}

static void test_set_base_url(void)
{
    CHECK_RESULT(sx_set_base_url(NULL), SX_ERR_NULL_ARGUMENT);
    CHECK(last_message_len() > 0);
    CHECK_RESULT(sx_set_base_url("http://example.com"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url("http://192.0.2.1:1"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url("http://10.255.255.1:9"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url("ftp://x"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url(""), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url("not a url"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url("http://127.0.0.1:1/\xff"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_set_base_url("https://\xc3\x28.example"), SX_ERR_INVALID_ARGUMENT);

    CHECK_RESULT(sx_set_base_url("https://connect-testing.secuconnect.com"), SX_OK);
    CHECK_RESULT(sx_set_base_url("http://localhost:1"), SX_OK);
    CHECK_RESULT(sx_set_base_url("http://[::1]:1"), SX_OK);
    CHECK_RESULT(sx_set_base_url("http://127.1.2.3:1"), SX_OK);
    /* From here on: a closed loopback port, so anything sent by mistake gives SX_ERR_CONNECT. */
    CHECK_RESULT(sx_set_base_url("http://127.0.0.1:1"), SX_OK);

    CHECK_RESULT(sx_set_timeouts(0, 0), SX_OK);
    CHECK_RESULT(sx_set_timeouts(1000, 2000), SX_OK);
}

/* A start_cash that must be refused before anything is sent. */
static void expect_refused(const char *id, const char *token, sx_result want, int line)
{
    char buf[64];
    memset(buf, CANARY, sizeof buf);
    size_t len = 4242;
    sx_result got = sx_start_cash(id, token, buf, sizeof buf, &len);
    check(got == want, "sx_start_cash refused with the expected result", line);
    if (got != want) {
        printf("    got %s, want %s\n", sx_result_name(got), sx_result_name(want));
    }
    check(len == 0, "out_len == 0 when nothing was sent", line);
    check(sx_last_http_status() == 0, "no HTTP status when nothing was sent", line);
    const char *message = last_message();
    check(message[0] != '\0', "a refused call leaves a message", line);
    check(strstr(message, SECRET_TOKEN) == NULL, "the message never holds the token", line);
}

static void test_start_cash_arguments(void)
{
    const char *id = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2";
    char buf[64];
    size_t len = 1;

    expect_refused(NULL, SECRET_TOKEN, SX_ERR_NULL_ARGUMENT, __LINE__);
    expect_refused(id, NULL, SX_ERR_NULL_ARGUMENT, __LINE__);
    CHECK_RESULT(sx_start_cash(id, SECRET_TOKEN, buf, sizeof buf, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_start_cash(id, SECRET_TOKEN, NULL, 10, &len), SX_ERR_NULL_ARGUMENT);

    char long_id[130];
    memset(long_id, 'A', 129);
    long_id[129] = '\0';
    static char long_token[4098];
    memset(long_token, 'T', 4097);
    long_token[4097] = '\0';

    expect_refused("", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused("STX/1", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused("STX 1", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused("STX_1?x=1", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused("..", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused(long_id, SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused("STX_\xff", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused("STX_\xc3\xa4", SECRET_TOKEN, SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused(id, "", SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused(id, "tok en", SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused(id, SECRET_TOKEN "\r\nX-Evil: 1", SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused(id, SECRET_TOKEN "\xff", SX_ERR_INVALID_ARGUMENT, __LINE__);
    expect_refused(id, long_token, SX_ERR_INVALID_ARGUMENT, __LINE__);

    /* The limits themselves are valid: 128 id characters and 4096 token characters reach
     * the (closed) server, which proves the checks passed. */
    long_id[128] = '\0';
    long_token[4096] = '\0';
    CHECK_RESULT(sx_start_cash(long_id, SECRET_TOKEN, buf, sizeof buf, &len), SX_ERR_CONNECT);
    CHECK_RESULT(sx_start_cash(id, long_token, buf, sizeof buf, &len), SX_ERR_CONNECT);
    CHECK(strstr(last_message(), long_token) == NULL);
}

static void test_parse_errors(void)
{
    char sentinel_storage[8];
    sx_transaction *const sentinel = (sx_transaction *)(void *)sentinel_storage;
    sx_transaction *tx = NULL;

    CHECK_RESULT(sx_transaction_parse(NULL, 5, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_parse("{}", 2, NULL), SX_ERR_NULL_ARGUMENT);

    static const struct {
        const char *json;
        const char *why;
    } bad[] = {
        {"", "empty"},
        {"{\"id\":", "truncated JSON"},
        {"{\"id\":\"STX_\xff\"}", "bad UTF-8 in a string"},
        {"{\"id\":\"\xc3\"}", "a cut UTF-8 sequence"},
        {"[]", "an array"},
        {"[{\"receipt\":[]}]", "an array holding an object"},
        {"null", "null"},
        {"42", "a number"},
        {"\"text\"", "a string"},
        {"{} {}", "two documents"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tx = sentinel;
        sx_result r = sx_transaction_parse(bad[i].json, strlen(bad[i].json), &tx);
        check(r == SX_ERR_INVALID_ARGUMENT, bad[i].why, __LINE__);
        if (r != SX_ERR_INVALID_ARGUMENT) {
            printf("    got %s\n", sx_result_name(r));
        }
        check(tx == sentinel, "*out untouched on failure", __LINE__);
        check(last_message_len() > 0, "a parse failure leaves a message", __LINE__);
        if (r == SX_OK && tx != sentinel) {
            sx_transaction_free(tx);
        }
    }

    /* len counts: the bytes after it are not read, so no NUL is needed. */
    const char not_terminated[] = {'{', '}', 'x', 'x'};
    tx = NULL;
    CHECK_RESULT(sx_transaction_parse(not_terminated, 2, &tx), SX_OK);
    CHECK(tx != NULL);
    CHECK(last_message_len() == 0);
    CHECK(sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 0);
    CHECK(sx_receipt_count(tx, SX_RECEIPT_MERCHANT) == 0);
    sx_transaction_free(tx);

    sx_transaction_free(NULL);
    CHECK(sx_receipt_count(NULL, SX_RECEIPT_CUSTOMER) == 0);
    CHECK(sx_receipt_count(NULL, SX_RECEIPT_MERCHANT) == 0);
}

static void check_strings_not_null(const sx_receipt_line *line, int source_line)
{
    check(line->type != NULL && line->caption != NULL && line->text != NULL && line->name != NULL &&
              line->value != NULL,
          "the five strings are never NULL", source_line);
}

/* Reads one line; on failure the result is printed and kind is set to UINT32_MAX. */
static sx_receipt_line get_line(const sx_transaction *tx, uint32_t which, size_t index, int source_line)
{
    sx_receipt_line line;
    memset(&line, 0, sizeof line);
    sx_result r = sx_receipt_line_get(tx, which, index, &line);
    check(r == SX_OK, "sx_receipt_line_get", source_line);
    if (r != SX_OK) {
        printf("    which %u index %zu: %s\n", (unsigned)which, index, sx_result_name(r));
        line.kind = UINT32_MAX;
        line.type = line.caption = line.text = line.name = line.value = "";
        return line;
    }
    check_strings_not_null(&line, source_line);
    return line;
}

static sx_transaction *parse_file(const char *path)
{
    size_t len = 0;
    char *json = read_file(path, &len);
    sx_transaction *tx = NULL;
    sx_result r = sx_transaction_parse(json, len, &tx);
    free(json); /* the transaction owns copies of everything it needs */
    check(r == SX_OK && tx != NULL, path, __LINE__);
    if (r != SX_OK) {
        printf("    %s: %s\n", sx_result_name(r), last_message());
        return NULL;
    }
    return tx;
}

static void test_line_errors(const sx_transaction *tx)
{
    sx_receipt_line line;
    size_t count = sx_receipt_count(tx, SX_RECEIPT_CUSTOMER);

    memset(&line, CANARY, sizeof line);
    CHECK_RESULT(sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, count, &line), SX_ERR_OUT_OF_RANGE);
    CHECK(all_bytes(&line, sizeof line, CANARY));
    CHECK_RESULT(sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, SIZE_MAX, &line), SX_ERR_OUT_OF_RANGE);
    CHECK(all_bytes(&line, sizeof line, CANARY));
    CHECK_RESULT(sx_receipt_line_get(tx, 2, 0, &line), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_receipt_line_get(tx, UINT32_MAX, 0, &line), SX_ERR_INVALID_ARGUMENT);
    CHECK(all_bytes(&line, sizeof line, CANARY));
    CHECK(sx_receipt_count(tx, 2) == 0);
    CHECK_RESULT(sx_receipt_line_get(NULL, SX_RECEIPT_CUSTOMER, 0, &line), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, 0, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK(all_bytes(&line, sizeof line, CANARY));
}

static void test_seed_fixture(const char *path)
{
    sx_transaction *tx = parse_file(path);
    if (tx == NULL) {
        return;
    }
    CHECK(sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 4);
    CHECK(sx_receipt_count(tx, SX_RECEIPT_MERCHANT) == 0);

    sx_receipt_line line = get_line(tx, SX_RECEIPT_CUSTOMER, 0, __LINE__);
    CHECK(line.kind == SX_LINE_SEPARATOR);
    CHECK(line.decorations == 0);
    CHECK_STR(line.type, "separator");
    CHECK_STR(line.caption, "Kundenkarte");
    CHECK_STR(line.text, "");
    const char *kept_caption = line.caption; /* stays valid until sx_transaction_free */

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 1, __LINE__);
    CHECK(line.kind == SX_LINE_NAME_VALUE);
    CHECK(line.decorations == 0);
    CHECK_STR(line.type, "name-value");
    CHECK_STR(line.name, "Kartennummer:");
    CHECK_STR(line.value, "9276004429942845");
    CHECK_STR(line.caption, "");

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 2, __LINE__);
    CHECK(line.kind == SX_LINE_NAME_VALUE);
    CHECK_STR(line.name, "TA Code:");
    CHECK_STR(line.value, "29008410");

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 3, __LINE__);
    CHECK(line.kind == SX_LINE_SPACE);
    CHECK(line.decorations == 0);
    CHECK_STR(line.type, "space");
    CHECK_STR(line.caption, "");
    CHECK_STR(line.text, "");
    CHECK_STR(line.name, "");
    CHECK_STR(line.value, "");

    CHECK_STR(kept_caption, "Kundenkarte");
    test_line_errors(tx);
    sx_transaction_free(tx);
}

static void test_cashless_fixture(const char *path)
{
    sx_transaction *tx = parse_file(path);
    if (tx == NULL) {
        return;
    }
    CHECK(sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 9);
    CHECK(sx_receipt_count(tx, SX_RECEIPT_MERCHANT) == 4);

    static const struct {
        uint32_t which;
        uint32_t kind;
        uint32_t decorations;
        const char *type;
        const char *key; /* caption, text or name */
        const char *value;
    } want[] = {
        {SX_RECEIPT_CUSTOMER, SX_LINE_SEPARATOR, 0, "separator", "Kartenzahlung", ""},
        {SX_RECEIPT_CUSTOMER, SX_LINE_TEXT, SX_DECO_ALIGN_CENTER, "textline", "* * Kundenbeleg * *", ""},
        {SX_RECEIPT_CUSTOMER, SX_LINE_SPACE, 0, "space", "", ""},
        {SX_RECEIPT_CUSTOMER, SX_LINE_NAME_VALUE, 0, "name-value", "Beleg-Nr.", "0003"},
        {SX_RECEIPT_CUSTOMER, SX_LINE_NAME_VALUE, SX_DECO_IMPORTANT, "name-value", "Betrag EUR",
         "5,30 \xe2\x82\xac"},
        {SX_RECEIPT_CUSTOMER, SX_LINE_TEXT, SX_DECO_ALIGN_CENTER | SX_DECO_IMPORTANT, "textline",
         "Karte akzeptiert", ""},
        {SX_RECEIPT_CUSTOMER, SX_LINE_SEPARATOR, 0, "separator", "", ""},
        {SX_RECEIPT_CUSTOMER, SX_LINE_TEXT, 0, "textline",
         "Vielen Dank f\xc3\xbcr Ihren Einkauf bei B\xc3\xa4" "ckerei M\xc3\xbcller & S\xc3\xb6hne. "
         "Bitte bewahren Sie diesen Beleg f\xc3\xbcr R\xc3\xbc" "ckfragen auf.",
         ""},
        {SX_RECEIPT_CUSTOMER, SX_LINE_NAME_VALUE, SX_DECO_ALIGN_RIGHT, "name-value", "Terminal-ID",
         "52500123"},
        {SX_RECEIPT_MERCHANT, SX_LINE_SEPARATOR, 0, "separator", "Kartenzahlung", ""},
        {SX_RECEIPT_MERCHANT, SX_LINE_TEXT, SX_DECO_ALIGN_CENTER, "textline",
         "* * H\xc3\xa4ndlerbeleg * *", ""},
        {SX_RECEIPT_MERCHANT, SX_LINE_NAME_VALUE, SX_DECO_IMPORTANT, "name-value", "Betrag EUR", "5,30"},
        {SX_RECEIPT_MERCHANT, SX_LINE_TEXT, SX_DECO_ALIGN_RIGHT, "textline", "Unterschrift umseitig", ""},
    };
    size_t index = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (i > 0 && want[i].which != want[i - 1].which) {
            index = 0;
        }
        sx_receipt_line line = get_line(tx, want[i].which, index++, __LINE__);
        const char *key = want[i].kind == SX_LINE_SEPARATOR ? line.caption
                          : want[i].kind == SX_LINE_TEXT    ? line.text
                                                            : line.name;
        int ok = line.kind == want[i].kind && line.decorations == want[i].decorations &&
                 strcmp(line.type, want[i].type) == 0 && strcmp(key, want[i].key) == 0 &&
                 strcmp(want[i].kind == SX_LINE_NAME_VALUE ? line.value : "", want[i].value) == 0;
        check(ok, "cashless receipt line as in the fixture", __LINE__);
        if (!ok) {
            printf("    which %u line %zu: kind %u deco %u type \"%s\" key \"%s\" value \"%s\"\n",
                   (unsigned)want[i].which, index - 1, (unsigned)line.kind, (unsigned)line.decorations,
                   line.type, key, line.value);
        }
    }
    test_line_errors(tx);
    sx_transaction_free(tx);
}

/* Unknown line types and decorations never fail a receipt: kept, ignored for layout. */
static void test_lenient_lines(void)
{
    const char *json = "{\"status\":\"ok\",\"receipt\":["
                       "{\"type\":\"barcode\",\"value\":{\"code\":\"123\"}},"
                       "{\"type\":\"textline\"},"
                       "{\"type\":\"textline\",\"value\":{\"text\":\"a\","
                       "\"decoration\":[\"blink\",\"important\",\"align_left\"]}},"
                       "{\"type\":\"name-value\",\"value\":{\"name\":\"n\",\"value\":\"v\","
                       "\"decoration\":[\"align-left\",\"align-right\"]}},"
                       "{\"type\":\"separator\"}"
                       "],\"receipt_merchant\":[]}";
    sx_transaction *tx = NULL;
    CHECK_RESULT(sx_transaction_parse(json, strlen(json), &tx), SX_OK);
    if (tx == NULL) {
        return;
    }
    CHECK(sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 5);
    CHECK(sx_receipt_count(tx, SX_RECEIPT_MERCHANT) == 0);

    sx_receipt_line line = get_line(tx, SX_RECEIPT_CUSTOMER, 0, __LINE__);
    CHECK(line.kind == SX_LINE_UNKNOWN);
    CHECK_STR(line.type, "barcode");
    CHECK_STR(line.text, "");

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 1, __LINE__);
    CHECK(line.kind == SX_LINE_TEXT);
    CHECK(line.decorations == 0);
    CHECK_STR(line.text, "");

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 2, __LINE__);
    CHECK(line.kind == SX_LINE_TEXT);
    CHECK(line.decorations == (SX_DECO_IMPORTANT | SX_DECO_ALIGN_LEFT));
    CHECK_STR(line.text, "a");

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 3, __LINE__);
    CHECK(line.kind == SX_LINE_NAME_VALUE);
    CHECK(line.decorations == (SX_DECO_ALIGN_LEFT | SX_DECO_ALIGN_RIGHT));

    line = get_line(tx, SX_RECEIPT_CUSTOMER, 4, __LINE__);
    CHECK(line.kind == SX_LINE_SEPARATOR);
    CHECK_STR(line.caption, "");
    sx_transaction_free(tx);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <start-cash-response.json> <start-cashless-response.json>\n", argv[0]);
        return 2;
    }
    test_version_and_names();
    test_string_buffers();
    test_set_base_url();
    test_start_cash_arguments();
    test_parse_errors();
    test_seed_fixture(argv[1]);
    test_cashless_fixture(argv[2]);
    test_lenient_lines();
    sx_shutdown();

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
