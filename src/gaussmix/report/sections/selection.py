"""The model-selection section: criterion curves, the criterion by K and covariance
type with the best marked, and every candidate's numbers (BIC, AIC and ICL)."""

from __future__ import annotations

import html

from ..markup import figure, fmt, png_uri, table
from ..outline import heading


def selection_section(ctx):
    """What was tried, the BIC and AIC curves, the pivot table and all candidates."""
    from matplotlib.figure import Figure

    from ...plot import plot_selection
    from ...plot.selection import LEGEND_INSIDE_MAX

    esc = html.escape
    t, crit, best = ctx.selection.table_, ctx.criterion, ctx.selection.best_index_
    types = ", ".join(dict.fromkeys(t["covariance_type"]))
    parts = [heading("selection"),
             f"<p>Every combination of K = {esc(_ks_text(t))} components and "
             f"covariance types {esc(types)} "
             f"was fitted by EM. BIC, AIC and ICL use scikit-learn's sign: <b>lower is better</b> "
             f"(mclust reports BIC and ICL with the opposite sign). The chosen model, lowest "
             f"{crit.upper()}, is highlighted.</p>"]
    # many covariance types put the legend below the curves: give it the height
    n_types = t["covariance_type"].nunique()
    fig = Figure(figsize=(11, 4.2 if n_types <= LEGEND_INSIDE_MAX else 5.6),
                 layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    plot_selection(ctx.selection, ax1, criterion="bic")
    plot_selection(ctx.selection, ax2, criterion="aic")
    parts.append(figure(png_uri(fig), "BIC and AIC across K and covariance types",
                        "BIC (left) and AIC (right) against the number of components, one line "
                        "per covariance type; the star marks each criterion's lowest value."))
    parts.append(f"<h3>{crit.upper()} by number of components and covariance type</h3>")
    parts.append(_pivot(t, crit, best))
    # a candidate that could not be fitted is an empty row; its note says why
    notes = t["note"] if "note" in t else [""] * len(t)
    rows = [[r.covariance_type, r.n_components, r.log_likelihood, r.n_parameters, r.bic, r.aic,
             r.icl, bool(r.converged), note or ""]
            for r, note in zip(t.itertuples(index=False), notes)]
    parts.append("<details><summary>All candidates: log-likelihood, parameters, BIC, AIC, "
                 "ICL, convergence, and why a candidate could not be fitted</summary>")
    parts.append(table(["covariance type", "K", "log-likelihood", "parameters", "BIC", "AIC",
                        "ICL", "converged", "note"], rows,
                       row_class=lambda i: "best" if i == best else ""))
    parts.append("</details>")
    return "".join(parts)


def _pivot(table_, crit, best_index):
    """Criterion values, one row per K and one column per covariance type; best marked."""
    types = list(dict.fromkeys(table_["covariance_type"]))
    ks = sorted(set(int(k) for k in table_["n_components"]))
    cell = {(int(r.n_components), r.covariance_type): (i, getattr(r, crit))
            for i, r in enumerate(table_.itertuples(index=False))}
    out = ["<div class='scroll'><table><thead><tr><th class='l'>K</th>"]
    out += [f"<th>{html.escape(t)}</th>" for t in types]
    out.append("</tr></thead><tbody>")
    for k in ks:
        out.append(f"<tr><td class='l'>{k}</td>")
        for t in types:
            i, v = cell.get((k, t), (None, None))
            cls = " class='bestcell'" if i == best_index else ""
            out.append(f"<td{cls}>{'' if v is None else fmt(v, 7)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _ks_text(table_):
    """The numbers of components tried: "1..9" for a run, else a list."""
    ks = sorted(set(int(k) for k in table_["n_components"]))
    if len(ks) > 2 and ks == list(range(ks[0], ks[-1] + 1)):
        return f"{ks[0]}..{ks[-1]}"
    return ", ".join(map(str, ks))
