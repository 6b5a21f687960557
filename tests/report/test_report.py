"""The HTML report: self-contained, complete, and rendered by a real headless browser."""

import base64
import html
import re
import shutil
import subprocess

import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import gaussmix  # noqa: E402
from gaussmix.report import report  # noqa: E402

SECTIONS = ("data", "selection", "model", "density", "sizes", "outliers", "synthetic")


@pytest.fixture(scope="module")
def faithful():
    return gaussmix.load_faithful(as_frame=True)


@pytest.fixture(scope="module")
def page_and_path(faithful, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "faithful.html"
    page = report(faithful, path, n_components=range(1, 4), covariance_types=("full", "tied"),
                  random_state=0, n_jobs=1, progress=False, n_outliers=5,
                  title="Old Faithful <test>")
    return page, path


def test_written_file_is_the_returned_page(page_and_path):
    page, path = page_and_path
    assert path.read_text(encoding="utf-8") == page
    assert sorted(p.name for p in path.parent.iterdir()) == ["faithful.html"]


def test_every_section_is_there(page_and_path):
    page, _ = page_and_path
    for anchor in SECTIONS:
        assert f"id='{anchor}'" in page
    assert "<title>Old Faithful &lt;test&gt;</title>" in page         # escaped
    assert "lower is better" in page and "opposite sign" in page


def test_self_contained_no_network(page_and_path):
    page, _ = page_and_path
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I)
    assert not re.search(r"@import|url\(|<script|<link|<iframe", page, re.I)
    images = re.findall(r'<img src="data:image/(png|gif);base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) >= 6
    for kind, data in images:
        raw = base64.b64decode(data)
        assert raw[:4] == (b"\x89PNG" if kind == "png" else b"GIF8")
    assert page.count("<img") == len(images)


def test_selection_table_marks_the_best(page_and_path, faithful):
    page, _ = page_and_path
    res = gaussmix.select(faithful, range(1, 4), ("full", "tied"), random_state=0, n_jobs=1,
                          progress=False)
    best = html.unescape(re.search(r"<td class='bestcell'>([^<]+)</td>", page).group(1))
    assert float(best) == pytest.approx(res.table_["bic"].min(), rel=1e-6)
    rows = re.findall(r"<tr class='best'>(.*?)</tr>", page)
    assert len(rows) == 1
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0])
    assert cells[:2] == [res.best_params_["covariance_type"], str(res.best_params_["n_components"])]


def test_least_likely_rows_are_the_lowest_log_densities(page_and_path, faithful):
    page, _ = page_and_path
    res = gaussmix.select(faithful, range(1, 4), ("full", "tied"), random_state=0, n_jobs=1,
                          progress=False)
    logp = res.best_.score_samples(faithful)
    section = page.split("id='outliers'")[1].split("id='synthetic'")[0]
    rows = re.findall(r"<tr class=''><td class='l'>(\d+)</td><td class=''>([^<]+)</td>", section)
    assert [int(r[0]) for r in rows] == list(np.argsort(logp, kind="stable")[:5] + 1)
    np.testing.assert_allclose([float(r[1]) for r in rows], np.sort(logp)[:5], rtol=1e-5)


@pytest.mark.parametrize("d", [1, 3])
def test_other_dimensions(rng, d):
    X = np.vstack([rng.normal(0, 1, (80, d)), rng.normal(5, 1, (60, d))])
    page = report(X, n_components=[1, 2], covariance_types=("diag",), random_state=0,
                  n_jobs=1, progress=False)
    assert page.count("data:image/png") >= 5
    assert "data:image/gif" not in page                       # EM animation is 2-D only
    assert (">x2</th>" in page) == (d == 3) and ">x0</th>" in page


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _chromium(browser, tmp_path, *args):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([browser, *flags, *args], capture_output=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_report_renders_in_a_headless_browser(page_and_path, tmp_path):
    browser = _browser()
    if browser is None:
        reason = ("no headless browser found (install Debian's chromium package: "
                  "apt-get install chromium); the report was not checked in a browser")
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    _, path = page_and_path
    url = path.as_uri()
    dom = _chromium(browser, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    text = dom.stdout.decode("utf-8", errors="replace")
    for heading in ("Data", "Model selection", "Chosen model", "Density", "Component sizes",
                    "Least likely rows", "Synthetic data"):
        assert f">{heading}</h2>" in text
    assert text.count("<img") >= 6

    shot = tmp_path / "shot.png"
    r = _chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=1200,3000",
                  "--hide-scrollbars", url)
    assert r.returncode == 0 and shot.exists(), r.stderr.decode(errors="replace")[-2000:]
    from PIL import Image

    with Image.open(shot) as im:
        rgb = np.asarray(im.convert("RGB")).astype(int)
    assert rgb.shape[:2] == (3000, 1200)
    assert rgb.std() > 20                                       # not a blank page
    # the embedded plots were decoded and painted: many strongly coloured pixels (the
    # selection curves and the yellow best cell; text and tables are grey)
    saturation = rgb.max(axis=2) - rgb.min(axis=2)
    assert (saturation > 80).sum() > 5000


def test_rows_with_gaps_are_a_clear_error_even_with_a_selection_given(faithful):
    """With ``selection=`` fitted by missing="em", the density picture failed with
    matplotlib's "Axis limits cannot be NaN or Inf"."""
    X = np.array(faithful, dtype=float)
    X[3, 0] = np.nan
    chosen = gaussmix.select(X, range(1, 3), ["VVV"], missing="em", progress=False)
    with pytest.raises(ValueError, match="complete, finite rows.*impute"):
        report(X, selection=chosen, progress=False)
