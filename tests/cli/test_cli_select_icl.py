"""``gaussmix select --criterion icl``: the choice by ICL, the table's icl column, and
the chosen model described as mclust's summary() does."""

import pandas as pd
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix.cli import cli  # noqa: E402


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("icl") / "faithful.csv"
    gaussmix.load_faithful(as_frame=True).to_csv(path, index=False)
    return path


def test_select_by_icl_writes_and_marks_it(csv, tmp_path):
    table = tmp_path / "t.csv"
    r = run("select", csv, "-k", "1-3", "-t", "full,tied", "--criterion", "icl", "-o", table)
    assert r.exit_code == 0, r.stderr
    t = pd.read_csv(table)
    assert "icl" in t.columns
    i = int(t["icl"].to_numpy().argmin())
    marked = [line for line in r.stdout.splitlines() if "<- best (ICL)" in line]
    assert len(marked) == 1
    assert marked[0].split()[:2] == [str(t["n_components"][i]), t["covariance_type"][i]]
    assert "Chosen by ICL:" in r.stdout
    assert "Clustering table" in r.stdout


def test_unknown_criterion_is_a_usage_error(csv):
    r = run("select", csv, "-k", "1-2", "--criterion", "hqc")
    assert r.exit_code == 2
    assert "icl" in r.stderr


def test_help_lists_icl():
    r = run("select", "--help")
    assert r.exit_code == 0 and "[bic|aic|icl]" in r.stdout
