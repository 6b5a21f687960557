"""The ``gaussmix`` command line: fit, score, sample, select, plot and report.

Needs the ``cli`` extra (``pip install 'gaussmix[cli]'``: click, pandas, tqdm,
matplotlib); the installed ``gaussmix`` command checks for it first
(:mod:`gaussmix.__main__`).

Behaviour shared by every subcommand:

- DATA is a CSV (``.csv``, ``.tsv``), Parquet (``.parquet``) or NumPy (``.npy``)
  file; ``--columns a,b`` picks columns (names, or 0-based positions); header names
  carry through to models, tables and synthetic rows.
- An output's format follows its extension; tables go to stdout without ``-o``.
- Every write is atomic (a temporary file beside the target, renamed when complete).
- Exit codes: 0 ok; 2 usage error (unknown option, bad option value such as
  ``-k 0``, an output extension gaussmix cannot write); 1 data error (missing or
  unreadable file, non-numeric column, a file that is not a model, an output folder
  that does not exist). An error is one line on stderr; ``--debug`` adds the
  traceback.
- Progress bars (stderr) only on a terminal and never with ``--quiet``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import traceback
import warnings

import click
import numpy as np

from .. import __version__
from ..covariance import COVARIANCE_TYPES
from ..io.atomic import atomic_path, check_folder
from ..io.errors import DataError
from ..selection import DEFAULT_COVARIANCE_TYPES
from ..io.tables import (
    check_writable,
    parse_columns,
    read_frame,
    select_numeric,
    table_format,
    write_table,
)

EXIT_OK, EXIT_DATA_ERROR, EXIT_USAGE_ERROR = 0, 1, 2
TABLE_EXTS = (".csv", ".tsv", ".txt", ".parquet", ".pq")
FIGURE_EXTS = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".gif")
REPORT_EXTS = (".html", ".htm")


# ---------------------------------------------------------------------- parameter types
class KRange(click.ParamType):
    """Numbers of components: ``3``, ``1-9``, ``1,2,5`` or ``2-4,8``."""

    name = "K-RANGE"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        out = []
        for part in str(value).split(","):
            part = part.strip()
            m = re.fullmatch(r"(\d+)(?:\s*[-:]\s*(\d+))?", part)
            if not m:
                self.fail(f"{value!r} is not a number of components or a range such as 1-9.",
                          param, ctx)
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) else lo
            if lo < 1:
                self.fail(f"{value!r} includes K={lo}; a mixture needs at least 1 component.",
                          param, ctx)
            if hi < lo:
                self.fail(f"{value!r} is an empty range; write it low-high, e.g. 1-9.", param, ctx)
            out.extend(k for k in range(lo, hi + 1) if k not in out)
        return out


class TypeList(click.ParamType):
    """Covariance types, comma-separated (the option may also be repeated)."""

    name = "TYPES"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        types = [t.strip() for t in str(value).split(",") if t.strip()]
        for t in types:
            if t not in COVARIANCE_TYPES:
                self.fail(f"{t!r} is not a covariance type; use {', '.join(COVARIANCE_TYPES)}.",
                          param, ctx)
        if not types:
            self.fail("no covariance type given.", param, ctx)
        return types


# ---------------------------------------------------------------------- the group
class _Group(click.Group):
    """Turns every failure into one line on stderr and the documented exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        prog = "gaussmix"  # also under click's test runner, which passes its own name
        code = EXIT_OK
        try:
            with _one_line_warnings():
                rv = super().main(args=argv, prog_name=prog, complete_var=complete_var,
                                  standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else EXIT_OK
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message(), err=True)
            code = EXIT_USAGE_ERROR
        except click.UsageError as exc:
            if debug:
                traceback.print_exc()
            cmd = exc.ctx.command_path if exc.ctx is not None else prog
            _error(f"{cmd}: usage error: {exc.format_message()} (see '{cmd} --help')")
            code = EXIT_USAGE_ERROR
        except (click.exceptions.Abort, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            _error(f"{prog}: interrupted")
            code = 130
        except BrokenPipeError:
            # stdout closed early (e.g. piped into head): stop quietly
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            code = EXIT_DATA_ERROR
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            _error(f"{prog}: error: {exc.format_message()}")
            code = exc.exit_code
        except Exception as exc:  # data errors and anything unexpected: one line, code 1
            if debug:
                traceback.print_exc()
            _error(f"{prog}: error: {_message(exc)}")
            code = EXIT_DATA_ERROR
        if standalone_mode:
            sys.exit(code)
        return code


def _message(exc):
    text = " ".join(str(exc).split())
    if isinstance(exc, (DataError, ValueError, TypeError, OSError, ImportError)) and text:
        if isinstance(exc, OSError) and getattr(exc, "filename", None) and exc.filename not in text:
            text = f"{text}: {exc.filename}"
        return text
    return (f"{type(exc).__name__}: {text or 'unexpected failure'} (this looks like a bug in "
            "gaussmix; run again with --debug for the traceback)")


def _error(line):
    click.echo(" ".join(line.split()), err=True)


@contextlib.contextmanager
def _one_line_warnings():
    """Show warnings as ``gaussmix: warning: ...`` (one line, no source line)."""
    def show(message, category, filename, lineno, file=None, line=None):
        click.echo(f"gaussmix: warning: {' '.join(str(message).split())}", err=True)

    old = warnings.showwarning
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = old


def _common(f):
    f = click.option("--debug", is_flag=True, help="On error, also print the traceback.")(f)
    f = click.option("-q", "--quiet", is_flag=True,
                     help="No progress bars and no notes on stderr.")(f)
    return f


def _examples(*lines):
    """A --help epilog with examples, formatted as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100},
             epilog=_examples("gaussmix fit faithful.csv -k 2 -o faithful.gmm.json",
                              "gaussmix select faithful.csv -k 1-6",
                              "gaussmix report faithful.csv -o report.html",
                              "gaussmix sample faithful.gmm.json -n 5 --seed 1"))
@click.version_option(__version__, "--version", prog_name="gaussmix")
@_common
@click.pass_context
def cli(ctx, quiet, debug):
    """Density estimation with Gaussian mixture models, from the terminal.

    Explore a data set (select, plot, report), evaluate points (score) and generate
    synthetic data (sample). DATA is a CSV, Parquet or .npy file. Run
    'gaussmix COMMAND --help' for each command's options and an example.
    """
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


def _quiet(ctx, quiet):
    return bool(quiet or (ctx.obj or {}).get("quiet"))


def _note(ctx, quiet, text):
    if not _quiet(ctx, quiet):
        click.echo(text, err=True)


def _show_progress(ctx, quiet):
    """Progress bars only on a terminal, never with --quiet."""
    return not _quiet(ctx, quiet) and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


# ---------------------------------------------------------------------- helpers
def _check_output(path, exts, option="-o"):
    """Usage error for an extension gaussmix cannot write; data error for a missing folder."""
    if os.path.splitext(path)[1].lower() not in exts:
        raise click.BadParameter(
            f"cannot tell the format of {path!r} from its extension; use one of "
            f"{', '.join(exts)}.", param_hint=f"'{option}'")
    check_writable(path, formats=exts)


def _check_data_ext(path):
    try:
        table_format(path)
    except DataError as exc:
        raise click.BadParameter(str(exc), param_hint="'DATA'") from None


def _read_data(path, columns):
    """(frame for fitting, ndarray, names): a DataFrame when the file has column names."""
    _check_data_ext(path)
    frame, has_names = read_frame(path)
    X, names = select_numeric(frame, parse_columns(columns), source=repr(path))
    fit_input = X
    if has_names:
        import pandas as pd

        fit_input = pd.DataFrame(X, columns=names)
    return fit_input, X, names


def _load_model(path):
    from ..mixture import load

    if os.path.isdir(path):
        raise DataError(f"{path!r} is a folder, not a model file; give the file written by "
                        "'gaussmix fit -o'.")
    return load(path)


def _model_names(gm):
    if hasattr(gm, "feature_names_in_"):
        return [str(c) for c in gm.feature_names_in_]
    return [f"x{j}" for j in range(gm.n_features_in_)]


def _data_for_model(gm, path, columns):
    """The columns of DATA the model needs, as the model's input, and the plain matrix.

    With --columns: those columns. Otherwise, if the model knows its column names and
    the file has them: those, in the model's order. Otherwise all columns.
    """
    _check_data_ext(path)
    frame, has_names = read_frame(path)
    source = repr(path)
    wanted = parse_columns(columns)
    if wanted is None and hasattr(gm, "feature_names_in_") and has_names:
        names = _model_names(gm)
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise DataError(f"{source} lacks column(s) {', '.join(map(repr, missing))} that the "
                            f"model was fitted on ({', '.join(names)}); pick the columns to use "
                            "with --columns.")
        wanted = names
    X, _ = select_numeric(frame, wanted, source=source)
    d = gm.n_features_in_
    if X.shape[1] != d:
        raise DataError(f"the model has {d} feature(s) but {source} gives {X.shape[1]} "
                        f"column(s); pick {d} with --columns.")
    model_input = X
    if hasattr(gm, "feature_names_in_"):
        import pandas as pd

        model_input = pd.DataFrame(X, columns=_model_names(gm))
    return model_input, X


def _emit_table(frame, output, ctx, quiet, what):
    if output:
        write_table(frame, output)
        _note(ctx, quiet, f"wrote {what} ({len(frame)} rows) to {output}")
    else:
        text = frame.to_csv(index=False)  # full precision, as the file output
        click.echo(text, nl=False)


class _EMProgress(io.TextIOBase):
    """Reads GaussianMixture's ``verbose=2`` lines and moves a tqdm bar with them."""

    _ITER = re.compile(r"iteration\s+(\d+)\s+mean log-likelihood\s+(\S+)\s+change\s+(\S+)")
    _START = re.compile(r"^\s*start\s+(\d+):")

    def __init__(self, bar):
        super().__init__()
        self.bar = bar
        self.buffer_ = ""
        self.run = 1

    def writable(self):
        return True

    def write(self, text):
        self.buffer_ += text
        while "\n" in self.buffer_:
            line, self.buffer_ = self.buffer_.split("\n", 1)
            self._line(line)
        return len(text)

    def _line(self, line):
        m = self._ITER.search(line)
        if m:
            it, ll, change = m.groups()
            self.bar.update(1)
            self.bar.set_postfix_str(f"run {self.run}, iteration {it}: objective {float(ll):.6f}, "
                                     f"change {change}", refresh=False)
        elif self._START.search(line):
            self.run += 1


def _fit(gm, X, show_progress):
    """``gm.fit(X)``; on a terminal with a bar per EM iteration (objective and change)."""
    if not show_progress:
        return gm.fit(X)
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return gm.fit(X)
    verbose = gm.verbose
    with tqdm(desc="EM", unit="it", file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        gm.set_params(verbose=2)
        try:
            with contextlib.redirect_stdout(_EMProgress(bar)):
                gm.fit(X)
        finally:
            gm.set_params(verbose=verbose)
    return gm


# ---------------------------------------------------------------------- fit
@cli.command(epilog=_examples(
    "gaussmix fit faithful.csv -k 2 -o faithful.gmm.json",
    "gaussmix fit data.parquet -k 3 --covariance-type diag --columns a,b -o m.json"))
@click.argument("data")
@click.option("-k", "--n-components", type=click.IntRange(min=1), required=True,
              help="Number of mixture components (>= 1).")
@click.option("-t", "--covariance-type", type=click.Choice(COVARIANCE_TYPES), default="full",
              show_default=True, help="Covariance structure of the components.")
@click.option("-o", "--output", metavar="MODEL",
              help="Write the fitted model (JSON, as GaussianMixture.save) to exactly this path.")
@click.option("--columns", metavar="A,B,...", help="Columns to use (names or 0-based positions).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed of the initialisation.")
@click.option("--max-iter", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Maximum EM iterations.")
@click.option("--tol", type=click.FloatRange(min=0), default=1e-5, show_default=True,
              help="Stop when the mean log-likelihood rises by less.")
@click.option("--n-init", type=click.IntRange(min=1), default=1, show_default=True,
              help="Initialisations; the best is kept.")
@_common
@click.pass_context
def fit(ctx, data, n_components, covariance_type, output, columns, seed, max_iter, tol, n_init,
        quiet, debug):
    """Fit a mixture to DATA, save it to MODEL and print a summary.

    The summary shows the weights, means, log-likelihood, BIC (lower is better) and
    whether EM converged.
    """
    from ..mixture import GaussianMixture

    if output:
        check_folder(output)
    Xfit, X, _ = _read_data(data, columns)
    gm = GaussianMixture(n_components, covariance_type=covariance_type, random_state=seed,
                         max_iter=max_iter, tol=tol, n_init=n_init)
    _fit(gm, Xfit, _show_progress(ctx, quiet))
    if output:
        gm.save(output)
    click.echo(gm.summary(Xfit))
    if output:
        _note(ctx, quiet, f"wrote model to {output}")


# ---------------------------------------------------------------------- score
@cli.command(epilog=_examples(
    "gaussmix score faithful.gmm.json faithful.csv",
    "gaussmix score faithful.gmm.json new.csv --responsibilities -o scores.parquet"))
@click.argument("model")
@click.argument("data")
@click.option("-o", "--output", metavar="OUT",
              help="Write the table here (.csv or .parquet); default: CSV on stdout.")
@click.option("-r", "--responsibilities", is_flag=True,
              help="Also the most likely component and the responsibility of each component.")
@click.option("--columns", metavar="A,B,...",
              help="Columns of DATA to use; default the model's column names.")
@_common
@click.pass_context
def score(ctx, model, data, output, responsibilities, columns, quiet, debug):
    """Log-density of every row of DATA under MODEL.

    Output columns: log_density, and with --responsibilities also component (the
    most likely one, 0-based) and resp_0, resp_1, ... (posterior probabilities).
    Rows stay in the order of DATA.
    """
    import pandas as pd

    if output:
        _check_output(output, TABLE_EXTS)
    gm = _load_model(model)
    Xin, _ = _data_for_model(gm, data, columns)
    out = pd.DataFrame({"log_density": gm.score_samples(Xin)})
    if responsibilities:
        resp = gm.predict_proba(Xin)
        out["component"] = resp.argmax(axis=1)
        for k in range(resp.shape[1]):
            out[f"resp_{k}"] = resp[:, k]
    _emit_table(out, output, ctx, quiet, "scores")


# ---------------------------------------------------------------------- sample
@cli.command(epilog=_examples(
    "gaussmix sample faithful.gmm.json -n 1000 --seed 1 -o synthetic.csv",
    "gaussmix sample faithful.gmm.json -n 5"))
@click.argument("model")
@click.option("-n", "--n-samples", type=click.IntRange(min=1), required=True,
              help="Number of rows to draw.")
@click.option("--seed", type=int, default=None,
              help="Random seed; the same seed gives the same rows. Default: fresh randomness.")
@click.option("-o", "--output", metavar="OUT",
              help="Write the rows here (.csv or .parquet); default: CSV on stdout.")
@click.option("--component", "with_component", is_flag=True,
              help="Add a column 'component': which component drew each row.")
@_common
@click.pass_context
def sample(ctx, model, n_samples, seed, output, with_component, quiet, debug):
    """Draw synthetic rows from MODEL, with the training data's column names."""
    import pandas as pd

    if output:
        _check_output(output, TABLE_EXTS)
    gm = _load_model(model)
    S, comp = gm.sample(n_samples, random_state=seed)
    out = pd.DataFrame(S, columns=_model_names(gm))
    if with_component:
        out["component"] = comp
    _emit_table(out, output, ctx, quiet, "synthetic rows")


# ---------------------------------------------------------------------- select
@cli.command(epilog=_examples(
    "gaussmix select faithful.csv",
    "gaussmix select faithful.csv -k 1-6 -t full,diag --criterion aic -o table.csv",
    "gaussmix select faithful.csv -k 2-4 --save-best best.gmm.json"))
@click.argument("data")
@click.option("-k", "--n-components", "ks", type=KRange(), default="1-9", show_default=True,
              help="Numbers of components to try: 1-9, 3, 1,2,5 or 2-4,8.")
@click.option("-t", "--covariance-type", "types", type=TypeList(), multiple=True,
              help="Covariance types to try (comma-separated or repeated); default all four.")
@click.option("--criterion", type=click.Choice(["bic", "aic"]), default="bic", show_default=True,
              help="What chooses the best model (lower is better).")
@click.option("--columns", metavar="A,B,...", help="Columns to use (names or 0-based positions).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the fits.")
@click.option("-j", "--jobs", type=int, default=None,
              help="Parallel workers (default: all cores when the data are large enough).")
@click.option("-o", "--output", metavar="TABLE", help="Also write the table (.csv or .parquet).")
@click.option("--save-best", metavar="MODEL", help="Save the best model (JSON) to this path.")
@_common
@click.pass_context
def select(ctx, data, ks, types, criterion, columns, seed, jobs, output, save_best, quiet, debug):
    """Fit every K and covariance type; print the BIC/AIC table, best marked.

    BIC and AIC use scikit-learn's sign: lower is better (mclust's BIC has the
    opposite sign).
    """
    from ..selection import select as run_select

    if output:
        _check_output(output, TABLE_EXTS)
    if save_best:
        check_folder(save_best)
    if jobs is not None and jobs == 0:
        raise click.BadParameter("must be a positive number of workers or -1 for all cores.",
                                 param_hint="'--jobs'")
    types = [t for group in types for t in group] or list(DEFAULT_COVARIANCE_TYPES)
    Xfit, X, _ = _read_data(data, columns)
    if max(ks) > X.shape[0]:
        raise DataError(f"-k goes up to {max(ks)} but {data!r} has only {X.shape[0]} row(s); "
                        f"use -k 1-{X.shape[0]} or fewer.")
    res = run_select(Xfit, ks, types, criterion, random_state=seed, n_jobs=jobs,
                     progress=None if _show_progress(ctx, quiet) else False)
    click.echo(res.summary())
    if output:
        write_table(res.table_, output)
        _note(ctx, quiet, f"wrote the table to {output}")
    if save_best:
        res.best_.save(save_best)
        _note(ctx, quiet, f"wrote the best model to {save_best}")


# ---------------------------------------------------------------------- plot
@cli.command(epilog=_examples(
    "gaussmix plot faithful.gmm.json faithful.csv -o faithful.png",
    "gaussmix plot faithful.gmm.json faithful.csv -o em.gif     # EM animation (2-D)"))
@click.argument("model")
@click.argument("data")
@click.option("-o", "--output", metavar="FIG", required=True,
              help="Picture to write: .png, .pdf, .svg, .jpg; .gif animates EM (2-D data).")
@click.option("--columns", metavar="A,B,...",
              help="Columns of DATA to use; default the model's column names.")
@click.option("--dpi", type=click.IntRange(min=20, max=600), default=110, show_default=True,
              help="Resolution of raster pictures.")
@click.option("--title", help="Title of the picture.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the EM animation's start (.gif only).")
@_common
@click.pass_context
def plot(ctx, model, data, output, columns, dpi, title, seed, quiet, debug):
    """Draw MODEL over DATA: the picture that suits the dimension.

    1 column: histogram with the fitted density and each weighted component.
    2 columns: points coloured by most likely component, density contours, 1 and 2
    sigma ellipses. More: a grid of every pair. A .gif output instead shows EM
    from a poor start to convergence, with the model's K and covariance type.
    """
    _check_output(output, FIGURE_EXTS)
    try:
        import matplotlib
    except ImportError:
        raise DataError("plotting needs matplotlib; install it with: "
                        "pip install 'gaussmix[plot]'.") from None
    matplotlib.use("Agg")
    from .. import plot as gplot

    gm = _load_model(model)
    Xin, X = _data_for_model(gm, data, columns)
    if output.lower().endswith(".gif"):
        if X.shape[1] != 2:
            raise DataError(f"the EM animation (.gif) draws 2-D data but the model has "
                            f"{X.shape[1]} feature(s); write a .png instead.")
        gplot.animate_em(Xin, gm.n_components, gm.covariance_type, path=output,
                         random_state=seed, dpi=min(dpi, 100))
    else:
        fig = gplot.plot_model(gm, Xin, title=title)
        with atomic_path(output) as tmp:
            fig.savefig(tmp, dpi=dpi)
    _note(ctx, quiet, f"wrote {output}")


# ---------------------------------------------------------------------- report
@cli.command(epilog=_examples(
    "gaussmix report faithful.csv -o faithful.html",
    "gaussmix report data.parquet --columns a,b,c -k 1-5 -o report.html"))
@click.argument("data")
@click.option("-o", "--output", metavar="HTML", default="report.html", show_default=True,
              help="Where to write the report (.html).")
@click.option("-k", "--n-components", "ks", type=KRange(), default="1-9", show_default=True,
              help="Numbers of components to try.")
@click.option("-t", "--covariance-type", "types", type=TypeList(), multiple=True,
              help="Covariance types to try; default all four.")
@click.option("--criterion", type=click.Choice(["bic", "aic"]), default="bic", show_default=True)
@click.option("--columns", metavar="A,B,...", help="Columns to use (names or 0-based positions).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed of the fits and the synthetic rows.")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel workers for the selection.")
@click.option("--title", help="Title of the report.")
@click.option("--outliers", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many least likely rows to list.")
@_common
@click.pass_context
def report(ctx, data, output, ks, types, criterion, columns, seed, jobs, title, outliers, quiet,
           debug):
    """Write an exploratory HTML report on DATA (one self-contained file).

    Data summary, the selection table and curves, the chosen model's parameters,
    density plots, component sizes, the least likely rows (outlier candidates) and
    synthetic rows beside the data. Pictures are embedded; it opens offline.
    """
    _check_output(output, REPORT_EXTS)
    if jobs is not None and jobs == 0:
        raise click.BadParameter("must be a positive number of workers or -1 for all cores.",
                                 param_hint="'--jobs'")
    try:
        import matplotlib
    except ImportError:
        raise DataError("the report needs matplotlib; install it with: "
                        "pip install 'gaussmix[plot]'.") from None
    matplotlib.use("Agg")
    from ..report import report as make_report

    types = [t for group in types for t in group] or list(DEFAULT_COVARIANCE_TYPES)
    Xfit, X, _ = _read_data(data, columns)
    if max(ks) > X.shape[0]:
        raise DataError(f"-k goes up to {max(ks)} but {data!r} has only {X.shape[0]} row(s); "
                        f"use -k 1-{X.shape[0]} or fewer.")
    make_report(Xfit, output, n_components=ks, covariance_types=types, criterion=criterion,
                random_state=seed, n_jobs=jobs,
                progress=None if _show_progress(ctx, quiet) else False,
                title=title or f"gaussmix report: {os.path.basename(data)}", n_outliers=outliers)
    _note(ctx, quiet, f"wrote the report to {os.path.abspath(output)}")


def main(argv=None):
    """Run the command line (``argv``: arguments after the program name)."""
    return cli.main(args=argv, prog_name="gaussmix")


if __name__ == "__main__":  # pragma: no cover
    main()
