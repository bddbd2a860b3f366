/*
 * accessors: every typed getter of an sx_transaction, and the preTransaction object, through the C ABI, as
 * key=value lines for tests/c_api/accessors.rs, which compares them with the JSON the values came from.
 *
 *   accessors file <path> [<json pointer>...]
 *       parses the file with sx_transaction_parse and prints every getter (tx.*, product.N.*, ident.N.*,
 *       reference.N.*), then json.K.result and json.K.value for the K-th pointer given
 *   accessors pre <base_url> <token> <id>...
 *       sx_transaction_pre_check on each id, K from 0: pre.K.result, pre.K.written, pre.K.http,
 *       pre.K.missing_sum (or pre.K.missing_sum_result), pre.K.bonus, pre.K.bonus.N.*
 *
 * Absent integers are printed as "absent", so that an absent value and 0 differ in the output too. Strings are
 * escaped (\\, \xNN for control bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartx.h"

static void print_escaped(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') {
            fputs("\\\\", stdout);
        } else if (c < 0x20 || c == 0x7F) {
            printf("\\x%02x", c);
        } else {
            putchar(c);
        }
    }
}

static void text(const char *key, const char *value)
{
    if (value == NULL) {
        printf("%s=NULL!\n", key); /* the contract: never NULL; the test fails on this */
        return;
    }
    printf("%s=", key);
    print_escaped(value, strlen(value));
    putchar('\n');
}

static void indexed_text(const char *prefix, size_t index, const char *key, const char *value)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%zu.%s", prefix, index, key);
    text(name, value);
}

static void integer(const char *prefix, size_t index, const char *key, int64_t value, int present)
{
    if (present) {
        printf("%s.%zu.%s=%lld\n", prefix, index, key, (long long)value);
    } else {
        printf("%s.%zu.%s=absent\n", prefix, index, key);
    }
}

static void product(const char *prefix, size_t index, const sx_product *p)
{
    indexed_text(prefix, index, "desc", p->desc);
    indexed_text(prefix, index, "article_number", p->article_number);
    indexed_text(prefix, index, "ean", p->ean);
    indexed_text(prefix, index, "item_type", p->item_type);
    integer(prefix, index, "id", p->id, (p->present & SX_PRODUCT_HAS_ID) != 0);
    integer(prefix, index, "parent", p->parent, (p->present & SX_PRODUCT_HAS_PARENT) != 0);
    integer(prefix, index, "quantity", p->quantity, (p->present & SX_PRODUCT_HAS_QUANTITY) != 0);
    integer(prefix, index, "unit_price_cents", p->unit_price_cents, (p->present & SX_PRODUCT_HAS_UNIT_PRICE) != 0);
    integer(prefix, index, "vat_percent", p->vat_percent, (p->present & SX_PRODUCT_HAS_VAT) != 0);
    /* Absent integers are 0, as the header says. */
    if (((p->present & SX_PRODUCT_HAS_PARENT) == 0 && p->parent != 0) ||
        ((p->present & SX_PRODUCT_HAS_ID) == 0 && p->id != 0)) {
        printf("%s.%zu.absent_not_zero=1\n", prefix, index);
    }
}

/* A getter of the form sx_result f(tx, T *out): the value, or "absent" with the out left untouched. */
static void optional_i64(const char *key, sx_result r, int64_t value, int64_t untouched)
{
    if (r == SX_OK) {
        printf("%s=%lld\n", key, (long long)value);
    } else if (r == SX_ERR_ABSENT && value == untouched) {
        printf("%s=absent\n", key);
    } else {
        printf("%s=error %s\n", key, sx_result_name(r));
    }
}

