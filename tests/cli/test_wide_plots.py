"""``gaussmix plot`` and ``gaussmix report`` as real subprocesses: wide data gives a
bounded picture (the first 8 columns, with a one-line warning) in bounded time,
--plot-columns chooses the columns, and one-row data works."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import gaussmix  # noqa: E402

def gaussmix_cli(*args, cwd):
    """Run ``python -m gaussmix ARGS``: (exit code, stderr). The timeout only guards
    against a hang (before the caps a 50 x 300 report ran for minutes and gigabytes)."""
    r = subprocess.run([sys.executable, "-m", "gaussmix", *map(str, args)], cwd=cwd,
                       capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    return r.returncode, r.stderr


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """A 50 x 300 CSV with named columns and a diagonal one-component model of it."""
    d = tmp_path_factory.mktemp("wide")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(50, 300)), columns=[f"c{j}" for j in range(300)])
    X.to_csv(d / "wide.csv", index=False)
    gaussmix.GaussianMixture(1, covariance_type="diag", random_state=0).fit(X).save(
        d / "wide.gmm.json")
    return d


@pytest.fixture(scope="module")
def one_row(tmp_path_factory):
    d = tmp_path_factory.mktemp("one")
    X = pd.DataFrame([[1.0, 2.0]], columns=["a", "b"])
    X.to_csv(d / "one.csv", index=False)
    gaussmix.GaussianMixture(1, random_state=0).fit(X).save(d / "one.gmm.json")
    return d


def test_plot_of_300_columns_draws_the_first_8_with_a_warning(wide):
    code, err = gaussmix_cli("plot", "wide.gmm.json", "wide.csv", "-o", "w.png",
                                      "--dpi", "40", cwd=wide)
    assert code == 0, err
    assert ("gaussmix: warning: the pair grid draws the first 8 of 300 columns (c0 to c7); "
            "choose others with features= (--plot-columns on the command line).") in err
    assert (wide / "w.png").stat().st_size > 0


def test_plot_columns_by_name_and_position(wide):
    code, err = gaussmix_cli("plot", "wide.gmm.json", "wide.csv", "-o", "c.png", "--dpi",
                                "40", "--plot-columns", "c250,3,c7", cwd=wide)
    assert code == 0, err
    assert "warning" not in err and (wide / "c.png").stat().st_size > 0


def test_an_unknown_plot_column_is_a_one_line_error(wide):
    code, err = gaussmix_cli("plot", "wide.gmm.json", "wide.csv", "-o", "e.png",
                                "--plot-columns", "c1,zz", cwd=wide)
    assert code == 1 and not (wide / "e.png").exists()
    assert err.strip().splitlines() == [
        "gaussmix: error: column 'zz' is not in the data (its columns: c0, c1, c2, c3, c4, c5, "
        "c6, c7, c8, c9, c10, c11, ...)."]


def test_plot_columns_with_a_gif_is_a_usage_error(wide):
    code, err = gaussmix_cli("plot", "wide.gmm.json", "wide.csv", "-o", "e.gif",
                                "--plot-columns", "c1,c2", cwd=wide)
    assert code == 2 and "'--plot-columns'" in err and len(err.strip().splitlines()) == 1


def test_report_of_300_columns_is_bounded(wide):
    code, err = gaussmix_cli("report", "wide.csv", "-k", "1", "-t", "diag", "-j", "1",
                                      "-o", "w.html", cwd=wide)
    assert code == 0, err
    assert ("gaussmix: warning: the report's density picture draws the first 8 of 300 columns "
            "(c0 to c7); choose others with plot_columns= (--plot-columns on the command "
            "line).") in err
    page = (wide / "w.html").read_text(encoding="utf-8")
    assert "The first 20 of 300 columns" in page and len(page) < 3_000_000


def test_report_plot_columns(wide):
    code, err = gaussmix_cli("report", "wide.csv", "-k", "1", "-t", "diag", "-j", "1",
                                "-o", "c.html", "--plot-columns", "c9,c2", cwd=wide)
    assert code == 0, err
    assert "warning" not in err
    assert "The picture draws 2 of 300 columns: c9, c2." in (wide / "c.html").read_text(
        encoding="utf-8")


def test_report_of_one_row(one_row):
    code, err = gaussmix_cli("report", "one.csv", "-k", "1", "-o", "one.html", cwd=one_row)
    assert code == 0, err
    assert "data:image/gif" in (one_row / "one.html").read_text(encoding="utf-8")


def test_em_animation_of_one_row(one_row):
    code, err = gaussmix_cli("plot", "one.gmm.json", "one.csv", "-o", "one.gif", "--dpi",
                                "40", cwd=one_row)
    assert code == 0, err
    assert (one_row / "one.gif").read_bytes()[:4] == b"GIF8"
