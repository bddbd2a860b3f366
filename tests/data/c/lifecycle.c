/*
 * lifecycle: one sx_client and one sx_basket driven through a script of steps given as arguments, reported
 * as key=value lines on stdout for tests/c_api/lifecycle.rs, which asserts them against the sandbox.
 *
 *   lifecycle <base_url> <step>...
 *
 * Steps (N is the step's position, from 1; its keys are "N.<key>"):
 *   cc=<id>,<secret>                       sx_client_use_client_credentials
 *   timeouts=<c>,<t>,<term>                sx_client_set_timeouts
 *   basket=<currency>                      sx_basket_new (replaces the basket)
 *   product=<desc>,<qty>,<cents>,<vat>     sx_basket_add_product, no article number or EAN
 *   item=<desc>,<art>,<ean>,<qty>,<cents>,<vat>  sx_basket_add_product with both
 *   refs=<merchant_ref>,<transaction_ref>  sx_basket_set_refs ("@NULL" for NULL)
 *   ident=<card_number>                    sx_basket_set_ident ("@NULL" for NULL)
 *   log=<max_level>                        sx_client_set_log: each line printed as "log=<level> <message>"
 *   create                                 sx_transaction_create; its id becomes the current id
 *   use=<id>                               makes <id> the current id
 *   get | cancel | abort                   on the current id
 *   start=<method>                         sx_transaction_start on the current id
 *   update                                 sx_transaction_update on the current id with the basket
 *   direct=<tid>,<trace>,<card_type>       sx_transaction_start_cashless_direct on the current id
 *   canceltrx=<receipt_number>             sx_transaction_cancel_by_receipt
 *   eod | diagnosis                        sx_terminal_end_of_day, sx_terminal_diagnosis
 *   list=<count>,<offset>,<ref>            sx_transaction_list_by_ref (the ref may hold commas): N.count, N.total,
 *                                          N.ids (";"-separated) and N.statuses, and N.written
 *   check                                  sx_transaction_check: also N.verdict (99 when left untouched)
 *   sleep=<ms>
 * Every step prints N.result and N.message; the transaction steps also N.written (whether *out was set),
 * N.id, N.status, N.sum, N.receipt and N.merchant (receipt line counts), N.first_line (the first customer
 * line's text, caption or name), N.http and N.response_len (this thread's last answer).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smartx.h"

static sx_client *client;
static sx_basket *basket;
static char current_id[256];

static void print_escaped(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\') {
            fputs("\\\\", stdout);
        } else if (c < 0x20 || c == 0x7F) {
            printf("\\x%02x", c);
        } else {
            putchar(c);
        }
    }
}

static int split(char *text, char **parts, int n)
{
    int count = 0;
    char *cursor = text;
    while (count < n) {
        parts[count++] = cursor;
        char *comma = count == n ? NULL : strchr(cursor, ','); /* the last part keeps its commas */
        if (comma == NULL) {
            break;
        }
        *comma = '\0';
        cursor = comma + 1;
    }
    return count;
}

static const char *or_null(const char *s)
{
    return strcmp(s, "@NULL") == 0 ? NULL : s;
}

static void print_log(void *user_data, uint32_t level, const char *message)
{
    (void)user_data;
    printf("log=%u ", (unsigned)level);
    print_escaped(message);
    putchar('\n');
}

static void report_list(int step, sx_transaction_list *list)
{
    printf("%d.written=%d\n", step, list != NULL);
    printf("%d.count=%zu\n%d.total=%zu\n", step, sx_transaction_list_count(list), step,
           sx_transaction_list_total(list));
    printf("%d.ids=", step);
    for (size_t i = 0; i < sx_transaction_list_count(list); i++) {
        printf("%s", i == 0 ? "" : ";");
        print_escaped(sx_transaction_id(sx_transaction_list_get(list, i)));
    }
    printf("\n%d.statuses=", step);
    for (size_t i = 0; i < sx_transaction_list_count(list); i++) {
        printf("%s", i == 0 ? "" : ";");
        print_escaped(sx_transaction_status(sx_transaction_list_get(list, i)));
    }
    printf("\n%d.past_end=%d\n", step, sx_transaction_list_get(list, sx_transaction_list_count(list)) == NULL);
    size_t len = 0;
    sx_result size = sx_last_response(NULL, 0, &len);
    printf("%d.http=%d\n%d.response_len=%zu\n", step, (int)sx_last_http_status(), step,
           size == SX_OK || size == SX_ERR_BUFFER_TOO_SMALL ? len : (size_t)0);
}

static void report_transaction(int step, sx_transaction *tx)
{
    printf("%d.written=%d\n", step, tx != NULL);
    printf("%d.id=", step);
    print_escaped(sx_transaction_id(tx));
    printf("\n%d.status=", step);
    print_escaped(sx_transaction_status(tx));
    printf("\n%d.sum=%lld\n", step, (long long)sx_transaction_sum(tx));
    printf("%d.receipt=%zu\n", step, sx_receipt_count(tx, SX_RECEIPT_CUSTOMER));
    printf("%d.merchant=%zu\n", step, sx_receipt_count(tx, SX_RECEIPT_MERCHANT));
    sx_receipt_line line;
    if (sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, 0, &line) == SX_OK) {
        printf("%d.first_line=", step);
        print_escaped(line.caption[0] ? line.caption : line.text[0] ? line.text : line.name);
        putchar('\n');
    }
    size_t len = 0;
    sx_result size = sx_last_response(NULL, 0, &len);
    printf("%d.http=%d\n%d.response_len=%zu\n", step, (int)sx_last_http_status(), step,
           size == SX_OK || size == SX_ERR_BUFFER_TOO_SMALL ? len : (size_t)0);
}

