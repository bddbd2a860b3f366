// end_of_day (C++17): the rest of a register's day with smartx::client, after the sales of full_flow:
//   1. a sale with the customer's loyalty card, whose basket grows before it is paid (update);
//   2. paid on the register's own card terminal and reported with its terminal id and trace (cashless_direct);
//   3. a card sale reversed at the terminal by the receipt number on its receipt (canceltrx);
//   4. the day's transactions found again by the register's reference (list, page by page);
//   5. the terminal's self-check (diagnosis) and the end of day, whose report is printed.
//
//   usage: end_of_day <client-id> <client-secret> <day> [base-url]
//   build (one line): c++ -std=c++17 -Wall -Wextra -Werror -pedantic -I include examples-cpp/end_of_day.cpp
//              -o end_of_day -L target/release -lsmartx -Wl,-rpath,"$PWD/target/release"
//
// <day> is the register's reference of the day's sales (e.g. "Tag 2026-11-25"). Exit status: 0 when the day was
// closed, else the failing sx_result value; 2 for a usage error.
#include <cstdint>
#include <iostream>
#include <string>

#include "smartx.hpp"

namespace {

smartx::basket coffee(const std::string &day, int32_t cups)
{
    smartx::basket basket("EUR");
    basket.add_product("Kaffee to go", cups, 290, 19);
    basket.set_refs("till-7", day);
    return basket;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        std::cerr << "usage: " << argv[0] << " <client-id> <client-secret> <day> [base-url]\n";
        return 2;
    }
    const std::string day = argv[3];
    try {
        smartx::client client = argc == 5 ? smartx::client(argv[4]) : smartx::client();
        client.use_client_credentials(argv[1], argv[2]);

        // 1. The loyalty card is scanned, then a second cup is added before paying.
        smartx::basket first = coffee(day, 1);
        first.set_ident("9276004429942845");
        const std::string loyal = client.create(first).id();
        const smartx::transaction updated = client.update(loyal, coffee(day, 2).set_ident("9276004429942845"));
        std::cout << "update: " << updated.status() << " " << updated.sum() << " cents\n";

        // 2. Paid on the register's own terminal: reported with what the terminal printed.
        const smartx::transaction direct = client.start_cashless_direct(loyal, "52500123", "000417", "girocard");
        std::cout << "cashless_direct: " << direct.status() << "\n";

        // 3. A card sale, then reversed at the terminal by its receipt number (here read from its receipt lines).
        const std::string card = client.create(coffee(day, 1)).id();
        const smartx::transaction paid = client.start(card, "cashless");
        std::string receipt_number;
        for (const smartx::receipt_line &line : paid.receipt()) {
            if (line.name == "Beleg-Nr.") {
                receipt_number = line.value;
            }
        }
        const smartx::transaction reversed = client.cancel_by_receipt(receipt_number);
        std::cout << "canceltrx " << receipt_number << ": " << reversed.id() << " " << reversed.status() << "\n";

        // 4. The day's transactions, two to a page.
        for (uint32_t offset = 0;;) {
            const smartx::transaction_page page = client.list(day, 2, offset);
            for (const smartx::transaction &tx : page.transactions) {
                std::cout << "list: " << tx.id() << " " << tx.status() << " " << tx.sum() << " cents\n";
            }
            offset += static_cast<uint32_t>(page.transactions.size());
            if (page.transactions.empty() || offset >= page.total) {
                std::cout << "list: " << page.total << " in all\n";
                break;
            }
        }

        // 5. The terminal checks itself, then the day is closed and its report printed.
        std::cout << "diagnosis: " << client.diagnosis().status() << "\n";
        const smartx::transaction report = client.end_of_day();
        std::cout << "end of day: " << report.status() << "\n" << report.render();
    } catch (const smartx::not_ok &e) { // a report or payment that came back not ok: printed too
        std::cout << "not ok: " << e.transaction().status() << "\n" << e.transaction().render();
        return static_cast<int>(e.code());
    } catch (const smartx::error &e) {
        std::cout << "failed: " << e.name() << " (" << e.code() << "), HTTP status " << e.http_status() << ": "
                  << e.what() << "\n";
        return static_cast<int>(e.code());
    }
    return 0;
}
