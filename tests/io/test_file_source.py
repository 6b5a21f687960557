"""FileSource and memmap inputs: every bad file or value gets a clear error naming the
file and the row."""

import numpy as np
import pandas as pd
import pytest

import gaussmix
from gaussmix import FileSource, GaussianMixture
from gaussmix.io.errors import DataError


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.normal(size=(50, 2)), columns=["a", "b"])


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.parquet"):
        FileSource(tmp_path / "nothere.parquet")


def test_unknown_extension_says_which_formats(tmp_path):
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(DataError, match="CSV.*Parquet"):
        FileSource(tmp_path / "x.json")


@pytest.mark.parametrize("ext", ["parquet", "csv"])
def test_missing_column_names_the_file_and_the_column(tmp_path, frame, ext):
    path = tmp_path / f"x.{ext}"
    frame.to_parquet(path) if ext == "parquet" else frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"column 'zz' is not in .*x\." + ext + ".*a, b"):
        FileSource(path, columns=["a", "zz"])


def test_truncated_parquet_is_named(tmp_path, frame):
    path = tmp_path / "x.parquet"
    frame.to_parquet(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="x.parquet.*truncated"):
        FileSource(path)


def test_truncated_npy_is_named(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.ones((1000, 3)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="x.npy.*truncated"):
        FileSource(path)


def test_csv_bad_row_names_the_file_and_line(tmp_path):
    path = tmp_path / "x.csv"
    rows = ["a,b"] + [f"{i},{i + 1}" for i in range(20)] + ["1,2,3"] + ["4,5"] * 5
    path.write_text("\n".join(rows) + "\n")
    source = FileSource(path)
    with pytest.raises(DataError, match=r"x\.csv.*line 22"):
        GaussianMixture(1).fit(source)


def test_csv_text_cell_is_a_type_error_naming_column_and_line(tmp_path):
    path = tmp_path / "x.csv"
    rows = ["a,b"] + [f"{i},{i + 1}" for i in range(20)] + ["7,oops"]
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(TypeError, match=r"non-numeric values \(column 'b' of .*x\.csv.*line "
                                        r"22: 'oops'\); select the numeric columns"):
        GaussianMixture(1).fit(FileSource(path))


def test_parquet_text_column_is_the_in_memory_type_error(tmp_path, frame):
    frame["name"] = "text"
    path = tmp_path / "x.parquet"
    frame.to_parquet(path)
    with pytest.raises(TypeError, match="non-numeric values.*'name'.*select the numeric"):
        FileSource(path)
    with pytest.raises(ValueError, match="non-numeric values.*select the numeric"):
        GaussianMixture(1).fit(frame)  # the same words in memory (there a ValueError,
    with pytest.raises(ValueError, match="non-numeric values"):  # which this is too)
        FileSource(path)
    assert FileSource(path, columns=["a", "b"]).n_features == 2


@pytest.mark.parametrize("ext", ["parquet", "npy", "memmap"])
def test_nan_names_the_row(tmp_path, frame, ext):
    X = frame.to_numpy().copy()
    X[37, 1] = np.nan
    path = tmp_path / ("x.parquet" if ext == "parquet" else "x.npy")
    if ext == "parquet":
        pd.DataFrame(X, columns=["a", "b"]).to_parquet(path, row_group_size=10)
    else:
        np.save(path, X)
    source = np.load(path, mmap_mode="r") if ext == "memmap" else FileSource(path)
    with pytest.raises(ValueError, match="contains NaN.*in row 38: gaussmix cannot fit"):
        GaussianMixture(1, chunk_size=16).fit(source)


def test_predict_on_a_file_of_another_width(tmp_path, frame):
    gm = GaussianMixture(1).fit(frame.to_numpy())
    np.save(tmp_path / "three.npy", np.ones((5, 3)))
    with pytest.raises(ValueError, match="3 features, but GaussianMixture is expecting 2"):
        gm.predict(FileSource(tmp_path / "three.npy"))


def test_memmap_of_complex_numbers_is_refused(tmp_path):
    np.save(tmp_path / "c.npy", np.ones((5, 2), dtype=complex))
    with pytest.raises(TypeError, match="non-numeric values"):
        GaussianMixture(1).fit(np.load(tmp_path / "c.npy", mmap_mode="r"))


def test_header_applies_to_csv_only(tmp_path):
    np.save(tmp_path / "x.npy", np.ones((5, 2)))
    with pytest.raises(DataError, match="applies to CSV"):
        FileSource(tmp_path / "x.npy", header=True)


@pytest.mark.parametrize("call", [
    lambda src: gaussmix.select(src, range(1, 3), ["VVV"], progress=False),
    lambda src: gaussmix.bootstrap_lrt(src, "VVV", max_components=2, n_boot=3),
    lambda src: gaussmix.two_sample_test(src, src, 1, "VVV", n_permutations=3),
    lambda src: gaussmix.GaussianMixture(2, random_state=0).fit(src).goodness_of_fit(src),
    lambda src: gaussmix.GaussianMixture(2).partial_fit(src),
], ids=["select", "bootstrap_lrt", "two_sample_test", "goodness_of_fit", "partial_fit"])
def test_tools_that_need_rows_in_memory_say_so_for_a_file(tmp_path, call):
    """They failed with "float() argument must be ... not 'FileSource'" or a pandas
    error; now the error names the tool and how to read the rows."""
    path = tmp_path / "x.npy"
    np.save(path, np.random.default_rng(0).normal(size=(60, 2)))
    with pytest.raises(TypeError, match=r"needs the rows in memory.*FileSource.*numpy\.load"):
        call(gaussmix.FileSource(path))
