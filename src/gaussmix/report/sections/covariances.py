"""The covariances table of the chosen model, laid out by what its covariance
structure can express: one variance per component, variances per column, one matrix
for all components, or a matrix per component."""

from __future__ import annotations

import html
import numpy as np

from ...covariance import get_structure
from ...density import full_covariances
from ..markup import table

#: Per-component matrices shown at most (then a note of how many more).
MAX_MATRICES = 12

def covariances_html(gm, names, order):
    """The structure's description, then its covariances in the simplest table that
    holds them; components in ``order``."""
    structure = get_structure(gm.covariance_type)
    cov = full_covariances(gm)
    note = html.escape(structure.description, quote=False)
    out = ["<h3>Covariances</h3>"]
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
