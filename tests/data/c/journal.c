/*
 * journal: a register's process with a journal, for tests/journal/processes.rs, which kills it at chosen or random
 * moments and starts it again. Steps given as arguments, reported as key=value lines on stdout (flushed at
 * once, so that a killed process has said what it did).
 *
 *   journal <base_url> <journal_path> <step>...
 *
 *   cc=<id>,<secret>     sx_client_use_client_credentials
 *   token=<token>        sx_client_use_token
 *   open                 sx_client_open_journal: N.result
 *   reconcile            sx_client_reconcile: N.result, N.settled, N.pending
 *   start=<id>           sx_client_start_cash: N.result
 *   sales=<from>,<to>,<prefix>  for i in from..to: a basket with transactionRef "<prefix><i>", create, start
 *                        cash; prints "sale.<i>.create", "sale.<i>.id", "sale.<i>.start"
 *   fsize=<bytes>        setrlimit(RLIMIT_FSIZE) to <bytes>, SIGXFSZ ignored: no file grows past it
 *   sh=<command>         system(<command>) (e.g. fill a tmpfs): N.result 0 when it exited 0, else 99
 *   reprint=<id>         the newest DONE start of <id> in sx_journal_recent, rendered with
 *                        sx_receipt_render_copy and the marker "*** KOPIE ***": N.found, N.result, N.text
 * Every step prints N.result.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "smartx.h"

static sx_client *client;

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

static sx_result sale(long i, const char *prefix)
{
    char ref[128];
    snprintf(ref, sizeof ref, "%s%ld", prefix, i);
    sx_basket *basket = NULL;
    sx_result r = sx_basket_new("EUR", &basket);
    if (r == SX_OK) {
        r = sx_basket_add_product(basket, "Brötchen", NULL, NULL, 3, 45, 7);
    }
    if (r == SX_OK) {
        r = sx_basket_set_refs(basket, NULL, ref);
    }
    sx_transaction *created = NULL;
    if (r == SX_OK) {
        r = sx_transaction_create(client, basket, &created);
    }
    sx_basket_free(basket);
    printf("sale.%ld.create=%u\n", i, (unsigned)r);
    fflush(stdout);
    if (r != SX_OK) {
        sx_transaction_free(created);
        return r;
    }
    char id[256];
    snprintf(id, sizeof id, "%s", sx_transaction_id(created));
    sx_transaction_free(created);
    printf("sale.%ld.id=%s\n", i, id);
    fflush(stdout);
    size_t len = 0;
    r = sx_client_start_cash(client, id, NULL, 0, &len);
    if (r == SX_ERR_BUFFER_TOO_SMALL) {
        r = SX_OK; /* paid; the answer is the last response */
    }
    printf("sale.%ld.start=%u\n", i, (unsigned)r);
    fflush(stdout);
    return r;
}

static sx_result reprint(int step, const char *id)
{
    sx_journal_list *list = NULL;
    sx_result r = sx_journal_recent(client, 0, &list);
    int found = 0;
    for (size_t i = 0; r == SX_OK && i < sx_journal_list_count(list) && !found; i++) {
        sx_journal_entry e;
        if (sx_journal_list_get(list, i, &e) != SX_OK || e.call != SX_CALL_START || e.outcome != SX_OUTCOME_DONE ||
            strcmp(e.transaction_id, id) != 0) {
            continue;
        }
        const sx_transaction *tx = sx_journal_list_transaction(list, i);
        if (tx == NULL) {
            continue;
        }
        found = 1;
        size_t len = 0;
        r = sx_receipt_render_copy(tx, SX_RECEIPT_CUSTOMER, NULL, "*** KOPIE ***", NULL, 0, &len);
        char *text = malloc(len + 1);
        if (r == SX_ERR_BUFFER_TOO_SMALL && text != NULL) {
            r = sx_receipt_render_copy(tx, SX_RECEIPT_CUSTOMER, NULL, "*** KOPIE ***", text, len + 1, &len);
        }
        if (r == SX_OK) {
            printf("%d.text=", step);
            print_escaped(text);
            putchar('\n');
        }
        free(text);
    }
    sx_journal_list_free(list);
    printf("%d.found=%d\n", step, found);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: journal <base_url> <journal_path> <step>...\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (sx_client_new(argv[1], &client) != SX_OK) {
        fprintf(stderr, "sx_client_new failed\n");
        return 2;
    }
    for (int n = 3; n < argc; n++) {
        int step = n - 2;
        char *arg = argv[n];
        char *value = strchr(arg, '=');
        if (value != NULL) {
            *value++ = '\0';
        }
        sx_result r = SX_OK;
        if (strcmp(arg, "cc") == 0) {
            char *comma = strchr(value, ',');
            *comma = '\0';
            r = sx_client_use_client_credentials(client, value, comma + 1);
        } else if (strcmp(arg, "token") == 0) {
            r = sx_client_use_token(client, value);
        } else if (strcmp(arg, "open") == 0) {
            r = sx_client_open_journal(client, argv[2]);
        } else if (strcmp(arg, "reconcile") == 0) {
            size_t settled = 99999, pending = 99999;
            r = sx_client_reconcile(client, &settled, &pending);
            printf("%d.settled=%zu\n%d.pending=%zu\n", step, settled, step, pending);
        } else if (strcmp(arg, "start") == 0) {
            size_t len = 0;
            r = sx_client_start_cash(client, value, NULL, 0, &len);
        } else if (strcmp(arg, "sales") == 0) {
            char *p1 = strchr(value, ',');
            *p1 = '\0';
            char *p2 = strchr(p1 + 1, ',');
            *p2 = '\0';
            long from = atol(value), to = atol(p1 + 1);
            for (long i = from; i < to; i++) {
                sale(i, p2 + 1);
            }
        } else if (strcmp(arg, "fsize") == 0) {
            struct rlimit limit = { (rlim_t)atol(value), (rlim_t)atol(value) };
            signal(SIGXFSZ, SIG_IGN);
            r = setrlimit(RLIMIT_FSIZE, &limit) == 0 ? SX_OK : 99;
        } else if (strcmp(arg, "sh") == 0) {
            fflush(stdout);
            r = system(value) == 0 ? SX_OK : 99;
        } else if (strcmp(arg, "reprint") == 0) {
            r = reprint(step, value);
        } else {
            fprintf(stderr, "unknown step %s\n", arg);
            return 2;
        }
        printf("%d.result=%u\n", step, (unsigned)r);
        if (r != SX_OK) {
            char message[1024];
            size_t len = 0;
            if (sx_last_error_message(message, sizeof message, &len) == SX_OK) {
                printf("%d.message=", step);
                print_escaped(message);
                putchar('\n');
            }
        }
        fflush(stdout);
    }
    sx_client_free(client);
    return 0;
}
