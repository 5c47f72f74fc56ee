"""The process a submission's code runs in: isolated by the OS.

:func:`command` wraps the grader's runner (``classroom/runner.py``) in
bubblewrap (``bwrap``, Debian's ``bubblewrap``): new user, PID, network,
IPC and mount namespaces, running as an unprivileged user id. Inside, the
file system holds only

* the Python installation and the grading environment, read-only, with
  any installed copy of ``recsys_lessons`` hidden;
* the system's ``/usr`` (libraries), read-only;
* one scratch folder, the only writable place, which holds the job and
  receives the results.

So student code cannot read the course secret, the teacher's marks, the
grader's code or references, or the repository, and cannot write anywhere
but its scratch folder. Resource limits (CPU time, memory, file size,
processes) are set before the sandbox starts.

Where bubblewrap is missing or the kernel refuses user namespaces,
:func:`isolation` says why and :func:`command` falls back to a plain
subprocess in the scratch folder: ``tools/grade.py`` then prints a warning
on every run, since the code then runs as the teacher.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

RUNNER = Path(__file__).with_name("runner.py")
MEMORY_BYTES = 4 << 30
FILE_BYTES = 64 << 20
CPU_SECONDS = 300
NOBODY = 65534


def _python_trees():
    """Folders the grading Python needs: its prefix and the venv's."""
    trees = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    trees |= {
        Path(sysconfig.get_paths()[key]).resolve()
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
    }
    # Only the outermost of nested folders is bound.
    return sorted(
        t for t in trees if not any(o in t.parents for o in trees)
    )


def _hidden_package():
    """An installed (non-editable) package the sandbox must not see."""
    hidden = []
    for key in ("purelib", "platlib"):
        path = Path(sysconfig.get_paths()[key]) / "recsys_lessons"
        if path.is_dir():
            hidden.append(path.resolve())
    return sorted(set(hidden))


def bwrap_command(scratch, argv):
    """The bubblewrap command line running ``argv`` in ``scratch``."""
    command = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--uid",
        str(NOBODY),
        "--gid",
        str(NOBODY),
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        # The sandbox's own /proc, /dev and an empty /tmp first: later
        # mounts go on top of earlier ones, and the Python to bind may
        # itself live under /tmp.
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for name in ("lib", "lib64", "bin", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            command += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            command += ["--ro-bind", str(target), str(target)]
    for tree in _python_trees():
        command += ["--ro-bind", str(tree), str(tree)]
    for path in _hidden_package():
        command += ["--tmpfs", str(path)]
    command += [
        "--bind",
        str(scratch),
        "/scratch",
        "--chdir",
        "/scratch",
    ]
    for key, value in _environment("/scratch").items():
        command += ["--setenv", key, value]
    return command + argv


def _environment(home):
    return {
        "HOME": home,
        "PATH": "/usr/bin:/bin",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
        "NUMBA_CACHE_DIR": f"{home}/numba",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "LANG": "C.UTF-8",
    }


@functools.cache
def isolation():
    """``(True, "bubblewrap")``, or ``(False, why the OS cannot)``."""
    if os.environ.get("RECSYS_GRADING_NO_SANDBOX") == "1":
        return False, "RECSYS_GRADING_NO_SANDBOX=1 is set"
    if shutil.which("bwrap") is None:
        return False, (
            "bubblewrap is not installed (Debian/Ubuntu: apt install "
            "bubblewrap)"
        )
    # The probe is the grading Python itself importing NumPy, in a sandbox
    # like every submission's: anything it cannot see shows here.
    with tempfile.TemporaryDirectory() as scratch:
        os.chmod(scratch, 0o777)
        probe = subprocess.run(
            bwrap_command(
                Path(scratch), [sys.executable, "-I", "-c", "import numpy"]
            ),
            capture_output=True,
            text=True,
        )
    if probe.returncode:
        return False, (
            "bubblewrap cannot create a sandbox here ("
            + (probe.stderr.strip().splitlines() or ["no message"])[-1]
            + "); user namespaces may be disabled"
        )
    return True, "bubblewrap"


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(scratch, seconds):
    """Run the runner on ``scratch/job.pkl``; return how it ended.

    Returns ``"done"`` or ``"timeout"``. The runner's results are in
    ``scratch/results.jsonl`` either way (as far as it got).
    """
    scratch = Path(scratch)
    shutil.copy(RUNNER, scratch / "runner.py")
    isolated, _ = isolation()
    if isolated:
        # The sandbox's user must be able to write its scratch folder.
        os.chmod(scratch, 0o777)
        argv = [
            sys.executable,
            "-I",
            "/scratch/runner.py",
            "/scratch/job.pkl",
            "/scratch/results.jsonl",
        ]
        command, env, cwd = bwrap_command(scratch, argv), {}, "/"
    else:
        command = [
            sys.executable,
            "-I",
            str(scratch / "runner.py"),
            str(scratch / "job.pkl"),
            str(scratch / "results.jsonl"),
        ]
        env, cwd = _environment(str(scratch)), scratch
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_limits,
        start_new_session=True,
    )
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()
        return "timeout"
    return "done"
