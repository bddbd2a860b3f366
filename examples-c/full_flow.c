/*
 * full_flow: a register's day with an sx_client: builds a basket, creates the Smart Transaction, pays it
 * and prints the receipt, three times: in cash, by card, and by card again. Whatever comes back is handled
 * as a register must: paid (print the receipt), declined (print its receipt too: the customer pays another
 * way), or an answer that was lost (read the transaction back with sx_transaction_check, never guess and
 * never simply pay again). Then the customer of the cash sale returns it (sx_transaction_cancel), a fourth
 * customer leaves before paying (sx_transaction_abort), and the day ends at the card terminal
 * (sx_terminal_end_of_day, its report printed). A lost answer to a cancel or an abort is settled by reading
 * the transaction back too.
 *
 * Before the first sale it does what a register does at every start: it opens its journal and reconciles
 * (start_up below), so that a payment made just before a crash, a power cut or a killed process is settled with
 * the API and its receipt, never printed, comes out now (marked as a copy: nobody can tell whether a receipt came
 * out before the crash).
 *
 *   usage: full_flow <client-id> <client-secret> [base-url [journal-file]]
 *
 * Without base-url: SX_BASE_URL from the environment, else the secuconnect testing host. Without journal-file:
 * full_flow.journal in the current folder.
 * Exit status: 0 when every sale ended in a known state (paid or not), else the failing sx_result value;
 * 2 for a usage error.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smartx.h"

#define RECEIPT_COLUMNS 42
/* How often a register asks again while the terminal is still at it, and how long it waits in between. */
#define CHECK_ATTEMPTS 30
#define CHECK_WAIT_MS 1000

static void print_failure(const char *what, sx_result result)
{
    char message[1024];
    size_t len = 0;
    if (sx_last_error_message(message, sizeof message, &len) != SX_OK) {
        message[0] = '\0';
    }
    fprintf(stderr, "%s failed: %s (%u): %s\n", what, sx_result_name(result), (unsigned)result, message);
}

static void wait_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* The customer receipt laid out by sx_receipt_render as text: a size query with cap 0, then the bytes. */
static void print_receipt(const sx_transaction *tx)
{
    sx_render_options options = {0};
    options.columns = RECEIPT_COLUMNS;
    options.format = SX_FORMAT_TEXT;
    size_t len = 0;
    sx_result r = sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &options, NULL, 0, &len);
    char *text = NULL;
    if (r == SX_ERR_BUFFER_TOO_SMALL) { /* the expected answer to cap 0: len is set */
        text = malloc(len + 1);
        r = text != NULL ? sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &options, text, len + 1, &len)
                         : SX_ERR_BUFFER_TOO_SMALL;
    }
    if (r == SX_OK) {
        fwrite(text, 1, len, stdout);
        fputs("\n", stdout);
    } else {
        printf("(the receipt cannot be printed: %s)\n", sx_result_name(r));
    }
    free(text);
}

/* The customer receipt of a transaction kept in the journal, printed again with a marker saying so. */
static void print_copy(const sx_transaction *tx)
{
    size_t len = 0;
    sx_result r = sx_receipt_render_copy(tx, SX_RECEIPT_CUSTOMER, NULL, "*** KOPIE ***", NULL, 0, &len);
    char *text = r == SX_ERR_BUFFER_TOO_SMALL ? malloc(len + 1) : NULL;
    if (text != NULL) {
        r = sx_receipt_render_copy(tx, SX_RECEIPT_CUSTOMER, NULL, "*** KOPIE ***", text, len + 1, &len);
    }
    if (r == SX_OK && text != NULL) {
        fwrite(text, 1, len, stdout);
        fputs("\n", stdout);
    } else {
        printf("(the copy cannot be printed: %s)\n", sx_result_name(r));
    }
    free(text);
}

/* The register's start-up: opens the journal, settles what the last run left in flight (sx_client_reconcile),
 * and prints the receipts of the payments that were made but whose answer the register never got: the START
 * entries that were PENDING before this reconcile and are DONE after it. Only a journal that cannot be opened
 * stops the register (no journal, no sale); a reconcile that could not reach the API is tried again at the next
 * start. */
