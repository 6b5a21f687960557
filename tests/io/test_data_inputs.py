"""Data files as input: regular files only, read up to their size; the header rule;
complex data refused (:mod:`gaussmix.io.tables`, :mod:`gaussmix.io.inputs`)."""

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest

from gaussmix.io.errors import DataError, MissingFileError
from gaussmix.io.inputs import open_regular
from gaussmix.io.tables import HeaderGuessWarning, header_rule, read_frame, read_table

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


def read_in_subprocess(path, timeout=30):
    """read_table(path) in a child process with a time and memory limit, so that a
    regression (a FIFO blocking, /dev/zero growing) fails the test instead of hanging."""
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
        from gaussmix.io.tables import read_table
        try:
            read_table({os.fspath(path)!r})
        except Exception as exc:
            print(type(exc).__name__ + ": " + str(exc))
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------------- special files
@needs_posix
def test_a_link_to_dev_zero_is_refused_at_once(tmp_path):
    (tmp_path / "z.csv").symlink_to("/dev/zero")
    r = read_in_subprocess(tmp_path / "z.csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("DataError:") and "character device" in r.stdout, r.stdout


@needs_posix
def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "f.csv")
    r = read_in_subprocess(tmp_path / "f.csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("DataError:") and "named pipe" in r.stdout, r.stdout


def test_a_folder_and_a_missing_file(tmp_path):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(DataError, match="is a folder"):
        read_table(tmp_path / "d.csv")
    with pytest.raises(MissingFileError, match="does not exist") as info:
        read_table(tmp_path / "missing.csv")
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, DataError)


def test_the_reader_stops_at_the_size_the_file_had_when_opened(tmp_path):
    path = tmp_path / "grows.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with open_regular(path, "data file") as fh:
        with open(path, "ab") as more:
            more.write(b"3,4\n" * 1000)
        assert fh.read() == b"a,b\n1,2\n"
        fh.seek(-4, os.SEEK_END)
        assert fh.read() == b"1,2\n"


def test_parquet_and_npy_through_the_bounded_reader(tmp_path):
    X = np.arange(12.0).reshape(6, 2)
    pd.DataFrame(X, columns=["a", "b"]).to_parquet(tmp_path / "d.parquet")
    np.save(tmp_path / "d.npy", X)
    for name, names in (("d.parquet", ["a", "b"]), ("d.npy", ["x0", "x1"])):
        got, got_names, _ = read_table(tmp_path / name)
        np.testing.assert_array_equal(got, X)
        assert got_names == names


# ---------------------------------------------------------------------- header rule
def test_pandas_default_header_round_trips(tmp_path):
    X = np.random.default_rng(0).normal(size=(300, 3))
    pd.DataFrame(X).to_csv(tmp_path / "d.csv", index=False)   # header 0,1,2
    with pytest.warns(HeaderGuessWarning, match="as column names"):
        got, names, has_names = read_table(tmp_path / "d.csv")
    assert got.shape == (300, 3) and names == ["0", "1", "2"] and has_names
    np.testing.assert_allclose(got, X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_table(tmp_path / "d.csv", header=False)[0].shape == (301, 3)
        assert read_table(tmp_path / "d.csv", header=True)[0].shape == (300, 3)


@pytest.mark.parametrize("first, header, guessed", [
    (["eruptions", "waiting"], True, False),
    (["0", "1", "2"], True, True),
    ([" 0", "1 "], True, True),
    (["1", "2", "3"], False, True),
    (["0", "2"], False, True),
    (["3.6", "79"], False, False),
    (["0.0", "1.0"], False, False),
    (["1e3", "2"], False, False),
    (["a", "1"], True, False),
])
def test_header_rule(first, header, guessed):
    assert header_rule(first) == (header, guessed)


def test_numbers_with_fractions_are_data_without_a_note(tmp_path):
    np.savetxt(tmp_path / "d.csv", np.arange(10.0).reshape(5, 2) + 0.5, delimiter=",")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X, names, has_names = read_table(tmp_path / "d.csv")
    assert X.shape == (5, 2) and names == ["x0", "x1"] and not has_names


def test_whole_numbers_are_data_with_a_note(tmp_path):
    (tmp_path / "d.tsv").write_text("3\t1\n4\t1\n5\t9\n")
    with pytest.warns(HeaderGuessWarning, match="as data"):
        X, _, has_names = read_table(tmp_path / "d.tsv")
    assert X.shape == (3, 2) and not has_names
    assert read_table(tmp_path / "d.tsv", header=True)[1] == ["3", "1"]


def test_on_guess_replaces_the_warning(tmp_path):
    (tmp_path / "d.csv").write_text("0,1\n5,6\n")
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame, has_names = read_frame(tmp_path / "d.csv", on_guess=lambda *a: seen.append(a))
    assert seen == [(True, ["0", "1"])] and has_names and frame.shape == (1, 2)


def test_header_choice_is_for_csv_only(tmp_path):
    np.save(tmp_path / "d.npy", np.ones((3, 2)))
    with pytest.raises(DataError, match="applies to CSV"):
        read_table(tmp_path / "d.npy", header=True)


# ---------------------------------------------------------------------- complex data
def test_complex_npy_is_refused(tmp_path):
    np.save(tmp_path / "c.npy", np.ones((4, 2)) * (1 + 2j))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # no ComplexWarning either
        with pytest.raises(DataError, match="complex"):
            read_table(tmp_path / "c.npy")


def test_complex_column_is_refused(tmp_path):
    from gaussmix.io.tables import select_numeric

    frame = pd.DataFrame({"a": [1.0, 2.0], "z": [1 + 1j, 2 - 1j]})
    with pytest.raises(DataError, match="column 'z' .* complex"):
        select_numeric(frame)
    assert select_numeric(frame, ["a"])[1] == ["a"]
