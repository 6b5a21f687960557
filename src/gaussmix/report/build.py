"""Building the report: check the dependencies, select a model, render every section
into one page, write it."""

from __future__ import annotations

from ..selection import DEFAULT_COVARIANCE_TYPES
from .context import ReportContext, as_matrix, density_columns
from .sections import (
    data_section,
    density_section,
    footer,
    header_section,
    model_section,
    outliers_section,
    page,
    selection_section,
    sizes_section,
    synthetic_section,
)

#: The page's parts, top to bottom; each renders from the ReportContext.
PARTS = (header_section, data_section, selection_section, model_section, density_section,
         sizes_section, outliers_section, synthetic_section, footer)


def report(X, path=None, *, n_components=range(1, 10),
           covariance_types=DEFAULT_COVARIANCE_TYPES, criterion="bic",
           random_state=0, n_jobs=None, progress=None, title=None, n_outliers=10,
           n_synthetic=None, animation=None, selection=None, plot_columns=None):
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
    plot_columns : sequence of int or str, optional
        Columns of the density picture (at most 8), by 0-based position or by name;
        checked before the selection runs. Default: every column, or of wider data
        the first 8 (with a :class:`UserWarning` and a note in the picture).

    Notes
    -----
    The work and the page stay bounded on wide data: the density picture draws at
    most 8 columns (:data:`gaussmix.plot.columns.MAX_PAIR_COLUMNS`); tables with a
    column per data column (means, standard deviations, covariance matrices, least
    likely rows, synthetic rows) show the first 20
    (:data:`gaussmix.report.limits.MAX_TABLE_COLUMNS`) and tables with a row per
    data column (the data summary, the synthetic columns' moments) the first 50
    (:data:`gaussmix.report.limits.MAX_TABLE_ROWS`), each with a note; at most 12
    covariance matrices are shown.

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
    _check_dependencies()
    A, names = as_matrix(X)
    columns = density_columns(plot_columns, names)
    if selection is None:
        selection = _select(X, A.shape[0], n_components, covariance_types, criterion,
                            random_state, n_jobs, progress)
    ctx = ReportContext.build(X, A, names, selection, title=title, random_state=random_state,
                              n_outliers=n_outliers, n_synthetic=n_synthetic,
                              animation=animation, plot_columns=columns)
    html = page(ctx.title, "".join(part(ctx) for part in PARTS))
    if path is not None:
        from ..io.atomic import write_text

        write_text(html, path)
    return html


def _check_dependencies():
    try:
        import pandas as pd  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401
    except ImportError:
        raise ImportError("gaussmix.report needs pandas and matplotlib; install them with "
                          "pip install 'gaussmix[all]'.") from None


def _select(X, n, n_components, covariance_types, criterion, random_state, n_jobs, progress):
    """:func:`gaussmix.select` over the candidates with at most ``n`` components
    (at least K = 1)."""
    from ..selection import select

    ks = [k for k in (n_components if not isinstance(n_components, int) else [n_components])
          if k <= n] or [1]
    return select(X, ks, covariance_types, criterion, random_state=random_state, n_jobs=n_jobs,
                  progress=progress)
