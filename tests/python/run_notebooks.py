"""Executes every notebook in a folder (as CI does) and fails on the first error. Notebooks are
committed without outputs; this checks that too. A notebook that draws charts must show them: the
kernel runs with Jupyter's own backend (MPLBACKEND is removed from its environment), and each chart
cell must produce an image. The kernel is this interpreter (sys.executable), so
the notebooks see the same nines module and Debian packages as the tests.

    python3 tests/python/run_notebooks.py notebooks/
"""
import glob
import json
import os
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(folder):
    notebooks = sorted(glob.glob(os.path.join(folder, "*.ipynb")))
    if len(notebooks) < 3:
        print("expected at least three notebooks in", folder)
        return 1
    with tempfile.TemporaryDirectory() as jupyter_dir:
        spec = os.path.join(jupyter_dir, "kernels", "nines-python")
        os.makedirs(spec)
        with open(os.path.join(spec, "kernel.json"), "w") as f:
            json.dump({"argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                       "display_name": "nines (Python 3)", "language": "python"}, f)
        os.environ["JUPYTER_PATH"] = jupyter_dir + os.pathsep + os.environ.get("JUPYTER_PATH", "")
        os.environ.pop("MPLBACKEND", None)  # as in a user's notebook: ipykernel chooses the inline backend
        failures = 0
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            stored = [c for c in nb.cells if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))]
            if stored:
                print("FAIL {}: committed with outputs (clear them before committing)".format(path))
                failures += 1
                continue
            client = NotebookClient(nb, timeout=600, kernel_name="nines-python",
                                    resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
            try:
                client.execute()
            except CellExecutionError as e:
                print("FAIL {}:\n{}".format(path, e))
                failures += 1
                continue
            chart_cells = [c for c in nb.cells if c.cell_type == "code" and "charts." in "".join(c.source)
                           and "from nines import" not in "".join(c.source)]
            blank = [c for c in chart_cells
                     if not any("image/png" in o.get("data", {}) for o in c.get("outputs", []))]
            if blank:
                print("FAIL {}: {} of {} chart cells show no image, e.g.: {}".format(
                    path, len(blank), len(chart_cells), "".join(blank[0].source)[:80]))
                failures += 1
                continue
            print("ok   {} ({} cells, {} charts shown)".format(path, len(nb.cells), len(chart_cells)))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "notebooks"))
