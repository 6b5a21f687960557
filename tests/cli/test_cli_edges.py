"""Edges of the command line, each from a reproduced report: special data files,
quadratic ``-k`` ranges, read-only and linked outputs, pandas' numeric header, seeds,
huge ``sample -n`` and complex data. Cases about the CLI run it as a subprocess
(``python -m gaussmix``): exit code, one line on stderr, no traceback, no stray
``.gaussmix-*`` file, an existing target intact."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix.cli import cli  # noqa: E402
from gaussmix.cli.options import KRange  # noqa: E402

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("edges")
    rng = np.random.default_rng(0)
    pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"]).to_csv(d / "d200.csv",
                                                                       index=False)
    pd.DataFrame(rng.normal(size=(300, 3))).to_csv(d / "pandas.csv", index=False)  # 0,1,2
    model = d / "m.json"
    gaussmix.GaussianMixture(2, random_state=0).fit(gaussmix.load_faithful(as_frame=True)) \
        .save(model)
    return {"dir": d, "d200": d / "d200.csv", "pandas": d / "pandas.csv", "model": model}


def gm(*args, cwd, timeout=60, max_memory=None):
    """``python -m gaussmix ARGS`` in ``cwd``, stdin closed (``max_memory``: a limit on
    its address space in bytes, so that a regression cannot exhaust the machine)."""
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))

    return subprocess.run([sys.executable, "-m", "gaussmix", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, preexec_fn=limit if max_memory else None)


def one_line(r, code):
    """Exit ``code``, one line on stderr starting with gaussmix, no traceback."""
    assert r.returncode == code, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0].startswith("gaussmix")
    return lines[0]


def stray(folder):
    return [p.name for p in Path(folder).iterdir() if p.name.startswith(".gaussmix-")]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ---------------------------------------------------------------------- 4: special data files
@needs_posix
def test_a_link_to_dev_zero_as_data_is_refused_at_once(tmp_path):
    (tmp_path / "z.csv").symlink_to("/dev/zero")
    r = gm("fit", "z.csv", "-k", 2, "-o", "m.json", cwd=tmp_path, timeout=30,
           max_memory=4 << 30)
    line = one_line(r, 1)
    assert "'z.csv' is a character device" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z.csv"]


@needs_posix
def test_a_fifo_as_data_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "f.csv")
    line = one_line(gm("select", "f.csv", "-k", "1-2", cwd=tmp_path, timeout=30), 1)
    assert "'f.csv' is a named pipe (FIFO)" in line


# ---------------------------------------------------------------------- 7: -k ranges
def test_k_ranges_keep_order_and_drop_repeats():
    assert KRange().convert("5,1-3,2,5, 7 - 8", None, None).values() == [5, 1, 2, 3, 7, 8]


def test_a_huge_k_range_fails_the_row_check_at_once(files):
    for spec in ("1-100000", "1-1000000000000"):
        # a trillion values could never be listed: the row check must come first
        r = run("select", files["d200"], "-k", spec)
        assert r.exit_code == 1 and "has only 200 row(s)" in r.stderr, r.stderr


def test_a_huge_k_range_as_a_subprocess(files):
    line = one_line(gm("select", files["d200"], "-k", "1-100000", cwd=files["dir"]), 1)
    assert "-k goes up to 100000" in line and "use -k 1-200" in line


# ---------------------------------------------------------------------- 9: outputs
def test_a_read_only_output_is_refused_as_a_subprocess(files, tmp_path):
    out = tmp_path / "s.csv"
    out.write_text("keep\n")
    out.chmod(0o444)
    line = one_line(gm("sample", files["model"], "-n", 5, "-o", out, cwd=tmp_path), 1)
    assert f"'{out}': it is read-only" in line and "--force" in line
    assert out.read_text() == "keep\n" and stat.S_IMODE(out.stat().st_mode) == 0o444
    assert stray(tmp_path) == []


WRITERS = [
    (["fit", "{d200}", "-k", "2", "-o", "{out}"], "m.json"),
    (["score", "{model}", "{d200}", "--columns", "a,b", "-o", "{out}"], "s.csv"),
    (["sample", "{model}", "-n", "5", "-o", "{out}"], "s.csv"),
    (["select", "{d200}", "-k", "1-2", "-t", "full", "-o", "{out}"], "t.csv"),
    (["select", "{d200}", "-k", "1-2", "-t", "full", "--save-best", "{out}"], "b.json"),
    (["plot", "{model}", "{d200}", "--columns", "a,b", "-o", "{out}"], "p.png"),
    (["report", "{d200}", "-k", "1-2", "-t", "spherical", "-o", "{out}"], "r.html"),
]


@pytest.mark.parametrize("args, name", WRITERS, ids=[f"{w[0][0]}-{w[1]}" for w in WRITERS])
def test_every_writer_refuses_read_only_and_force_replaces(files, tmp_path, args, name):
    out = tmp_path / name
    out.write_text("keep\n")
    out.chmod(0o444)
    args = [a.format(out=out, **files) for a in args]
    r = run(*args)
    assert r.exit_code == 1 and "read-only" in r.stderr and out.read_text() == "keep\n"
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""   # before any work
    r = run(*args, "--force", "--quiet")
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes() != b"keep\n" and stat.S_IMODE(out.stat().st_mode) == 0o444
    assert stray(tmp_path) == []
    out.chmod(0o644)


def test_a_linked_output_is_written_through(files, tmp_path):
    (tmp_path / "runs").mkdir()
    target = tmp_path / "runs" / "one.csv"
    target.write_text("old\n")
    (tmp_path / "latest.csv").symlink_to(Path("runs") / "one.csv")
    r = run("sample", files["model"], "-n", 4, "--seed", 1, "-o", tmp_path / "latest.csv")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "latest.csv").is_symlink()
    assert len(pd.read_csv(target)) == 4
    assert stray(tmp_path) == [] and stray(tmp_path / "runs") == []


def test_an_unwritable_folder_is_found_before_em(files, tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, **kw: False if os.fspath(p) == str(tmp_path)
                        else real_access(p, m, **kw))

    def no_fit(*args, **kwargs):
        raise AssertionError("EM ran before the output folder was checked")

    monkeypatch.setattr(gaussmix.GaussianMixture, "fit", no_fit)
    r = run("fit", files["d200"], "-k", 2, "-o", tmp_path / "m.json")
    assert r.exit_code == 1, r.stderr
    line = r.stderr.strip()
    assert "m.json" in line and "not writable" in line and ".gaussmix-" not in line


def test_a_permission_error_names_the_target(files, tmp_path, monkeypatch):
    real_open = os.open

    def refuse_hidden(path, *args, **kwargs):
        if ".gaussmix-" in os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_hidden)
    r = run("sample", files["model"], "-n", 3, "-o", tmp_path / "s.csv")
    assert r.exit_code == 1
    assert "s.csv" in r.stderr and ".gaussmix-" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------- 10: pandas' header
def test_pandas_integer_header_round_trips(files, tmp_path):
    r = gm("fit", files["pandas"], "-k", 2, "-o", "m.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "on 300 rows" in r.stdout
    assert "gaussmix: note: read the first row" in r.stderr and "--no-header" in r.stderr
    r = gm("score", "m.json", files["pandas"], "--quiet", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    assert len(pd.read_csv(io.StringIO(r.stdout))) == 300


def test_no_header_and_header_override_the_rule(files, tmp_path):
    r = run("fit", files["pandas"], "-k", 2, "--no-header")
    assert r.exit_code == 0 and "on 301 rows" in r.stdout and "note" not in r.stderr
    (tmp_path / "ints.csv").write_text("1,2\n3,5\n4,4\n6,1\n")
    r = run("fit", tmp_path / "ints.csv", "-k", 1)
    assert r.exit_code == 0 and "on 4 rows" in r.stdout and "as data" in r.stderr
    r = run("fit", tmp_path / "ints.csv", "-k", 1, "--header", "-q")
    assert r.exit_code == 0 and "on 3 rows" in r.stdout and r.stderr == ""


def test_header_options_with_npy_are_a_usage_error(tmp_path):
    np.save(tmp_path / "d.npy", np.random.default_rng(0).normal(size=(20, 2)))
    r = run("fit", tmp_path / "d.npy", "-k", 1, "--no-header")
    assert r.exit_code == 2 and "applies to CSV" in r.stderr


# ---------------------------------------------------------------------- 14: exit codes, edges
def test_a_negative_seed_is_a_usage_error(files, tmp_path):
    line = one_line(gm("fit", files["d200"], "-k", 2, "--seed", -1, cwd=tmp_path), 2)
    assert "--seed" in line and "-1" in line
    for args in (["sample", files["model"], "-n", 2], ["select", files["d200"], "-k", 1],
                 ["plot", files["model"], files["d200"], "-o", tmp_path / "p.png"],
                 ["report", files["d200"], "-o", tmp_path / "r.html"]):
        r = run(*args, "--seed", -1)
        assert r.exit_code == 2 and "--seed" in r.stderr, (args, r.stderr)
    r = run("sample", files["model"], "-n", 2, "--seed", 2**32)
    assert r.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sample_refuses_more_rows_than_memory_up_front(files, tmp_path):
    line = one_line(gm("sample", files["model"], "-n", 10**12, "-o", "s.csv", cwd=tmp_path), 2)
    assert "24000000000000 bytes" in line and "-n" in line
    assert list(tmp_path.iterdir()) == []


def test_running_out_of_memory_is_a_data_error_not_a_bug(files, monkeypatch):
    def no_memory(self, *args, **kwargs):
        raise MemoryError("Unable to allocate 8.00 GiB")

    monkeypatch.setattr(gaussmix.GaussianMixture, "sample", no_memory)
    r = run("sample", files["model"], "-n", 5)
    assert r.exit_code == 1 and "out of memory" in r.stderr and "bug" not in r.stderr


def test_complex_npy_is_refused(tmp_path):
    np.save(tmp_path / "c.npy", np.ones((10, 2)) * (1 + 1j))
    r = run("fit", tmp_path / "c.npy", "-k", 1)
    assert r.exit_code == 1 and "complex" in r.stderr and "warning" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