static int dump_file(const char *path, int npointers, char **pointers)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("open=failed\n");
        return 1;
    }
    static char json[1 << 20];
    size_t len = fread(json, 1, sizeof json, f);
    fclose(f);

    sx_transaction *tx = NULL;
    sx_result r = sx_transaction_parse(json, len, &tx);
    printf("parse=%u\n", r);
    if (r != SX_OK) {
        return 1;
    }
    /* The JSON the transaction came from is gone: every string below must be the transaction's own. */
    memset(json, 'X', len);

    text("tx.id", sx_transaction_id(tx));
    text("tx.status", sx_transaction_status(tx));
    printf("tx.status_code=%u\n", sx_transaction_status_code(tx));
    text("tx.payment_method", sx_transaction_payment_method(tx));
    text("tx.trans_id", sx_transaction_trans_id(tx));
    text("tx.receipt_number", sx_transaction_receipt_number(tx));
    text("tx.currency", sx_transaction_currency(tx));
    text("tx.merchant_id", sx_transaction_merchant_id(tx));
    text("tx.merchant_name", sx_transaction_merchant_name(tx));
    text("tx.created", sx_transaction_created(tx));
    text("tx.updated", sx_transaction_updated(tx));
    text("tx.merchant_ref", sx_transaction_merchant_ref(tx));
    text("tx.transaction_ref", sx_transaction_transaction_ref(tx));
    text("tx.intent", sx_transaction_intent(tx));
    text("tx.device_source", sx_transaction_device_source(tx));
    text("tx.device_destination", sx_transaction_device_destination(tx));
    printf("tx.sum=%lld\n", (long long)sx_transaction_sum(tx));

    const int64_t untouched = -424242;
    int64_t value = untouched;
    r = sx_transaction_missing_sum(tx, &value);
    optional_i64("tx.missing_sum", r, value, untouched);
    value = untouched;
    r = sx_transaction_gratuity(tx, &value);
    optional_i64("tx.gratuity", r, value, untouched);
    uint32_t flag = 77;
    r = sx_transaction_is_demo(tx, &flag);
    optional_i64("tx.is_demo", r, flag, 77);
    flag = 77;
    r = sx_transaction_receipt_merchant_print(tx, &flag);
    optional_i64("tx.receipt_merchant_print", r, flag, 77);

    size_t i, count = sx_transaction_product_count(tx);
    printf("tx.products=%zu\n", count);
    for (i = 0; i < count; i++) {
        sx_product p;
        r = sx_transaction_product_get(tx, i, &p);
        if (r != SX_OK) {
            printf("product.%zu.result=%u\n", i, r);
            continue;
        }
        product("product", i, &p);
    }
    {
        sx_product untouched_product;
        memset(&untouched_product, 0xAB, sizeof untouched_product);
        r = sx_transaction_product_get(tx, count, &untouched_product);
        printf("tx.product_past_end=%u\n", r);
        printf("tx.product_past_end_untouched=%d\n", ((unsigned char *)&untouched_product)[0] == 0xAB);
    }

    count = sx_transaction_ident_count(tx);
    printf("tx.idents=%zu\n", count);
    for (i = 0; i < count; i++) {
        sx_ident id;
        r = sx_transaction_ident_get(tx, i, &id);
        if (r != SX_OK) {
            printf("ident.%zu.result=%u\n", i, r);
            continue;
        }
        indexed_text("ident", i, "id", id.id);
        indexed_text("ident", i, "prefix", id.prefix);
        indexed_text("ident", i, "name", id.name);
        indexed_text("ident", i, "type", id.type);
        indexed_text("ident", i, "card_number", id.card_number);
        indexed_text("ident", i, "card_group_name", id.card_group_name);
        indexed_text("ident", i, "lock_status", id.lock_status);
        indexed_text("ident", i, "stock_status", id.stock_status);
        integer("ident", i, "valid", id.valid, (id.present & SX_IDENT_HAS_VALID) != 0);
        integer("ident", i, "points", id.points, (id.present & SX_IDENT_HAS_POINTS) != 0);
        integer("ident", i, "cash_balance", id.cash_balance, (id.present & SX_IDENT_HAS_CASH_BALANCE) != 0);
        integer("ident", i, "bonus_balance", id.bonus_balance, (id.present & SX_IDENT_HAS_BONUS_BALANCE) != 0);
        integer("ident", i, "balance", id.balance, (id.present & SX_IDENT_HAS_BALANCE) != 0);
    }
    {
        sx_ident past;
        printf("tx.ident_past_end=%u\n", sx_transaction_ident_get(tx, count, &past));
    }

    count = sx_transaction_reference_count(tx);
    printf("tx.references=%zu\n", count);
    for (i = 0; i < count; i++) {
        sx_reference ref;
        r = sx_transaction_reference_get(tx, i, &ref);
        if (r != SX_OK) {
            printf("reference.%zu.result=%u\n", i, r);
            continue;
        }
        indexed_text("reference", i, "object", ref.object);
        indexed_text("reference", i, "id", ref.id);
    }
    {
        sx_reference past;
        printf("tx.reference_past_end=%u\n", sx_transaction_reference_get(tx, count, &past));
    }

    int k;
    for (k = 0; k < npointers; k++) {
        size_t needed = 0;
        r = sx_transaction_get_json(tx, pointers[k], NULL, 0, &needed);
        printf("json.%d.result=%u\n", k, r);
        if (r != SX_ERR_BUFFER_TOO_SMALL) {
            continue;
        }
        char *buf = malloc(needed + 1);
        size_t written = 0;
        r = sx_transaction_get_json(tx, pointers[k], buf, needed + 1, &written);
        printf("json.%d.result=%u\n", k, r);
        printf("json.%d.len=%zu\n", k, written);
        printf("json.%d.value=", k);
        print_escaped(buf, written);
        putchar('\n');
        free(buf);
    }
    sx_transaction_free(tx);
    return 0;
}

