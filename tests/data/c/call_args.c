/*
 * call_args: the argument checks of the lifecycle calls beyond the core (ident, update, list, cashless_direct,
 * canceltrx, end of day, diagnosis): NULL pointers, bad UTF-8, too long, CR/LF and other characters a field
 * cannot hold. Every refused call must leave *out as it was; tests/c_api/lifecycle.rs runs this against a sandbox
 * and checks that not one request reached it.
 *
 *   call_args <base_url>
 *
 * Prints one line per failed check and "N passed, N failed"; exits 1 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartx.h"
#include "check.h"

/* A refused call must leave *out alone: it starts as this sentinel and must still be it. */
static char sentinel_storage[16];
#define SENTINEL ((sx_transaction *)(void *)sentinel_storage)
#define LIST_SENTINEL ((sx_transaction_list *)(void *)sentinel_storage)

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

/* A string of n copies of c (static storage, NUL-terminated). */
static const char *repeated(char c, size_t n)
{
    static char text[2][2048];
    static int which;
    which ^= 1;
    if (n >= sizeof text[0]) {
        n = sizeof text[0] - 1;
    }
    memset(text[which], c, n);
    text[which][n] = '\0';
    return text[which];
}

static const char *const BAD_UTF8 = "STX_\xff\xfe";
static const char *const CRLF = "STX_1\r\nX-Evil: 1";

static void test_ident(void)
{
    sx_basket *basket = NULL;
    CHECK_RESULT(sx_basket_new("EUR", &basket), SX_OK);
    CHECK_RESULT(sx_basket_set_ident(NULL, "9276004429942845"), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_basket_set_ident(basket, "9276004429942845"), SX_OK);
    CHECK_RESULT(sx_basket_set_ident(basket, "\xff\xfe"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_basket_set_ident(basket, ""), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_basket_set_ident(basket, repeated('1', 65)), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_basket_set_ident(basket, repeated('1', 64)), SX_OK);
    CHECK_RESULT(sx_basket_set_ident(basket, "92760044\r\n"), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_basket_set_ident(basket, "9276 0044 2994 2845"), SX_ERR_INVALID_ARGUMENT);
    /* The message says what is wrong, never the number. */
    CHECK_RESULT(sx_basket_set_ident(basket, "9276004429942845-"), SX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "9276004429942845") == NULL);
    CHECK(strstr(last_message(), "card number") != NULL);
    CHECK_RESULT(sx_basket_set_ident(basket, NULL), SX_OK);
    sx_basket_free(basket);
}

static void test_update(sx_client *client)
{
    sx_basket *basket = NULL;
    CHECK_RESULT(sx_basket_new("EUR", &basket), SX_OK);
    CHECK_RESULT(sx_basket_add_product(basket, "Brot", NULL, NULL, 1, 250, 7), SX_OK);
    sx_transaction *tx = SENTINEL;
    CHECK_RESULT(sx_transaction_update(NULL, "STX_1", basket, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, NULL, basket, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, "STX_1", NULL, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, "STX_1", basket, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, BAD_UTF8, basket, &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, CRLF, basket, &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, "", basket, &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, repeated('A', 129), basket, &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_update(client, "STX/../1", basket, &tx), SX_ERR_INVALID_ARGUMENT);
    /* A basket whose sum overflows or is negative is refused before anything is sent. */
    CHECK_RESULT(sx_basket_add_product(basket, "Zuviel", NULL, NULL, INT32_MAX, INT64_MAX, 19), SX_OK);
    CHECK_RESULT(sx_transaction_update(client, "STX_1", basket, &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "overflows") != NULL);
    sx_basket_free(basket);
    basket = NULL;
    CHECK_RESULT(sx_basket_new("EUR", &basket), SX_OK);
    CHECK_RESULT(sx_basket_add_product(basket, "Gutschein", NULL, NULL, 1, -1, 19), SX_OK);
    CHECK_RESULT(sx_transaction_update(client, "STX_1", basket, &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "negative") != NULL);
    CHECK(tx == SENTINEL);
    sx_basket_free(basket);
}

static void test_cashless_direct(sx_client *client)
{
    sx_transaction *tx = SENTINEL;
    CHECK_RESULT(sx_transaction_start_cashless_direct(NULL, "STX_1", "52500999", "17", "girocard", &tx),
                 SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, NULL, "52500999", "17", "girocard", &tx),
                 SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", NULL, "17", "girocard", &tx),
                 SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "52500999", NULL, "girocard", &tx),
                 SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "52500999", "17", NULL, &tx),
                 SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "52500999", "17", "girocard", NULL),
                 SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, CRLF, "52500999", "17", "girocard", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, BAD_UTF8, "52500999", "17", "girocard", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "\xc3\x28", "17", "girocard", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", repeated('5', 65), "17", "girocard", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "52500999", "17\r\n", "girocard", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "52500999", "17", "", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_start_cashless_direct(client, "STX_1", "52500999", "17", "   ", &tx),
                 SX_ERR_INVALID_ARGUMENT);
    /* sx_transaction_start cannot send cashless_direct: it has no details to send. */
    CHECK_RESULT(sx_transaction_start(client, "STX_1", "cashless_direct", &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "sx_transaction_start_cashless_direct") != NULL);
    CHECK(tx == SENTINEL);
}