static sx_result start_up(sx_client *client, const char *path)
{
    sx_result r = sx_client_open_journal(client, path);
    if (r != SX_OK) {
        print_failure("sx_client_open_journal", r);
        return r;
    }
    /* The sequence numbers in flight before reconcile (oldest first). */
    sx_journal_list *pending = NULL;
    r = sx_journal_pending(client, &pending);
    size_t in_flight = r == SX_OK ? sx_journal_list_count(pending) : 0;
    int64_t *seqs = in_flight > 0 ? calloc(in_flight, sizeof *seqs) : NULL;
    for (size_t i = 0; seqs != NULL && i < in_flight; i++) {
        sx_journal_entry entry;
        seqs[i] = sx_journal_list_get(pending, i, &entry) == SX_OK ? entry.seq : 0;
    }
    sx_journal_list_free(pending);
    size_t settled = 0, still_pending = 0;
    r = sx_client_reconcile(client, &settled, &still_pending);
    printf("journal: %zu settled, %zu still pending\n", settled, still_pending);
    if (r != SX_OK) {
        print_failure("sx_client_reconcile", r);
    }
    if (seqs != NULL) {
        /* The entries from the oldest that was in flight to the newest: recent() gives the newest first. */
        sx_journal_list *newest = NULL, *since = NULL;
        sx_journal_entry entry;
        if (sx_journal_recent(client, 1, &newest) == SX_OK && sx_journal_list_get(newest, 0, &entry) == SX_OK &&
            sx_journal_recent(client, (uint32_t)(entry.seq - seqs[0] + 1), &since) == SX_OK) {
            for (size_t i = sx_journal_list_count(since); i-- > 0;) {
                if (sx_journal_list_get(since, i, &entry) != SX_OK || entry.call != SX_CALL_START) {
                    continue;
                }
                int was_in_flight = 0;
                for (size_t k = 0; k < in_flight; k++) {
                    was_in_flight |= seqs[k] == entry.seq;
                }
                const sx_transaction *tx = sx_journal_list_transaction(since, i);
                if (was_in_flight && entry.outcome == SX_OUTCOME_DONE && tx != NULL) {
                    printf("journal: entry %lld: %s paid and never printed; the receipt again:\n", (long long)entry.seq,
                           entry.transaction_id);
                    print_copy(tx);
                } else if (entry.outcome == SX_OUTCOME_PENDING) {
                    printf("journal: entry %lld: %s still open; reconcile later, or a person decides "
                           "(sx_journal_settle)\n",
                           (long long)entry.seq, entry.transaction_id);
                }
            }
        }
        sx_journal_list_free(since);
        sx_journal_list_free(newest);
        free(seqs);
    }
    return SX_OK;
}

/* The basket of one sale; NULL after printing why not. */
static sx_basket *make_basket(int sale)
{
    sx_basket *basket = NULL;
    sx_result r = sx_basket_new("EUR", &basket);
    if (r == SX_OK) {
        r = sx_basket_add_product(basket, "Brötchen", "30037", NULL, 4, 45, 7);
    }
    if (r == SX_OK) {
        r = sx_basket_add_product(basket, "Kaffee to go", NULL, "4006381333931", 1, 290, 19);
    }
    char reference[32];
    snprintf(reference, sizeof reference, "Beleg %d", sale);
    if (r == SX_OK) {
        r = sx_basket_set_refs(basket, "till-7", reference);
    }
    if (r != SX_OK) {
        print_failure("the basket", r);
        sx_basket_free(basket);
        return NULL;
    }
    return basket;
}

