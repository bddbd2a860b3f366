/*
 * abi_layout: what a C compiler makes of include/smartx.h, as NAME=value lines that
 * tests/c_api/contract.rs compares with the contract's table (docs/src/failures.md) and with the Rust side.
 * The function pointers below pin every signature: a changed parameter or return type
 * is an incompatible pointer assignment, which -Werror turns into a failed build.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smartx.h"

#define PRINT_CONSTANT(name) printf("%s=%llu\n", #name, (unsigned long long)(name))

struct signatures {
    const char *(*version)(void);
    const char *(*result_name)(sx_result);
    sx_result (*last_error_message)(char *, size_t, size_t *);
    int32_t (*last_http_status)(void);
    sx_result (*last_response)(char *, size_t, size_t *);
    sx_result (*set_base_url)(const char *);
    sx_result (*set_timeouts)(uint32_t, uint32_t);
    void (*shutdown)(void);
    sx_result (*start_cash)(const char *, const char *, char *, size_t, size_t *);
    sx_result (*transaction_parse)(const char *, size_t, sx_transaction **);
    void (*transaction_free)(sx_transaction *);
    size_t (*receipt_count)(const sx_transaction *, uint32_t);
    sx_result (*receipt_line_get)(const sx_transaction *, uint32_t, size_t, sx_receipt_line *);
};

/* offsetof(probe, line) is the alignment C gives the struct. */
struct alignment_probe {
    char c;
    sx_receipt_line line;
};

int main(void)
{
    const struct signatures pinned = {
        sx_version,        sx_result_name,      sx_last_error_message, sx_last_http_status,
        sx_last_response,  sx_set_base_url,     sx_set_timeouts,       sx_shutdown,
        sx_start_cash,     sx_transaction_parse, sx_transaction_free,  sx_receipt_count,
        sx_receipt_line_get,
    };
    printf("signatures_pinned=%d\n", pinned.start_cash != NULL && pinned.receipt_line_get != NULL);

    printf("sizeof_pointer=%zu\n", sizeof(void *));
    printf("sizeof_sx_result=%zu\n", sizeof(sx_result));
    printf("sx_result_is_unsigned=%d\n", (sx_result)-1 > 0);
    printf("sizeof_sx_receipt_line=%zu\n", sizeof(sx_receipt_line));
    printf("alignof_sx_receipt_line=%zu\n", offsetof(struct alignment_probe, line));
    printf("offsetof_kind=%zu\n", offsetof(sx_receipt_line, kind));
    printf("offsetof_decorations=%zu\n", offsetof(sx_receipt_line, decorations));
    printf("offsetof_type=%zu\n", offsetof(sx_receipt_line, type));
    printf("offsetof_caption=%zu\n", offsetof(sx_receipt_line, caption));
    printf("offsetof_text=%zu\n", offsetof(sx_receipt_line, text));
    printf("offsetof_name=%zu\n", offsetof(sx_receipt_line, name));
    printf("offsetof_value=%zu\n", offsetof(sx_receipt_line, value));
    printf("sizeof_kind=%zu\n", sizeof(((sx_receipt_line *)0)->kind));
    printf("sizeof_decorations=%zu\n", sizeof(((sx_receipt_line *)0)->decorations));

    PRINT_CONSTANT(SX_OK);
    PRINT_CONSTANT(SX_ERR_NULL_ARGUMENT);
    PRINT_CONSTANT(SX_ERR_INVALID_ARGUMENT);
    PRINT_CONSTANT(SX_ERR_BUFFER_TOO_SMALL);
    PRINT_CONSTANT(SX_ERR_OUT_OF_RANGE);
    PRINT_CONSTANT(SX_ERR_CONNECT);
    PRINT_CONSTANT(SX_ERR_OUTCOME_UNKNOWN);
    PRINT_CONSTANT(SX_ERR_TLS);
    PRINT_CONSTANT(SX_ERR_UNAUTHORIZED);
    PRINT_CONSTANT(SX_ERR_API);
    PRINT_CONSTANT(SX_ERR_HTTP);
    PRINT_CONSTANT(SX_ERR_BAD_RESPONSE);
    PRINT_CONSTANT(SX_ERR_NOT_OK);
    PRINT_CONSTANT(SX_ERR_CANCELLED);
    PRINT_CONSTANT(SX_ERR_EXPIRED);
    PRINT_CONSTANT(SX_ERR_JOURNAL);
    PRINT_CONSTANT(SX_ERR_PANIC);
    PRINT_CONSTANT(SX_RECEIPT_CUSTOMER);
    PRINT_CONSTANT(SX_RECEIPT_MERCHANT);
    PRINT_CONSTANT(SX_LINE_UNKNOWN);
    PRINT_CONSTANT(SX_LINE_SEPARATOR);
    PRINT_CONSTANT(SX_LINE_TEXT);
    PRINT_CONSTANT(SX_LINE_NAME_VALUE);
    PRINT_CONSTANT(SX_LINE_SPACE);
    PRINT_CONSTANT(SX_DECO_IMPORTANT);
    PRINT_CONSTANT(SX_DECO_ALIGN_LEFT);
    PRINT_CONSTANT(SX_DECO_ALIGN_CENTER);
    PRINT_CONSTANT(SX_DECO_ALIGN_RIGHT);
    PRINT_CONSTANT(SX_CALL_CREATE);
    PRINT_CONSTANT(SX_CALL_START);
    PRINT_CONSTANT(SX_CALL_CANCEL);
    PRINT_CONSTANT(SX_CALL_ABORT);
    PRINT_CONSTANT(SX_CALL_CANCEL_BY_RECEIPT);
    PRINT_CONSTANT(SX_OUTCOME_PENDING);
    PRINT_CONSTANT(SX_OUTCOME_DONE);
    PRINT_CONSTANT(SX_OUTCOME_NOT_DONE);
    printf("sizeof_sx_journal_entry=%zu\n", sizeof(sx_journal_entry));
    printf("offsetof_journal_http_status=%zu\n", offsetof(sx_journal_entry, http_status));
    printf("offsetof_journal_began_ms=%zu\n", offsetof(sx_journal_entry, began_ms));
    printf("offsetof_journal_transaction_id=%zu\n", offsetof(sx_journal_entry, transaction_id));
    printf("offsetof_journal_reference=%zu\n", offsetof(sx_journal_entry, reference));
    return 0;
}
