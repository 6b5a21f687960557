"""``gaussmix fit --bayes``: variational and Gibbs fits from the command line, through
click's runner and as a real subprocess, and the option combinations that are usage
errors."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix.cli import cli  # noqa: E402


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli_bayes")
    df = gaussmix.load_faithful(as_frame=True)
    df.to_csv(d / "faithful.csv", index=False)
    return {"dir": d, "df": df, "csv": d / "faithful.csv"}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_usage_error(result):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "usage error" in lines[0]
    return lines[0]


# ---------------------------------------------------------------------- variational
def test_variational_fit_saves_and_prints_effective_components(data, tmp_path):
    out = tmp_path / "vb.json"
    r = run("fit", data["csv"], "-k", 6, "--bayes", "variational", "-o", out)
    assert r.exit_code == 0, r.stderr
    ref = gaussmix.BayesianGaussianMixture(n_components=6, random_state=0).fit(data["df"])
    model = gaussmix.load(out)
    assert isinstance(model, gaussmix.BayesianGaussianMixture)
    assert model.weight_concentration_prior_type == "dirichlet_process"   # sklearn's default
    np.testing.assert_allclose(model.weights_, ref.weights_, rtol=1e-8, atol=1e-12)
    n_eff = int((ref.weights_ > 0.01).sum())
    assert f"effective components {n_eff} of 6" in r.stdout
    assert f"lower bound {ref.lower_bound_:.4f}" in r.stdout
    assert "BayesianGaussianMixture" in r.stdout and "wrote model" in r.stderr


def test_variational_weight_prior_and_em_options_reach_the_estimator(data, tmp_path):
    out = tmp_path / "vb.json"
    r = run("fit", data["csv"], "-k", 3, "--bayes", "variational", "-t", "diag",
            "--weight-prior", "dirichlet_distribution", "--max-iter", 50, "--n-init", 2,
            "-o", out, "--quiet")
    assert r.exit_code == 0, r.stderr
    model = gaussmix.load(out)
    assert model.weight_concentration_prior_type == "dirichlet_distribution"
    assert model.covariance_type == "diag"
    assert model.max_iter == 50 and model.n_init == 2
    assert "dirichlet_distribution" in r.stdout


def test_without_bayes_nothing_changes(data):
    r = run("fit", data["csv"], "-k", 2)
    assert r.exit_code == 0, r.stderr
    ref = gaussmix.GaussianMixture(2, random_state=0).fit(data["df"])
    assert ref.summary(data["df"]) in r.stdout
    assert "effective components" not in r.stdout


# ---------------------------------------------------------------------- gibbs
def test_gibbs_prints_arviz_summary_and_posterior_weights(data):
    pytest.importorskip("arviz")
    r = run("fit", data["csv"], "-k", 2, "--bayes", "gibbs", "--draws", 40, "--warmup", 20,
            "--chains", 2, "--seed", 1)
    assert r.exit_code == 0, r.stderr
    for word in ("GibbsGaussianMixture", "2 chain(s) x 40 draws", "r_hat", "ess_bulk",
                 "weights[0]", "means[0, 0]", "posterior weights"):
        assert word in r.stdout, word
    ref = gaussmix.GibbsGaussianMixture(2, n_draws=40, n_warmup=20, n_chains=2,
                                        random_state=1).fit(data["df"])
    for w in ref.weights_:
        assert f"{w:.4f}" in r.stdout


@pytest.mark.parametrize("args, words", [
    (["--bayes", "gibbs", "-o", "m.json"], ["cannot be saved"]),
    (["--bayes", "gibbs", "-t", "diag"], ["--covariance-type", "'diag'", "only 'full'"]),
    (["--bayes", "gibbs", "--weight-prior", "dirichlet_process"], ["--weight-prior"]),
    (["--bayes", "gibbs", "--max-iter", "5"], ["--max-iter"]),
    (["--bayes", "variational", "--draws", "5"], ["--draws"]),
    (["--bayes", "variational", "-t", "V"], ["--covariance-type", "variational"]),
    (["--chains", "3"], ["--chains", "without --bayes"]),
    (["--weight-prior", "dirichlet_process"], ["--weight-prior"]),
    (["--bayes", "mcmc"], ["--bayes"]),
    (["--bayes", "gibbs", "--draws", "0"], ["--draws"]),
])
def test_bad_combinations_are_one_line_usage_errors(data, tmp_path, args, words):
    r = run("fit", data["csv"], "-k", 2, *args)
    line = one_line_usage_error(r)
    for word in words:
        assert word in line, line
    assert not (tmp_path / "m.json").exists()


# ---------------------------------------------------------------------- subprocess
def sh(*args, cwd):
    script = Path(sys.executable).parent / "gaussmix"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "gaussmix"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)


def test_bayes_as_a_subprocess(data, tmp_path):
    shutil.copy(data["csv"], tmp_path / "data.csv")
    r = sh("fit", "data.csv", "-k", 4, "--bayes", "variational", "-o", "vb.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "effective components" in r.stdout and "lower bound" in r.stdout
    assert isinstance(gaussmix.load(tmp_path / "vb.json"), gaussmix.BayesianGaussianMixture)
    r = sh("fit", "data.csv", "-k", 2, "--bayes", "gibbs", "-o", "g.json", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "cannot be saved" in r.stderr
    r = sh("fit", "data.csv", "-k", 2, "--bayes", "gibbs", "-t", "diag", cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "vb.json"]
