// card_balance: the balance enquiry of a loyalty card and its slip, with the C++ wrapper (include/smartx.hpp):
// RAII handles, std::optional for what the answer may leave out, exceptions with the sx_result for failures.
//
//   usage: card_balance <token> <card-number> <base-url> [terminal-id]
//
// Exit status: 0 found and printed, 3 no such card, 4 locked, else the sx_result of the failure.
#include <cinttypes>
#include <cstdio>
#include <iostream>

#include "smartx.hpp"

static std::string euros(const std::optional<int64_t> &cents)
{
    if (!cents) {
        return "(not in the answer)";
    }
    const int64_t value = *cents < 0 ? -*cents : *cents;
    char text[48];
    std::snprintf(text, sizeof text, "%s%" PRId64 ",%02" PRId64 " EUR", *cents < 0 ? "-" : "", value / 100,
                  value % 100);
    return text;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        std::cerr << "usage: card_balance <token> <card-number> <base-url> [terminal-id]\n";
        return 2;
    }
    try {
        smartx::client client(argv[3]);
        client.use_token(argv[1]);
        std::optional<smartx::card> card = client.find_card(argv[2]);
        if (!card) {
            std::cout << "No card has this number.\n";
            return 3;
        }
        std::cout << "Card: " << card->number_masked() << "\n";
        std::cout << "Balance: " << euros(card->balance()) << "\n";
        std::cout << "Code 4471: " << (client.check_csc(*card, "4471") ? "right" : "wrong") << "\n";
        std::cout << "Code 0000: " << (client.check_csc(*card, "0000") ? "right" : "wrong") << "\n";
        if (card->locked().value_or(false)) {
            std::cout << "LOCKED\n";
            return 4;
        }
        smartx::transaction slip = client.card_balance_receipt(*card, argc > 4 ? argv[4] : "");
        std::cout << slip.render();
        const smartx::device terminal = client.get_routed_device("SDV_2YJDXYESB2YBHECVB5GQGSYPNM8UA6", "zvt");
        std::cout << "Terminal: " << terminal.id << " " << terminal.type << " online="
                  << (terminal.online ? (*terminal.online ? "yes" : "no") : "unknown") << "\n";
        return 0;
    } catch (const smartx::error &e) {
        std::cerr << e.name() << ": " << e.what() << "\n";
        return static_cast<int>(e.code());
    }
}
