/*
 * print_receipt: sends the receipts of a transaction to an ESC/POS printer, laid out by
 * sx_receipt_render. The transaction comes from a JSON file (an answer kept earlier), or
 * from a cash payment registered now.
 *
 *   usage: print_receipt [--columns N] [--codepage NAME] <output> --json <transaction.json>
 *          print_receipt [--columns N] [--codepage NAME] <output> --pay <base-url> <id> <token>
 *
 * output: a file, or a printer device (/dev/usb/lp0, /dev/ttyUSB0 set up with stty), or "-"
 * for stdout. --columns: 20 to 80 (default 42; 32 for 58 mm paper, 48 for 80 mm paper).
 * --codepage: cp858 (default, has the euro sign), cp437, windows-1252 or iso-8859-15: the one
 * the printer is set to (the bytes start with ESC @ and ESC t selecting it).
 * The customer receipt is printed and cut, then the merchant receipt if there is one.
 * Exit status: 0 when printed; 2 for a usage error; 1 when the output or the JSON file
 * cannot be used; else the sx_result value of the failing call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartx.h"

#define MAX_JSON (1024 * 1024)

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s [--columns N] [--codepage cp858|cp437|windows-1252|iso-8859-15] <output> "
            "(--json <transaction.json> | --pay <base-url> <id> <token>)\n",
            program);
    return 2;
}

static int parse_codepage(const char *name, uint32_t *codepage)
{
    static const struct {
        const char *name;
        uint32_t value;
    } pages[] = {
        {"cp858", SX_CODEPAGE_CP858},
        {"cp437", SX_CODEPAGE_CP437},
        {"windows-1252", SX_CODEPAGE_WINDOWS_1252},
        {"iso-8859-15", SX_CODEPAGE_ISO_8859_15},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (strcmp(name, pages[i].name) == 0) {
            *codepage = pages[i].value;
            return 1;
        }
    }
    return 0;
}

/* The whole file, or NULL. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *data = malloc(MAX_JSON);
    *len = data != NULL ? fread(data, 1, MAX_JSON, f) : 0;
    int complete = data != NULL && *len < MAX_JSON && !ferror(f);
    fclose(f);
    if (!complete) {
        free(data);
        return NULL;
    }
    return data;
}

/* Registers a cash payment and returns the answer (ask with cap 0, allocate, read), or NULL
 * with *result set. A transaction that came back unpaid (SX_ERR_NOT_OK) is printed too. */
static char *pay(const char *base_url, const char *id, const char *token, size_t *len, sx_result *result)
{
    *result = sx_set_base_url(base_url);
    if (*result == SX_OK) {
        *result = sx_start_cash(id, token, NULL, 0, len);
    }
    if (*result == SX_ERR_BUFFER_TOO_SMALL) {
        *result = SX_OK; /* registered; the answer waits in sx_last_response */
    }
    if (*result != SX_OK && *result != SX_ERR_NOT_OK) {
        return NULL;
    }
    size_t need = 0;
    (void)sx_last_response(NULL, 0, &need);
    char *answer = malloc(need + 1);
    if (answer == NULL || sx_last_response(answer, need + 1, len) != SX_OK) {
        free(answer);
        return NULL;
    }
    return answer;
}

/* Renders one receipt as ESC/POS bytes and writes them. The bytes contain 0x00: write them
 * with their length, never as a C string. */
static sx_result print_one(const sx_transaction *tx, uint32_t which, const sx_render_options *options, FILE *out)
{
    size_t len = 0;
    sx_result result = sx_receipt_render(tx, which, options, NULL, 0, &len);
    if (result != SX_ERR_BUFFER_TOO_SMALL) {
        return result;
    }
    char *bytes = malloc(len + 1);
    if (bytes == NULL) {
        return SX_ERR_BUFFER_TOO_SMALL;
    }
    result = sx_receipt_render(tx, which, options, bytes, len + 1, &len);
    if (result == SX_OK) {
        fwrite(bytes, 1, len, out); /* a write error shows in ferror(out) */
    }
    free(bytes);
    return result;
}

int main(int argc, char **argv)
{
    sx_render_options options = {0};
    options.format = SX_FORMAT_ESCPOS;
    options.flags = SX_RENDER_CUT;

    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--columns") == 0) {
            char *end = NULL;
            unsigned long columns = strtoul(argv[i + 1], &end, 10);
            if (*end != '\0' || columns < 20 || columns > 80) {
                fprintf(stderr, "--columns: 20 to 80\n");
                return 2;
            }
            options.columns = (uint32_t)columns;
        } else if (strcmp(argv[i], "--codepage") == 0) {
            if (!parse_codepage(argv[i + 1], &options.codepage)) {
                fprintf(stderr, "--codepage: cp858, cp437, windows-1252 or iso-8859-15\n");
                return 2;
            }
        } else {
            return usage(argv[0]);
        }
    }
    int json_mode = argc - i == 3 && strcmp(argv[i + 1], "--json") == 0;
    int pay_mode = argc - i == 5 && strcmp(argv[i + 1], "--pay") == 0;
    if (!json_mode && !pay_mode) {
        return usage(argv[0]);
    }
    const char *output = argv[i];

    size_t len = 0;
    sx_result result = SX_OK;
    char *json = json_mode ? read_file(argv[i + 2], &len) : pay(argv[i + 2], argv[i + 3], argv[i + 4], &len, &result);
    if (json == NULL) {
        if (json_mode) {
            fprintf(stderr, "cannot read %s (at most 1 MiB)\n", argv[i + 2]);
        } else {
            fprintf(stderr, "the payment failed: %s\n", sx_result_name(result));
        }
        sx_shutdown();
        return json_mode ? 1 : (int)result;
    }

    sx_transaction *tx = NULL;
    result = sx_transaction_parse(json, len, &tx);
    free(json);
    if (result != SX_OK) {
        fprintf(stderr, "not a transaction: %s\n", sx_result_name(result));
        sx_shutdown();
        return (int)result;
    }

    int to_stdout = strcmp(output, "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(output, "wb");
    if (out == NULL) {
        perror(output);
        sx_transaction_free(tx);
        sx_shutdown();
        return 1;
    }
    result = print_one(tx, SX_RECEIPT_CUSTOMER, &options, out);
    if (result == SX_OK && sx_receipt_count(tx, SX_RECEIPT_MERCHANT) > 0) {
        options.flags |= SX_RENDER_NO_INIT; /* the printer is set up already */
        result = print_one(tx, SX_RECEIPT_MERCHANT, &options, out);
    }
    int written = !ferror(out);
    int closed = (to_stdout ? fflush(out) == 0 : fclose(out) == 0) && written;
    if (result != SX_OK) {
        fprintf(stderr, "sx_receipt_render: %s\n", sx_result_name(result));
    } else if (!closed) {
        perror(output);
    }
    sx_transaction_free(tx);
    sx_shutdown();
    return result != SX_OK ? (int)result : closed ? 0 : 1;
}
