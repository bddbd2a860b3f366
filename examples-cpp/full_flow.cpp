// full_flow (C++17): a register's sales with smartx::client, as examples-c/full_flow.c: builds a
// basket, creates the Smart Transaction, pays it and prints the receipt, three times: in cash, by card, and by
// card again. Whatever comes back is handled as a register must: paid (print the receipt), declined
// (smartx::not_ok: print its receipt too, the customer pays another way), or an answer that was lost
// (SX_ERR_OUTCOME_UNKNOWN: read the transaction back with client::check, never guess and never simply pay again).
//
//   usage: full_flow <client-id> <client-secret> [base-url]
//   build (one line): c++ -std=c++17 -Wall -Wextra -Werror -pedantic -I include examples-cpp/full_flow.cpp
//              -o full_flow -L target/release -lsmartx -Wl,-rpath,"$PWD/target/release"
//
// Without base-url: SX_BASE_URL from the environment, else the secuconnect testing host. Money stays integer
// cents, also when printed. Exit status: 0 when every sale ended in a known state (paid or not), else the
// failing sx_result value; 2 for a usage error.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>

#include "smartx.hpp"

namespace {

// How often a register asks again while the terminal is still at it, and how long it waits in between.
const int check_attempts = 30;
const std::chrono::milliseconds check_wait(1000);

// 470 cents as "4.70": integer arithmetic, no floating point.
std::string euros(int64_t cents)
{
    const std::string sign = cents < 0 ? "-" : "";
    const uint64_t magnitude = cents < 0 ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
    const uint64_t rest = magnitude % 100;
    return sign + std::to_string(magnitude / 100) + (rest < 10 ? ".0" : ".") + std::to_string(rest);
}

void print_receipt(const smartx::transaction &tx)
{
    smartx::render_options options;
    options.columns = 42;
    std::cout << tx.render(options) << "\n";
}

smartx::basket make_basket(int sale)
{
    smartx::basket basket("EUR");
    basket.add_product("Brötchen", 4, 45, 7, "30037");
    basket.add_product("Kaffee to go", 1, 290, 19, "", "4006381333931");
    basket.set_refs("till-7", "Beleg " + std::to_string(sale));
    return basket;
}

// After SX_ERR_OUTCOME_UNKNOWN: the documented loop. Returns SX_OK when the sale ended in a known state.
sx_result resolve(smartx::client &client, int sale, const std::string &id, const std::string &method,
                  bool may_start_again)
{
    for (int attempt = 0; attempt < check_attempts; attempt++) {
        smartx::checked found{smartx::verdict::unknown, smartx::transaction()};
        try {
            found = client.check(id);
        } catch (const smartx::error &e) {
            std::cerr << "check failed: " << e.name() << ": " << e.what() << "\n"; // the read failed too: again
            std::this_thread::sleep_for(check_wait);
            continue;
        }
        const smartx::transaction &tx = found.transaction;
        if (found.verdict == smartx::verdict::in_progress) {
            std::cout << "sale " << sale << ": still at the terminal (" << tx.status() << "), asking again\n";
            std::this_thread::sleep_for(check_wait);
            continue;
        }
        if (found.verdict == smartx::verdict::paid) {
            std::cout << "sale " << sale << ": checked: paid (" << tx.status() << "), " << euros(tx.sum()) << " EUR\n";
            print_receipt(tx);
        } else if (found.verdict == smartx::verdict::not_paid && tx.status() == "created") {
            std::cout << "sale " << sale << ": checked: the start never ran\n";
            if (may_start_again) {
                // The only case in which starting again is right; once, by the register, never by the library.
                try {
                    const smartx::transaction paid = client.start(id, method);
                    std::cout << "sale " << sale << ": started again: SX_OK\n";
                    print_receipt(paid);
                } catch (const smartx::not_ok &declined) {
                    std::cout << "sale " << sale << ": started again: " << declined.name() << "\n";
                    print_receipt(declined.transaction());
                } catch (const smartx::error &e) {
                    std::cout << "sale " << sale << ": started again: " << e.name() << "\n";
                    if (e.code() != SX_ERR_OUTCOME_UNKNOWN) {
                        return e.code();
                    }
                    return resolve(client, sale, id, method, false);
                }
            }
        } else if (found.verdict == smartx::verdict::not_paid) {
            std::cout << "sale " << sale << ": checked: not paid (" << tx.status() << ")\n";
        } else {
            std::cout << "sale " << sale << ": checked: status \"" << tx.status()
                      << "\" is unknown: ask the back office\n";
        }
        return SX_OK;
    }
    std::cout << "sale " << sale << ": no answer after " << check_attempts
              << " checks: ask the back office before selling it again\n";
    return SX_ERR_OUTCOME_UNKNOWN;
}

sx_result sell(smartx::client &client, int sale, const std::string &method)
{
    std::string id;
    try {
        const smartx::transaction created = client.create(make_basket(sale)); // the basket is freed right after
        id = created.id();
        std::cout << "sale " << sale << ": " << id << " created, " << euros(created.sum()) << " EUR, paying by "
                  << method << "\n";
    } catch (const smartx::error &e) {
        std::cerr << "create failed: " << e.name() << ": " << e.what() << "\n";
        return e.code();
    }
    try {
        const smartx::transaction paid = client.start(id, method);
        std::cout << "sale " << sale << ": paid\n";
        print_receipt(paid);
    } catch (const smartx::not_ok &declined) { // e.g. a declined card: its receipt says so and is printed too
        std::cout << "sale " << sale << ": not paid (" << declined.transaction().status() << ")\n";
        print_receipt(declined.transaction());
    } catch (const smartx::error &e) {
        if (e.code() != SX_ERR_OUTCOME_UNKNOWN) {
            std::cerr << "start failed: " << e.name() << ": " << e.what() << "\n";
            return e.code();
        }
        std::cout << "sale " << sale << ": the answer was lost; checking\n";
        return resolve(client, sale, id, method, true);
    }
    return SX_OK;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        std::cerr << "usage: " << argv[0] << " <client-id> <client-secret> [base-url]\n";
        return 2;
    }
    int status = 0;
    try {
        smartx::client client = argc == 4 ? smartx::client(argv[3]) : smartx::client();
        client.use_client_credentials(argv[1], argv[2]);
        const char *const methods[] = {"cash", "cashless", "cashless"};
        for (int sale = 1; sale <= 3; sale++) {
            const sx_result result = sell(client, sale, methods[sale - 1]);
            if (result != SX_OK && status == 0) {
                status = static_cast<int>(result);
            }
        }
    } catch (const smartx::error &e) {
        std::cerr << "client: " << e.name() << ": " << e.what() << "\n";
        return static_cast<int>(e.code());
    }
    return status;
}
