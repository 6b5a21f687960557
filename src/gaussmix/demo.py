"""``python -m gaussmix.demo``: fit Old Faithful and print what was found.

Chooses the number of components and covariance type by BIC, then prints the chosen
mixture's weights, means, log-likelihood and BIC.
"""

from __future__ import annotations

import time

from .datasets import load_faithful
from .mixture import GaussianMixture


def main():
    X = load_faithful(as_frame=True)
    print(f"Old Faithful: {X.shape[0]} eruptions, columns {', '.join(X.columns)}\n")
    print(f"{'K':>2}  {'type':9s}  {'log-likelihood':>14}  {'BIC':>10}")
    best = None
    t0 = time.perf_counter()
    for covariance_type in ("full", "tied", "diag", "spherical"):
        for k in range(1, 7):
            gm = GaussianMixture(k, covariance_type=covariance_type, random_state=0).fit(X)
            bic = gm.bic(X)
            print(f"{k:>2}  {covariance_type:9s}  {gm.score(X) * len(X):14.3f}  {bic:10.3f}")
            if best is None or bic < best[0]:
                best = (bic, gm)
    elapsed = time.perf_counter() - t0
    print(f"\n24 fits in {elapsed:.2f} s. Lowest BIC (scikit-learn's sign; mclust's is the "
          "negative):\n")
    print(best[1].summary(X))


if __name__ == "__main__":
    main()
