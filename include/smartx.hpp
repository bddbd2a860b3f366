/*
 * smartx.hpp: C++17 wrapper of smartx.h, header-only. Handles are owned by move-only RAII
 * objects, strings come back as std::string, and a failed call throws smartx::error carrying the result code, the
 * library's message, the HTTP status and the answer's body.
 *
 *   smartx::client client("https://...");
 *   client.use_client_credentials(id, secret);
 *   smartx::basket basket("EUR");
 *   basket.add_product("Kaffee", 1, 290, 19);              // integer cents: a double does not compile
 *   const std::string tx_id = client.create(basket).id();
 *   try {
 *       std::cout << client.start(tx_id, "cash").render();
 *   } catch (const smartx::not_ok &declined) {            // not paid (a declined card): print its receipt too
 *       std::cout << declined.transaction().render();
 *   } catch (const smartx::error &e) {                    // e.code(), e.name(), e.what(), e.http_status()
 *       if (e.code() == SX_ERR_OUTCOME_UNKNOWN) { ... client.check(tx_id) ... }   // see client::check
 *   }
 *
 * Why an exception for a declined payment rather than a result type: every failed call of this header throws
 * smartx::error, and a payment that did not happen must not be mistaken for one that did by code that forgot to
 * look; smartx::not_ok derives from smartx::error (a handler of smartx::error still sees it) and carries the
 * unpaid transaction, whose receipt the register must print.
 *
 * Threads: as the C functions (any thread; the last error is per thread, and each throw reads it on the thread
 * of the failed call). A client may be shared by threads; a basket is built on one thread. A transaction may be
 * read from several threads at once, but not moved meanwhile.
 */
#ifndef SMARTX_HPP
#define SMARTX_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "smartx.h"

namespace smartx {

/* A failed call: code() is the sx_result, what() the library's message (never the token). */
class error : public std::runtime_error {
public:
    error(sx_result code, const std::string &message, int32_t http_status, std::string response)
        : std::runtime_error(message), code_(code), http_status_(http_status), response_(std::move(response))
    {
    }
    sx_result code() const noexcept { return code_; }
    /* "SX_ERR_CONNECT" etc. */
    const char *name() const noexcept { return sx_result_name(code_); }
    /* The HTTP status of the failed call; 0 when no answer came or the call made no request. */
    int32_t http_status() const noexcept { return http_status_; }
    /* The body of the answer (the API's error body, or for SX_ERR_NOT_OK the unpaid transaction). */
    const std::string &response() const noexcept { return response_; }
    /* What the cashier does now, for the till's screen: language "de" or "en" (see smartx::advice). */
    std::string advice(const char *language = "en") const;

private:
    sx_result code_;
    int32_t http_status_;
    std::string response_;
};

namespace detail {

/* Reads a (..., char *buf, size_t cap, size_t *out_len) string: the size query, then the read. */
template <typename Function, typename... Args>
inline sx_result read_string(std::string &out, Function function, Args... args)
{
    size_t len = 0;
    sx_result result = function(args..., nullptr, 0, &len);
    if (result != SX_OK && result != SX_ERR_BUFFER_TOO_SMALL) {
        return result;
    }
    std::string text(len + 1, '\0');
    result = function(args..., &text[0], text.size(), &len);
    if (result == SX_OK) {
        text.resize(len);
        out = std::move(text);
    }
    return result;
}

inline std::string last_string(sx_result (*function)(char *, size_t, size_t *))
{
    std::string text;
    (void)read_string(text, function);
    return text;
}

/* The error of a failed call, read on its thread; `network`: the call went to the network, so the status and
 * body belong to it. */
inline error failure(sx_result result, bool network)
{
    std::string message = last_string(sx_last_error_message);
    if (message.empty()) {
        message = sx_result_name(result);
    }
    return error(result, message, network ? sx_last_http_status() : 0,
                 network ? last_string(sx_last_response) : std::string());
}

/* Throws for anything but SX_OK. */
inline void check(sx_result result, bool network = false)
{
    if (result != SX_OK) {
        throw failure(result, network);
    }
}

/* A string for a `const char *` parameter: refused when it holds a NUL, at which C would silently end it. */
inline const char *c_text(const std::string &text, const char *what)
{
    if (text.find('\0') != std::string::npos) {
        throw std::invalid_argument(std::string("smartx: ") + what + " holds a NUL character");
    }
    return text.c_str();
}

/* An optional text: empty is NULL (none). */
inline const char *c_optional(const std::string &text, const char *what)
{
    return text.empty() ? nullptr : c_text(text, what);
}

/* An integer (never a floating-point or bool value: money is integer cents) checked against the range of To. */
template <typename To, typename From>
inline To c_integer(From value, const char *what)
{
    static_assert(std::is_integral<From>::value && !std::is_same<From, bool>::value,
                  "smartx: quantities and prices are integers (2,90 EUR is 290 cents), never floating point");
    const bool negative = std::is_signed<From>::value && static_cast<intmax_t>(value) < 0;
    const bool outside =
        negative ? static_cast<intmax_t>(value) < static_cast<intmax_t>(std::numeric_limits<To>::min())
                 : static_cast<uintmax_t>(value) > static_cast<uintmax_t>(std::numeric_limits<To>::max());
    if (outside) {
        throw std::out_of_range(std::string("smartx: ") + what + " is outside the range of its C type");
    }
    return static_cast<To>(value);
}

/* Frees an owned transaction; one borrowed from a list (a page of transactions, a journal list) is not freed,
 * and the list it belongs to is kept alive by `owner` as long as the transaction is. */
struct transaction_free {
    std::shared_ptr<const void> owner;
    void operator()(sx_transaction *tx) const noexcept
    {
        if (!owner) {
            sx_transaction_free(tx);
        }
    }
};

struct journal_list_free {
    void operator()(sx_journal_list *list) const noexcept { sx_journal_list_free(list); }
};

struct transaction_list_free {
    void operator()(sx_transaction_list *list) const noexcept { sx_transaction_list_free(list); }
};

struct client_free {
    void operator()(sx_client *client) const noexcept { sx_client_free(client); }
};

struct pre_transaction_free {
    void operator()(sx_pre_transaction *pre) const noexcept { sx_pre_transaction_free(pre); }
};

struct card_free {
    void operator()(sx_card *card) const noexcept { sx_card_free(card); }
};

struct device_free {
    void operator()(sx_device *device) const noexcept { sx_device_free(device); }
};

struct payment_methods_free {
    void operator()(sx_payment_methods *methods) const noexcept { sx_payment_methods_free(methods); }
};

inline std::optional<int64_t> present(int64_t value, uint32_t present, uint32_t bit)
{
    return (present & bit) != 0 ? std::optional<int64_t>(value) : std::nullopt;
}

/* An sx_result f(handle, T *out) getter: the value, or nullopt for SX_ERR_ABSENT; throws for anything else. */
template <typename T, typename Handle>
inline std::optional<T> optional_value(sx_result (*getter)(const Handle *, T *), const Handle *handle)
{
    T value{};
    const sx_result result = getter(handle, &value);
    if (result == SX_ERR_ABSENT) {
        return std::nullopt;
    }
    check(result);
    return value;
}

struct basket_free {
    void operator()(sx_basket *basket) const noexcept { sx_basket_free(basket); }
};

} // namespace detail

/* How transaction::render lays out a receipt (the fields of sx_render_options). */
struct render_options {
    uint32_t columns = 42;                   /* 20 to 80 */
    uint32_t format = SX_FORMAT_TEXT;        /* SX_FORMAT_TEXT (UTF-8) or SX_FORMAT_ESCPOS (bytes) */
    uint32_t codepage = SX_CODEPAGE_CP858;   /* ESC/POS only: SX_CODEPAGE_... */
    uint32_t flags = 0;                      /* ESC/POS only: SX_RENDER_NO_INIT | SX_RENDER_CUT */
    uint32_t which = SX_RECEIPT_CUSTOMER;    /* or SX_RECEIPT_MERCHANT */
};

/* One receipt line, copied out of the transaction. */
struct receipt_line {
    uint32_t kind;        /* SX_LINE_... */
    uint32_t decorations; /* SX_DECO_... bits */
    std::string type, caption, text, name, value;
};

/* One basket position (or a bonus product of a pre-check), copied out of the library. Money in cents; an
 * integer the answer did not have is nullopt. */
struct product {
    std::string desc, article_number, ean, item_type;
    std::optional<int64_t> id, parent, quantity, unit_price_cents /* negative for a bonus */, vat_percent;

