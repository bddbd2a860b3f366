/*
 * start_cash: tells secuconnect that the register took a payment itself (cash, its own
 * card terminal, ...) with one sx_start_cash call, says what the cashier does now
 * (sx_result_advice), and prints the receipts secuconnect sent back, laid out by
 * sx_receipt_render as 42 columns of text.
 *
 *   usage: start_cash <transaction-id> <token> [base-url]
 *
 * Without base-url the library takes SX_BASE_URL from the environment, else its default
 * (the secuconnect testing host). The cashier's advice is German when LANG starts with
 * "de" (e.g. de_DE.UTF-8), else English.
 * Exit status: 0 when the payment is registered (SX_OK), else the sx_result value
 * (e.g. 11 = SX_ERR_OUTCOME_UNKNOWN); 2 also for a usage error, 125 when stdout could
 * not be written.
 */
#include <stdio.h>
#include <stdlib.h>

#include "smartx.h"

#define RECEIPT_COLUMNS 42
#define EXIT_LOCAL_FAILURE 125

/* Reads one of the library's (buf, cap, out_len) strings into a new allocation: a size
 * query with cap 0 first, then the exact size. NULL when out of memory or on failure. */
static char *read_library_string(sx_result (*get)(char *, size_t, size_t *), size_t *out_len)
{
    size_t len = 0;
    (void)get(NULL, 0, &len); /* SX_ERR_BUFFER_TOO_SMALL with the length */
    char *text = malloc(len + 1);
    if (text != NULL && get(text, len + 1, &len) != SX_OK) {
        free(text);
        text = NULL;
    }
    if (out_len != NULL) {
        *out_len = text != NULL ? len : 0;
    }
    return text;
}

/* What the cashier does after `result`, in the register's language, from the library: above
 * all whether the payment may have gone through (then it must not be taken again) and
 * whether trying again is safe. The same size query; it leaves the last error as it is. */
static void print_advice(sx_result result)
{
    const char *language = getenv("LANG"); /* "de_DE.UTF-8" is German; NULL or "C" English */
    size_t len = 0;
    (void)sx_result_advice(result, language, NULL, 0, &len);
    char *advice = malloc(len + 1);
    if (advice != NULL && sx_result_advice(result, language, advice, len + 1, &len) == SX_OK) {
        printf("Cashier:     %s\n", advice);
    }
    free(advice);
}

static void print_outcome(sx_result result)
{
    printf("Result:      %s (%u)\n", sx_result_name(result), (unsigned)result);
    printf("HTTP status: %d\n", (int)sx_last_http_status());
    print_advice(result);

    /* The message of the last failing call on this thread: read it before the next call. */
    if (result != SX_OK) {
        char *detail = read_library_string(sx_last_error_message, NULL);
        if (detail != NULL && detail[0] != '\0') {
            printf("Detail:      %s\n", detail);
        }
        free(detail);
    }
}

/* Lays out one receipt as text and prints it. The same size query as for strings: ask with
 * cap 0, allocate, read. For a printer, set format = SX_FORMAT_ESCPOS and write the bytes
 * with fwrite (see print_receipt.c). */
static void print_receipt(const sx_transaction *tx, uint32_t which, const char *title)
{
    sx_render_options options = {0}; /* all 0: 42 columns, UTF-8 text */
    options.columns = RECEIPT_COLUMNS;
    options.format = SX_FORMAT_TEXT;

    size_t len = 0;
    sx_result result = sx_receipt_render(tx, which, &options, NULL, 0, &len);
    char *text = NULL;
    if (result == SX_ERR_BUFFER_TOO_SMALL) { /* the expected answer to cap 0: len is set */
        text = malloc(len + 1);
        result = text != NULL ? sx_receipt_render(tx, which, &options, text, len + 1, &len)
                              : SX_ERR_BUFFER_TOO_SMALL;
    }
    printf("\n%s:\n", title);
    if (result == SX_OK) {
        fwrite(text, 1, len, stdout);
    } else {
        printf("(the receipt cannot be printed: %s)\n", sx_result_name(result));
    }
    free(text);
}

/* Prints the receipts of the transaction secuconnect answered with. */
static void print_receipts(const char *answer, size_t answer_len)
{
    sx_transaction *tx = NULL;
    sx_result result = sx_transaction_parse(answer, answer_len, &tx);
    if (result != SX_OK) {
        char *detail = read_library_string(sx_last_error_message, NULL);
        printf("\nThe answer could not be read (%s): %s\n", sx_result_name(result),
               detail != NULL ? detail : "");
        free(detail);
        return;
    }

    print_receipt(tx, SX_RECEIPT_CUSTOMER, "Customer receipt");
    if (sx_receipt_count(tx, SX_RECEIPT_MERCHANT) > 0) {
        print_receipt(tx, SX_RECEIPT_MERCHANT, "Merchant receipt");
    }
    sx_transaction_free(tx);
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s <transaction-id> <token> [base-url]\n", argv[0]);
        return 2;
    }
    const char *id = argv[1];
    const char *token = argv[2];

    sx_result result = SX_OK;
    if (argc == 4) {
        result = sx_set_base_url(argv[3]);
    }

    /* The payment call with no buffer (cap 0), on purpose: the answer's size is not known
     * before it comes back, and the library keeps the answer for this thread. So: ask
     * (sx_start_cash with cap 0), allocate, read (sx_last_response). Never call sx_start_cash
     * again to get the answer: that would be a second payment. */
    size_t answer_len = 0;
    if (result == SX_OK) {
        result = sx_start_cash(id, token, NULL, 0, &answer_len);
    }
    /* Too small (here: cap 0) is the success case of a size query: the payment is registered
     * and answer_len holds the answer's length. With a buffer of your own, this is also the
     * branch for an answer larger than that buffer. */
    if (result == SX_ERR_BUFFER_TOO_SMALL) {
        result = SX_OK;
    }
    char *answer = NULL;
    if (result == SX_OK || result == SX_ERR_NOT_OK) { /* both came with a transaction to print */
        answer = read_library_string(sx_last_response, &answer_len);
    }

    print_outcome(result);
    if (answer != NULL) {
        printf("Answer:      %zu bytes, read with sx_last_response\n", answer_len);
    }
    if (answer != NULL && (result == SX_OK || result == SX_ERR_NOT_OK)) {
        print_receipts(answer, answer_len);
    }

    free(answer);
    sx_shutdown(); /* frees the library's global state (connections, configuration) */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        return EXIT_LOCAL_FAILURE;
    }
    return (int)result;
}
