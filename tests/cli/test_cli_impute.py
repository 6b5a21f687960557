"""``gaussmix fit --missing em``, ``gaussmix select --missing em`` and ``gaussmix impute``:
files with empty cells."""

import io

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix.cli import cli  # noqa: E402


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("impute")
    df = gaussmix.load_faithful(as_frame=True)
    values = df.to_numpy().copy()
    values[np.random.default_rng(0).random(values.shape) < 0.15] = np.nan
    holey = pd.DataFrame(values[~np.isnan(values).all(axis=1)], columns=df.columns)
    holey.to_csv(d / "holey.csv", index=False)
    model = d / "m.json"
    r = run("fit", d / "holey.csv", "-k", 2, "--missing", "em", "-o", model)
    assert r.exit_code == 0, r.output
    return {"dir": d, "holey": holey, "model": model}


def test_fit_with_missing_em_saves_a_model_that_imputes_like_the_library(files):
    gm = gaussmix.load(files["model"])
    assert gm.missing == "em"
    expected = gaussmix.GaussianMixture(2, missing="em", random_state=0).fit(files["holey"])
    np.testing.assert_allclose(gm.means_, expected.means_)
    out = files["dir"] / "filled.parquet"
    r = run("impute", files["model"], files["dir"] / "holey.csv", "-o", out, "--marks")
    assert r.exit_code == 0, r.output
    assert "cell(s) imputed" in r.stderr
    filled = pd.read_parquet(out)
    holey = files["holey"]
    assert list(filled.columns) == ["eruptions", "waiting", "n_imputed"]
    np.testing.assert_array_equal(filled["n_imputed"], holey.isna().sum(axis=1))
    np.testing.assert_allclose(filled[["eruptions", "waiting"]], gm.impute(holey))
    observed = holey.notna().to_numpy()
    assert np.array_equal(filled[["eruptions", "waiting"]].to_numpy()[observed],
                          holey.to_numpy()[observed])
    assert not [p for p in files["dir"].iterdir() if p.name.startswith(".gaussmix-")]


def test_sample_draws_repeat_with_a_seed_and_differ_between_seeds(files):
    args = ("impute", files["model"], files["dir"] / "holey.csv", "--method", "sample")
    a, b, c = run(*args, "--seed", 1), run(*args, "--seed", 1), run(*args, "--seed", 2)
    assert a.exit_code == b.exit_code == c.exit_code == 0
    assert a.stdout == b.stdout and a.stdout != c.stdout
    drawn = pd.read_csv(io.StringIO(a.stdout))
    assert not drawn.isna().any().any() and len(drawn) == len(files["holey"])


def test_errors_name_the_way_out(files, tmp_path):
    r = run("fit", files["dir"] / "holey.csv", "-k", 2)
    assert r.exit_code != 0 and "--missing em" in r.stderr
    r = run("fit", files["dir"] / "holey.csv", "-k", 2, "--missing", "em", "--bayes",
            "variational")
    assert r.exit_code == 2 and "leave out --bayes" in r.stderr
    vb = tmp_path / "vb.json"
    gaussmix.BayesianGaussianMixture(n_components=2, random_state=0).fit(
        gaussmix.load_faithful(as_frame=True)).save(vb)
    r = run("impute", vb, files["dir"] / "holey.csv")
    assert r.exit_code == 2 and "cannot impute" in r.stderr
    files["holey"][["waiting"]].to_csv(tmp_path / "one.csv", index=False)
    r = run("impute", files["model"], tmp_path / "one.csv")
    assert r.exit_code != 0 and "eruptions" in r.stderr


def test_select_with_missing_em_chooses_as_the_library_does(files):
    best = files["dir"] / "best.json"
    r = run("select", files["dir"] / "holey.csv", "-k", "1-3", "-t", "VVV,EEE", "--missing",
            "em", "--save-best", best)
    assert r.exit_code == 0, r.output
    expected = gaussmix.select(files["holey"], range(1, 4), ["VVV", "EEE"], missing="em",
                               random_state=0, progress=False).best_
    gm = gaussmix.load(best)
    assert gm.missing == "em" and gm.covariance_type == expected.covariance_type
    np.testing.assert_allclose(gm.means_, expected.means_)
    r = run("select", files["dir"] / "holey.csv", "-k", "1-2")
    assert r.exit_code != 0 and "select' fit empty cells with --missing em" in r.stderr


def test_score_takes_empty_cells_with_a_missing_em_model(files):
    r = run("score", files["model"], files["dir"] / "holey.csv", "-r")
    assert r.exit_code == 0, r.output
    scores = pd.read_csv(io.StringIO(r.stdout))
    gm = gaussmix.load(files["model"])
    np.testing.assert_allclose(scores["log_density"], gm.score_samples(files["holey"]))
    np.testing.assert_allclose(scores[["resp_0", "resp_1"]], gm.predict_proba(files["holey"]))
