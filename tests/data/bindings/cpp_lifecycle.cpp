// The C++ wrapper's refusals and errors against the sandbox, one per line as `name=value` for
// tests/bindings/languages.rs: each step prints what was thrown (its type and code) or what came back.
//
//   usage: cpp_lifecycle <base-url> <token> <id of a transaction whose card the sandbox declines>
#include <cstdint>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>

#include "smartx.hpp"

namespace {

// Runs `step` and prints `name=` and what happened: ok, or the exception's kind and code.
template <typename Step>
void report(const char *name, Step step)
{
    std::cout << name << "=";
    try {
        std::cout << step() << "\n";
    } catch (const smartx::not_ok &e) {
        std::cout << "not_ok " << e.code() << " " << e.transaction().status() << " receipt "
                  << e.transaction().receipt().size() << "\n";
    } catch (const smartx::error &e) {
        std::cout << "error " << e.code() << " http " << e.http_status() << "\n";
    } catch (const std::out_of_range &) {
        std::cout << "out_of_range\n";
    } catch (const std::invalid_argument &) {
        std::cout << "invalid_argument\n";
    } catch (const std::logic_error &) {
        std::cout << "logic_error\n";
    }
}

std::string created(smartx::client &client)
{
    smartx::basket basket("EUR");
    basket.add_product("Kaffee", 1, 290, 19);
    basket.set_refs("till-7", "cpp lifecycle");
    return client.create(basket).id();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::cerr << "usage: " << argv[0] << " <base-url> <token> <declined-id>\n";
        return 2;
    }
    smartx::client client(argv[1]);
    client.use_token(argv[2]);

    smartx::basket basket("EUR");
    report("quantity_too_large", [&] {
        basket.add_product("Kaffee", static_cast<int64_t>(std::numeric_limits<int32_t>::max()) + 1, 290, 19);
        return "added";
    });
    report("price_too_large", [&] {
        basket.add_product("Kaffee", 1, std::numeric_limits<uint64_t>::max(), 19);
        return "added";
    });
    report("nul_in_text", [&] {
        basket.add_product(std::string("Kaffee\0 mit Milch", 17), 1, 290, 19);
        return "added";
    });
    report("blank_description", [&] {
        basket.add_product(" ", 1, 290, 19);
        return "added";
    });
    report("bad_currency", [] {
        smartx::basket lower("eur");
        return "made";
    });
    report("bad_card", [&] {
        basket.set_ident("9276 0044");
        return "set";
    });
    report("empty_basket_sum", [&] { return std::to_string(client.create(basket).sum()); });
    report("negative_total", [&] {
        smartx::basket coupon("EUR");
        coupon.add_product("Ware", 1, 100, 19).add_product("Gutschein", 1, -101, 19);
        return client.create(coupon).id();
    });
    report("moved_from", [&] {
        smartx::basket moved = std::move(basket);
        basket.add_product("Kaffee", 1, 290, 19);
        return "added";
    });

    const std::string id = created(client);
    report("bad_id", [&] { return client.get("bad id").status(); });
    report("bad_method", [&] { return client.start(id, "CASH").status(); });
    report("cancel_before_ok", [&] { return client.cancel(id).status(); });
    report("start", [&] { return client.start(id, "cash").status(); });
    report("second_start", [&] { return client.start(id, "cash").status(); });
    report("abort_after_start", [&] { return client.abort(id).status(); });
    report("update_after_start", [&] {
        smartx::basket other("EUR");
        other.add_product("Tee", 1, 250, 19);
        return client.update(id, other).status();
    });
    report("cancel", [&] { return client.cancel(id).status(); });
    report("check", [&] {
        smartx::checked found = client.check(id);
        return std::to_string(static_cast<uint32_t>(found.verdict)) + " " + found.transaction.status();
    });
    report("unknown_id", [&] { return client.get("STX_NOSUCHTRANSACTION0000000000").status(); });
    report("declined", [&] { return client.start(argv[3], "cashless").status(); });
    report("unknown_receipt", [&] { return client.cancel_by_receipt("9999").status(); });
    report("release_listed", [&] {
        smartx::transaction_page page = client.list("cpp lifecycle", 1, 0);
        const std::string total = std::to_string(page.total);
        page.transactions.at(0).release();
        return total;
    });
    report("listed_outlives_page", [&] {
        smartx::transaction first;
        {
            smartx::transaction_page page = client.list("cpp lifecycle", 2, 0);
            first = std::move(page.transactions.at(0));
        } // the page's vector is gone; the transaction keeps the C list alive
        return first.id() == id ? std::string("same ") + first.status() : std::string("other");
    });
    return 0;
}