    static product from(const sx_product &p)
    {
        return {p.desc,
                p.article_number,
                p.ean,
                p.item_type,
                detail::present(p.id, p.present, SX_PRODUCT_HAS_ID),
                detail::present(p.parent, p.present, SX_PRODUCT_HAS_PARENT),
                detail::present(p.quantity, p.present, SX_PRODUCT_HAS_QUANTITY),
                detail::present(p.unit_price_cents, p.present, SX_PRODUCT_HAS_UNIT_PRICE),
                detail::present(p.vat_percent, p.present, SX_PRODUCT_HAS_VAT)};
    }
};

/* A card presented for the transaction (idents[]), copied out. card_number is a full card number: show it,
 * never log it. Balances in cents; nullopt when absent. */
struct ident {
    std::string id, prefix, name, type, card_number, card_group_name, lock_status, stock_status;
    std::optional<bool> valid;
    std::optional<int64_t> points, cash_balance, bonus_balance, balance;
};

/* A reference to another object (transactions[]): e.g. {"loyalty.transactions", "LTX_..."}. */
struct reference {
    std::string object, id;
};

/* Owns an sx_transaction; freed when destroyed. Movable, not copyable. The accessors copy out of the library:
 * strings are "" when absent, optionals nullopt. */
class transaction {
public:
    /* Takes ownership of `tx` (may be NULL: an empty transaction). */
    explicit transaction(sx_transaction *tx = nullptr) noexcept : handle_(tx) {}
    /* Transaction `tx` of a list (a page, a journal list), borrowed: it keeps the list alive and frees nothing
     * itself. */
    transaction(const sx_transaction *tx, std::shared_ptr<const void> owner) noexcept
        // const_cast: the handle is only ever read through this object; the deleter never frees a borrowed one.
        : handle_(const_cast<sx_transaction *>(tx), detail::transaction_free{std::move(owner)})
    {
    }

    static transaction parse(const std::string &json)
    {
        sx_transaction *tx = nullptr;
        detail::check(sx_transaction_parse(json.data(), json.size(), &tx));
        return transaction(tx);
    }

    /* The lines of SX_RECEIPT_CUSTOMER or SX_RECEIPT_MERCHANT; empty when the answer had none. */
    std::vector<receipt_line> receipt(uint32_t which = SX_RECEIPT_CUSTOMER) const
    {
        std::vector<receipt_line> lines;
        const size_t count = sx_receipt_count(handle_.get(), which);
        lines.reserve(count);
        for (size_t i = 0; i < count; i++) {
            sx_receipt_line line;
            detail::check(sx_receipt_line_get(handle_.get(), which, i, &line));
            lines.push_back({line.kind, line.decorations, line.type, line.caption, line.text, line.name, line.value});
        }
        return lines;
    }

    /* The receipt laid out by the library (sx_receipt_render). Binary-safe: ESC/POS output holds 0x00 bytes, so
     * write it with out.write(s.data(), s.size()), never as a C string. Throws smartx::error for bad options. */
    std::string render(const render_options &options = render_options()) const
    {
        const sx_render_options c_options = {options.columns, options.format, options.codepage, options.flags};
        std::string out;
        detail::check(detail::read_string(out, sx_receipt_render, handle_.get(), options.which, &c_options));
        return out;
    }

    /* As render(), for a receipt printed again (sx_receipt_render_copy): its first and last rows are `marker`
     * (e.g. "*** KOPIE ***"), so that a receipt printed twice says so. */
    std::string render_copy(const std::string &marker, const render_options &options = render_options()) const
    {
        const sx_render_options c_options = {options.columns, options.format, options.codepage, options.flags};
        std::string out;
        detail::check(detail::read_string(out, sx_receipt_render_copy, handle_.get(), options.which, &c_options,
                                          detail::c_text(marker, "the marker")));
        return out;
    }

