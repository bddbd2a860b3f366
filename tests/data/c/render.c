/*
 * render: sx_receipt_render through the C ABI: options refused or taken, NULL pointers, the
 * buffer rule on binary output, and the struct as a C compiler lays it out.
 *
 *   render <fixtures/start-cashless-response.json>
 *
 * Prints key=value lines (constants, layout), one line per failed check and "N passed, N failed";
 * exits 1 on any failure.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartx.h"
#include "check.h"

#define CANARY 0x5A

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("cannot open %s\n", path);
        exit(2);
    }
    char *data = malloc(1 << 20);
    *len = data != NULL ? fread(data, 1, 1 << 20, f) : 0;
    fclose(f);
    if (data == NULL) {
        exit(2);
    }
    return data;
}

static int all_canary(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != CANARY) {
            return 0;
        }
    }
    return 1;
}

/* Renders into a fresh allocation by the size query; NULL on failure. */
static unsigned char *render(const sx_transaction *tx, uint32_t which, const sx_render_options *options, size_t *len)
{
    *len = 0;
    if (sx_receipt_render(tx, which, options, NULL, 0, len) != SX_ERR_BUFFER_TOO_SMALL) {
        return NULL;
    }
    unsigned char *out = malloc(*len + 1);
    if (out != NULL && sx_receipt_render(tx, which, options, (char *)out, *len + 1, len) != SX_OK) {
        free(out);
        out = NULL;
    }
    return out;
}

/* An option that must be refused: SX_ERR_INVALID_ARGUMENT, *out_len and the buffer untouched, a message. */
static void check_refused(const sx_transaction *tx, uint32_t which, sx_render_options options, int line)
{
    unsigned char buf[64];
    memset(buf, CANARY, sizeof buf);
    size_t len = 777;
    sx_result r = sx_receipt_render(tx, which, &options, (char *)buf, sizeof buf, &len);
    char message[512] = "";
    size_t message_len = 0;
    (void)sx_last_error_message(message, sizeof message, &message_len);
    int ok = r == SX_ERR_INVALID_ARGUMENT && len == 777 && all_canary(buf, sizeof buf) && message_len > 0;
    check(ok, "refused with SX_ERR_INVALID_ARGUMENT, nothing written, a message", line);
    if (!ok) {
        printf("    columns=%u format=%u codepage=%u flags=%u which=%u: got %s, len %zu, message \"%s\"\n",
               (unsigned)options.columns, (unsigned)options.format, (unsigned)options.codepage,
               (unsigned)options.flags, (unsigned)which, sx_result_name(r), len, message);
    }
}

