// client (C++17): a smartx::client with client credentials registers a cash payment and prints the receipt as
// the library lays it out (text, 42 columns), then the ESC/POS bytes' length; log lines go to stderr.
//
//   usage: client <transaction-id> <client-id> <client-secret> <base-url>
//   build (one line): c++ -std=c++17 -Wall -Wextra -Werror -pedantic -I include examples-cpp/client.cpp
//              -o client -L target/release -lsmartx -Wl,-rpath,"$PWD/target/release"
//
// Exit status: 0 when paid, else the sx_result value.
#include <iostream>

#include "smartx.hpp"

int main(int argc, char **argv)
{
    if (argc != 5) {
        std::cerr << "usage: " << argv[0] << " <transaction-id> <client-id> <client-secret> <base-url>\n";
        return 2;
    }
    try {
        smartx::client client(argv[4]);
        client.set_log([](uint32_t level, const std::string &message) { std::cerr << "log " << level << ": "
                                                                                   << message << "\n"; },
                       SX_LOG_DEBUG);
        client.use_client_credentials(argv[2], argv[3]);
        const smartx::transaction tx = client.start_cash(argv[1]);
        std::cout << "Result: SX_OK, HTTP status " << smartx::last_http_status() << "\n";
        std::cout << tx.render(); // UTF-8 text, every row ending in "\n"

        smartx::render_options escpos;
        escpos.format = SX_FORMAT_ESCPOS;
        escpos.flags = SX_RENDER_CUT;
        const std::string bytes = tx.render(escpos); // binary: holds 0x00, so size(), never strlen
        std::cout << "ESC/POS: " << bytes.size() << " bytes, ending in a cut: "
                  << (bytes.size() >= 4 && bytes.compare(bytes.size() - 4, 4, std::string("\x1dV\x42\0", 4)) == 0
                          ? "yes"
                          : "no")
                  << "\n";
    } catch (const smartx::error &e) {
        std::cout << "Result: " << e.name() << " (" << e.code() << "), HTTP status " << e.http_status() << "\n";
        std::cout << "Detail: " << e.what() << "\n";
        return static_cast<int>(e.code());
    }
    return 0;
}