/* After SX_ERR_OUTCOME_UNKNOWN: the documented loop. Returns SX_OK when the sale ended in a known state. */
static sx_result resolve(sx_client *client, int sale, const char *id, const char *method, int may_start_again)
{
    for (int attempt = 0; attempt < CHECK_ATTEMPTS; attempt++) {
        sx_transaction *tx = NULL;
        uint32_t verdict = SX_VERDICT_UNKNOWN;
        sx_result r = sx_transaction_check(client, id, &verdict, &tx);
        if (r != SX_OK) {
            print_failure("sx_transaction_check", r); /* the read failed too: read again */
            wait_ms(CHECK_WAIT_MS);
            continue;
        }
        if (verdict == SX_VERDICT_IN_PROGRESS) {
            printf("sale %d: still at the terminal (%s), asking again\n", sale, sx_transaction_status(tx));
            sx_transaction_free(tx);
            wait_ms(CHECK_WAIT_MS);
            continue;
        }
        if (verdict == SX_VERDICT_PAID) {
            printf("sale %d: checked: paid (%s), %.2f EUR\n", sale, sx_transaction_status(tx),
                   (double)sx_transaction_sum(tx) / 100.0);
            print_receipt(tx);
        } else if (verdict == SX_VERDICT_NOT_PAID && strcmp(sx_transaction_status(tx), "created") == 0) {
            printf("sale %d: checked: the start never ran\n", sale);
            if (may_start_again) {
                /* The only case in which starting again is right; once, by the register, never by the library. */
                sx_transaction_free(tx);
                tx = NULL;
                r = sx_transaction_start(client, id, method, &tx);
                printf("sale %d: started again: %s\n", sale, sx_result_name(r));
                if (r == SX_OK || r == SX_ERR_NOT_OK) {
                    print_receipt(tx);
                    r = SX_OK;
                } else if (r == SX_ERR_OUTCOME_UNKNOWN) {
                    r = resolve(client, sale, id, method, 0);
                }
                sx_transaction_free(tx);
                return r;
            }
        } else if (verdict == SX_VERDICT_NOT_PAID) {
            printf("sale %d: checked: not paid (%s)\n", sale, sx_transaction_status(tx));
        } else {
            printf("sale %d: checked: status \"%s\" is unknown: ask the back office\n", sale, sx_transaction_status(tx));
        }
        sx_transaction_free(tx);
        return SX_OK;
    }
    printf("sale %d: no answer after %d checks: ask the back office before selling it again\n", sale, CHECK_ATTEMPTS);
    return SX_ERR_OUTCOME_UNKNOWN;
}

/* Creates sale `sale` and writes its id to id[256]; SX_OK or the failure, printed. */
static sx_result create_sale(sx_client *client, int sale, char id[256])
{
    sx_basket *basket = make_basket(sale);
    if (basket == NULL) {
        return SX_ERR_INVALID_ARGUMENT;
    }
    sx_transaction *created = NULL;
    sx_result r = sx_transaction_create(client, basket, &created);
    sx_basket_free(basket); /* the transaction does not need it any more */
    if (r != SX_OK) {
        print_failure("sx_transaction_create", r);
        sx_transaction_free(created);
        return r;
    }
    snprintf(id, 256, "%s", sx_transaction_id(created));
    printf("sale %d: %s created, %.2f EUR\n", sale, id, (double)sx_transaction_sum(created) / 100.0);
    sx_transaction_free(created);
    return SX_OK;
}

static sx_result sell(sx_client *client, int sale, const char *method, char id[256])
{
    sx_result r = create_sale(client, sale, id);
    if (r != SX_OK) {
        return r;
    }
    printf("sale %d: paying by %s\n", sale, method);
    sx_transaction *tx = NULL;
    r = sx_transaction_start(client, id, method, &tx);
    switch (r) {
    case SX_OK:
        printf("sale %d: paid\n", sale);
        print_receipt(tx);
        break;
    case SX_ERR_NOT_OK: /* e.g. a declined card: its receipt says so and is printed too */
        printf("sale %d: not paid (%s)\n", sale, sx_transaction_status(tx));
        print_receipt(tx);
        r = SX_OK;
        break;
    case SX_ERR_OUTCOME_UNKNOWN:
        printf("sale %d: the answer was lost; checking\n", sale);
        r = resolve(client, sale, id, method, 1);
        break;
    default:
        print_failure("sx_transaction_start", r);
    }
    sx_transaction_free(tx);
    return r;
}

