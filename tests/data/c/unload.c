/* Loads libsmartx at run time, as a register does that treats it as a plug-in (Delphi LoadLibrary, Python
 * ctypes): pays, shuts down, checks that sx_shutdown forgot the settings and the last answer and that a later
 * call sets the library up afresh, unloads it, loads it again and pays again.
 *
 * argv: library path, sandbox base URL, token, three fresh transaction ids.
 * The environment's SX_BASE_URL must point at a closed port: after sx_shutdown the library falls back to it. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "smartx.h"

static int passed, failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            passed++;                                                                 \
        } else {                                                                      \
            failed++;                                                                 \
            fprintf(stderr, "unload.c:%d: check failed: %s\n", __LINE__, #cond);       \
        }                                                                             \
    } while (0)

struct smartx {
    void *handle;
    sx_result (*set_base_url)(const char *);
    sx_result (*start_cash)(const char *, const char *, char *, size_t, size_t *);
    sx_result (*last_response)(char *, size_t, size_t *);
    int32_t (*last_http_status)(void);
    void (*shutdown)(void);
};

/* Through a union: ISO C has no cast from the object pointer dlsym returns to a function pointer. */
static void *symbol(void *handle, const char *name)
{
    void *found = dlsym(handle, name);
    if (found == NULL) {
        fprintf(stderr, "dlsym %s: %s\n", name, dlerror());
    }
    return found;
}

#define LOAD(lib, field, name)                          \
    do {                                                \
        union {                                         \
            void *object;                               \
            __typeof__((lib)->field) function;          \
        } cast;                                         \
        cast.object = symbol((lib)->handle, name);      \
        (lib)->field = cast.function;                   \
        if (cast.object == NULL) {                      \
            return 0;                                   \
        }                                               \
    } while (0)

static int load(struct smartx *lib, const char *path)
{
    lib->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib->handle == NULL) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return 0;
    }
    LOAD(lib, set_base_url, "sx_set_base_url");
    LOAD(lib, start_cash, "sx_start_cash");
    LOAD(lib, last_response, "sx_last_response");
    LOAD(lib, last_http_status, "sx_last_http_status");
    LOAD(lib, shutdown, "sx_shutdown");
    return 1;
}

static sx_result pay(const struct smartx *lib, const char *id, const char *token)
{
    static char answer[65536];
    size_t len = 0;
    return lib->start_cash(id, token, answer, sizeof answer, &len);
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: unload LIBRARY BASE_URL TOKEN ID1 ID2 ID3\n");
        return 2;
    }
    const char *path = argv[1], *base = argv[2], *token = argv[3];
    struct smartx lib;

    if (!load(&lib, path)) {
        return 1;
    }
    CHECK(lib.set_base_url(base) == SX_OK);
    CHECK(pay(&lib, argv[4], token) == SX_OK);
    CHECK(lib.last_http_status() == 200);

    lib.shutdown();
    size_t len = 1;
    /* The answer was freed: a size query finds 0 bytes (plus the NUL, which a cap of 0 cannot hold). */
    CHECK(lib.last_response(NULL, 0, &len) == SX_ERR_BUFFER_TOO_SMALL && len == 0);
    CHECK(lib.last_http_status() == 0);
    /* The base URL set above is forgotten: the library starts afresh from the environment (a closed port). */
    CHECK(pay(&lib, argv[5], token) == SX_ERR_CONNECT);

    lib.shutdown();
    CHECK(dlclose(lib.handle) == 0);

    /* Loaded again: works as new. */
    if (!load(&lib, path)) {
        return 1;
    }
    CHECK(lib.set_base_url(base) == SX_OK);
    CHECK(pay(&lib, argv[6], token) == SX_OK);
    lib.shutdown();
    CHECK(dlclose(lib.handle) == 0);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
