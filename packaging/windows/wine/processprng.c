/*
 * bcryptprimitives.dll for Wine 8, which lacks ProcessPrng: Go's runtime
 * (1.22 and later) takes its random bytes from it and stops at start
 * without it. Tests only (the Windows tests under Wine, docs/platforms.md);
 * real Windows has its own. It fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), in pieces of at most 2^31-1 bytes.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
