#include "kut/abi.h"

extern "C" unsigned kut_abi_version(void) { return KUT_ABI_VERSION; }