    /* The id ("STX_..."), "" when the answer had none. */
    std::string id() const { return sx_transaction_id(handle_.get()); }
    /* The status as the API wrote it ("created", "ok", "failed", ...); client::check says what it means. */
    std::string status() const { return sx_transaction_status(handle_.get()); }
    /* The basket's sum in integer cents; 0 when absent. */
    int64_t sum() const noexcept { return sx_transaction_sum(handle_.get()); }
    /* SX_STATUS_... (both spellings of cancelled give SX_STATUS_CANCELLED); status() keeps the string. */
    uint32_t status_code() const noexcept { return sx_transaction_status_code(get()); }
    std::string payment_method() const { return sx_transaction_payment_method(get()); }
    std::string trans_id() const { return sx_transaction_trans_id(get()); }
    std::string receipt_number() const { return sx_transaction_receipt_number(get()); }
    std::string currency() const { return sx_transaction_currency(get()); }
    std::string merchant_id() const { return sx_transaction_merchant_id(get()); }
    std::string merchant_name() const { return sx_transaction_merchant_name(get()); }
    std::string created() const { return sx_transaction_created(get()); }
    std::string updated() const { return sx_transaction_updated(get()); }
    std::string merchant_ref() const { return sx_transaction_merchant_ref(get()); }
    std::string transaction_ref() const { return sx_transaction_transaction_ref(get()); }
    std::string intent() const { return sx_transaction_intent(get()); }
    std::string device_source() const { return sx_transaction_device_source(get()); }
    std::string device_destination() const { return sx_transaction_device_destination(get()); }
    std::optional<int64_t> missing_sum() const { return detail::optional_value(sx_transaction_missing_sum, get()); }
    std::optional<int64_t> gratuity() const { return detail::optional_value(sx_transaction_gratuity, get()); }
    std::optional<bool> is_demo() const { return flag(sx_transaction_is_demo); }
    std::optional<bool> receipt_merchant_print() const { return flag(sx_transaction_receipt_merchant_print); }

    std::vector<product> products() const
    {
        std::vector<product> out;
        const size_t count = sx_transaction_product_count(get());
        out.reserve(count);
        for (size_t i = 0; i < count; i++) {
            sx_product p;
            detail::check(sx_transaction_product_get(get(), i, &p));
            out.push_back(product::from(p));
        }
        return out;
    }

    std::vector<ident> idents() const
    {
        std::vector<ident> out;
        const size_t count = sx_transaction_ident_count(get());
        out.reserve(count);
        for (size_t i = 0; i < count; i++) {
            sx_ident c;
            detail::check(sx_transaction_ident_get(get(), i, &c));
            out.push_back({c.id, c.prefix, c.name, c.type, c.card_number, c.card_group_name, c.lock_status,
                           c.stock_status,
                           (c.present & SX_IDENT_HAS_VALID) != 0 ? std::optional<bool>(c.valid != 0) : std::nullopt,
                           detail::present(c.points, c.present, SX_IDENT_HAS_POINTS),
                           detail::present(c.cash_balance, c.present, SX_IDENT_HAS_CASH_BALANCE),
                           detail::present(c.bonus_balance, c.present, SX_IDENT_HAS_BONUS_BALANCE),
                           detail::present(c.balance, c.present, SX_IDENT_HAS_BALANCE)});
        }
        return out;
    }

    std::vector<reference> references() const
    {
        std::vector<reference> out;
        const size_t count = sx_transaction_reference_count(get());
        out.reserve(count);
        for (size_t i = 0; i < count; i++) {
            sx_reference r;
            detail::check(sx_transaction_reference_get(get(), i, &r));
            out.push_back({r.object, r.id});
        }
        return out;
    }

    /* Any value by JSON pointer (RFC 6901), e.g. "/idents/0/merchantcard/customer/contact/name": a string as its
     * text, anything else as compact JSON; nullopt when nothing (or null) is there. Throws for a malformed one. */
    std::optional<std::string> json(const std::string &pointer) const
    {
        std::string out;
        const sx_result result = detail::read_string(out, sx_transaction_get_json, get(), pointer.c_str());
        if (result == SX_ERR_ABSENT) {
            return std::nullopt;
        }
        detail::check(result);
        return out;
    }

    const sx_transaction *get() const noexcept { return handle_.get(); }
    /* Gives up ownership: the caller frees the result with sx_transaction_free. A transaction of a list page or
     * a journal list belongs to the list: std::logic_error. */
    sx_transaction *release()
    {
        if (handle_.get_deleter().owner) {
            throw std::logic_error("smartx::transaction of a list cannot be released");
        }
        return handle_.release();
    }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

private:
    std::optional<bool> flag(sx_result (*getter)(const sx_transaction *, uint32_t *)) const
    {
        const std::optional<uint32_t> value = detail::optional_value(getter, get());
        return value ? std::optional<bool>(*value != 0) : std::nullopt;
    }

    std::unique_ptr<sx_transaction, detail::transaction_free> handle_;
};

/* A start that came back unpaid (SX_ERR_NOT_OK: a declined card, status "failed"). transaction() is the unpaid
 * transaction: print its receipt too; caught by non-const reference it may be moved out
 * (tx = std::move(declined.transaction())). Copyable, as exceptions must be: the copies share the transaction. */
class not_ok : public error {
public:
    not_ok(const error &failure, smartx::transaction unpaid)
        : error(failure), unpaid_(std::make_shared<smartx::transaction>(std::move(unpaid)))
    {
    }
    const smartx::transaction &transaction() const noexcept { return *unpaid_; }
    smartx::transaction &transaction() noexcept { return *unpaid_; }

private:
    std::shared_ptr<smartx::transaction> unpaid_;
};

/* What client::check found (the SX_VERDICT_ constants). */
enum class verdict : uint32_t {
    unknown = SX_VERDICT_UNKNOWN,        /* a status the library does not know: do not start again; a person decides */
    paid = SX_VERDICT_PAID,              /* ok or a later state: print the receipt, never start again */
    not_paid = SX_VERDICT_NOT_PAID,      /* created (the start never ran: the only case to start again), or over */
    in_progress = SX_VERDICT_IN_PROGRESS /* the terminal is still at it: wait, check again */
};

/* The answer of client::check. */
struct checked {
    smartx::verdict verdict;
    smartx::transaction transaction;
};

/* One page of client::list: its transactions (each keeps the page's memory alive) and the number of matches over
 * all pages. */
struct transaction_page {
    std::vector<smartx::transaction> transactions;
    std::size_t total = 0;
};

/* Owns an sx_basket: what is sold, for client::create. Movable, not copyable; build it on one thread. Nothing is
 * sent while building it; client::create checks the total (an overflow or a negative total throws
 * SX_ERR_INVALID_ARGUMENT there, and nothing is sent). */
class basket {
public:
    /* Three capital letters (ISO 4217); anything else throws SX_ERR_INVALID_ARGUMENT. */
    explicit basket(const std::string &currency = "EUR")
    {
        sx_basket *raw = nullptr;
        detail::check(sx_basket_new(detail::c_text(currency, "currency"), &raw));
        handle_.reset(raw);
    }

