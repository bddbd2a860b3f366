/*
 * card_balance: the customer asks "how much is on my card?". The register finds the loyalty card by its number
 * (sx_card_find), shows its balances and whether it is locked, and prints the balance slip
 * (sx_card_balance_receipt, then sx_receipt_render: one more call, as for a payment's receipt).
 *
 *   usage: card_balance <token> <card-number> [base-url [terminal-id]]
 *
 * Without base-url: SX_BASE_URL from the environment, else the secuconnect testing host.
 * Exit status: 0 when the card was found and its slip printed; 3 for an unknown card (SX_ERR_ABSENT: "no such
 * card", nothing else); 4 for a locked card (the balance is shown, no slip); else the failing sx_result value;
 * 2 for a usage error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "smartx.h"

#define RECEIPT_COLUMNS 42

static void print_failure(const char *what, sx_result result)
{
    char message[1024];
    size_t len = 0;
    if (sx_last_error_message(message, sizeof message, &len) != SX_OK) {
        message[0] = '\0';
    }
    /* The message shows the card number masked: it may go to a log as it is. */
    fprintf(stderr, "%s failed: %s (%u): %s\n", what, sx_result_name(result), (unsigned)result, message);
}

/* Cents as euros: 352 -> "3,52"; negative amounts keep their sign. Integer arithmetic only. */
static void print_amount(const char *name, sx_result (*get)(const sx_card *, int64_t *), const sx_card *card)
{
    int64_t cents = 0;
    if (get(card, &cents) != SX_OK) {
        printf("%-14s (not in the answer)\n", name);
        return;
    }
    int64_t whole = cents / 100;
    int64_t part = cents % 100;
    printf("%-14s %s%" PRId64 ",%02" PRId64 " EUR\n", name, cents < 0 ? "-" : "", whole < 0 ? -whole : whole,
           part < 0 ? -part : part);
}

/* The slip laid out by sx_receipt_render as text: a size query with cap 0, then the bytes. */
static sx_result print_slip(const sx_transaction *slip)
{
    sx_render_options options = {0};
    options.columns = RECEIPT_COLUMNS;
    options.format = SX_FORMAT_TEXT;
    size_t len = 0;
    sx_result r = sx_receipt_render(slip, SX_RECEIPT_CUSTOMER, &options, NULL, 0, &len);
    if (r != SX_ERR_BUFFER_TOO_SMALL && r != SX_OK) {
        return r;
    }
    char *text = malloc(len + 1);
    if (text == NULL) {
        return SX_ERR_PANIC;
    }
    r = sx_receipt_render(slip, SX_RECEIPT_CUSTOMER, &options, text, len + 1, &len);
    if (r == SX_OK) {
        fputs(text, stdout);
    }
    free(text);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: %s <token> <card-number> [base-url [terminal-id]]\n", argv[0]);
        return 2;
    }
    const char *base_url = argc > 3 ? argv[3] : NULL;
    const char *terminal_id = argc > 4 ? argv[4] : NULL;

    sx_client *client = NULL;
    sx_result r = sx_client_new(base_url, &client);
    if (r == SX_OK) {
        r = sx_client_use_token(client, argv[1]);
    }
    if (r != SX_OK) {
        print_failure("setting up the client", r);
        sx_client_free(client);
        return (int)r;
    }

    sx_card *card = NULL;
    r = sx_card_find(client, argv[2], &card);
    if (r == SX_ERR_ABSENT) {
        printf("No card has this number.\n");
        sx_client_free(client);
        return 3;
    }
    if (r != SX_OK) {
        print_failure("the balance enquiry", r);
        sx_client_free(client);
        return (int)r;
    }

    printf("Card:          %s\n", sx_card_number_masked(card));
    printf("Programme:     %s\n", sx_card_group_name(card));
    print_amount("Balance:", sx_card_balance, card);
    print_amount("  loaded:", sx_card_cash_balance, card);
    print_amount("  bonus:", sx_card_bonus_balance, card);
    int64_t points = 0;
    if (sx_card_points(card, &points) == SX_OK) {
        printf("Points:        %" PRId64 "\n", points);
    }
    const char *expiry = sx_card_expiry(card);
    printf("Expires:       %s\n", expiry[0] != '\0' ? expiry : "never");

    /* Whether the card can pay is its lock, not its stock status. */
    uint32_t locked = 0;
    if (sx_card_locked(card, &locked) == SX_OK && locked) {
        printf("LOCKED: this card cannot pay.\n");
        sx_card_free(card);
        sx_client_free(client);
        return 4;
    }

    sx_transaction *slip = NULL;
    r = sx_card_balance_receipt(client, card, terminal_id, &slip);
    if (r == SX_OK) {
        r = print_slip(slip);
    }
    if (r != SX_OK) {
        print_failure("the balance slip", r);
    }
    sx_transaction_free(slip);
    sx_card_free(card);
    sx_client_free(client);
    return (int)r;
}
