/*
 * print_receipt: the receipt layout of the C example (examples-c/receipt_text.c) applied to
 * a transaction read from a file, so tests/example_c.rs can check the 42-column layout on
 * the cashless fixture (umlauts, €, wrapping, alignment) without a payment call.
 *
 *   print_receipt <transaction.json>
 *
 * Prints "[customer]", the customer receipt, "[merchant]", the merchant receipt.
 */
#include <stdio.h>
#include <stdlib.h>

#include "receipt_text.h"
#include "smartx.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16;
    char *data = malloc(cap);
    *len = data != NULL ? fread(data, 1, cap, f) : 0;
    int complete = data != NULL && *len < cap && !ferror(f);
    fclose(f);
    if (!complete) {
        free(data);
        return NULL;
    }
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <transaction.json>\n", argv[0]);
        return 2;
    }
    size_t len = 0;
    char *json = read_file(argv[1], &len);
    if (json == NULL) {
        fprintf(stderr, "cannot read %s (at most 64 KiB)\n", argv[1]);
        return 2;
    }
    sx_transaction *tx = NULL;
    sx_result r = sx_transaction_parse(json, len, &tx);
    free(json);
    if (r != SX_OK) {
        fprintf(stderr, "sx_transaction_parse: %s\n", sx_result_name(r));
        return 1;
    }
    printf("[customer]\n");
    r = receipt_text_print(stdout, tx, SX_RECEIPT_CUSTOMER, 42);
    if (r == SX_OK) {
        printf("[merchant]\n");
        r = receipt_text_print(stdout, tx, SX_RECEIPT_MERCHANT, 42);
    }
    sx_transaction_free(tx);
    sx_shutdown();
    return r == SX_OK ? 0 : 1;
}
