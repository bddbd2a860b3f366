// The header from C++: extern "C" guards, so the names link unmangled, and nothing only C accepts.
#include "smartx.h"

#include <cstdio>
#include <cstring>

int main()
{
    sx_receipt_line line{};
    sx_transaction *tx = nullptr;
    const char json[] = "{\"status\":\"ok\",\"receipt\":[{\"type\":\"space\"}]}";
    if (sx_transaction_parse(json, std::strlen(json), &tx) != SX_OK) {
        return 1;
    }
    const bool right = sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) == 1 &&
                       sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, 0, &line) == SX_OK &&
                       line.kind == SX_LINE_SPACE && std::strcmp(line.type, "space") == 0;
    sx_transaction_free(tx);
    std::printf("%s %s\n", sx_version(), sx_result_name(SX_ERR_TLS));
    return right ? 0 : 1;
}
