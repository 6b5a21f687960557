"""Saving and loading: exact round trip, exactly the given path, no pickle."""

import os
import pickle

import numpy as np
import pandas as pd
import pytest

import gaussmix
from gaussmix import GaussianMixture


def test_round_trip(tmp_path, three_blobs, covariance_type):
    X = pd.DataFrame(three_blobs[0], columns=["a", "b"])
    gm = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    path = tmp_path / "model.anything"
    gm.save(path)
    assert sorted(os.listdir(tmp_path)) == ["model.anything"]
    back = gaussmix.load(path)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_", "precisions_"):
        np.testing.assert_array_equal(getattr(back, name), getattr(gm, name))
    assert back.get_params() == gm.get_params()
    assert back.lower_bounds_ == gm.lower_bounds_ and back.converged_ == gm.converged_
    assert list(back.feature_names_in_) == ["a", "b"]
    np.testing.assert_array_equal(back.score_samples(X), gm.score_samples(X))
    np.testing.assert_array_equal(back.sample(10, random_state=1)[0],
                                  gm.sample(10, random_state=1)[0])


def test_float32_model_round_trips_dtype(tmp_path, three_blobs):
    gm = GaussianMixture(2, random_state=0).fit(three_blobs[0].astype(np.float32))
    gm.save(tmp_path / "m.json")
    assert gaussmix.load(tmp_path / "m.json").means_.dtype == np.float32


def test_from_parameters_model_saves(tmp_path):
    gm = GaussianMixture.from_parameters([0.5, 0.5], [[0.0], [1.0]], [1.0, 2.0],
                                         covariance_type="spherical")
    gm.save(str(tmp_path / "p.json"))
    back = gaussmix.load(str(tmp_path / "p.json"))
    np.testing.assert_array_equal(back.covariances_, [1.0, 2.0])


class Boom:
    def __reduce__(self):
        return (os.system, ("touch /tmp/gaussmix-pwned",))


def test_pickle_is_refused_and_not_executed(tmp_path):
    marker = "/tmp/gaussmix-pwned"
    if os.path.exists(marker):
        os.unlink(marker)
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ValueError, match="not a readable gaussmix model file"):
        gaussmix.load(path)
    assert not os.path.exists(marker)


def test_truncated_malformed_and_foreign_files(tmp_path, three_blobs):
    gm = GaussianMixture(2, random_state=0).fit(three_blobs[0])
    good = tmp_path / "good.json"
    gm.save(good)
    text = good.read_text()
    cases = {
        "truncated": text[: len(text) // 2],
        "empty": "",
        "other json": '{"hello": 1}',
        "list": "[1, 2, 3]",
        "newer version": text.replace('"version": 1', '"version": 99'),
        "bad shape": text.replace('"shape": [2, 2]', '"shape": [3, 3]', 1),
        "bad type": text.replace('"covariance_type": "full"', '"covariance_type": "evil"'),
        "missing field": text.replace('"means_"', '"nope_"'),
    }
    for name, content in cases.items():
        p = tmp_path / f"{name}.json"
        p.write_text(content)
        with pytest.raises(ValueError, match="not a readable gaussmix model file"):
            gaussmix.load(p)
    binary = tmp_path / "bin"
    binary.write_bytes(b"\x80\x04\x95\xff\x00")
    with pytest.raises(ValueError, match="not a readable gaussmix model file"):
        gaussmix.load(binary)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gaussmix.load(tmp_path / "missing.json")


def test_save_into_missing_folder_fails_cleanly(tmp_path, three_blobs):
    gm = GaussianMixture(2, random_state=0).fit(three_blobs[0])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gm.save(tmp_path / "no" / "such" / "m.json")
    assert os.listdir(tmp_path) == []
