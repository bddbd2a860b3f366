// transaction (C++17): reads a Smart Transaction's fields with smartx.hpp, and asks preTransaction.
//
//   usage: transaction <answer.json> [<base-url> <token> <transaction-id>]
//   build (one line): c++ -std=c++17 -Wall -Wextra -Werror -I include examples-cpp/transaction.cpp
//              -o transaction -L target/release -lsmartx -Wl,-rpath,"$PWD/target/release"
//
// Prints one "name: value" line per field (absent numbers and flags as "-"), then, with a server, the
// pre-check of the transaction. Exit status: 0, else the sx_result value of the failed call.
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "smartx.hpp"

template <typename T> static std::string shown(const std::optional<T> &value)
{
    return value ? std::to_string(*value) : "-";
}

static void print_product(const char *what, size_t i, const smartx::product &p)
{
    std::cout << what << " " << i << ": " << p.desc << " | article " << p.article_number << " | ean " << p.ean
              << " | type " << p.item_type << " | id " << shown(p.id) << " | parent " << shown(p.parent)
              << " | quantity " << shown(p.quantity) << " | unit price " << shown(p.unit_price_cents) << " | vat "
              << shown(p.vat_percent) << "\n";
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 5) {
        std::cerr << "usage: " << argv[0] << " <answer.json> [<base-url> <token> <transaction-id>]\n";
        return 2;
    }
    std::ifstream file(argv[1], std::ios::binary);
    const std::string json((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    int status = 0;
    try {
        const smartx::transaction tx = smartx::transaction::parse(json);
        std::cout << "id: " << tx.id() << "\n"
                  << "status: " << tx.status() << " (code " << tx.status_code() << ")\n"
                  << "payment method: " << tx.payment_method() << "\n"
                  << "trans id: " << tx.trans_id() << "\n"
                  << "receipt number: " << tx.receipt_number() << "\n"
                  << "merchant: " << tx.merchant_name() << " (" << tx.merchant_id() << ")\n"
                  << "created: " << tx.created() << "\n"
                  << "updated: " << tx.updated() << "\n"
                  << "refs: " << tx.merchant_ref() << " / " << tx.transaction_ref() << "\n"
                  << "intent: " << tx.intent() << "\n"
                  << "devices: " << tx.device_source() << " -> " << tx.device_destination() << "\n"
                  << "sum: " << tx.sum() << " " << tx.currency() << "\n"
                  << "missing sum: " << shown(tx.missing_sum()) << "\n"
                  << "gratuity: " << shown(tx.gratuity()) << "\n"
                  << "demo: " << shown(tx.is_demo()) << "\n"
                  << "print merchant copy: " << shown(tx.receipt_merchant_print()) << "\n";
        size_t i = 0;
        for (const smartx::product &p : tx.products()) {
            print_product("product", i++, p);
        }
        i = 0;
        for (const smartx::ident &card : tx.idents()) {
            std::cout << "ident " << i++ << ": " << card.name << " | type " << card.type << " | card "
                      << card.card_number << " | group " << card.card_group_name << " | " << card.lock_status
                      << "/" << card.stock_status << " | valid " << shown(card.valid) << " | balance "
                      << shown(card.balance) << " | points " << shown(card.points) << "\n";
        }
        i = 0;
        for (const smartx::reference &r : tx.references()) {
            std::cout << "reference " << i++ << ": " << r.object << " " << r.id << "\n";
        }
        const std::optional<std::string> customer = tx.json("/idents/0/merchantcard/customer/contact/name");
        std::cout << "customer: " << customer.value_or("-") << "\n";

        if (argc == 5) {
            smartx::client client(argv[2]);
            client.use_token(argv[3]);
            const smartx::pre_transaction pre = client.pre_check(argv[4]);
            std::cout << "pre-check missing sum: " << shown(pre.missing_sum()) << "\n";
            i = 0;
            for (const smartx::product &p : pre.bonus_products()) {
                print_product("bonus", i++, p);
            }
        }
    } catch (const smartx::error &e) {
        std::cout << "Result: " << e.name() << " (" << e.code() << "), HTTP status " << e.http_status() << "\n";
        status = static_cast<int>(e.code());
    }
    smartx::shutdown();
    return status;
}
