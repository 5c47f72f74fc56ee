"""Processors other than this one, emulated for the tests.

numba compiles for the processor named by ``NUMBA_CPU_NAME`` (an LLVM
name) and OpenBLAS uses the kernels of ``OPENBLAS_CORETYPE``; both default
to the host's. The book's stored outputs are recorded on whatever
processor ran ``make notebooks``; ``make test`` re-executes them on
others, so that an output that depends on the processor fails here and
not on a reader's machine:

* ``TEST_CPU``: the whole test session (nbval's kernels included), set
  by ``conftest.py``: x86-64 without AVX for numba (no FMA, 128-bit
  vectors), AVX2 for OpenBLAS.
* ``BOOK_CPU``: the book that ``tests/test_book_browser.py`` builds and
  compares with the stored outputs: AVX2 with FMA for numba, AVX without
  FMA for OpenBLAS.

Both run on any x86-64 processor with AVX2, as the CI machines have.
"""

CPU_VARIABLES = (
    "NUMBA_CPU_NAME",
    "NUMBA_CPU_FEATURES",
    "OPENBLAS_CORETYPE",
)
TEST_CPU = {"NUMBA_CPU_NAME": "generic", "OPENBLAS_CORETYPE": "Haswell"}
BOOK_CPU = {"NUMBA_CPU_NAME": "haswell", "OPENBLAS_CORETYPE": "Sandybridge"}
# AVX-512, as on the machine the issue was found on; code compiled for it
# would stop with an illegal instruction on a processor without it.
AVX512_CPU = {
    "NUMBA_CPU_NAME": "skylake-avx512",
    "OPENBLAS_CORETYPE": "SkylakeX",
}


def _host_has(flag):
    try:
        with open("/proc/cpuinfo") as f:
            return any(
                line.startswith("flags") and flag in line.split()
                for line in f
            )
    except OSError:
        return False


OTHER_CPUS = (TEST_CPU, BOOK_CPU) + (
    (AVX512_CPU,) if _host_has("avx512f") else ()
)
