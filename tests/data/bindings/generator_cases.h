/* Constructs the C API will have and include/smartx.h does not yet: callbacks, more handles, a struct with
 * padding, pointers to integers. tests/bindings/languages.rs generates the bindings from it and compares their layout with C. */
#ifndef SMARTX_H
#define SMARTX_H
#include <stddef.h>
#include <stdint.h>
/** A log level. */
#define SX_LOG_ERROR 1
#define SX_ERR_CANCELLED 40
typedef struct sx_client sx_client;
typedef struct sx_basket sx_basket;
typedef struct sx_transaction sx_transaction;
typedef uint32_t sx_result;
/**
 * Log callback.
 */
typedef void (*sx_log_callback)(void *user_data, uint32_t level, const char *message);
typedef void (*sx_pair_callback)(void *user_data, const char *user_code, const char *verification_url, uint32_t expires_in_s);
typedef struct sx_render_options {
  uint32_t columns;
  uint32_t format;
  uint32_t codepage;
  uint32_t flags;
} sx_render_options;
typedef struct sx_mixed {
  uint8_t a;
  int64_t b;
  uint16_t c;
  const char *d;
  int32_t e;
} sx_mixed;
#ifdef __cplusplus
extern "C" {
#endif // __cplusplus
sx_result sx_client_new(const char *base_url, struct sx_client **out);
void sx_client_free(struct sx_client *client);
sx_result sx_client_set_log(struct sx_client *client, sx_log_callback callback, void *user_data, uint32_t max_level);
sx_result sx_client_pair(struct sx_client *client, const char *client_id, const char *client_secret, const char *device_uuid, sx_pair_callback on_code, void *user_data);
sx_result sx_transaction_check(struct sx_client *client, const char *id, uint32_t *verdict, struct sx_transaction **out);
int64_t sx_transaction_sum(const struct sx_transaction *tx);
sx_result sx_receipt_render(const struct sx_transaction *tx, uint32_t which, const struct sx_render_options *options, char *buf, size_t cap, size_t *out_len);
sx_result sx_basket_add_product(struct sx_basket *basket, const char *desc, const char *article_number, const char *ean, int32_t quantity, int64_t unit_price_cents, uint32_t vat_percent);
#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus
#endif  /* SMARTX_H */