static int contains(const unsigned char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp(hay + i, needle, m) == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <fixtures/start-cashless-response.json>\n", argv[0]);
        return 2;
    }
    printf("SX_FORMAT_TEXT=%u\nSX_FORMAT_ESCPOS=%u\n", (unsigned)SX_FORMAT_TEXT, (unsigned)SX_FORMAT_ESCPOS);
    printf("SX_CODEPAGE_CP858=%u\nSX_CODEPAGE_CP437=%u\n", (unsigned)SX_CODEPAGE_CP858, (unsigned)SX_CODEPAGE_CP437);
    printf("SX_CODEPAGE_WINDOWS_1252=%u\nSX_CODEPAGE_ISO_8859_15=%u\n", (unsigned)SX_CODEPAGE_WINDOWS_1252,
           (unsigned)SX_CODEPAGE_ISO_8859_15);
    printf("SX_RENDER_NO_INIT=%u\nSX_RENDER_CUT=%u\n", (unsigned)SX_RENDER_NO_INIT, (unsigned)SX_RENDER_CUT);
    printf("sizeof_sx_render_options=%zu\n", sizeof(sx_render_options));
    printf("offsetof_columns=%zu\noffsetof_format=%zu\n", offsetof(sx_render_options, columns),
           offsetof(sx_render_options, format));
    printf("offsetof_codepage=%zu\noffsetof_flags=%zu\n", offsetof(sx_render_options, codepage),
           offsetof(sx_render_options, flags));
    /* The exact signature of the contract. */
    sx_result (*pinned)(const sx_transaction *, uint32_t, const sx_render_options *, char *, size_t, size_t *) =
        sx_receipt_render;
    (void)pinned;

    size_t json_len = 0;
    char *json = read_file(argv[1], &json_len);
    sx_transaction *tx = NULL;
    CHECK(sx_transaction_parse(json, json_len, &tx) == SX_OK);
    free(json);

    /* NULL pointers. */
    size_t len = 0;
    char small[8];
    sx_render_options zero = {0};
    CHECK(sx_receipt_render(NULL, SX_RECEIPT_CUSTOMER, &zero, small, sizeof small, &len) == SX_ERR_NULL_ARGUMENT);
    CHECK(sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &zero, small, sizeof small, NULL) == SX_ERR_NULL_ARGUMENT);
    CHECK(sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &zero, NULL, 1, &len) == SX_ERR_NULL_ARGUMENT);

    /* Refused options, for both formats. */
    static const uint32_t bad_columns[] = {1, 19, 81, 200, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad_columns / sizeof bad_columns[0]; i++) {
        sx_render_options text = {bad_columns[i], SX_FORMAT_TEXT, 0, 0};
        sx_render_options escpos = {bad_columns[i], SX_FORMAT_ESCPOS, 0, 0};
        check_refused(tx, SX_RECEIPT_CUSTOMER, text, __LINE__);
        check_refused(tx, SX_RECEIPT_CUSTOMER, escpos, __LINE__);
    }
    sx_render_options bad_format = {42, 2, 0, 0};
    sx_render_options huge_format = {42, UINT32_MAX, 0, 0};
    sx_render_options bad_codepage = {42, SX_FORMAT_ESCPOS, 4, 0};
    sx_render_options bad_codepage_text = {42, SX_FORMAT_TEXT, 4, 0};
    sx_render_options bad_flags = {42, SX_FORMAT_ESCPOS, 0, 4};
    sx_render_options bad_flags_text = {0, SX_FORMAT_TEXT, 0, 0x80000000u};
    check_refused(tx, SX_RECEIPT_CUSTOMER, bad_format, __LINE__);
    check_refused(tx, SX_RECEIPT_CUSTOMER, huge_format, __LINE__);
    check_refused(tx, SX_RECEIPT_CUSTOMER, bad_codepage, __LINE__);
    check_refused(tx, SX_RECEIPT_CUSTOMER, bad_codepage_text, __LINE__);
    check_refused(tx, SX_RECEIPT_CUSTOMER, bad_flags, __LINE__);
    check_refused(tx, SX_RECEIPT_CUSTOMER, bad_flags_text, __LINE__);
    check_refused(tx, 2, zero, __LINE__);
    check_refused(tx, UINT32_MAX, zero, __LINE__);

    /* NULL options = all zero = 42 columns of text; the edges 20 and 80 are taken. */
    size_t null_len = 0;
    size_t zero_len = 0;
    size_t explicit_len = 0;
    sx_render_options explicit42 = {42, SX_FORMAT_TEXT, SX_CODEPAGE_CP858, 0};
    unsigned char *by_null = render(tx, SX_RECEIPT_CUSTOMER, NULL, &null_len);
    unsigned char *by_zero = render(tx, SX_RECEIPT_CUSTOMER, &zero, &zero_len);
    unsigned char *by_explicit = render(tx, SX_RECEIPT_CUSTOMER, &explicit42, &explicit_len);
    CHECK(by_null != NULL && by_zero != NULL && by_explicit != NULL);
    CHECK(null_len == zero_len && zero_len == explicit_len && null_len > 0);
    CHECK(by_null != NULL && by_zero != NULL && memcmp(by_null, by_zero, null_len) == 0);
    CHECK(by_null != NULL && by_explicit != NULL && memcmp(by_null, by_explicit, null_len) == 0);
    CHECK(by_null != NULL && memchr(by_null, '\n', null_len) == by_null + 42);
    CHECK(by_null != NULL && strlen((const char *)by_null) == null_len);
    free(by_null);
    free(by_zero);
    free(by_explicit);
    static const uint32_t edges[] = {20, 80};
    for (size_t i = 0; i < 2; i++) {
        sx_render_options edge = {edges[i], SX_FORMAT_TEXT, 0, 0};
        unsigned char *out = render(tx, SX_RECEIPT_CUSTOMER, &edge, &len);
        CHECK(out != NULL && memchr(out, '\n', len) == out + edges[i]); /* the first row: a full-width rule */
        free(out);
    }

    /* Binary ESC/POS output: 0x00 bytes inside, so *out_len and not strlen; the euro sign as 0xD5 in CP858. */
    sx_render_options escpos = {42, SX_FORMAT_ESCPOS, SX_CODEPAGE_CP858, SX_RENDER_CUT};
    unsigned char *bytes = render(tx, SX_RECEIPT_CUSTOMER, &escpos, &len);
    CHECK(bytes != NULL && len > 20 && strlen((const char *)bytes) < len);
    CHECK(bytes != NULL && memcmp(bytes, "\x1b@\x1bt\x13", 5) == 0);
    CHECK(bytes != NULL && contains(bytes, len, "5,30 \xd5\n", 7));
    CHECK(bytes != NULL && memcmp(bytes + len - 7, "\x1b" "d\x03\x1dVB\x00", 7) == 0);

    /* The buffer rule: cap == len is too small and writes nothing; cap == len + 1 writes all and a NUL. */
    unsigned char *exact = malloc(len + 1);
    size_t got = 0;
    memset(exact, CANARY, len + 1);
    CHECK(sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &escpos, (char *)exact, len, &got) == SX_ERR_BUFFER_TOO_SMALL);
    CHECK(got == len && all_canary(exact, len + 1));
    CHECK(sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &escpos, (char *)exact, len + 1, &got) == SX_OK);
    CHECK(got == len && bytes != NULL && memcmp(exact, bytes, len) == 0 && exact[len] == 0);
    free(exact);
    free(bytes);

    /* No init: the first byte is the caption rule; CP437 has no euro sign: "EUR". */
    sx_render_options cp437 = {42, SX_FORMAT_ESCPOS, SX_CODEPAGE_CP437, SX_RENDER_NO_INIT};
    bytes = render(tx, SX_RECEIPT_CUSTOMER, &cp437, &len);
    CHECK(bytes != NULL && bytes[0] == '=');
    CHECK(bytes != NULL && contains(bytes, len, "5,30 EUR\n", 9));
    free(bytes);

    sx_transaction_free(tx);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
