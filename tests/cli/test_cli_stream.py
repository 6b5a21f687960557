"""``gaussmix fit`` streams a file in chunks: the same model as reading it whole, a bar
per pass, and an interrupted fit leaves no model file."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix.cli.app import cli  # noqa: E402
from gaussmix.cli.stream import PassProgress  # noqa: E402
from gaussmix.io.file_source import FileSource  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("stream")
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-3, 1, (1500, 2)), rng.normal(3, 1, (1500, 2))])
    pd.DataFrame(X, columns=["u", "v"]).to_parquet(d / "x.parquet", row_group_size=500)
    return d


def test_streamed_fit_is_the_in_memory_fit(folder):
    runner = CliRunner()
    for flag, out in (("--stream", "s.json"), ("--no-stream", "m.json")):
        res = runner.invoke(cli, ["fit", str(folder / "x.parquet"), "-k", "2", flag, "-o",
                                  str(folder / out)])
        assert res.exit_code == 0, res.output
    assert "streaming" in runner.invoke(cli, ["fit", str(folder / "x.parquet"), "-k", "2",
                                              "--stream"]).output
    streamed, whole = gaussmix.load(folder / "s.json"), gaussmix.load(folder / "m.json")
    # 3000 rows: the streamed start's sample is all rows, so the same fit
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_allclose(getattr(streamed, name), getattr(whole, name),
                                   rtol=1e-10, err_msg=name)
    assert list(streamed.feature_names_in_) == ["u", "v"]


def test_a_bar_per_pass(folder):
    bars = []

    class Bar:
        def __init__(self, total, desc, **kw):
            self.total, self.desc, self.n = total, desc, 0
            bars.append(self)

        def update(self, n):
            self.n += n

        def close(self):
            pass

    source = PassProgress(FileSource(folder / "x.parquet"), Bar)
    from gaussmix import GaussianMixture

    gm = GaussianMixture(2, init_params="kmeans", random_state=0, chunk_size=700).fit(source)
    # the covariance pass, the sample's pass, one per E-step of the one EM run
    assert len(bars) == 2 + len(gm.lower_bounds_)
    assert [b.desc for b in bars[:3]] == ["pass 1", "pass 2", "pass 3"]
    assert all(b.n == b.total == 3000 for b in bars)


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="POSIX signals")
def test_an_interrupted_streamed_fit_leaves_no_model_file(tmp_path):
    rng = np.random.default_rng(1)
    np.save(tmp_path / "big.npy", rng.normal(size=(400_000, 5)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "gaussmix", "fit", "big.npy", "-k", "8", "--stream",
         "--tol", "0", "--max-iter", "1000", "-o", "model.json"],
        cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, env=_env())
    deadline = time.monotonic() + 60
    while "streaming" not in _peek(proc) and time.monotonic() < deadline \
            and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(1.0)  # in the middle of EM's passes
    assert proc.poll() is None, proc.stderr.read()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.returncode == 128 + signal.SIGINT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.npy"]


def _env():
    """This process's environment, with the gaussmix being tested first on the path."""
    env = dict(os.environ)
    here = str(Path(gaussmix.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([here, env.get("PYTHONPATH", "")])
    return env


def _peek(proc):
    """What the process wrote on stderr so far (its first line, the note)."""
    if not hasattr(proc, "_seen"):
        proc._seen = ""
    import select

    while select.select([proc.stderr], [], [], 0)[0]:
        line = proc.stderr.readline()
        if not line:
            break
        proc._seen += line
    return proc._seen