static int run_step(int step, char *arg)
{
    char *value = strchr(arg, '=');
    if (value != NULL) {
        *value++ = '\0';
    }
    char *p[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
    sx_result result = SX_OK;
    sx_transaction *tx = NULL;
    sx_transaction_list *list = NULL;
    int is_transaction = 1;
    int is_list = 0;

    if (strcmp(arg, "cc") == 0 && split(value, p, 2) == 2) {
        is_transaction = 0;
        result = sx_client_use_client_credentials(client, p[0], p[1]);
    } else if (strcmp(arg, "timeouts") == 0 && split(value, p, 3) == 3) {
        is_transaction = 0;
        result = sx_client_set_timeouts(client, (uint32_t)strtoul(p[0], NULL, 10), (uint32_t)strtoul(p[1], NULL, 10),
                                        (uint32_t)strtoul(p[2], NULL, 10));
    } else if (strcmp(arg, "basket") == 0 && value != NULL) {
        is_transaction = 0;
        sx_basket_free(basket);
        basket = NULL;
        result = sx_basket_new(value, &basket);
    } else if (strcmp(arg, "product") == 0 && split(value, p, 4) == 4) {
        is_transaction = 0;
        result = sx_basket_add_product(basket, p[0], NULL, NULL, (int32_t)strtol(p[1], NULL, 10),
                                       (int64_t)strtoll(p[2], NULL, 10), (uint32_t)strtoul(p[3], NULL, 10));
    } else if (strcmp(arg, "item") == 0 && split(value, p, 6) == 6) {
        is_transaction = 0;
        result = sx_basket_add_product(basket, p[0], or_null(p[1]), or_null(p[2]), (int32_t)strtol(p[3], NULL, 10),
                                       (int64_t)strtoll(p[4], NULL, 10), (uint32_t)strtoul(p[5], NULL, 10));
    } else if (strcmp(arg, "refs") == 0 && split(value, p, 2) == 2) {
        is_transaction = 0;
        result = sx_basket_set_refs(basket, or_null(p[0]), or_null(p[1]));
    } else if (strcmp(arg, "ident") == 0 && value != NULL) {
        is_transaction = 0;
        result = sx_basket_set_ident(basket, or_null(value));
    } else if (strcmp(arg, "log") == 0 && value != NULL) {
        is_transaction = 0;
        result = sx_client_set_log(client, print_log, NULL, (uint32_t)strtoul(value, NULL, 10));
    } else if (strcmp(arg, "update") == 0) {
        result = sx_transaction_update(client, current_id, basket, &tx);
    } else if (strcmp(arg, "direct") == 0 && split(value, p, 3) == 3) {
        result = sx_transaction_start_cashless_direct(client, current_id, p[0], p[1], p[2], &tx);
    } else if (strcmp(arg, "canceltrx") == 0 && value != NULL) {
        result = sx_transaction_cancel_by_receipt(client, value, &tx);
    } else if (strcmp(arg, "eod") == 0) {
        result = sx_terminal_end_of_day(client, &tx);
    } else if (strcmp(arg, "diagnosis") == 0) {
        result = sx_terminal_diagnosis(client, &tx);
    } else if (strcmp(arg, "list") == 0 && split(value, p, 3) == 3) {
        is_transaction = 0;
        is_list = 1;
        result = sx_transaction_list_by_ref(client, p[2], (uint32_t)strtoul(p[0], NULL, 10), (uint32_t)strtoul(p[1], NULL, 10),
                                     &list);
    } else if (strcmp(arg, "sleep") == 0 && value != NULL) {
        is_transaction = 0;
        long ms = strtol(value, NULL, 10);
        struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
        nanosleep(&t, NULL);
    } else if (strcmp(arg, "use") == 0 && value != NULL) {
        is_transaction = 0;
        snprintf(current_id, sizeof current_id, "%s", value);
    } else if (strcmp(arg, "create") == 0) {
        result = sx_transaction_create(client, basket, &tx);
        if (result == SX_OK) {
            snprintf(current_id, sizeof current_id, "%s", sx_transaction_id(tx));
        }
    } else if (strcmp(arg, "get") == 0) {
        result = sx_transaction_get(client, current_id, &tx);
    } else if (strcmp(arg, "start") == 0 && value != NULL) {
        result = sx_transaction_start(client, current_id, value, &tx);
    } else if (strcmp(arg, "cancel") == 0) {
        result = sx_transaction_cancel(client, current_id, &tx);
    } else if (strcmp(arg, "abort") == 0) {
        result = sx_transaction_abort(client, current_id, &tx);
    } else if (strcmp(arg, "check") == 0) {
        uint32_t verdict = 99;
        result = sx_transaction_check(client, current_id, &verdict, &tx);
        printf("%d.verdict=%u\n", step, (unsigned)verdict);
    } else {
        fprintf(stderr, "unknown step %s\n", arg);
        return 2;
    }
    printf("%d.result=%u\n", step, (unsigned)result);
    char message[1024];
    size_t len = 0;
    if (sx_last_error_message(message, sizeof message, &len) != SX_OK) {
        message[0] = '\0';
    }
    printf("%d.message=", step);
    print_escaped(message);
    putchar('\n');
    if (is_transaction) {
        report_transaction(step, tx);
    }
    if (is_list) {
        report_list(step, list);
    }
    sx_transaction_free(tx);
    sx_transaction_list_free(list);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s base_url step...\n", argv[0]);
        return 2;
    }
    sx_result created = sx_client_new(argv[1], &client);
    printf("new=%u\n", (unsigned)created);
    if (created != SX_OK) {
        return 0;
    }
    int status = 0;
    for (int i = 2; i < argc && status == 0; i++) {
        status = run_step(i - 1, argv[i]);
    }
    sx_basket_free(basket);
    sx_client_free(client);
    return status;
}
