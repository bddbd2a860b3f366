// start_cash (C++17): registers a cash payment with smartx.hpp and prints the receipt lines.
//
//   usage: start_cash <transaction-id> <token> [base-url]
//   build (one line): c++ -std=c++17 -Wall -Wextra -Werror -I include examples-cpp/start_cash.cpp
//              -o start_cash -L target/release -lsmartx -Wl,-rpath,"$PWD/target/release"
//
// Exit status: 0 when paid, else the sx_result value.
#include <iostream>

#include "smartx.hpp"

static void print_receipt(const smartx::transaction &tx)
{
    for (const smartx::receipt_line &line : tx.receipt(SX_RECEIPT_CUSTOMER)) {
        switch (line.kind) {
        case SX_LINE_SEPARATOR:
            std::cout << "== " << line.caption << " ==\n";
            break;
        case SX_LINE_TEXT:
            std::cout << line.text << "\n";
            break;
        case SX_LINE_NAME_VALUE:
            std::cout << line.name << " " << line.value << "\n";
            break;
        case SX_LINE_SPACE:
            std::cout << "\n";
            break;
        default:
            std::cout << "(" << line.type << ")\n";
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        std::cerr << "usage: " << argv[0] << " <transaction-id> <token> [base-url]\n";
        return 2;
    }
    int status = 0;
    try {
        if (argc == 4) {
            smartx::set_base_url(argv[3]);
        }
        smartx::transaction tx = smartx::start_cash(argv[1], argv[2]);
        std::cout << "Result: SX_OK, HTTP status " << smartx::last_http_status() << "\n";
        print_receipt(tx);
    } catch (const smartx::error &e) {
        std::cout << "Result: " << e.name() << " (" << e.code() << "), HTTP status " << e.http_status() << "\n";
        std::cout << "Detail: " << e.what() << "\n";
        std::cout << "Cashier: " << e.advice("de") << "\n"; // for the till's screen, in its language
        if (const smartx::not_ok *unpaid = dynamic_cast<const smartx::not_ok *>(&e)) {
            print_receipt(unpaid->transaction()); // an unpaid transaction's receipt too
        }
        status = static_cast<int>(e.code());
    }
    smartx::shutdown();
    return status;
}
