"""An exploratory report on a data set, as one self-contained HTML file.

:func:`report` selects a mixture by BIC, then writes: a summary of the data, the
selection table and curves, the chosen model's parameters, density pictures, the
component sizes, the least likely rows (outlier candidates) and synthetic rows drawn
beside the data. Pictures are embedded as ``data:`` URIs and the page loads nothing
from anywhere: it opens offline, and can be mailed as one file.

Needs pandas and matplotlib (``pip install 'gaussmix[all]'``).
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np

__all__ = ["report"]

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0; background: #f6f7f9; color: #1d2330; line-height: 1.45; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 60px; background: #fff;
       box-shadow: 0 0 12px rgba(0,0,0,.06); }
h1 { font-size: 1.7em; margin: .2em 0 .1em; }
h2 { font-size: 1.25em; margin-top: 2.2em; padding-bottom: .25em; border-bottom: 2px solid #e3e6ec; }
h3 { font-size: 1.02em; margin: 1.2em 0 .4em; }
p.lead { color: #4a5263; margin-top: 0; }
nav { font-size: .92em; margin: 1em 0 0; }
nav a { margin-right: 1.1em; color: #2456a6; text-decoration: none; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: .9em;
        font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e8ee; text-align: right; }
th { background: #f0f2f6; font-weight: 600; }
td.l, th.l { text-align: left; }
tr.best td, td.bestcell { background: #fff4c2; font-weight: 600; }
details { margin: .5em 0 1em; }
summary { cursor: pointer; color: #2456a6; font-size: .92em; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eceef2; }
figcaption { font-size: .88em; color: #555d6e; margin-top: .3em; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
         gap: 10px; margin: 1em 0; }
.fact { background: #f4f6fa; border-radius: 6px; padding: 8px 12px; }
.fact b { display: block; font-size: 1.25em; }
.fact span { font-size: .82em; color: #5a6272; }
.note { font-size: .88em; color: #555d6e; }
.scroll { overflow-x: auto; }
footer { margin-top: 3em; font-size: .82em; color: #7a8190; }
"""


def _fig_uri(fig, dpi=100):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(uri, alt, caption):
    return (f'<figure><img src="{uri}" alt="{html.escape(alt)}">'
            f"<figcaption>{caption}</figcaption></figure>")


def _fmt(v, digits=6):
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v)}"
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return str(v)
        return f"{v:.{digits}g}" if abs(v) < 1e5 else f"{v:.{digits + 2}g}"
    return html.escape(str(v))


