"""The covariances table of the chosen model, laid out by what its covariance
structure can express: one variance per component, variances per column, one matrix
for all components, or a matrix per component. Of wide data, the first
:data:`~gaussmix.report.limits.MAX_TABLE_COLUMNS` columns (the model's covariances are
cut to them before they are expanded)."""

from __future__ import annotations

import html

import numpy as np

from ...covariance import get_structure
from ...density import marginal
from ..limits import MAX_TABLE_COLUMNS, first_columns, shown_note
from ..markup import table

#: Per-component matrices shown at most (then a note of how many more).
MAX_MATRICES = 12


def covariances_html(gm, names, order):
    """The structure's description, then its covariances in the simplest table that
    holds them; components in ``order``."""
    structure = get_structure(gm.covariance_type)
    cols = first_columns(len(names), MAX_TABLE_COLUMNS)
    cov = marginal(gm, cols).covariances
    all_names, names = names, [names[j] for j in cols]
    note = html.escape(structure.description, quote=False)
    # one variance per component holds for every column; other layouts show the first
    out = ["<h3>Covariances</h3>", "" if structure.isotropic else shown_note(len(cols), all_names)]
    if structure.isotropic:
        out.append(f"<p class='note'>{note}</p>")
        out.append(table(["component", "variance", "std"],
                         [[f"{k}", cov[k, 0, 0], np.sqrt(cov[k, 0, 0])] for k in order]))
    elif structure.diagonal:
        out.append(f"<p class='note'>{note} Standard deviations:</p>")
        out.append(table(["component"] + names,
                         [[f"{k}"] + list(np.sqrt(np.diag(cov[k]))) for k in order]))
    elif structure.shared:
        out.append(f"<p class='note'>{note}</p>")
        out.append(_matrix(cov[order[0]], names))
    else:
        out.append(f"<p class='note'>{note}</p>")
        out += _per_component(cov, names, order)
    return "".join(out)


def _per_component(cov, names, order):
    """Each component's matrix under a note of its standard deviations; at most
    :data:`MAX_MATRICES`."""
    out = []
    for k in order[:MAX_MATRICES]:
        std = np.sqrt(np.diag(cov[k]))
        out.append(f"<p class='note'>Component {k}: covariance matrix (standard deviations "
                   f"{', '.join(f'{s:.4g}' for s in std)}).</p>")
        out.append(_matrix(cov[k], names))
    if len(order) > MAX_MATRICES:
        out.append(f"<p class='note'>... and {len(order) - MAX_MATRICES} more components.</p>")
    return out


def _matrix(matrix, names):
    """One covariance matrix, rows and columns labelled by the column names."""
    return table([""] + names, [[names[i]] + list(matrix[i]) for i in range(len(names))])