    /* Adds quantity x unit_price_cents (gross integer cents: 2,90 EUR is 290) at a whole VAT percentage (0 to
     * 100). Quantity and price are integers of any type: a floating-point value does not compile, a value outside
     * the C type (32-bit quantity, 64-bit price) throws std::out_of_range. An empty article number or EAN is none.
     * A refused product (smartx::error) leaves the basket as it was. Returns *this, to chain. */
    template <typename Quantity, typename Cents>
    basket &add_product(const std::string &description, Quantity quantity, Cents unit_price_cents,
                        uint32_t vat_percent, const std::string &article_number = std::string(),
                        const std::string &ean = std::string())
    {
        detail::check(sx_basket_add_product(live(), detail::c_text(description, "the description"),
                                            detail::c_optional(article_number, "the article number"),
                                            detail::c_optional(ean, "the EAN"),
                                            detail::c_integer<int32_t>(quantity, "the quantity"),
                                            detail::c_integer<int64_t>(unit_price_cents, "the unit price"),
                                            vat_percent));
        return *this;
    }

    /* The register's references, sent as merchantRef and transactionRef; empty sends none; replaces both. */
    basket &set_refs(const std::string &merchant_ref, const std::string &transaction_ref)
    {
        detail::check(sx_basket_set_refs(live(), detail::c_optional(merchant_ref, "merchantRef"),
                                         detail::c_optional(transaction_ref, "transactionRef")));
        return *this;
    }

    /* The customer's loyalty card number (1 to 64 of 0-9 A-Z a-z), sent as the ident by create and update; empty
     * clears it. Never shown in full in the library's log lines or messages. */
    basket &set_ident(const std::string &card_number)
    {
        detail::check(sx_basket_set_ident(live(), detail::c_optional(card_number, "the card number")));
        return *this;
    }

    const sx_basket *get() const noexcept { return handle_.get(); }

private:
    sx_basket *live() const
    {
        if (!handle_) {
            throw std::logic_error("smartx::basket used after it was moved from");
        }
        return handle_.get();
    }

    std::unique_ptr<sx_basket, detail::basket_free> handle_;
};

/* Owns an sx_pre_transaction (from client::pre_check): what remains to pay before the start and the bonus
 * products a customer card brings. Movable, not copyable. */
class pre_transaction {
public:
    explicit pre_transaction(sx_pre_transaction *pre = nullptr) noexcept : handle_(pre) {}

    /* In cents; nullopt when the answer has none. */
    std::optional<int64_t> missing_sum() const
    {
        return detail::optional_value(sx_pre_transaction_missing_sum, get());
    }

    /* Products with a negative unit price (a discount). */
    std::vector<product> bonus_products() const
    {
        std::vector<product> out;
        const size_t count = sx_pre_transaction_bonus_count(get());
        for (size_t i = 0; i < count; i++) {
            sx_product p;
            detail::check(sx_pre_transaction_bonus_get(get(), i, &p));
            out.push_back(product::from(p));
        }
        return out;
    }

    const sx_pre_transaction *get() const noexcept { return handle_.get(); }

private:
    std::unique_ptr<sx_pre_transaction, detail::pre_transaction_free> handle_;
};

/* Owns an sx_card (from client::find_card): a loyalty card with its balances in cents. Movable, not copyable. */
class card {
public:
    explicit card(sx_card *raw = nullptr) noexcept : handle_(raw) {}

    std::string id() const { return sx_card_id(get()); }
    /* In full: for the register's own use. Show and log number_masked(). */
    std::string number() const { return sx_card_number(get()); }
    std::string number_masked() const { return sx_card_number_masked(get()); }
    std::string group_name() const { return sx_card_group_name(get()); }
    /* "" when the card has none. */
    std::string expiry() const { return sx_card_expiry(get()); }
    /* Cents (points a count); nullopt when the answer left it out. */
    std::optional<int64_t> balance() const { return detail::optional_value(sx_card_balance, get()); }
    std::optional<int64_t> cash_balance() const { return detail::optional_value(sx_card_cash_balance, get()); }
    std::optional<int64_t> bonus_balance() const { return detail::optional_value(sx_card_bonus_balance, get()); }
    std::optional<int64_t> points() const { return detail::optional_value(sx_card_points, get()); }
    /* Whether it can pay is its lock, not its stock status; nullopt when the answer does not say. */
    std::optional<bool> locked() const
    {
        const std::optional<uint32_t> value = detail::optional_value(sx_card_locked, get());
        return value ? std::optional<bool>(*value != 0) : std::nullopt;
    }

    const sx_card *get() const noexcept { return handle_.get(); }

private:
    std::unique_ptr<sx_card, detail::card_free> handle_;
};

/* A smart device (from client::get_device), e.g. the card terminal: read at once, the handle freed. online is the
 * API's only liveness field: it does not prove the terminal can pay (only a payment or the diagnosis does). */
struct device {
    std::string id;
    std::string type;
    std::string description;
    std::string vendor;
    std::string tid;
    std::optional<bool> online;

