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

} // namespace smartx

#endif /* SMARTX_HPP */