static int pre_checks(const char *base_url, const char *token, int nids, char **ids)
{
    sx_client *client = NULL;
    sx_result r = sx_client_new(base_url, &client);
    printf("new=%u\n", r);
    if (r != SX_OK) {
        return 1;
    }
    printf("token=%u\n", sx_client_use_token(client, token));
    int k;
    for (k = 0; k < nids; k++) {
        sx_pre_transaction *pre = NULL;
        r = sx_transaction_pre_check(client, ids[k], &pre);
        printf("pre.%d.result=%u\n", k, r);
        printf("pre.%d.written=%d\n", k, pre != NULL);
        printf("pre.%d.http=%d\n", k, (int)sx_last_http_status());
        if (pre == NULL) {
            continue;
        }
        int64_t missing = -1;
        r = sx_pre_transaction_missing_sum(pre, &missing);
        if (r == SX_OK) {
            printf("pre.%d.missing_sum=%lld\n", k, (long long)missing);
        } else {
            printf("pre.%d.missing_sum_result=%u\n", k, r);
        }
        size_t i, count = sx_pre_transaction_bonus_count(pre);
        printf("pre.%d.bonus=%zu\n", k, count);
        for (i = 0; i < count; i++) {
            sx_product p;
            char prefix[32];
            snprintf(prefix, sizeof prefix, "pre.%d.bonus", k);
            r = sx_pre_transaction_bonus_get(pre, i, &p);
            if (r == SX_OK) {
                product(prefix, i, &p);
            }
        }
        sx_product past;
        printf("pre.%d.bonus_past_end=%u\n", k, sx_pre_transaction_bonus_get(pre, count, &past));
        sx_pre_transaction_free(pre);
    }
    sx_client_free(client);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "file") == 0) {
        return dump_file(argv[2], argc - 3, argv + 3);
    }
    if (argc >= 4 && strcmp(argv[1], "pre") == 0) {
        return pre_checks(argv[2], argv[3], argc - 4, argv + 4);
    }
    fprintf(stderr, "usage: accessors file <path> [pointer...] | accessors pre <base_url> <token> <id>...\n");
    return 2;
}