    static device from(sx_device *raw)
    {
        std::unique_ptr<sx_device, detail::device_free> owned(raw);
        const std::optional<uint32_t> on = detail::optional_value(sx_device_online, static_cast<const sx_device *>(raw));
        return device{sx_device_id(raw),   sx_device_type(raw), sx_device_description(raw),
                      sx_device_vendor(raw), sx_device_tid(raw),
                      on ? std::optional<bool>(*on != 0) : std::nullopt};
    }
};

inline std::string version() { return sx_version(); }
inline void set_base_url(const std::string &url) { detail::check(sx_set_base_url(url.c_str())); }
inline void set_timeouts(uint32_t connect_ms, uint32_t total_ms) { detail::check(sx_set_timeouts(connect_ms, total_ms)); }
inline void shutdown() noexcept { sx_shutdown(); }
inline std::string last_error_message() { return detail::last_string(sx_last_error_message); }
inline int32_t last_http_status() noexcept { return sx_last_http_status(); }
inline std::string last_response() { return detail::last_string(sx_last_response); }

/* What the cashier does after `code`, in a sentence or two (sx_result_advice): language "de" or "en"; nullptr or
 * any other language gives English; every code has a text. Does not change the last error. */
inline std::string advice(sx_result code, const char *language = "en")
{
    std::string text;
    detail::check(detail::read_string(text, sx_result_advice, code, language));
    return text;
}

inline std::string error::advice(const char *language) const { return smartx::advice(code_, language); }

namespace detail {

/* The end of a start_cash size query: SX_ERR_BUFFER_TOO_SMALL is the paid answer, read from the last response;
 * SX_ERR_NOT_OK throws smartx::not_ok with the unpaid transaction (when its answer parses). */
inline transaction finish_start_cash(sx_result result)
{
    if (result == SX_ERR_BUFFER_TOO_SMALL) {
        return transaction::parse(last_response());
    }
    if (result == SX_ERR_NOT_OK) {
        const error failed = failure(result, true);
        sx_transaction *unpaid = nullptr;
        if (sx_transaction_parse(failed.response().data(), failed.response().size(), &unpaid) == SX_OK) {
            throw not_ok(failed, transaction(unpaid));
        }
        throw failed;
    }
    check(result, true);
    return transaction::parse(last_response());
}

} // namespace detail

/* Registers the payment the register took itself and returns the transaction to print. Sent once: the size
 * query (cap 0) makes a paid call answer SX_ERR_BUFFER_TOO_SMALL, and the body is read from sx_last_response.
 * Throws smartx::error otherwise; SX_ERR_NOT_OK is smartx::not_ok with the unpaid transaction, whose receipt
 * must be printed too. */
inline transaction start_cash(const std::string &id, const std::string &token)
{
    size_t len = 0;
    const sx_result result =
        sx_start_cash(detail::c_text(id, "the id"), detail::c_text(token, "the token"), nullptr, 0, &len);
    return detail::finish_start_cash(result);
}

/* One entry of a client's journal (sx_journal_entry, its strings copied), with the transaction its answer or a
 * read-back gave (for printing again: tx->render_copy("*** KOPIE ***")), borrowed from its list, which it keeps
 * alive; empty when there is none. */
struct journal_entry {
    int64_t seq = 0;
    uint32_t call = 0;    /* SX_CALL_CREATE, SX_CALL_START, ... */
    uint32_t outcome = 0; /* SX_OUTCOME_PENDING, SX_OUTCOME_DONE, SX_OUTCOME_NOT_DONE */
    sx_result result = SX_OK;
    int32_t http_status = 0;
    int64_t began_ms = 0;
    int64_t settled_ms = 0;
    std::string transaction_id;
    std::string method;
    std::string reference;
    std::optional<smartx::transaction> tx;
};

/* A snapshot of journal entries (client::pending, client::recent), owning its sx_journal_list (freed with the
 * last of this object and the transactions taken from it). Later calls do not change it. */
class journal_list {
public:
    explicit journal_list(sx_journal_list *list) : list_(list, detail::journal_list_free()) {}
    std::size_t size() const noexcept { return sx_journal_list_count(list_.get()); }
    bool empty() const noexcept { return size() == 0; }
    /* Entry `index` (from 0); throws smartx::error (SX_ERR_OUT_OF_RANGE) past the end. */
    journal_entry at(std::size_t index) const
    {
        sx_journal_entry raw;
        detail::check(sx_journal_list_get(list_.get(), index, &raw));
        journal_entry entry;
        entry.seq = raw.seq;
        entry.call = raw.call;
        entry.outcome = raw.outcome;
        entry.result = raw.result;
        entry.http_status = raw.http_status;
        entry.began_ms = raw.began_ms;
        entry.settled_ms = raw.settled_ms;
        entry.transaction_id = raw.transaction_id;
        entry.method = raw.method;
        entry.reference = raw.reference;
        if (const sx_transaction *tx = sx_journal_list_transaction(list_.get(), index)) {
            entry.tx.emplace(tx, list_);
        }
        return entry;
    }
    /* Every entry, in the list's order. */
    std::vector<journal_entry> entries() const
    {
        std::vector<journal_entry> all;
        const std::size_t count = size();
        all.reserve(count);
        for (std::size_t i = 0; i < count; i++) {
            all.push_back(at(i));
        }
        return all;
    }

private:
    std::shared_ptr<sx_journal_list> list_;
};

/* What client::reconcile did: entries moved out of PENDING, entries still PENDING, and the entries that were
 * PENDING before and are DONE now (oldest first): their starts are payments whose answer the register never got,
 * so their receipts were never printed; print them now, marked as a copy (nobody can tell whether a receipt came
 * out before the crash). */
struct reconciled {
    std::size_t settled = 0;
    std::size_t still_pending = 0;
    std::vector<journal_entry> newly_done;
};

/* Receives one log line: level SX_LOG_ERROR (1) to SX_LOG_DEBUG (4), and the line (never a token or secret). */
using log_function = std::function<void(uint32_t level, const std::string &message)>;
/* Receives the code to show the merchant during client::pair: user code, verification URL, seconds left. */
using pair_function = std::function<void(const std::string &user_code, const std::string &verification_url,
                                         uint32_t expires_in_s)>;

/* Owns an sx_client: its base URL, timeouts, CAs, proxy, log and tokens; freed when destroyed. Movable, not
 * copyable. Every method may be called from several threads at once (cancel_pairing() is meant for that), but the
 * client must not be moved or destroyed while a call is under way.
 *
 *   smartx::client client("https://...");
 *   client.use_client_credentials(id, secret);
 *   smartx::transaction tx = client.start_cash(transaction_id);
 *   std::string text = tx.render();
 */
class client {
public:
    /* base_url: "testing", "live" or a URL (sx_client_new). Sends nothing. */
    explicit client(const std::string &base_url)
    {
        sx_client *raw = nullptr;
        detail::check(sx_client_new(base_url.c_str(), &raw));
        handle_.reset(raw);
    }
    /* $SX_BASE_URL, else testing. */
    client()
    {
        sx_client *raw = nullptr;
        detail::check(sx_client_new(nullptr, &raw));
        handle_.reset(raw);
    }
    client(client &&) noexcept = default;
    client &operator=(client &&other) noexcept
    {
        handle_.reset(); // first the client, then the log functions it may call
        logs_ = std::move(other.logs_);
        handle_ = std::move(other.handle_);
        return *this;
    }
    client(const client &) = delete;
    client &operator=(const client &) = delete;
    ~client() { handle_.reset(); }

