"""``python -m gaussmix.demo``: fit Old Faithful and print what was found.

Chooses the number of components and the model among mclust's fourteen by BIC, as
mclust's ``Mclust`` does, prints the selection the way mclust's ``summary`` does and
the chosen mixture's weights, means, log-likelihood and BIC. Then writes the exploratory HTML
report and the plots (density, selection curves, EM objective, synthetic rows,
component sizes, an animation of EM) to ``demo-output/`` (``--output DIR``) and
prints where they are; ``--no-files`` skips that part.
"""

from __future__ import annotations

import argparse
import os
import time

from .datasets import load_faithful
from .selection import select


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m gaussmix.demo", description=__doc__.splitlines()[0])
    ap.add_argument("--output", default="demo-output",
                    help="folder for the report and plots (default: demo-output)")
    ap.add_argument("--no-files", action="store_true", help="only print, write nothing")
    args = ap.parse_args(argv)
    X = load_faithful(as_frame=True)
    print(f"Old Faithful: {X.shape[0]} eruptions, columns {', '.join(X.columns)}\n")
    t0 = time.perf_counter()
    # as mclust's Mclust(X): its fourteen models, K = 1..9, chosen by BIC
    res = select(X, random_state=0, progress=False)
    elapsed = time.perf_counter() - t0
    print(res.summary())
    print(f"\n{len(res.table_)} fits in {elapsed:.2f} s. BIC has scikit-learn's sign (lower is "
          "better); mclust's is the negative.\n")
    print(res.best_.summary(X))
    if not args.no_files:
        write_files(X, args.output, res)


def write_files(X, folder, res):
    """The report and the plots of Old Faithful and its selection ``res``, in
    ``folder`` (created if missing)."""
    try:
        import matplotlib
    except ImportError:
        print("\n(matplotlib is not installed, so no report or plots: "
              "pip install 'gaussmix[all]')")
        return
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from . import plot as gplot
    from .io.atomic import atomic_path
    from .report import report

    t0 = time.perf_counter()
    os.makedirs(folder, exist_ok=True)
    gm = res.best_
    written = []

    def save(fig, name):
        path = os.path.join(folder, name)
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=110)
        written.append(name)

    save(gplot.plot_model(gm, X), "density.png")
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    gplot.plot_selection(res, ax1, criterion="bic")
    gplot.plot_selection(res, ax2, criterion="aic")
    save(fig, "selection.png")
    fig = Figure(figsize=(6.4, 3.8), layout="constrained")
    gplot.plot_objective(gm, fig.add_subplot())
    save(fig, "objective.png")
    fig = Figure(figsize=(11, 4.3), layout="constrained")
    gplot.plot_samples(gm, X, fig.subplots(1, 2, sharex=True, sharey=True), random_state=0)
    save(fig, "samples.png")
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    gplot.plot_component_sizes(gm, X, fig.add_subplot())
    save(fig, "sizes.png")
    gplot.animate_em(X, 2, "full", path=os.path.join(folder, "em.gif"), random_state=0)
    written.append("em.gif")
    report(X, os.path.join(folder, "report.html"), selection=res, random_state=0,
           title="gaussmix report: Old Faithful eruptions")
    written.insert(0, "report.html")
    where = os.path.abspath(folder)
    print(f"\nWrote {len(written)} files to {where}/ in {time.perf_counter() - t0:.1f} s:")
    for name in written:
        print(f"  {os.path.join(folder, name)}")
    print(f"Open {os.path.join(where, 'report.html')} in a browser (it works offline).")


if __name__ == "__main__":
    main()
