// The baseline variant: the kernels for the target's default instruction set (SSE2 on x86-64).
#define IQP_VARIANT_SUFFIX baseline
#include "KernelBodies.h"
