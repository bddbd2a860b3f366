/*
 * A stand-in for bcryptprimitives.dll, for Wine 8.0 (Debian 12) only, which lacks it: Rust's standard library
 * takes its random numbers from ProcessPrng there, as every Windows since 10 provides it. Here ProcessPrng
 * asks the system generator behind RtlGenRandom (advapi32's SystemFunction036). Never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
