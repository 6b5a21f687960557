"""``GibbsGaussianMixture``: draws from the posterior of a Gaussian mixture by Gibbs
sampling, on the engine's E-step and statistics (:mod:`.gibbs_sampler`)."""

from __future__ import annotations

import dataclasses
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..covariance import ConjugatePrior, Full, check_covariance_type, get_structure, \
    resolve_prior
from ..engine import MixtureParams, logsumexp_rows, weighted_log_prob
from ..utils.memory import check_fits_in_memory
from ..utils.parallel import resolve_n_jobs
from ..utils.random import as_generator
from ..utils.validation import check_int, check_real, check_X
from .base import BaseMixture, _check_n_samples
from .gaussian import GaussianMixture
from .gibbs_sampler import NIWPrior, NonFiniteDrawError, relabel, run_chain

__all__ = ["GibbsGaussianMixture", "NonFiniteDrawError"]


class GibbsGaussianMixture(BaseMixture):
    """Bayesian Gaussian mixture: posterior draws by Gibbs sampling.

    The model is ``GaussianMixture(prior=...)``'s: each component's mean and
    covariance get the conjugate Normal-inverse-Wishart prior (``mu_k | Sigma_k ~
    N(mu_0, Sigma_k / kappa_0)``, ``Sigma_k ~ IW(Lambda_0, nu_0)``), the weights a
    symmetric ``Dirichlet(weight_concentration)``. Each chain starts from the MAP fit
    (``GaussianMixture(prior=...)``, the posterior mode) and alternates assignments
    ``z_i`` given the parameters with the parameters given the assignments (Murphy
    2007, section 9; see :mod:`gaussmix.mixture.gibbs_sampler` for the formulas).
    Unlike :class:`~gaussmix.BayesianGaussianMixture` (variational, a factorised
    approximation) the draws follow the exact posterior as the chains run long; see
    :doc:`/user_guide/bayesian`.

    Label switching: the posterior is symmetric in the component labels, so every
    kept draw is relabelled by the permutation (``scipy.optimize.
    linear_sum_assignment``) that minimises the summed squared Mahalanobis distances
    ``(mu_j - m_k)^T S_k^-1 (mu_j - m_k)`` of its means to reference means ``m_k`` in
    the reference covariances ``S_k``: first the MAP fit (the same for every chain,
    so chains are labelled alike and ``r_hat`` compares like with like; it needs no
    pilot run), then once more the relabelled draws' posterior means (the first step
    of Stephens' 2000 iterated relabelling). Distances in each reference component's
    own covariance do not depend on the data's units and weigh a mean's offset by how
    far it is from that component in that component's spread.

    Parameters
    ----------
    n_components : int
        Number of components K.
    covariance_type : {"full"}, default="full"
        Only ``"full"`` (mclust's ``"VVV"``) is supported yet.
    prior : "mclust" or ConjugatePrior, default="mclust"
        ``"mclust"``: mclust's default, computed from the data (shrinkage kappa_0 =
        0.01 towards the data's mean, dof d + 2, scale ``var(X) / K^(2/d)``). A
        :class:`~gaussmix.ConjugatePrior` needs ``shrinkage > 0`` (a proper prior on
        the means: an empty component draws from it); its ``weight_concentration``
        is replaced by this estimator's.
    weight_concentration : float, default=1.0
        alpha > 0 of the symmetric Dirichlet prior on the weights.
    n_chains : int, default=2
    n_draws : int, default=500
        Draws kept per chain.
    n_warmup : int, default=500
        Sweeps discarded at the start of each chain.
    thin : int, default=1
        Keep one sweep in ``thin``.
    n_jobs : int or None, default=None
        Threads that run the chains (None: every core, at most ``n_chains``);
        results do not depend on it.
    random_state : int, numpy Generator or None, default=None
        Seeds the MAP fit and, through independent streams, each chain.
    init_params : str, default="auto"
        The MAP fit's ``init_params`` (:class:`~gaussmix.GaussianMixture`).

    Attributes
    ----------
    draws_ : dict of ndarray
        ``"weights"`` (n_chains, n_draws, K), ``"means"`` (n_chains, n_draws, K, d)
        and ``"covariances"`` (n_chains, n_draws, K, d, d), relabelled.
    weights_, means_, covariances_ : ndarray
        Posterior means of the relabelled draws.
    precisions_, precisions_cholesky_ : ndarray
        Of ``covariances_`` (for the plug-in density :meth:`score_samples`).
    prior_ : ConjugatePrior
        The prior of the fit (its ``weight_concentration`` is the estimator's).
    map_ : GaussianMixture
        The MAP fit the chains started from, also the first relabelling reference.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix import GibbsGaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-4, 1, (100, 2)), rng.normal(4, 1, (100, 2))])
    >>> gibbs = GibbsGaussianMixture(n_components=2, n_draws=100, n_warmup=50,
    ...                              random_state=0).fit(X)
    >>> gibbs.draws_["means"].shape
    (2, 100, 2, 2)
    >>> np.round(np.sort(gibbs.means_[:, 0])).tolist()
    [-4.0, 4.0]
    """

    def __init__(self, n_components=1, *, covariance_type="full", prior="mclust",
                 weight_concentration=1.0, n_chains=2, n_draws=500, n_warmup=500,
                 thin=1, n_jobs=None, random_state=None, init_params="auto"):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.prior = prior
        self.weight_concentration = weight_concentration
        self.n_chains = n_chains
        self.n_draws = n_draws
        self.n_warmup = n_warmup
        self.thin = thin
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.init_params = init_params

    # ------------------------------------------------------------------ checks
    def _check_parameters(self):
        check_int(self.n_components, "n_components", low=1)
        check_covariance_type(self.covariance_type)
        if type(get_structure(self.covariance_type)) is not Full:  # not a subclass
            raise ValueError(f"covariance_type={self.covariance_type!r} is not supported "
                             "by GibbsGaussianMixture yet; only 'full' is supported.")
        for name in ("n_chains", "n_draws", "thin"):
            check_int(getattr(self, name), name, low=1)
        check_int(self.n_warmup, "n_warmup", low=0)
        check_real(self.weight_concentration, "weight_concentration", low=0.0, strict=True)
        resolve_n_jobs(self.n_jobs)
        if not (isinstance(self.prior, ConjugatePrior)
                or (isinstance(self.prior, str) and self.prior == "mclust")):
            raise ValueError(f"prior={self.prior!r} is not supported; use 'mclust' "
                             "(mclust's default conjugate prior) or a "
                             "gaussmix.ConjugatePrior with shrinkage > 0.")
        if isinstance(self.prior, ConjugatePrior) and not self.prior.shrinkage > 0:
            raise ValueError("GibbsGaussianMixture needs a proper prior on the means: "
                             f"prior shrinkage={self.prior.shrinkage!r} must be > 0.")

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y=None):
        """Run the chains on ``X`` and store the relabelled draws.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : GibbsGaussianMixture

        Raises
        ------
        NonFiniteDrawError
            A chain produced a non-finite value (the message names chain and draw).
        """
        self._check_parameters()
        X = check_X(self, X, reset=True).astype(np.float64, copy=False)
        structure = get_structure(self.covariance_type)
        prior = resolve_prior(self.prior, X, self.n_components, structure.prior_form)
        prior = dataclasses.replace(prior, weight_concentration=self.weight_concentration)
        self.prior_ = prior
        rng = as_generator(self.random_state)
        seeds = rng.integers(0, 2**63 - 1, size=self.n_chains + 1)
        self.map_ = GaussianMixture(
            self.n_components, covariance_type=self.covariance_type, prior=prior,
            init_params=self.init_params, random_state=int(seeds[0]),
            n_jobs=self.n_jobs).fit(X)
        start = self.map_._get_params().astype(np.float64)
        niw = NIWPrior(prior.shrinkage, prior.mean, prior.dof,
                       structure.prior_scale(prior, X.shape[1], self.n_components),
                       self.weight_concentration)
        self._store(self._run_chains(X, start, niw, seeds[1:]), start)
        return self

    def _run_chains(self, X, start, niw, seeds):
        def one(c):
            return run_chain(X, start, niw, np.random.default_rng(int(seeds[c])),
                             self.n_warmup, self.n_draws, self.thin, c)

        n_threads = min(resolve_n_jobs(self.n_jobs), self.n_chains)
        if n_threads == 1:
            return [one(c) for c in range(self.n_chains)]
        with ThreadPoolExecutor(n_threads) as pool:
            return list(pool.map(one, range(self.n_chains)))

    def _store(self, chains, start):
        C, D = self.n_chains, self.n_draws
        w, m, s = (np.concatenate([c[i] for c in chains]) for i in range(3))
        w, m, s = relabel(w, m, s, start.means, start.covariances)
        K, d = m.shape[1:]
        self.draws_ = {"weights": w.reshape(C, D, K), "means": m.reshape(C, D, K, d),
                       "covariances": s.reshape(C, D, K, d, d)}
        weights = w.mean(axis=0)
        self._set_params(MixtureParams.from_covariances(
            self.covariance_type, weights / weights.sum(), m.mean(axis=0), s.mean(axis=0)))

    # ------------------------------------------------------------------ draws
    def _draw_params(self):
        """Each kept draw's :class:`MixtureParams`, chains one after the other."""
        check_is_fitted(self, "draws_")
        K, d = self.means_.shape
        w = self.draws_["weights"].reshape(-1, K)
        m = self.draws_["means"].reshape(-1, K, d)
        s = self.draws_["covariances"].reshape(-1, K, d, d)
        for i in range(w.shape[0]):
            yield MixtureParams.from_covariances(self.covariance_type, w[i], m[i], s[i])

    def predictive_score_samples(self, X):
        """Log of the posterior predictive density of each row: ``log((1/S) sum_s
        p(x | theta_s))`` over the ``S`` kept draws.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
        """
        X = self._check_X_predict(X).astype(np.float64, copy=False)
        total = np.full(X.shape[0], -np.inf)
        count = 0
        for params in self._draw_params():
            total = np.logaddexp(total, logsumexp_rows(weighted_log_prob(X, params)))
            count += 1
        return total - np.log(count)

    def predict_proba(self, X):
        """Responsibilities averaged over the kept (relabelled) draws.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
        """
        X = self._check_X_predict(X).astype(np.float64, copy=False)
        total = np.zeros((X.shape[0], self.n_components))
        count = 0
        for params in self._draw_params():
            logp = weighted_log_prob(X, params)
            total += np.exp(logp - logsumexp_rows(logp)[:, None])
            count += 1
        return total / count

    def predict(self, X):
        """Most probable component of each row under :meth:`predict_proba`."""
        return self.predict_proba(X).argmax(axis=1)

    def sample(self, n_samples=1, random_state=None):
        """Draw rows from the posterior predictive: for each row a kept draw
        uniformly at random, a component from its weights, then a point.

        Parameters
        ----------
        n_samples : int, default=1
        random_state : int, numpy Generator or None, default=None

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            Component (relabelled) of each row.
        """
        check_is_fitted(self, "draws_")
        _check_n_samples(n_samples)
        rng = as_generator(random_state)
        K, d = self.means_.shape
        check_fits_in_memory(n_samples * (d * d + d + 2) * 8, f"sample({n_samples})",
                             "draw fewer rows, or in batches")
        w = self.draws_["weights"].reshape(-1, K)
        s = rng.integers(w.shape[0], size=n_samples)
        cum = np.cumsum(w[s], axis=1)
        y = np.minimum((cum < rng.random(n_samples)[:, None] * cum[:, -1:]).sum(axis=1),
                       K - 1)
        mu = self.draws_["means"].reshape(-1, K, d)[s, y]
        chol = np.linalg.cholesky(self.draws_["covariances"].reshape(-1, K, d, d)[s, y])
        X = mu + np.matmul(chol, rng.standard_normal((n_samples, d, 1)))[..., 0]
        return X, y

    # ------------------------------------------------------------------ ArviZ
    def to_arviz(self):
        """The draws as what ``arviz.from_dict`` returns for them (an
        ``InferenceData`` in ArviZ 0.x, a ``DataTree`` in 1.x), dimensions
        ``component``, ``feature`` and ``feature_bis``. Needs ArviZ (``pip install
        gaussmix[bayes]``)."""
        check_is_fitted(self, "draws_")
        az = _arviz()
        K, d = self.means_.shape
        posterior = {k: v.copy() for k, v in self.draws_.items()}
        layout = dict(
            coords={"component": np.arange(K), "feature": np.arange(d),
                    "feature_bis": np.arange(d)},
            dims={"weights": ["component"], "means": ["component", "feature"],
                  "covariances": ["component", "feature", "feature_bis"]})
        if _arviz_major(az) >= 1:  # 1.x takes a dict of groups
            return az.from_dict({"posterior": posterior}, **layout)
        return az.from_dict(posterior=posterior, **layout)

    def summary(self):
        """One row per parameter (ArviZ's names, e.g. ``means[0, 1]``): mean, sd, the
        94% highest-density interval (``hdi_3%``, ``hdi_97%`` in ArviZ 0.x;
        ``hdi94_lb``, ``hdi94_ub`` in 1.x), Monte Carlo errors, ``ess_bulk``,
        ``ess_tail`` and ``r_hat``, by ``arviz.summary``.

        Returns
        -------
        pandas.DataFrame
        """
        az = _arviz()
        # 1.x defaults to an 89% equal-tailed interval; the issue asks for 94% HDI
        interval = ({"ci_kind": "hdi", "ci_prob": 0.94} if _arviz_major(az) >= 1
                    else {"hdi_prob": 0.94})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # r_hat of constant entries
            return az.summary(self.to_arviz(), **interval)

    def save(self, path, *, force=False):
        """Not available for Gibbs fits: raises NotImplementedError."""
        raise NotImplementedError("GibbsGaussianMixture cannot be saved yet; pickle it, "
                                  "or save a GaussianMixture.from_parameters of its "
                                  "weights_, means_ and covariances_.")


def _arviz():
    """ArviZ, imported on first use (the ``bayes`` extra)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # 0.23's refactor notice
            import arviz
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("GibbsGaussianMixture.to_arviz and summary need ArviZ: "
                          "pip install 'gaussmix[bayes]' (or 'arviz>=0.17').") from None
    return arviz


def _arviz_major(az):
    """ArviZ's major version: 1.x changed ``from_dict`` and ``summary``."""
    return int(str(az.__version__).split(".")[0])
