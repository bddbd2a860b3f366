// pair (C++17): pairs the till with the merchant's account through smartx::client::pair (the device flow),
// shows the code, and prints whether a refresh token was kept. With `cancel` a second thread cancels the pairing
// 300 ms after the code is shown; with `throw` the code callback throws, and pair() rethrows it after the C call.
//
//   usage: pair <client-id> <client-secret> <base-url> [cancel|throw]
//   build (one line): c++ -std=c++17 -Wall -Wextra -Werror -pedantic -I include examples-cpp/pair.cpp -o pair
//              -pthread -L target/release -lsmartx -Wl,-rpath,"$PWD/target/release"
//
// Exit status: 0 when paired, 3 when the callback's exception came out of pair(), else the sx_result value.
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "smartx.hpp"

int main(int argc, char **argv)
{
    const std::string mode = argc == 5 ? argv[4] : "";
    if ((argc != 4 && argc != 5) || (argc == 5 && mode != "cancel" && mode != "throw")) {
        std::cerr << "usage: " << argv[0] << " <client-id> <client-secret> <base-url> [cancel|throw]\n";
        return 2;
    }
    smartx::client client(argv[3]);
    std::thread canceller;
    int status = 0;
    try {
        client.pair(argv[1], argv[2], "/vendor/acme/cashier/till-7",
                    [&](const std::string &user_code, const std::string &url, uint32_t expires_in_s) {
                        std::cout << "Code: " << user_code << " at " << url << " within " << expires_in_s << " s\n";
                        std::cout.flush();
                        if (mode == "throw") {
                            throw std::runtime_error("the display is broken");
                        }
                        if (mode == "cancel") {
                            canceller = std::thread([&client] {
                                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                                client.cancel_pairing();
                            });
                        }
                    });
        std::cout << "Paired; refresh token kept: " << (client.refresh_token().empty() ? "no" : "yes") << "\n";
    } catch (const smartx::error &e) {
        std::cout << "Result: " << e.name() << " (" << e.code() << ")\n";
        status = static_cast<int>(e.code());
    } catch (const std::runtime_error &e) {
        std::cout << "Callback threw: " << e.what() << "\n";
        status = 3;
    }
    if (canceller.joinable()) {
        canceller.join();
    }
    return status;
}