/*
 * A cancel or an abort (`call`) whose answer may be lost. After SX_ERR_OUTCOME_UNKNOWN the register reads the
 * transaction back and sends the call once more only when the read shows it did not happen (a second one
 * after it did would be refused anyway: the state rules allow each only once). `done_status` is the status
 * it leads to ("cancelled", "aborted").
 */
static sx_result change(sx_client *client, int sale, const char *id, const char *what,
                        sx_result (*call)(sx_client *, const char *, sx_transaction **), const char *done_status)
{
    for (int sent = 0; sent < 2; sent++) {
        sx_transaction *tx = NULL;
        sx_result r = call(client, id, &tx);
        if (r == SX_OK) {
            printf("sale %d: %s: %s\n", sale, what, sx_transaction_status(tx));
            sx_transaction_free(tx);
            return SX_OK;
        }
        sx_transaction_free(tx);
        if (r != SX_ERR_OUTCOME_UNKNOWN) {
            print_failure(what, r);
            return r;
        }
        printf("sale %d: the answer to the %s was lost; reading it back\n", sale, what);
        for (int attempt = 0;; attempt++) {
            tx = NULL;
            r = sx_transaction_get(client, id, &tx);
            if (r == SX_OK) {
                break;
            }
            if (attempt + 1 == CHECK_ATTEMPTS) {
                print_failure("sx_transaction_get", r);
                return r;
            }
            wait_ms(CHECK_WAIT_MS);
        }
        int done = strcmp(sx_transaction_status(tx), done_status) == 0;
        printf("sale %d: read back: %s\n", sale, sx_transaction_status(tx));
        sx_transaction_free(tx);
        if (done) {
            return SX_OK;
        }
    }
    return SX_ERR_OUTCOME_UNKNOWN;
}

/* The end of the day at the card terminal, with its report printed. A lost answer is not repeated here: the
 * terminal may have closed the day; its own display says so, and a second run settles only what came since. */
static sx_result end_of_day(sx_client *client)
{
    sx_transaction *report = NULL;
    sx_result r = sx_terminal_end_of_day(client, &report);
    if (r == SX_OK || r == SX_ERR_NOT_OK) {
        printf("end of day: %s\n", sx_transaction_status(report));
        print_receipt(report);
        r = SX_OK;
    } else {
        print_failure("sx_terminal_end_of_day", r);
    }
    sx_transaction_free(report);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: %s <client-id> <client-secret> [base-url [journal-file]]\n", argv[0]);
        return 2;
    }
    sx_client *client = NULL;
    sx_result r = sx_client_new(argc >= 4 ? argv[3] : NULL, &client);
    if (r != SX_OK) {
        print_failure("sx_client_new", r);
        return (int)r;
    }
    r = sx_client_use_client_credentials(client, argv[1], argv[2]);
    if (r != SX_OK) {
        print_failure("sx_client_use_client_credentials", r);
        sx_client_free(client);
        return (int)r;
    }
    r = start_up(client, argc == 5 ? argv[4] : "full_flow.journal");
    if (r != SX_OK) {
        sx_client_free(client);
        return (int)r;
    }
    const char *const methods[] = { "cash", "cashless", "cashless" };
    char ids[4][256] = { "", "", "", "" };
    sx_result results[6];
    for (int sale = 1; sale <= 3; sale++) {
        results[sale - 1] = sell(client, sale, methods[sale - 1], ids[sale - 1]);
    }
    /* The customer of sale 1 brings everything back. */
    results[3] = results[0] == SX_OK ? change(client, 1, ids[0], "reversal", sx_transaction_cancel, "cancelled")
                                     : results[0];
    /* Sale 4: the customer leaves before paying. */
    results[4] = create_sale(client, 4, ids[3]);
    if (results[4] == SX_OK) {
        results[4] = change(client, 4, ids[3], "abort", sx_transaction_abort, "aborted");
    }
    results[5] = end_of_day(client);
    int status = 0;
    for (int i = 0; i < 6 && status == 0; i++) {
        status = (int)results[i];
    }
    sx_client_free(client);
    return status;
}
