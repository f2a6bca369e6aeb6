#ifndef IQP_CMPI_SHIM_H
#define IQP_CMPI_SHIM_H
// Open MPI from Debian's libopenmpi-dev (pkg-config name `ompi-c`).
//
// Open MPI defines its handles as macros that take the address of a global
// (`#define MPI_COMM_WORLD ((MPI_Comm) &ompi_mpi_comm_world)`), which Swift cannot import.
// Each accessor below returns one such constant. Only the module IQPMPI imports this.
#include <mpi.h>

static inline MPI_Comm iqp_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm iqp_mpi_comm_null(void) { return MPI_COMM_NULL; }

static inline MPI_Datatype iqp_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype iqp_mpi_int64(void) { return MPI_INT64_T; }

static inline MPI_Op iqp_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op iqp_mpi_max(void) { return MPI_MAX; }

static inline void *iqp_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Status *iqp_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }

static inline MPI_Errhandler iqp_mpi_errors_are_fatal(void) { return MPI_ERRORS_ARE_FATAL; }
static inline MPI_Errhandler iqp_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

static inline int iqp_mpi_success(void) { return MPI_SUCCESS; }
static inline int iqp_mpi_undefined(void) { return MPI_UNDEFINED; }
static inline int iqp_mpi_max_library_version_string(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }
static inline int iqp_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int iqp_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int iqp_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }

// Instruction-set extensions the compiler was told it may use for this build (set by
// `-Xswiftc -target-cpu -Xswiftc haswell`, which reaches this header through the Clang
// importer). Not MPI: this is the package's only C shim of its own, so `iqp info` reads the
// build target here.
static inline int iqp_built_with_popcnt(void) {
#ifdef __POPCNT__
    return 1;
#else
    return 0;
#endif
}
static inline int iqp_built_with_bmi2(void) {
#ifdef __BMI2__
    return 1;
#else
    return 0;
#endif
}
static inline int iqp_built_with_avx2(void) {
#ifdef __AVX2__
    return 1;
#else
    return 0;
#endif
}
static inline int iqp_built_with_fma(void) {
#ifdef __FMA__
    return 1;
#else
    return 0;
#endif
}

#endif
