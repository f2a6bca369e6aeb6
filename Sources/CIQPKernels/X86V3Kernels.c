// The x86-64-v3 variant (AVX2, FMA, POPCNT, BMI2): the same kernels, every function compiled for it.
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("arch=x86-64-v3"))), apply_to = function)
#define IQP_VARIANT_SUFFIX x86_64_v3
#include "KernelBodies.h"
#pragma clang attribute pop
#endif
