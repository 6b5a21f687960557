"""``gaussmix compare``: prints the two-sample test, exit code 0 whatever the
p-value; files with other columns are a one-line data error."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

from gaussmix import two_sample_test  # noqa: E402
from gaussmix.cli import cli  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("compare")
    rng = np.random.default_rng(0)
    a = pd.DataFrame(rng.normal(size=(60, 2)), columns=["x", "y"])
    b = pd.DataFrame(rng.normal(size=(50, 2)) @ [[1.0, 0.9], [0.0, 0.4]], columns=["x", "y"])
    a.to_csv(d / "a.csv", index=False)
    b[["y", "x"]].to_parquet(d / "b.parquet", index=False)     # other order: matched by name
    a.rename(columns={"y": "z"}).to_csv(d / "other.csv", index=False)
    return {"dir": d, "a": a, "b": b}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_prints_the_tests_summary_with_the_apis_numbers(files):
    d = files["dir"]
    r = run("compare", d / "a.csv", d / "b.parquet", "-k", "1", "-t", "full", "-p", "39",
            "--seed", "3")
    assert r.exit_code == 0, r.stderr
    res = two_sample_test(files["a"], files["b"], [1], ["full"], n_permutations=39,
                          random_state=3, progress=False)
    assert f"p-value          {res.pvalue:.4g}" in r.stdout
    assert f"statistic        {res.statistic:.6g}" in r.stdout
    assert res.pvalue == pytest.approx(1 / 40)      # exit code 0 all the same


def test_same_file_twice_is_not_rejected(files):
    d = files["dir"]
    r = run("compare", d / "a.csv", d / "a.csv", "-k", "1", "-t", "spherical", "-p", "19")
    assert r.exit_code == 0, r.stderr
    # identical halves: every split fits the pooled model at least as well
    assert "p-value          1  (" in r.stdout


@pytest.mark.parametrize("args, code, words", [
    (["{dir}/a.csv", "{dir}/other.csv"], 1, ["lacks 'y'", "'z'"]),
    (["{dir}/a.csv", "{dir}/missing.csv"], 1, ["does not exist"]),
    (["{dir}/a.csv", "{dir}/b.parquet", "-p", "0"], 2, ["--permutations"]),
    (["{dir}/a.csv", "{dir}/b.parquet", "-k", "80"], 1, ["n_components=80"]),
])
def test_bad_input_is_one_line(files, args, code, words):
    r = run("compare", *[a.format(dir=files["dir"]) for a in args])
    assert r.exit_code == code, (r.exit_code, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    for w in words:
        assert w in lines[0], lines[0]


def test_help_has_examples():
    r = run("compare", "--help")
    assert r.exit_code == 0 and "gaussmix compare " in r.stdout
    assert "compare" in run("--help").stdout