    /* Milliseconds; 0 keeps that one's default (10 s connect, 60 s total, 5 min for card-terminal calls). */
    void set_timeouts(uint32_t connect_ms, uint32_t total_ms, uint32_t terminal_ms = 0)
    {
        detail::check(sx_client_set_timeouts(live(), connect_ms, total_ms, terminal_ms));
    }
    /* Trusts the CA certificates of a PEM file on top of the system's roots; read and checked now. */
    void add_ca_file(const std::string &pem_path) { detail::check(sx_client_add_ca_file(live(), pem_path.c_str())); }
    /* An HTTP CONNECT proxy "http://host:port"; an empty string removes it. */
    void set_proxy(const std::string &proxy_url)
    {
        detail::check(sx_client_set_proxy(live(), proxy_url.empty() ? nullptr : proxy_url.c_str()));
    }
    /* Sends log lines of max_level and below to `log`; an empty function or level 0 turns the log off. The
     * function is called on the thread that makes a library call (several at once when the client is shared)
     * and must not call into smartx; an exception it throws is swallowed (it cannot cross into C). The client
     * keeps the function until it is destroyed. */
    void set_log(log_function log, uint32_t max_level = SX_LOG_INFO)
    {
        if (!log || max_level == 0) {
            detail::check(sx_client_set_log(live(), nullptr, nullptr, 0));
            return;
        }
        auto kept = std::make_unique<log_function>(std::move(log));
        detail::check(sx_client_set_log(live(), &client::log_trampoline, kept.get(), max_level));
        logs_.push_back(std::move(kept)); // earlier ones stay: a call on another thread may still be in one
    }
    /* A token got elsewhere; never renewed. */
    void use_token(const std::string &access_token) { detail::check(sx_client_use_token(live(), access_token.c_str())); }
    /* Tokens by the client_credentials grant, got and renewed as needed. */
    void use_client_credentials(const std::string &client_id, const std::string &client_secret)
    {
        detail::check(sx_client_use_client_credentials(live(), client_id.c_str(), client_secret.c_str()));
    }
    /* Tokens by a refresh token kept from an earlier pairing (refresh_token()). */
    void use_refresh_token(const std::string &client_id, const std::string &client_secret,
                           const std::string &refresh_token)
    {
        detail::check(
            sx_client_use_refresh_token(live(), client_id.c_str(), client_secret.c_str(), refresh_token.c_str()));
    }
    /* Pairs the till (the device flow) and blocks until the merchant confirms. `on_code` is called once, on this
     * thread; an exception it throws is rethrown here after the library returns. cancel_pairing() from
     * another thread ends the call with SX_ERR_CANCELLED within a second; an expired code is SX_ERR_EXPIRED. */
    void pair(const std::string &client_id, const std::string &client_secret, const std::string &device_uuid,
              const pair_function &on_code)
    {
        pair_call call{on_code, nullptr};
        const sx_result result = sx_client_pair(live(), client_id.c_str(), client_secret.c_str(),
                                                device_uuid.c_str(), &client::pair_trampoline, &call);
        if (call.thrown) {
            std::rethrow_exception(call.thrown);
        }
        detail::check(result, true);
    }
    /* Gets ready for a payment when the cashier starts a sale: the token renewed if due within 5 minutes, a
     * connection made ready (DNS, TCP, TLS); sends no API request. Ends within the connect timeout; cheap when
     * called again while all is fresh. Throws smartx::error as the calls do (SX_ERR_CONNECT, SX_ERR_TLS, ...);
     * the next call works as without it. */
    void prepare() { detail::check(sx_client_prepare(live())); }
    /* Ends the pair() calls under way on this client, from any thread. */
    void cancel_pairing() noexcept { sx_client_cancel(handle_.get()); }
    /* The refresh token the client holds ("" if none): a secret, to store for use_refresh_token(). */
    std::string refresh_token() const
    {
        std::string token;
        detail::check(detail::read_string(token, sx_client_refresh_token, handle_.get()));
        return token;
    }
    /* start_cash with this client's token: sent once (the size query of smartx::start_cash); throws
     * smartx::error otherwise, smartx::not_ok with the unpaid transaction for SX_ERR_NOT_OK. */
    transaction start_cash(const std::string &id)
    {
        size_t len = 0;
        const sx_result result = sx_client_start_cash(live(), detail::c_text(id, "the id"), nullptr, 0, &len);
        return detail::finish_start_cash(result);
    }

    /* The register's day. Each call sends one request, never repeated by the library or by this header, and
     * blocks for at most the total timeout (the terminal timeout for the card methods of start). Any thread may
     * call at once on one client. A failure throws smartx::error with the HTTP status and the answer's body. */

