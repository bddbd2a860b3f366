/*
 * smartx.hpp: C++17 wrapper of smartx.h, header-only. Handles are owned by RAII objects, strings come back as
 * std::string, and a failed call throws smartx::error carrying the result code, the library's message, the HTTP
 * status and the answer's body.
 *
 *   smartx::set_base_url("http://127.0.0.1:8080");
 *   try {
 *       smartx::transaction tx = smartx::start_cash(id, token);
 *       for (const smartx::receipt_line &line : tx.receipt()) { ... }
 *   } catch (const smartx::error &e) { e.code(), e.name(), e.what(), e.http_status(), e.response() }
 *
 * Threads: as the C functions (any thread; the last error is per thread, and each throw reads it on the thread
 * of the failed call). A transaction may be read from several threads at once, but not moved meanwhile.
 */
#ifndef SMARTX_HPP
#define SMARTX_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
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

/* Throws for anything but SX_OK; `network`: the call went to the network, so the status and body belong to it. */
inline void check(sx_result result, bool network = false)
{
    if (result == SX_OK) {
        return;
    }
    std::string message = last_string(sx_last_error_message);
    if (message.empty()) {
        message = sx_result_name(result);
    }
    throw error(result, message, network ? sx_last_http_status() : 0,
                network ? last_string(sx_last_response) : std::string());
}

struct transaction_free {
    void operator()(sx_transaction *tx) const noexcept { sx_transaction_free(tx); }
};

struct client_free {
    void operator()(sx_client *client) const noexcept { sx_client_free(client); }
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

namespace detail {

} // namespace detail

/* One receipt line, copied out of the transaction. */
struct receipt_line {
    uint32_t kind;        /* SX_LINE_... */
    uint32_t decorations; /* SX_DECO_... bits */
    std::string type, caption, text, name, value;
};

/* Owns an sx_transaction; freed when destroyed. Movable, not copyable. */
class transaction {
public:
    /* Takes ownership of `tx` (may be NULL: an empty transaction). */
    explicit transaction(sx_transaction *tx = nullptr) noexcept : handle_(tx) {}

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

    const sx_transaction *get() const noexcept { return handle_.get(); }
    /* Gives up ownership: the caller frees the result with sx_transaction_free. */
    sx_transaction *release() noexcept { return handle_.release(); }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

private:
    std::unique_ptr<sx_transaction, detail::transaction_free> handle_;
};

inline std::string version() { return sx_version(); }
inline void set_base_url(const std::string &url) { detail::check(sx_set_base_url(url.c_str())); }
inline void set_timeouts(uint32_t connect_ms, uint32_t total_ms) { detail::check(sx_set_timeouts(connect_ms, total_ms)); }
inline void shutdown() noexcept { sx_shutdown(); }
inline std::string last_error_message() { return detail::last_string(sx_last_error_message); }
inline int32_t last_http_status() noexcept { return sx_last_http_status(); }
inline std::string last_response() { return detail::last_string(sx_last_response); }

/* Registers the payment the register took itself and returns the transaction to print. Sent once: the size
 * query (cap 0) makes a paid call answer SX_ERR_BUFFER_TOO_SMALL, and the body is read from sx_last_response.
 * Throws smartx::error otherwise; for SX_ERR_NOT_OK its response() is the unpaid transaction, whose receipt
 * must be printed too (transaction::parse(e.response())). */
inline transaction start_cash(const std::string &id, const std::string &token)
{
    size_t len = 0;
    sx_result result = sx_start_cash(id.c_str(), token.c_str(), nullptr, 0, &len);
    if (result == SX_ERR_BUFFER_TOO_SMALL) {
        return transaction::parse(last_response());
    }
    detail::check(result, true);
    return transaction::parse(last_response());
}

/* Receives one log line: level SX_LOG_ERROR (1) to SX_LOG_DEBUG (4), and the line (never a token or secret). */
using log_function = std::function<void(uint32_t level, const std::string &message)>;
/* Receives the code to show the merchant during client::pair: user code, verification URL, seconds left. */
using pair_function = std::function<void(const std::string &user_code, const std::string &verification_url,
                                         uint32_t expires_in_s)>;

/* Owns an sx_client: its base URL, timeouts, CAs, proxy, log and tokens; freed when destroyed. Movable, not
 * copyable. Every method may be called from several threads at once (cancel() is meant for that), but the
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
     * thread; an exception it throws is rethrown here after the library returns. cancel() from another thread
     * ends the call with SX_ERR_CANCELLED within a second; an expired code is SX_ERR_EXPIRED. */
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
    /* Ends the pair() calls under way on this client, from any thread. */
    void cancel() noexcept { sx_client_cancel(handle_.get()); }
    /* The refresh token the client holds ("" if none): a secret, to store for use_refresh_token(). */
    std::string refresh_token() const
    {
        std::string token;
        detail::check(detail::read_string(token, sx_client_refresh_token, handle_.get()));
        return token;
    }
    /* start_cash with this client's token: sent once (the size query of smartx::start_cash); throws
     * smartx::error otherwise, for SX_ERR_NOT_OK with the unpaid transaction in response(). */
    transaction start_cash(const std::string &id)
    {
        size_t len = 0;
        const sx_result result = sx_client_start_cash(live(), id.c_str(), nullptr, 0, &len);
        if (result != SX_ERR_BUFFER_TOO_SMALL) {
            detail::check(result, true);
        }
        return transaction::parse(last_response());
    }

    sx_client *get() const noexcept { return handle_.get(); }

private:
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
