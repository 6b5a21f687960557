"""plot_decision_regions on the Agg backend: what is drawn."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402

from gaussmix import MixtureClassifier  # noqa: E402
from gaussmix.plot import plot_decision_regions  # noqa: E402


@pytest.fixture(scope="module")
def iris2():
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X[["petal length (cm)", "petal width (cm)"]], y.to_numpy()


def test_regions_boundaries_and_misclassified_rows(iris2):
    X, y = iris2
    clf = MixtureClassifier(model_type="EDDA").fit(X, y)
    ax = plot_decision_regions(clf, X, y, Figure().add_subplot(), resolution=60)
    image = ax.get_images()[0].get_array()
    assert image.shape == (60, 60, 4)
    # three regions: as many distinct colours (alpha aside) as classes
    assert len(np.unique(image[..., :3].reshape(-1, 3), axis=0)) == 3
    assert ax.collections  # the boundary contour and the scatters
    wrong = int(np.sum(clf.predict(X) != y))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["0", "1", "2", f"misclassified ({wrong})"]
    assert ax.get_xlabel() == "petal length (cm)" and ax.get_ylabel() == "petal width (cm)"


def test_plain_arrays_and_no_labels(iris2):
    X, y = iris2
    clf = MixtureClassifier(1, covariance_type="VVV").fit(X.to_numpy(), y)
    ax = plot_decision_regions(clf, X.to_numpy(), ax=Figure().add_subplot(), resolution=30)
    assert ax.get_legend() is None and ax.get_xlabel() == "x0"


def test_errors_say_what_to_do(iris2):
    X, y = iris2
    with pytest.raises(ValueError, match="not fitted"):
        plot_decision_regions(MixtureClassifier(), X)
    X4, y4 = load_iris(return_X_y=True)
    clf = MixtureClassifier(1, covariance_type="VVV").fit(X4, y4)
    with pytest.raises(ValueError, match="two"):
        plot_decision_regions(clf, X4, y4)