    /* Creates a Smart Transaction from the basket (status "created"); keep its id() for start(). After
     * SX_ERR_OUTCOME_UNKNOWN a transaction may have been created unseen: it is never paid, so create another. */
    /* Opens the client's journal (sx_client_open_journal): once, before the first call, then reconcile(). Throws
     * SX_ERR_JOURNAL when the file cannot be created, opened or written or is not a smartx journal (left as it
     * was), SX_ERR_INVALID_ARGUMENT when the client has one already. */
    void open_journal(const std::string &path)
    {
        detail::check(sx_client_open_journal(live(), detail::c_text(path, "the path")));
    }
    /* The PENDING entries, oldest first. */
    journal_list pending()
    {
        sx_journal_list *raw = nullptr;
        detail::check(sx_journal_pending(live(), &raw));
        return journal_list(raw);
    }
    /* The newest `max_entries` entries (0: all), newest first. */
    journal_list recent(uint32_t max_entries = 0)
    {
        sx_journal_list *raw = nullptr;
        detail::check(sx_journal_recent(live(), max_entries, &raw));
        return journal_list(raw);
    }
    /* Settles the PENDING entries by reading them back (sx_client_reconcile); never repeats a call. Throws the
     * first failed read's smartx::error after trying the others (the network down stops it). */
    reconciled reconcile()
    {
        std::vector<int64_t> before;
        for (const journal_entry &entry : pending().entries()) {
            before.push_back(entry.seq);
        }
        reconciled done;
        detail::check(sx_client_reconcile(live(), &done.settled, &done.still_pending), true);
        if (before.empty()) {
            return done;
        }
        // Every entry from the oldest that was pending on: the newest seq less it, plus one (newest first).
        const journal_list newest = recent(1);
        const int64_t span = newest.empty() ? 0 : newest.at(0).seq - before.front() + 1;
        if (span <= 0) {
            return done;
        }
        const journal_list since = recent(static_cast<uint32_t>(std::min<int64_t>(span, UINT32_MAX)));
        for (std::size_t i = since.size(); i-- > 0;) {
            journal_entry entry = since.at(i);
            const bool was_pending = std::find(before.begin(), before.end(), entry.seq) != before.end();
            if (was_pending && entry.outcome == SX_OUTCOME_DONE) {
                done.newly_done.push_back(std::move(entry));
            }
        }
        return done;
    }
    /* A person's decision: PENDING entry `seq` becomes SX_OUTCOME_DONE or SX_OUTCOME_NOT_DONE. */
    void settle(int64_t seq, uint32_t outcome) { detail::check(sx_journal_settle(live(), seq, outcome)); }

    transaction create(const basket &sale)
    {
        return call(sx_transaction_create, sale.get());
    }
    /* Reads a transaction, whatever its status; an unknown id throws SX_ERR_API with HTTP status 404. */
    transaction get(const std::string &id) { return call(sx_transaction_get, detail::c_text(id, "the id")); }
    /* The transactions whose transactionRef is `transaction_ref` (matched whole), `count` from `offset` (count 0:
     * the API's default page), oldest first. A read: safe to repeat. Every page, as a register finds them all:
     *
     *   for (uint32_t offset = 0;;) {
     *       smartx::transaction_page page = client.list(reference, 20, offset);
     *       for (const smartx::transaction &tx : page.transactions) { ... }
     *       offset += static_cast<uint32_t>(page.transactions.size());
     *       if (page.transactions.empty() || offset >= page.total) break;
     *   }
     */
    transaction_page list(const std::string &transaction_ref, uint32_t count = 0, uint32_t offset = 0)
    {
        sx_transaction_list *raw = nullptr;
        const sx_result result = sx_transaction_list_by_ref(live(), detail::c_text(transaction_ref, "the reference"),
                                                            count, offset, &raw);
        std::shared_ptr<sx_transaction_list> list(raw, detail::transaction_list_free()); // owned before a throw
        detail::check(result, true);
        transaction_page page;
        page.total = sx_transaction_list_total(list.get());
        const std::size_t size = sx_transaction_list_count(list.get());
        page.transactions.reserve(size);
        for (std::size_t i = 0; i < size; i++) {
            page.transactions.push_back(smartx::transaction(sx_transaction_list_get(list.get(), i), list));
        }
        return page;
    }
    /* Replaces the basket of a transaction not yet started (products and basket_info always, references and ident
     * when the basket has them); after the start SX_ERR_API. Changes nothing paid: may be sent again. */
    transaction update(const std::string &id, const basket &sale)
    {
        return call(sx_transaction_update, detail::c_text(id, "the id"), sale.get());
    }
    /* Pays with `method` ("cash", "cashless", "debit", "invoice", "loyalty", "prepaid", "ccload", ...) and returns
     * the paid transaction (status "ok"): print its receipt. Unpaid (a declined card) throws smartx::not_ok with
     * the transaction, whose receipt must be printed too; a second start throws SX_ERR_API. Never repeated: after
     * SX_ERR_OUTCOME_UNKNOWN the payment may have been made, run the loop of check() before starting again. */
    transaction start(const std::string &id, const std::string &method)
    {
        return call(sx_transaction_start, detail::c_text(id, "the id"), detail::c_text(method, "the method"));
    }
    /* Reports a card payment the register's own terminal made: its terminal id, trace number and card type (e.g.
     * "girocard"). As start(): smartx::not_ok carries an unpaid transaction; never repeated. */
    transaction start_cashless_direct(const std::string &id, const std::string &tid, const std::string &trace,
                                      const std::string &card_type)
    {
        return call(sx_transaction_start_cashless_direct, detail::c_text(id, "the id"), detail::c_text(tid, "the tid"),
                    detail::c_text(trace, "the trace"), detail::c_text(card_type, "the card type"));
    }
    /* Reverses a card payment at the terminal by the receipt number on its receipt ("0001"), before an end of day
     * settled it (then SX_ERR_API, HTTP 400; unknown: HTTP 404). Waits for the terminal; never repeated. */
    transaction cancel_by_receipt(const std::string &receipt_number)
    {
        return call(sx_transaction_cancel_by_receipt, detail::c_text(receipt_number, "the receipt number"));
    }
    /* Closes the day at this device's card terminal and returns the report to print. A report not "ok" throws
     * smartx::not_ok carrying it. Waits for the terminal; after SX_ERR_OUTCOME_UNKNOWN the day may be closed. */
    transaction end_of_day() { return call(sx_terminal_end_of_day); }
    /* Asks this device's card terminal to check itself; the report as for end_of_day(). Safe to ask again. */
    transaction diagnosis() { return call(sx_terminal_diagnosis); }
    /* Reverses a paid transaction (it becomes "cancelled"); only after "ok", else SX_ERR_API. */
    transaction cancel(const std::string &id) { return call(sx_transaction_cancel, detail::c_text(id, "the id")); }
    /* Drops a transaction never started (it becomes "aborted"); only while "created", else SX_ERR_API. */
    transaction abort(const std::string &id) { return call(sx_transaction_abort, detail::c_text(id, "the id")); }
    /* After SX_ERR_OUTCOME_UNKNOWN: reads the transaction back (a GET, safe to repeat) and says what it means. A
     * failed read throws (e.g. SX_ERR_CONNECT): read again. The loop a register runs:
     *
     *   for (;;) {
     *       smartx::checked c{smartx::verdict::unknown, smartx::transaction()};
     *       try { c = client.check(id); } catch (const smartx::error &) { wait(); continue; }
     *       if (c.verdict == smartx::verdict::in_progress) { wait(); continue; }
     *       if (c.verdict == smartx::verdict::paid) print(c.transaction);          // never start again
     *       else if (c.verdict == smartx::verdict::not_paid && c.transaction.status() == "created")
     *           start_again = true;                                             // the start never ran
     *       else tell_the_cashier(c.transaction);                               // over, or unknown
     *       break;
     *   }
     */
    checked check(const std::string &id)
    {
        uint32_t found = SX_VERDICT_UNKNOWN;
        sx_transaction *raw = nullptr;
        const sx_result result = sx_transaction_check(live(), detail::c_text(id, "the id"), &found, &raw);
        transaction read(raw); // owned before anything can throw
        detail::check(result, true);
        // A verdict a newer library added is not one this code knows how to act on.
        const verdict known = found <= SX_VERDICT_IN_PROGRESS ? static_cast<verdict>(found) : verdict::unknown;
        return checked{known, std::move(read)};
    }

