/*
 * cpp_journal: smartx.hpp's journal, for tests/bindings/journal.rs. Two runs on one journal file:
 *
 *   cpp_journal lose <base_url> <token> <journal> <id>      open, start <id> whose answer the sandbox loses:
 *                                                          prints "lost=<code>" and "pending=<seq>,<call>,<id>"
 *   cpp_journal restart <base_url> <token> <journal> <id2>  open, reconcile: "reconciled=<settled>,<pending>",
 *                                                          each newly done start's copy receipt as "copy=..." lines;
 *                                                          then a sale of <id2> and the recent list as "recent=..."
 *                                                          lines; settle of a settled entry: "settle=<code>"
 */
#include <iostream>
#include <string>

#include "smartx.hpp"

int main(int argc, char **argv)
{
    if (argc != 6) {
        std::cerr << "usage: cpp_journal lose|restart <base_url> <token> <journal> <id>\n";
        return 2;
    }
    const std::string mode = argv[1];
    try {
        smartx::client client(argv[2]);
        client.use_token(argv[3]);
        client.open_journal(argv[4]);
        if (mode == "lose") {
            try {
                client.start(argv[5], "cash");
                std::cout << "lost=0\n";
            } catch (const smartx::error &e) {
                std::cout << "lost=" << e.code() << "\n";
            }
            for (const smartx::journal_entry &e : client.pending().entries()) {
                std::cout << "pending=" << e.seq << "," << e.call << "," << e.transaction_id << "\n";
            }
            return 0;
        }
        smartx::reconciled done = client.reconcile();
        std::cout << "reconciled=" << done.settled << "," << done.still_pending << "\n";
        for (const smartx::journal_entry &e : done.newly_done) {
            if (e.call == SX_CALL_START && e.tx) {
                std::cout << "copy.seq=" << e.seq << "\n";
                const std::string text = e.tx->render_copy("*** KOPIE ***");
                std::size_t start = 0;
                for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
                    std::cout << "copy=" << text.substr(start, end - start) << "\n";
                }
            }
        }
        client.start(argv[5], "cash");
        smartx::journal_list recent = client.recent();
        std::vector<smartx::journal_entry> entries = recent.entries();
        {
            smartx::journal_list gone = std::move(recent); // the transactions keep their list alive
        }
        for (const smartx::journal_entry &e : entries) {
            std::cout << "recent=" << e.seq << "," << e.call << "," << e.outcome << "," << e.method << ","
                      << e.transaction_id << "," << (e.tx ? e.tx->status() : std::string("-")) << "\n";
        }
        try {
            client.settle(entries.front().seq, SX_OUTCOME_NOT_DONE);
            std::cout << "settle=0\n";
        } catch (const smartx::error &e) {
            std::cout << "settle=" << e.code() << "\n";
        }
    } catch (const smartx::error &e) {
        std::cout << "error=" << e.code() << " " << e.what() << "\n";
        return 1;
    }
    return 0;
}
