"""Cross-validated error of ``MixtureClassifier`` against scikit-learn's QDA and LDA
and mclust's ``MclustDA``, on the same stratified folds.

Data: scikit-learn's bundled iris, wine and breast cancer (no network), and, where R
with mclust is installed, mclust's own labelled sets ``banknote`` (Swiss bank notes,
200 x 6, genuine or counterfeit), ``thyroid`` (215 x 5, three classes) and
``diabetes`` (145 x 3, three classes), read through ``Rscript``.

Each data set is cut into ``--folds`` stratified folds (seed 0); every method is
fitted on the other folds and predicts the held-out one; the table gives the
fraction of rows misclassified. gaussmix runs both of mclust's kinds:
``MclustDA`` (a mixture per class, G = 1..5 and the fourteen models chosen per class
by BIC: the default) and ``EDDA`` (one Gaussian per class, one model for all, chosen
by BIC). mclust runs the same two on the same folds (the fold of every row is
written to a temporary CSV, ``MclustDA`` runs per fold in one ``Rscript``, the
predictions are read back); without ``Rscript`` its columns are empty.

Run: ``python benchmarks/classifier.py [--folds 10] [--repeats 20] [--only iris wine]
[--skip "gaussmix MclustDA"]`` (``--repeats``: the mean error and its standard error
over that many fold assignments; ``--skip``: leave out methods by name; the default
MclustDA's per-class search over seventy candidates takes about 2 minutes per fold
on breast cancer, 30 columns).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.discriminant_analysis import (LinearDiscriminantAnalysis,
                                           QuadraticDiscriminantAnalysis)
from sklearn.model_selection import StratifiedKFold

from gaussmix import MixtureClassifier

SKLEARN_SETS = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer}
#: mclust's labelled data sets: name -> the class column
MCLUST_SETS = {"banknote": "Status", "thyroid": "Diagnosis", "diabetes": "class"}

R_DATA = """
suppressMessages(library(mclust))
data({name})
d <- {name}
y <- d[["{label}"]]
X <- d[, setdiff(names(d), "{label}")]
write.csv(data.frame(X, .y = as.character(y)), "{path}", row.names = FALSE)
"""

R_FOLDS = """
suppressMessages(library(mclust))
d <- read.csv("{path}")
y <- factor(d$.y)
fold <- d$.fold
X <- d[, setdiff(names(d), c(".y", ".fold")), drop = FALSE]
out <- data.frame(row = integer(0), MclustDA = character(0), EDDA = character(0))
for (f in sort(unique(fold))) {{
  test <- fold == f
  pred <- sapply(c("MclustDA", "EDDA"), function(type) {{
    m <- try(MclustDA(X[!test, , drop = FALSE], y[!test], modelType = type,
                      verbose = FALSE), silent = TRUE)
    if (inherits(m, "try-error")) return(rep(NA_character_, sum(test)))
    as.character(predict(m, X[test, , drop = FALSE])$classification)
  }})
  out <- rbind(out, data.frame(row = which(test), MclustDA = pred[, 1], EDDA = pred[, 2]))
}}
write.csv(out, "{out}", row.names = FALSE)
"""


def rscript():
    """The path of ``Rscript`` if R with mclust is installed, else None."""
    path = shutil.which("Rscript")
    if path is None:
        return None
    ok = subprocess.run([path, "-e", "library(mclust)"], capture_output=True)
    return path if ok.returncode == 0 else None


def load(name, tmp, r):
    """``(X, y)`` of a data set: a DataFrame and an array of labels."""
    if name in SKLEARN_SETS:
        X, y = SKLEARN_SETS[name](return_X_y=True, as_frame=True)
        return X, y.to_numpy()
    path = Path(tmp) / f"{name}.csv"
    code = R_DATA.format(name=name, label=MCLUST_SETS[name], path=path)
    subprocess.run([r, "-e", code], check=True, capture_output=True)
    frame = pd.read_csv(path)
    return frame.drop(columns=".y"), frame[".y"].to_numpy()


def folds_of(y, n_folds, seed=0):
    """The stratified fold of every row (shuffled with ``seed``)."""
    fold = np.empty(len(y), dtype=int)
    cv = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
    for f, (_, test) in enumerate(cv.split(np.zeros(len(y)), y)):
        fold[test] = f
    return fold


def python_errors(X, y, fold, skip=()):
    """Held-out error and total seconds of every Python method on the folds (NaN for
    the methods in ``skip``)."""
    methods = {
        "gaussmix MclustDA": lambda: MixtureClassifier(random_state=0),
        "gaussmix EDDA": lambda: MixtureClassifier(model_type="EDDA"),
        "QDA": QuadraticDiscriminantAnalysis,
        "LDA": LinearDiscriminantAnalysis,
    }
    errors, seconds = {name: np.nan for name in skip if name in methods}, {}
    for name, make in methods.items():
        if name in skip:
            continue
        wrong, start = 0, time.perf_counter()
        try:
            for f in np.unique(fold):
                test = fold == f
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = make().fit(X[~test], y[~test])
                    wrong += int(np.sum(model.predict(X[test]) != y[test]))
        except (ValueError, np.linalg.LinAlgError) as err:  # e.g. QDA on a singular class
            print(f"  {name} failed: {type(err).__name__}: {err}")
            wrong = np.nan
        errors[name] = wrong / len(y)
        seconds[name] = time.perf_counter() - start
    return errors, seconds


def mclust_errors(X, y, fold, tmp, r):
    """Held-out error of mclust's MclustDA and EDDA on the same folds (NaN where
    mclust failed on a fold)."""
    data, out = Path(tmp) / "folds.csv", Path(tmp) / "pred.csv"
    X.assign(**{".y": y.astype(str), ".fold": fold}).to_csv(data, index=False)
    start = time.perf_counter()
    subprocess.run([r, "-e", R_FOLDS.format(path=data, out=out)], check=True,
                   capture_output=True)
    seconds = time.perf_counter() - start
    pred = pd.read_csv(out, dtype=str).assign(row=lambda p: p["row"].astype(int) - 1)
    truth = y.astype(str)[pred["row"].to_numpy()]
    return ({f"mclust {t}": float(np.mean(pred[t].to_numpy() != truth))
             if pred[t].notna().all() else np.nan for t in ("MclustDA", "EDDA")},
            {"mclust (both)": seconds})


def repeated(X, y, args, tmp, r):
    """Every method's error averaged over ``args.repeats`` fold assignments (seeds 0,
    1, ...), and its standard error over them: one split's ranking can turn on a
    single held-out row."""
    runs = []
    for seed in range(args.repeats):
        fold = folds_of(y, args.folds, seed)
        errors, _ = python_errors(X, y, fold, args.skip)
        if r is not None:
            errors.update(mclust_errors(X, y, fold, tmp, r)[0])
        runs.append(errors)
    frame = pd.DataFrame(runs)
    return frame.mean(), frame.std(ddof=1) / np.sqrt(len(frame))


def main_repeated(args, names, r):
    """``--repeats`` above 1: mean error and its standard error per method."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or names:
            X, y = load(name, tmp, r)
            mean, se = repeated(X, y, args, tmp, r)
            cells = {k: f"{mean[k]:.4f} +- {se[k]:.4f}" for k in mean.index}
            rows.append({"data": name, **cells})
            print(name, rows[-1], flush=True)
    print(f"\n{args.folds}-fold cross-validated error over {args.repeats} fold assignments "
          "(mean +- standard error)")
    print(pd.DataFrame(rows).set_index("data").to_string())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--skip", nargs="*", default=())
    args = parser.parse_args()
    r = rscript()
    if r is None:
        print("Rscript with mclust not found: mclust's columns and its data sets are skipped.")
    names = list(SKLEARN_SETS) + (list(MCLUST_SETS) if r else [])
    if args.repeats > 1:
        return main_repeated(args, names, r)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or names:
            X, y = load(name, tmp, r)
            fold = folds_of(y, args.folds)
            errors, seconds = python_errors(X, y, fold, args.skip)
            if r is not None:
                more, secs = mclust_errors(X, y, fold, tmp, r)
                errors.update(more)
                seconds.update(secs)
            rows.append({"data": f"{name} {X.shape[0]}x{X.shape[1]}", **errors})
            print(name, {k: round(v, 4) for k, v in errors.items()},
                  "seconds:", {k: round(v, 1) for k, v in seconds.items()}, flush=True)
    table = pd.DataFrame(rows).set_index("data")
    print(f"\n{args.folds}-fold cross-validated error (fraction misclassified)")
    print(table.to_string(float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
