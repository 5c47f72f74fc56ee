"""make bench's rows still run after a change to the helpers they call.

The benchmark times private pieces of the package (a compiled sweep
without its argument checks), so a changed signature breaks it without
breaking any other test; ``make bench`` is not part of ``make test``.
Each row runs here once on the small synthetic matrix, in a subprocess
with the threads ``make bench`` gives it (the rows set numba's thread
count, which must not leak into the other tests). Nothing is timed or
compared: speed is stated only by ``make bench``. The live-widget and
grading rows are left out: they run the Try it figures and ``make
grade``, which their own tests cover.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = [
    "row_als_vs_implicit",
    "row_implicit_als_vs_implicit",
    "row_als_vs_reference",
    "rows_als_end_to_end",
    "row_bpr_vs_implicit",
    "row_lambdarank_vs_bpr",
]
SCRIPT = """
import json, sys
sys.path.insert(0, "benchmarks")
import run
from recsys_lessons.data import synthetic_ratings

small = synthetic_ratings(seed=0).ratings
rows = []
for name in sys.argv[1:]:
    got = getattr(run, name)(small)
    rows += got if isinstance(got, list) else [got]
rows.append(run.row_metrics_vs_ranx())
print(json.dumps(rows))
"""


def test_every_cheap_row_runs_and_gives_a_table_row():
    env = {**os.environ, "NUMBA_NUM_THREADS": str(os.cpu_count() or 1)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *ROWS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(rows) >= len(ROWS) + 1
    for name, reference, ours, theirs, goal, threads in rows:
        assert name and reference and goal
        assert ours > 0 and (theirs is None or theirs > 0), name
        assert threads >= 1