    /* Before the start: what remains to pay and the bonus products (POST .../preTransaction). Changes nothing at
     * the API; only while the transaction is created. Throws smartx::error otherwise (404: unknown id). */
    pre_transaction pre_check(const std::string &id)
    {
        sx_pre_transaction *pre = nullptr;
        detail::check(sx_transaction_pre_check(live(), id.c_str(), &pre), true);
        return pre_transaction(pre);
    }

    /* The balance enquiry: the card with this number, or nullopt when no card has it (SX_ERR_ABSENT); any other
     * failure throws (another card's answer, several cards, amounts not in whole cents: SX_ERR_BAD_RESPONSE). */
    std::optional<card> find_card(const std::string &card_number)
    {
        sx_card *raw = nullptr;
        const sx_result result = sx_card_find(live(), detail::c_text(card_number, "card_number"), &raw);
        if (result == SX_ERR_ABSENT) {
            return std::nullopt;
        }
        detail::check(result, true);
        return std::optional<card>(std::in_place, raw);
    }
    /* A wrong code is false, not an exception. */
    bool check_csc(const card &c, const std::string &csc)
    {
        uint32_t valid = 0;
        detail::check(sx_card_check_csc(live(), c.get(), detail::c_text(csc, "csc"), &valid), true);
        return valid != 0;
    }
    bool check_passcode(const card &c, const std::string &passcode)
    {
        uint32_t valid = 0;
        detail::check(sx_card_check_passcode(live(), c.get(), detail::c_text(passcode, "passcode"), &valid), true);
        return valid != 0;
    }
    /* The balance slip as a transaction whose customer receipt prints with render(); terminal_id "" sends none. */
    transaction card_balance_receipt(const card &c, const std::string &terminal_id = "")
    {
        return call(sx_card_balance_receipt, c.get(), detail::c_optional(terminal_id, "terminal_id"));
    }
    device get_device(const std::string &device_id)
    {
        sx_device *raw = nullptr;
        detail::check(sx_device_get(live(), detail::c_text(device_id, "device_id"), &raw), true);
        return device::from(raw);
    }
    /* A guess at finding the till's terminal (see sx_device_get_routed): check the type of what comes back. */
    device get_routed_device(const std::string &device_id, const std::string &routing_type = "zvt")
    {
        sx_device *raw = nullptr;
        detail::check(sx_device_get_routed(live(), detail::c_text(device_id, "device_id"),
                                           detail::c_text(routing_type, "routing_type"), &raw),
                      true);
        return device::from(raw);
    }
    /* The payment methods the contract allows for the basket's currency (flags: SX_METHODS_DEMO,
     * SX_METHODS_APIV2_NAMES). */
    std::vector<std::string> payment_methods(const std::string &contract_id, const basket &b, uint32_t flags = 0)
    {
        sx_payment_methods *raw = nullptr;
        detail::check(
            sx_contract_payment_methods(live(), detail::c_text(contract_id, "contract_id"), b.get(), flags, &raw),
            true);
        std::unique_ptr<sx_payment_methods, detail::payment_methods_free> owned(raw);
        std::vector<std::string> names;
        for (size_t i = 0; i < sx_payment_methods_count(raw); i++) {
            const char *name = nullptr;
            detail::check(sx_payment_methods_get(raw, i, &name));
            names.emplace_back(name);
        }
        return names;
    }

    sx_client *get() const noexcept { return handle_.get(); }

private:
    /* function(client, args..., &out): the transaction written is owned at once, returned on SX_OK, carried by
     * smartx::not_ok for a start that came back unpaid. */
    template <typename Function, typename... Args>
    transaction call(Function function, Args... args)
    {
        sx_transaction *raw = nullptr;
        const sx_result result = function(live(), args..., &raw);
        transaction answer(raw);
        if (result == SX_ERR_NOT_OK && answer) {
            throw not_ok(detail::failure(result, true), std::move(answer));
        }
        detail::check(result, true);
        if (!answer) {
            detail::check(SX_ERR_BAD_RESPONSE, true);
        }
        return answer;
    }

    struct pair_call {
        const pair_function &on_code;
        std::exception_ptr thrown;
    };

    static void log_trampoline(void *user_data, uint32_t level, const char *message) noexcept
    {
        try {
            (*static_cast<const log_function *>(user_data))(level, message ? message : "");
        } catch (...) {
            // A log line is not worth unwinding through C (undefined behaviour); it is lost.
        }
    }

    static void pair_trampoline(void *user_data, const char *user_code, const char *verification_url,
                                uint32_t expires_in_s) noexcept
    {
        pair_call &call = *static_cast<pair_call *>(user_data);
        try {
            if (call.on_code) {
                call.on_code(user_code ? user_code : "", verification_url ? verification_url : "", expires_in_s);
            }
        } catch (...) {
            call.thrown = std::current_exception(); // rethrown by pair() once the C call has returned
        }
    }

    sx_client *live() const
    {
        if (!handle_) {
            throw std::logic_error("smartx::client used after it was moved from");
        }
        return handle_.get();
    }

    /* Declared before handle_ so that they outlive it: the library may call them until sx_client_free. */
    std::vector<std::unique_ptr<log_function>> logs_;
    std::unique_ptr<sx_client, detail::client_free> handle_;
};

} // namespace smartx

#endif /* SMARTX_HPP */
