// The x86-64-v4 variant (AVX-512 F/BW/CD/DQ/VL on top of v3): the same kernels, every function compiled for it.
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("arch=x86-64-v4"))), apply_to = function)
#define IQP_VARIANT_SUFFIX x86_64_v4
#include "KernelBodies.h"
#pragma clang attribute pop
#endif