static void test_cancel_by_receipt(sx_client *client)
{
    sx_transaction *tx = SENTINEL;
    CHECK_RESULT(sx_transaction_cancel_by_receipt(NULL, "3", &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, NULL, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, "3", NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, "", &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, "3\r\n", &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, "3/../../oauth", &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, "3?x=1", &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, "\xff", &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_cancel_by_receipt(client, repeated('1', 65), &tx), SX_ERR_INVALID_ARGUMENT);
    CHECK(tx == SENTINEL);
}

static void test_terminal(sx_client *client)
{
    sx_transaction *tx = SENTINEL;
    CHECK_RESULT(sx_terminal_end_of_day(NULL, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_terminal_end_of_day(client, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_terminal_diagnosis(NULL, &tx), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_terminal_diagnosis(client, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK(tx == SENTINEL);
}

static void test_list(sx_client *client)
{
    sx_transaction_list *list = LIST_SENTINEL;
    CHECK_RESULT(sx_transaction_list_by_ref(NULL, "Beleg 1", 10, 0, &list), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_list_by_ref(client, NULL, 10, 0, &list), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_list_by_ref(client, "Beleg 1", 10, 0, NULL), SX_ERR_NULL_ARGUMENT);
    CHECK_RESULT(sx_transaction_list_by_ref(client, "", 10, 0, &list), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_list_by_ref(client, "Beleg\r\nX-Evil: 1", 10, 0, &list), SX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "control character") != NULL);
    CHECK_RESULT(sx_transaction_list_by_ref(client, "Beleg\t1", 10, 0, &list), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_list_by_ref(client, "Beleg \xc3", 10, 0, &list), SX_ERR_INVALID_ARGUMENT);
    CHECK_RESULT(sx_transaction_list_by_ref(client, repeated('x', 1025), 10, 0, &list), SX_ERR_INVALID_ARGUMENT);
    CHECK(list == LIST_SENTINEL);

    /* The accessors on NULL. */
    CHECK(sx_transaction_list_count(NULL) == 0);
    CHECK(sx_transaction_list_total(NULL) == 0);
    CHECK(sx_transaction_list_get(NULL, 0) == NULL);
    sx_transaction_list_free(NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s base_url\n", argv[0]);
        return 2;
    }
    sx_client *client = NULL;
    if (sx_client_new(argv[1], &client) != SX_OK || sx_client_use_token(client, "call-args-token") != SX_OK) {
        printf("cannot make the client: %s\n", last_message());
        return 2;
    }
    test_ident();
    test_update(client);
    test_cashless_direct(client);
    test_cancel_by_receipt(client);
    test_terminal(client);
    test_list(client);
    sx_client_free(client);
    sx_shutdown();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
