/*
 * pair_device: pairs this till with the merchant's secuconnect account (the device flow), shows the
 * code the merchant confirms in the back office, then registers a cash payment with the paired client.
 * The client logs what it does to stderr (never a token or secret).
 *
 *   usage: pair_device <client-id> <client-secret> <device-uuid> <transaction-id> [base-url]
 *
 * Without base-url: SX_BASE_URL from the environment, else the secuconnect testing host.
 * Exit status: 0 when paired and the payment is registered, else the failing sx_result value
 * (e.g. 41 = SX_ERR_EXPIRED: the merchant did not confirm in time); 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "smartx.h"

static void log_line(void *user_data, uint32_t level, const char *message)
{
    static const char *const names[] = { "?", "error", "warn", "info", "debug" };
    (void)user_data;
    fprintf(stderr, "smartx %s: %s\n", names[level <= SX_LOG_DEBUG ? level : 0], message);
}

static void show_code(void *user_data, const char *user_code, const char *verification_url, uint32_t expires_in_s)
{
    (void)user_data;
    printf("Pairing: please open %s and confirm the code %s within %u minutes.\n", verification_url, user_code,
           (unsigned)((expires_in_s + 59) / 60));
    fflush(stdout);
}

/* Prints this thread's last error message; a failure of its own is not worth a second message. */
static void print_failure(const char *what, sx_result result)
{
    char message[1024];
    size_t len = 0;
    if (sx_last_error_message(message, sizeof message, &len) != SX_OK) {
        message[0] = '\0';
    }
    fprintf(stderr, "%s failed: %s (%u): %s\n", what, sx_result_name(result), (unsigned)result, message);
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s <client-id> <client-secret> <device-uuid> <transaction-id> [base-url]\n", argv[0]);
        return 2;
    }
    const char *client_id = argv[1], *client_secret = argv[2], *device_uuid = argv[3], *transaction_id = argv[4];

    sx_client *client = NULL;
    sx_result result = sx_client_new(argc == 6 ? argv[5] : NULL, &client);
    if (result != SX_OK) {
        print_failure("sx_client_new", result);
        return (int)result;
    }
    sx_client_set_log(client, log_line, NULL, SX_LOG_INFO);

    result = sx_client_pair(client, client_id, client_secret, device_uuid, show_code, NULL);
    if (result != SX_OK) {
        print_failure("Pairing", result);
        sx_client_free(client);
        return (int)result;
    }
    printf("Paired.\n");

    /* A register stores the refresh token (as a secret) and gives it back with sx_client_use_refresh_token
     * the next time it starts, instead of pairing again. Here only its length is shown. */
    size_t refresh_len = 0;
    sx_client_refresh_token(client, NULL, 0, &refresh_len); /* size query */
    char *refresh_token = malloc(refresh_len + 1);
    if (refresh_token != NULL && sx_client_refresh_token(client, refresh_token, refresh_len + 1, &refresh_len) == SX_OK) {
        printf("Refresh token to store: %zu characters.\n", refresh_len);
    }
    free(refresh_token);

    char answer[65536];
    size_t answer_len = 0;
    result = sx_client_start_cash(client, transaction_id, answer, sizeof answer, &answer_len);
    if (result == SX_OK) {
        printf("The cash payment for %s is registered (%zu bytes of answer).\n", transaction_id, answer_len);
    } else {
        print_failure("The cash payment", result);
    }
    sx_client_free(client);
    return (int)result;
}