def _table(header, rows, *, left=1, row_class=None):
    """An HTML table; the first ``left`` columns left-aligned."""
    out = ["<div class='scroll'><table><thead><tr>"]
    out += [f"<th class='{'l' if j < left else ''}'>{html.escape(str(h))}</th>"
            for j, h in enumerate(header)]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        cls = row_class(i) if row_class else ""
        out.append(f"<tr class='{cls}'>" + "".join(
            f"<td class='{'l' if j < left else ''}'>{v if isinstance(v, _Raw) else _fmt(v)}</td>"
            for j, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


class _Raw(str):
    """Already-escaped HTML for a table cell."""


def _facts(items):
    return "<div class='facts'>" + "".join(
        f"<div class='fact'><b>{v}</b><span>{html.escape(k)}</span></div>" for k, v in items
    ) + "</div>"


def report(X, path=None, *, n_components=range(1, 10),
           covariance_types=("full", "diag", "spherical", "tied"), criterion="bic",
           random_state=0, n_jobs=None, progress=None, title=None, n_outliers=10,
           n_synthetic=None, animation=None, selection=None):
    """Write an exploratory HTML report: data, model selection, the chosen mixture.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric data; a DataFrame's column names label everything.
    path : str or os.PathLike, optional
        Write the HTML there (atomically: a temporary file, then renamed).
    n_components, covariance_types, criterion
        Candidates and criterion, as :func:`gaussmix.select`.
    random_state : int or None, default=0
        Seed for the fits, the synthetic rows and the EM animation.
    n_jobs : int or None, default=None
        Workers for the selection (:func:`gaussmix.select`).
    progress : bool or None, default=None
        Progress bar of the selection (None: only on a terminal).
    title : str, optional
        Page title; default "gaussmix report".
    n_outliers : int, default=10
        How many of the least likely rows to list.
    n_synthetic : int, optional
        Synthetic rows drawn for the comparison; default as many as the data.
    animation : bool, optional
        Embed a GIF of EM from initialisation to convergence (2-D data only);
        default True for 2-D data with at most 5000 rows.
    selection : SelectionResult, optional
        Use this selection instead of running one.

    Returns
    -------
    html : str
        The whole page (also written to ``path`` when given).

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.report import report
    >>> page = report(gaussmix.load_faithful(as_frame=True), "faithful.html")  # doctest: +SKIP
    """
    try:
        import pandas as pd  # noqa: F401
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("gaussmix.report needs pandas and matplotlib; install them with "
                          "pip install 'gaussmix[all]'.") from None
    from .. import __version__
    from .. import plot as gplot
    from ..selection import select

    names = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    A = np.asarray(X.to_numpy(dtype=np.float64) if hasattr(X, "columns") else X, dtype=np.float64)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2 or A.shape[0] == 0 or A.shape[1] == 0:
        raise ValueError(f"X must be a non-empty 2-D array of shape (n_samples, n_features), got "
                         f"shape {A.shape}.")
    n, d = A.shape
    names = names or [f"x{j}" for j in range(d)]
    if selection is None:
        ks = [k for k in (n_components if not isinstance(n_components, int) else [n_components])
              if k <= n] or [1]
        selection = select(X, ks, covariance_types, criterion, random_state=random_state,
                           n_jobs=n_jobs, progress=progress)
    gm = selection.best_
    crit = selection.criterion
    K = gm.n_components
    title = title or "gaussmix report"
    logdens = np.asarray(gplot._call(gm, "score_samples", A))
    labels = np.asarray(gplot._call(gm, "predict", A))
    loglik = float(logdens.sum())
    bic = float(selection.table_.iloc[selection.best_index_]["bic"])
    aic = float(selection.table_.iloc[selection.best_index_]["aic"])
    parts = []
    esc = html.escape

    # ---------------------------------------------------------------- header
    parts.append(f"<h1>{esc(title)}</h1>")
    parts.append(f"<p class='lead'>A Gaussian mixture density of {n} rows and {d} column(s) "
                 f"({esc(', '.join(names[:8]))}{', ...' if d > 8 else ''}), chosen by "
                 f"{crit.upper()} among {len(selection.table_)} candidates.</p>")
    parts.append("<nav>" + "".join(f"<a href='#{a}'>{t}</a>" for a, t in (
        ("data", "Data"), ("selection", "Model selection"), ("model", "Chosen model"),
        ("density", "Density"), ("sizes", "Component sizes"), ("outliers", "Least likely rows"),
        ("synthetic", "Synthetic data"))) + "</nav>")
    parts.append(_facts([
        ("rows", n), ("columns", d), ("components chosen", K),
        ("covariance type", esc(gm.covariance_type)), (f"{crit.upper()} (lower is better)",
                                                       _fmt(bic if crit == "bic" else aic, 6)),
        ("log-likelihood", _fmt(loglik, 6))]))

    # ---------------------------------------------------------------- data
    q = np.quantile(A, [0.0, 0.25, 0.5, 0.75, 1.0], axis=0)
    rows = [[names[j], A[:, j].mean(), A[:, j].std(ddof=1) if n > 1 else 0.0, q[0, j], q[1, j],
             q[2, j], q[3, j], q[4, j], int(np.unique(A[:, j]).size)] for j in range(d)]
    parts.append("<h2 id='data'>Data</h2>")
    parts.append(f"<p>{n} rows, {d} numeric column(s), no missing values.</p>")
    parts.append(_table(["column", "mean", "std", "min", "25%", "median", "75%", "max",
                         "distinct"], rows))

    # ---------------------------------------------------------------- selection
    parts.append("<h2 id='selection'>Model selection</h2>")
    parts.append(f"<p>Every combination of K = {esc(_ks_text(selection.table_))} components and "
                 f"covariance types {esc(', '.join(dict.fromkeys(selection.table_['covariance_type'])))} "
                 f"was fitted by EM. BIC and AIC use scikit-learn's sign: <b>lower is better</b> "
                 f"(mclust reports BIC with the opposite sign). The chosen model, lowest "
                 f"{crit.upper()}, is highlighted.</p>")
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    gplot.plot_selection(selection, ax1, criterion="bic")
    gplot.plot_selection(selection, ax2, criterion="aic")
    parts.append(_figure(_fig_uri(fig), "BIC and AIC across K and covariance types",
                         "BIC (left) and AIC (right) against the number of components, one line "
                         "per covariance type; the star marks each criterion's lowest value."))
    t = selection.table_
    parts.append(f"<h3>{crit.upper()} by number of components and covariance type</h3>")
    parts.append(_pivot_html(t, crit, selection.best_index_))
    rows = [[r.covariance_type, r.n_components, r.log_likelihood, r.n_parameters, r.bic, r.aic,
             bool(r.converged)] for r in t.itertuples(index=False)]
    parts.append("<details><summary>All candidates: log-likelihood, parameters, BIC, AIC, "
                 "convergence</summary>")
    parts.append(_table(["covariance type", "K", "log-likelihood", "parameters", "BIC", "AIC",
                         "converged"], rows,
                        row_class=lambda i: "best" if i == selection.best_index_ else ""))
    parts.append("</details>")

    # ---------------------------------------------------------------- model
    parts.append("<h2 id='model'>Chosen model</h2>")
    parts.append(f"<p>{K} component(s), covariance type <b>{esc(gm.covariance_type)}</b>, "
                 f"{gm.n_parameters()} free parameters; EM {'converged' if gm.converged_ else 'did NOT converge'} "
                 f"after {gm.n_iter_} iteration(s); re-seeded components: {gm.n_resets_}. "
                 f"Log-likelihood {loglik:.4f} (mean {loglik / n:.4f} per row), "
                 f"BIC {bic:.4f}, AIC {aic:.4f}.</p>")
    order = np.argsort(-gm.weights_)
    parts.append("<h3>Weights and means</h3>")
    parts.append(_table(["component", "weight"] + names,
                        [[f"{k}", gm.weights_[k]] + list(gm.means_[k]) for k in order]))
    parts.append(_covariance_html(gm, names, order))
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    gplot.plot_objective(gm, fig.add_subplot())
    parts.append(_figure(_fig_uri(fig), "EM objective per iteration",
                         "The EM objective (mean log-likelihood per row) after each iteration of "
                         "the kept run: it never decreases."))

    # ---------------------------------------------------------------- density
    parts.append("<h2 id='density'>Density</h2>")
    fig = gplot.plot_model(gm, X)
    what = {1: "Histogram of the data with the fitted density (black) and each weighted "
               "component (coloured).",
            2: "Rows coloured by their most likely component, density contours (at 5, 25, 50, "
               "75 and 95% quantiles of the density over the rows), and the 1 sigma (solid) and "
               "2 sigma (dashed) ellipse of each component; crosses mark the means."}.get(
        d, "Every pair of columns: rows coloured by most likely component with the 1 and 2 "
           "sigma ellipses of each component's marginal; on the diagonal each column's histogram "
           "and the mixture's marginal density.")
    parts.append(_figure(_fig_uri(fig, dpi=90 if d > 3 else 100), "fitted density", what))
    if animation is None:
        animation = d == 2 and n <= 5000
    if animation and d == 2:
        parts.append(_animation_html(A, names, gm, random_state))

    # ---------------------------------------------------------------- sizes
    counts = np.bincount(labels, minlength=K)
    parts.append("<h2 id='sizes'>Component sizes</h2>")
    parts.append("<p>A component's weight is its share of the density; the rows assigned are "
                 "those for which it is the most likely component.</p>")
    parts.append(_table(["component", "weight", "rows assigned", "share of rows"],
                        [[f"{k}", gm.weights_[k], int(counts[k]), counts[k] / n] for k in order]))
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    gplot.plot_component_sizes(gm, X, fig.add_subplot())
    parts.append(_figure(_fig_uri(fig), "component sizes",
                         "Weights (solid) beside the share of rows assigned (hatched)."))

    # ---------------------------------------------------------------- outliers
    m = int(min(max(n_outliers, 0), n))
    worst = np.argsort(logdens, kind="stable")[:m]
    parts.append("<h2 id='outliers'>Least likely rows</h2>")
    pct = np.mean(logdens[:, None] <= logdens[worst][None, :], axis=0) * 100 if m else []
    parts.append(f"<p>The {m} rows with the lowest log-density under the model: outlier "
                 "candidates worth a look (a typo, another population, a rare event). Row "
                 "numbers count data rows from 1; percentile: the share of rows at most as "
                 "likely.</p>")
    parts.append(_table(["row", "log-density", "percentile", "component"] + names,
                        [[int(i) + 1, logdens[i], _Raw(f"{pct[r]:.1f}%"), int(labels[i])]
                         + list(A[i])
                         for r, i in enumerate(worst)]))

    # ---------------------------------------------------------------- synthetic
    n_syn = n if n_synthetic is None else int(n_synthetic)
    S, comp = gm.sample(n_syn, random_state=random_state)
    parts.append("<h2 id='synthetic'>Synthetic data</h2>")
    parts.append(f"<p>{n_syn} rows drawn from the chosen model (seed {random_state}) beside the "
                 "data, on the same scales. If the model describes the data well, the two look "
                 "alike.</p>")
    fig = Figure(figsize=(11, 4.3), layout="constrained")
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    gplot.plot_samples(gm, X, axes, n_samples=n_syn, random_state=random_state)
    parts.append(_figure(_fig_uri(fig), "data beside synthetic rows",
                         "Data (left) and synthetic rows coloured by the component that drew "
                         "them (right)" + ("; first two columns." if d > 2 else ".")))
    rows = [[names[j], A[:, j].mean(), S[:, j].mean(), A[:, j].std(ddof=1) if n > 1 else 0.0,
             S[:, j].std(ddof=1) if n_syn > 1 else 0.0] for j in range(d)]
    parts.append(_table(["column", "mean (data)", "mean (synthetic)", "std (data)",
                         "std (synthetic)"], rows))
    parts.append("<h3>A few synthetic rows</h3>")
    show = np.sort(np.random.default_rng(random_state).permutation(n_syn)[:min(8, n_syn)])
    parts.append(_table(["component"] + names, [[int(comp[i])] + list(S[i]) for i in show]))

    parts.append(f"<footer>Made by gaussmix {esc(__version__)}; random_state={random_state!r}. "
                 "This page is self-contained: pictures are embedded, nothing is loaded from "
                 "the network.</footer>")
    page = ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>\n")
    if path is not None:
        from ..io.atomic import write_text

        write_text(page, path)
    return page


def _pivot_html(table, crit, best_index):
    """Criterion values, one row per K and one column per covariance type; best marked."""
    types = list(dict.fromkeys(table["covariance_type"]))
    ks = sorted(set(int(k) for k in table["n_components"]))
    cell = {(int(r.n_components), r.covariance_type): (i, getattr(r, crit))
            for i, r in enumerate(table.itertuples(index=False))}
    out = ["<div class='scroll'><table><thead><tr><th class='l'>K</th>"]
    out += [f"<th>{html.escape(t)}</th>" for t in types]
    out.append("</tr></thead><tbody>")
    for k in ks:
        out.append(f"<tr><td class='l'>{k}</td>")
        for t in types:
            i, v = cell.get((k, t), (None, None))
            cls = " class='bestcell'" if i == best_index else ""
            out.append(f"<td{cls}>{'' if v is None else _fmt(v, 7)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _ks_text(table):
    ks = sorted(set(int(k) for k in table["n_components"]))
    if len(ks) > 2 and ks == list(range(ks[0], ks[-1] + 1)):
        return f"{ks[0]}..{ks[-1]}"
    return ", ".join(map(str, ks))


def _covariance_html(gm, names, order):
    from ..plot import full_covariances

    t = gm.covariance_type
    cov = full_covariances(gm)
    out = ["<h3>Covariances</h3>"]
    if t == "spherical":
        out.append("<p class='note'>Spherical: one variance per component, the same in every "
                   "direction.</p>")
        out.append(_table(["component", "variance", "std"],
                          [[f"{k}", cov[k, 0, 0], np.sqrt(cov[k, 0, 0])] for k in order]))
        return "".join(out)
    if t == "diag":
        out.append("<p class='note'>Diagonal: one variance per component and column (no "
                   "correlations). Standard deviations:</p>")
        out.append(_table(["component"] + names,
                          [[f"{k}"] + list(np.sqrt(np.diag(cov[k]))) for k in order]))
        return "".join(out)
    comps = [order[0]] if t == "tied" else list(order)
    if t == "tied":
        out.append("<p class='note'>Tied: every component shares one covariance matrix.</p>")
    for k in comps[:12]:
        std = np.sqrt(np.diag(cov[k]))
        if t != "tied":
            out.append(f"<p class='note'>Component {k}: covariance matrix (standard deviations "
                       f"{', '.join(f'{s:.4g}' for s in std)}).</p>")
        out.append(_table([""] + names, [[names[i]] + list(cov[k, i]) for i in range(len(names))]))
    if len(comps) > 12:
        out.append(f"<p class='note'>... and {len(comps) - 12} more components.</p>")
    return "".join(out)


def _animation_html(A, names, gm, random_state):
    """The EM animation as an embedded GIF (a temporary file, read back)."""
    import os
    import tempfile

    from ..plot import animate_em

    seed = 0 if random_state is None else random_state
    X = A
    try:
        import pandas as pd

        X = pd.DataFrame(A, columns=names)
    except ImportError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "em.gif")
        anim = animate_em(X, gm.n_components, gm.covariance_type, path=path, random_state=seed,
                          dpi=72, max_frames=30)
        with open(path, "rb") as fh:
            uri = "data:image/gif;base64," + base64.b64encode(fh.read()).decode("ascii")
    n_it = anim.steps[-1]["iteration"]
    return "<h3>EM at work</h3>" + _figure(
        uri, "animation of EM from initialisation to convergence",
        f"EM for the chosen K and covariance type from a deliberately poor start (means at random "
        f"rows, every covariance the data's) to convergence after {n_it} iterations: each row's "
        "colour mixes the component colours by its responsibilities.")
