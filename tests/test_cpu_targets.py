"""ALS gives the same bits on every x86-64 processor.

A reader's processor is not the one the book's outputs were recorded on.
numba compiles for the processor it runs on (``NUMBA_CPU_NAME`` overrides
it) and OpenBLAS picks kernels for it (``OPENBLAS_CORETYPE`` overrides
that), so other processors are emulated here. The fits are run where
rounding differences would show most: Chapter 2's explorer at k = 5 and
lambda = 1e-4, an ill-conditioned fit whose trajectory amplifies a
last-bit difference into a different predicted matrix, and a fit of
MovieLens size in miniature with many ratings per row.
"""

import json
import os
import subprocess
import sys

from cpu_targets import CPU_VARIABLES, OTHER_CPUS

FITS = r"""
import hashlib, json
import numpy as np
from recsys_lessons import als
from recsys_lessons.data import synthetic_ratings, toy_ratings

def digest(fit):
    return hashlib.sha256(fit.U.tobytes() + fit.V.tobytes()).hexdigest()

R = toy_ratings()
out = {}
for k, lam, penalty in [(5, 1e-4, "weighted"), (3, 1e-4, "weighted"),
                        (4, 3.16e-4, "plain")]:
    fit = als.fit_als(R, k, lam, n_iters=400, penalty=penalty,
                      init=als.lesson_start(5, 5, k))
    out[f"toy k={k} lam={lam} {penalty}"] = digest(fit)
big = synthetic_ratings(400, 300, rank=6, density=0.2, seed=1).ratings
out["synthetic k=12"] = digest(
    als.fit_als(big, 12, 0.01, n_iters=15, seed=0))
print(json.dumps(out))
"""


def fit_digests(cpu):
    env = {k: v for k, v in os.environ.items() if k not in CPU_VARIABLES}
    env.update(cpu)
    done = subprocess.run(
        [sys.executable, "-c", FITS],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_als_fits_are_bit_identical_on_other_processors():
    host = fit_digests({})
    for cpu in OTHER_CPUS:
        other = fit_digests(cpu)
        differ = [name for name in host if host[name] != other[name]]
        assert not differ, f"{cpu}: these fits differ from the host's"
