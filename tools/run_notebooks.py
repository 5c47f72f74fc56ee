"""Execute the notebooks, in one of two ways.

``python tools/run_notebooks.py [PATHS]`` (``make notebooks``): execute each
notebook in place, top to bottom in one fresh kernel, so that its stored
outputs are fresh; nbval later compares against them.

``python tools/run_notebooks.py --cache DIR [PATHS]`` (``make book``):
execute every notebook into a jupyter-cache at DIR, several at once on a
machine with several cores, and fail if any cell fails. Jupyter Book, set to
``execute_notebooks: cache``, then renders these fresh outputs instead of
executing the notebooks again one by one.
"""

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def notebooks(args):
    paths = []
    for arg in args or ["notebooks"]:
        p = Path(arg)
        paths += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    return paths


def run_in_place(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        # Execution timestamps change on every run and say nothing to a
        # reader.
        cell.get("metadata", {}).pop("execution", None)
    # Saved widget state makes the rendered page load the widget manager
    # from a CDN. No executed cell shows a widget (live versions are
    # skip-execution), so a state left by an older run is dropped.
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"executed {path}")


def run_into_cache(paths, cache_dir):
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(cache_dir)
    for path in paths:
        cache.add_nb_to_project(str(path.resolve()))
    result = load_executor("local-parallel", cache=cache).run_and_cache(
        timeout=600
    )
    for uri in result.succeeded:
        print(f"executed {uri}")
    if result.errored or result.excepted:
        for record in cache.list_project_records():
            if record.traceback:
                print(
                    f"FAILED {record.uri}\n{record.traceback}",
                    file=sys.stderr,
                )
        return 1
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument(
        "--cache",
        help="execute into this jupyter-cache folder instead of in place",
    )
    args = parser.parse_args(argv)
    paths = notebooks(args.paths)
    if args.cache:
        return run_into_cache(paths, args.cache)
    for path in paths:
        run_in_place(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
