"""The ``gaussmix`` command line, through click's runner and as a real subprocess."""

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import cli as cli_module  # noqa: E402
from gaussmix.cli import cli  # noqa: E402

COMMANDS = ("fit", "score", "sample", "impute", "select", "plot", "report")


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    df = gaussmix.load_faithful(as_frame=True)
    df.to_csv(d / "faithful.csv", index=False)
    df.to_parquet(d / "faithful.parquet", index=False)
    np.save(d / "faithful.npy", df.to_numpy())
    renamed = df.rename(columns={"eruptions": "a", "waiting": "b"})
    renamed.insert(0, "id", [f"r{i}" for i in range(len(df))])
    renamed.to_csv(d / "other.csv", index=False)
    (d / "notmodel.json").write_text('{"hello": "world"}')
    (d / "garbage.json").write_bytes(b"\x80\x04\x95 pickle-ish bytes")
    model = d / "model.json"
    gaussmix.GaussianMixture(2, random_state=0).fit(df).save(model)
    return {"dir": d, "df": df, "csv": d / "faithful.csv", "parquet": d / "faithful.parquet",
            "npy": d / "faithful.npy", "other": d / "other.csv", "model": model,
            "notmodel": d / "notmodel.json", "garbage": d / "garbage.json"}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result):
    """The error is one line on stderr, without a traceback."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return lines[0]


def stray_files(folder):
    return [p.name for p in Path(folder).iterdir() if p.name.startswith(".gaussmix-")]


# ---------------------------------------------------------------------- fit
def test_fit_saves_exactly_model_and_prints_summary(files, tmp_path):
    out = tmp_path / "m.gmm"               # any extension: written to exactly this path
    r = run("fit", files["csv"], "-k", 2, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.gmm"]
    gm = gaussmix.load(out)
    ref = gaussmix.GaussianMixture(2, random_state=0).fit(files["df"])
    np.testing.assert_allclose(gm.means_, ref.means_, rtol=1e-10)
    assert list(gm.feature_names_in_) == ["eruptions", "waiting"]
    assert gm.verbose == 0
    for word in ("weight", "eruptions", "waiting", "log-likelihood", "BIC", "converged=True"):
        assert word in r.stdout
    assert f"{ref.bic(files['df']):.4f}" in r.stdout
    assert "wrote model" in r.stderr


@pytest.mark.parametrize("source", ["parquet", "npy"])
def test_fit_reads_parquet_and_npy(files, tmp_path, source):
    out = tmp_path / "m.json"
    r = run("fit", files[source], "-k", 2, "-t", "diag", "-o", out, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    gm = gaussmix.load(out)
    assert gm.covariance_type == "diag"
    assert hasattr(gm, "feature_names_in_") == (source == "parquet")


def test_fit_columns_picks_and_orders_columns(files, tmp_path):
    out = tmp_path / "m.json"
    r = run("fit", files["other"], "-k", 1, "--columns", "b", "-o", out)
    assert r.exit_code == 0, r.stderr
    gm = gaussmix.load(out)
    assert list(gm.feature_names_in_) == ["b"]
    assert gm.means_[0, 0] == pytest.approx(files["df"]["waiting"].mean())


# ---------------------------------------------------------------------- score
def test_score_log_density_equals_score_samples(files):
    r = run("score", files["model"], files["csv"])
    assert r.exit_code == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout))
    assert list(out.columns) == ["log_density"]
    gm = gaussmix.load(files["model"])
    np.testing.assert_allclose(out["log_density"], gm.score_samples(files["df"]), rtol=1e-9)


def test_score_responsibilities_to_parquet(files, tmp_path):
    out = tmp_path / "scores.parquet"
    r = run("score", files["model"], files["parquet"], "--responsibilities", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    s = pd.read_parquet(out)
    gm = gaussmix.load(files["model"])
    assert list(s.columns) == ["log_density", "component", "resp_0", "resp_1"]
    np.testing.assert_array_equal(s["log_density"], gm.score_samples(files["df"]))
    np.testing.assert_array_equal(s["component"], gm.predict(files["df"]))
    np.testing.assert_allclose(s[["resp_0", "resp_1"]].sum(axis=1), 1.0)


def test_score_other_column_names_with_columns(files):
    r = run("score", files["model"], files["other"])
    assert r.exit_code == 1
    assert "--columns" in one_line_error(r)
    r = run("score", files["model"], files["other"], "--columns", "a,b")
    assert r.exit_code == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout))
    gm = gaussmix.load(files["model"])
    np.testing.assert_allclose(out["log_density"], gm.score_samples(files["df"]), rtol=1e-9)


# ---------------------------------------------------------------------- sample
def test_sample_same_seed_same_rows_with_training_names(files, tmp_path):
    a = run("sample", files["model"], "-n", 50, "--seed", 7)
    b = run("sample", files["model"], "-n", 50, "--seed", 7)
    c = run("sample", files["model"], "-n", 50, "--seed", 8)
    assert a.exit_code == b.exit_code == c.exit_code == 0
    assert a.stdout == b.stdout != c.stdout
    rows = pd.read_csv(io.StringIO(a.stdout))
    assert list(rows.columns) == ["eruptions", "waiting"] and len(rows) == 50
    Xs, _ = gaussmix.load(files["model"]).sample(50, random_state=7)
    np.testing.assert_allclose(rows.to_numpy(), Xs, rtol=1e-9)
    out = tmp_path / "s.parquet"
    r = run("sample", files["model"], "-n", 20, "--seed", 1, "--component", "-o", out)
    assert r.exit_code == 0
    s = pd.read_parquet(out)
    assert list(s.columns) == ["eruptions", "waiting", "component"] and len(s) == 20


def test_sample_from_a_model_without_names(files, tmp_path):
    model = tmp_path / "npy.json"
    assert run("fit", files["npy"], "-k", 2, "-o", model).exit_code == 0
    r = run("sample", model, "-n", 3, "--seed", 0)
    assert pd.read_csv(io.StringIO(r.stdout)).columns.tolist() == ["x0", "x1"]


# ---------------------------------------------------------------------- select
def test_select_prints_table_with_best_marked(files, tmp_path):
    table = tmp_path / "table.csv"
    best = tmp_path / "best.json"
    r = run("select", files["csv"], "-k", "1-3", "-t", "full,tied", "-t", "diag", "-o", table,
            "--save-best", best)
    assert r.exit_code == 0, r.stderr
    marked = [line for line in r.stdout.splitlines() if "<- best" in line]
    assert len(marked) == 1
    t = pd.read_csv(table)
    assert len(t) == 9 and set(t["covariance_type"]) == {"full", "tied", "diag"}
    i = int(t["bic"].to_numpy().argmin())
    assert marked[0].split()[:2] == [str(t["n_components"][i]), t["covariance_type"][i]]
    gm = gaussmix.load(best)
    assert (gm.n_components, gm.covariance_type) == (t["n_components"][i], t["covariance_type"][i])
    assert gm.bic(files["df"]) == pytest.approx(t["bic"][i], rel=1e-9)


def test_select_aic_and_k_list(files):
    r = run("select", files["csv"], "-k", "1,3", "-t", "spherical", "--criterion", "aic")
    assert r.exit_code == 0, r.stderr
    assert "best (AIC)" in r.stdout
    rows = [ln for ln in r.stdout.splitlines() if ln.split()[1:2] == ["spherical"]]
    assert [ln.split()[0] for ln in rows] == ["1", "3"]


# ---------------------------------------------------------------------- plot / report
def test_plot_png_and_em_gif(files, tmp_path):
    from PIL import Image

    png = tmp_path / "f.png"
    r = run("plot", files["model"], files["csv"], "-o", png, "--dpi", 50)
    assert r.exit_code == 0, r.stderr
    with Image.open(png) as im:
        assert im.format == "PNG" and im.size[0] > 200
        assert np.asarray(im.convert("L")).std() > 10
    gif = tmp_path / "em.gif"
    r = run("plot", files["model"], files["csv"], "-o", gif, "--dpi", 40)
    assert r.exit_code == 0, r.stderr
    with Image.open(gif) as im:
        assert im.n_frames > 3
    assert stray_files(tmp_path) == []


def test_report_html(files, tmp_path):
    out = tmp_path / "r.html"
    r = run("report", files["csv"], "-o", out, "-k", "1-2", "-t", "full", "--outliers", 4)
    assert r.exit_code == 0, r.stderr
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "faithful.csv" in page and page.count("data:image/png;base64,") >= 5
    assert str(out) in r.stderr


# ---------------------------------------------------------------------- bad input
BAD = [
    # (args, exit code, words in the message)
    (["fit", "{dir}/missing.csv", "-k", "2"], 1, ["missing.csv", "does not exist"]),
    (["fit", "{other}", "-k", "2"], 1, ["'id'", "not numeric", "--columns"]),
    (["fit", "{csv}", "-k", "0"], 2, ["-k", "0"]),
    (["select", "{csv}", "-k", "0-3"], 2, ["K=0"]),
    (["score", "{notmodel}", "{csv}"], 1, ["not a readable gaussmix model file"]),
    (["sample", "{garbage}", "-n", "3"], 1, ["not a readable gaussmix model file"]),
    (["sample", "{dir}/nope.json", "-n", "3"], 1, ["does not exist"]),
    (["fit", "{csv}", "-k", "2", "-o", "{dir}/no/such/dir/m.json"], 1, ["does not exist"]),
    (["score", "{model}", "{csv}", "-o", "{dir}/no/such/dir/s.csv"], 1, ["does not exist"]),
    (["sample", "{model}", "-n", "5", "-o", "{dir}/no/dir/s.csv"], 1, ["does not exist"]),
    (["plot", "{model}", "{csv}", "-o", "{dir}/no/dir/f.png"], 1, ["does not exist"]),
    (["report", "{csv}", "-o", "{dir}/no/dir/r.html"], 1, ["does not exist"]),
    (["score", "{model}", "{csv}", "-o", "{dir}/s.xlsx"], 2, ["extension"]),
    (["fit", "{dir}/data.xlsx", "-k", "2"], 2, ["extension"]),
    (["fit", "{csv}", "-k", "2", "--no-such-option"], 2, ["--no-such-option"]),
    (["fit", "{csv}"], 2, ["Missing option", "-k"]),
    (["fit", "{csv}", "-k", "300"], 1, ["n_components=300"]),
    (["select", "{csv}", "-t", "VVX"], 2, ["VVX"]),
    (["nonsense"], 2, ["nonsense"]),
]


def _fill(args, files):
    return [a.format(**{k: v for k, v in files.items() if k != "df"}) for a in args]


@pytest.mark.parametrize("args, code, words", BAD, ids=[" ".join(b[0][:2]) + f" #{i}"
                                                         for i, b in enumerate(BAD)])
def test_bad_input_one_line_error_and_exit_code(files, args, code, words):
    before = set(os.listdir(files["dir"]))
    r = run(*_fill(args, files))
    assert r.exit_code == code, (r.exit_code, r.stderr)
    line = one_line_error(r)
    assert line.startswith("gaussmix")
    for w in words:
        assert w in line, line
    assert set(os.listdir(files["dir"])) == before          # nothing written, nothing stray


def test_debug_shows_the_traceback(files):
    r = run("fit", files["dir"] / "missing.csv", "-k", 2, "--debug")
    assert r.exit_code == 1
    assert "Traceback" in r.stderr and "does not exist" in r.stderr.splitlines()[-1]
    r = run("--debug", "score", files["notmodel"], files["csv"])
    assert r.exit_code == 1 and "Traceback" in r.stderr


def test_failed_write_leaves_no_partial_or_stray_file(files, tmp_path, monkeypatch):
    target = tmp_path / "scores.csv"
    target.write_text("old content\n")

    def broken_to_csv(self, path, *args, **kwargs):
        Path(path).write_text("log_density\n-1.0\n")       # half written ...
        raise OSError("disk full")                          # ... then the write fails

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    r = run("score", files["model"], files["csv"], "-o", target)
    assert r.exit_code == 1
    assert "disk full" in one_line_error(r)
    assert target.read_text() == "old content\n"            # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]


def test_failed_figure_leaves_nothing(files, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    def broken_savefig(self, fname, *args, **kwargs):
        Path(fname).write_bytes(b"\x89PNG partial")
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    r = run("plot", files["model"], files["csv"], "-o", tmp_path / "f.png")
    assert r.exit_code == 1
    line = one_line_error(r)
    assert "renderer crashed" in line and "--debug" in line
    assert list(tmp_path.iterdir()) == []


def test_no_progress_bar_when_not_a_terminal(files, tmp_path):
    r = run("fit", files["csv"], "-k", 3, "-o", tmp_path / "m.json")
    assert r.exit_code == 0
    assert r.stderr.strip().splitlines() == [f"wrote model to {tmp_path / 'm.json'}"]


def test_em_progress_reads_verbose_lines():
    class Bar:
        n = 0
        postfix = ""

        def update(self, k):
            self.n += k

        def set_postfix_str(self, s, refresh=True):
            self.postfix = s

    bar = Bar()
    sink = cli_module._EMProgress(bar)
    with contextlib.redirect_stdout(sink):
        gaussmix.GaussianMixture(2, random_state=0, verbose=2).fit(gaussmix.load_faithful())
    assert bar.n >= 3
    assert "objective" in bar.postfix and "change" in bar.postfix


# ---------------------------------------------------------------------- help
@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert "Examples:" in r.stdout and f"gaussmix {command} " in r.stdout


def test_group_help_and_version():
    r = run("--help")
    assert r.exit_code == 0
    for command in COMMANDS:
        assert command in r.stdout
    r = run("--version")
    assert r.exit_code == 0 and gaussmix.__version__ in r.stdout


# ---------------------------------------------------------------------- real subprocess
def gaussmix_command():
    script = Path(sys.executable).parent / "gaussmix"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gaussmix"]


def sh(*args, cwd):
    return subprocess.run(gaussmix_command() + [str(a) for a in args], capture_output=True,
                          text=True, cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)


def test_installed_entry_point_exists():
    assert (Path(sys.executable).parent / "gaussmix").exists() or shutil.which("gaussmix"), \
        "the gaussmix command is not installed; run pip install -e '.[cli]'"


def test_every_subcommand_as_a_subprocess(files, tmp_path):
    shutil.copy(files["csv"], tmp_path / "data.csv")
    r = sh("fit", "data.csv", "-k", 2, "-o", "m.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "BIC" in r.stdout and (tmp_path / "m.json").exists()
    r = sh("score", "m.json", "data.csv", "-r", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    scores = pd.read_csv(io.StringIO(r.stdout))
    np.testing.assert_allclose(scores["log_density"],
                               gaussmix.load(tmp_path / "m.json").score_samples(files["df"]),
                               rtol=1e-9)
    a = sh("sample", "m.json", "-n", 10, "--seed", 3, cwd=tmp_path)
    b = sh("sample", "m.json", "-n", 10, "--seed", 3, "-o", "s.csv", cwd=tmp_path)
    assert a.returncode == b.returncode == 0
    assert a.stdout == (tmp_path / "s.csv").read_text()
    assert a.stdout.splitlines()[0] == "eruptions,waiting"
    r = sh("select", "data.csv", "-k", "1-3", "-t", "full", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.count("<- best") == 1
    r = sh("plot", "m.json", "data.csv", "-o", "f.png", "--quiet", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == "" and (tmp_path / "f.png").stat().st_size > 1000
    r = sh("report", "data.csv", "-k", "1-2", "-t", "tied", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "report.html").read_text().count("<h2") == 7
    assert stray_files(tmp_path) == []


@pytest.mark.parametrize("args, code", [
    (["fit", "missing.csv", "-k", "2"], 1),
    (["fit", "other.csv", "-k", "2"], 1),
    (["fit", "data.csv", "-k", "0"], 2),
    (["score", "notmodel.json", "data.csv"], 1),
    (["fit", "data.csv", "-k", "2", "-o", "no/dir/m.json"], 1),
])
def test_bad_input_as_a_subprocess(files, tmp_path, args, code):
    for name, key in (("data.csv", "csv"), ("other.csv", "other"), ("notmodel.json", "notmodel")):
        shutil.copy(files[key], tmp_path / name)
    r = sh(*args, cwd=tmp_path)
    assert r.returncode == code
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "notmodel.json", "other.csv"]


def test_without_the_cli_extra_one_line_install_hint():
    code = ("import sys; sys.modules['click'] = None\n"
            "from gaussmix.__main__ import main\n"
            "main(['--help'])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'gaussmix[cli]'" in lines[0] and "click" in lines[0]
