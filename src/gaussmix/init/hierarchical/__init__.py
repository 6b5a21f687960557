"""Model-based hierarchical agglomerative clustering, as R's mclust ``hc()``.

This module reproduces the deterministic initialisation that mclust uses for EM
(Fraley 1998; Scrucca & Raftery 2015): the data are first put through mclust's
``hcUse = "SVD"`` transform and then agglomerated with the classification
likelihood criterion of the ``"VVV"`` model (or Ward's criterion for ``"EII"``).

What mclust computes (read from mclust 6.x ``R/mbahc.R``, ``R/mclust.R`` and
``src/mclust.f``):

SVD transform (``hc(..., use = "SVD")``)
    ``X <- scale(X)`` (centre, divide by the n - 1 standard deviation), drop the
    columns that are not finite afterwards (constant columns), take the thin SVD
    ``X = U D V'`` and use ``Z = X V D^{-1/2}`` (= ``U D^{1/2}``): the principal
    component scores divided by the *square root* of their singular values (a
    half-way house between PCA and whitening; the column sums of squares of ``Z``
    are the singular values).  mclust does not guard zero singular values (it
    would produce infinities); here directions with a singular value below
    ``max(n, d) * eps * d_max`` are dropped.

``hcVVV`` criterion (Fortran ``hcvvv`` / ``vvvtij``)
    With ``alpha = traceW(Z / sqrt(n p)) = tr(W_total) / (n p)`` (floored at machine
    eps) and ``beta = 1``, a cluster with ``n_k`` points, scatter matrix ``W_k``
    (sum of outer products of deviations from its mean) gets the term ::

        n_k * log(beta * (tr W_k + alpha) / n_k)                       if n_k <= p
        n_k * log(det(W_k / n_k) + beta * (tr W_k + alpha) / n_k)      if n_k >  p

    (a singleton's term is ``log(alpha * beta)``; a pair of singletons always uses
    the first form).  The cost of merging clusters i and j is
    ``term(i u j) - term(i) - term(j)`` and the cheapest pair is merged; ties go to
    the last pair in mclust's packed lower-triangle order, with the same slot
    bookkeeping as the Fortran (the merged cluster keeps the smaller slot, the last
    slot is moved into the freed one), so even tie-breaking follows mclust.

``hcEII`` criterion (Fortran ``hceii``)
    Ward's criterion ``n_i n_j / (n_i + n_j) * ||m_i - m_j||^2``.

One-dimensional data
    mclust's ``mclustBIC`` does not use ``hc`` for 1-D data at all: it starts EM
    from :func:`quantile_classes` (its ``qclass``, equal-frequency bins, not
    nested), which is provided here too.  mclust's ``hcV`` is coded with
    ``alpha <- min(alpha, eps)``, i.e. an effective ``alpha`` of machine epsilon,
    which makes the agglomeration grow one cluster point by point; so for 1-D data
    ``hierarchical_partitions`` uses mclust's ``hcE`` (Ward's criterion, which in
    1-D equals ``"EII"``) for both ``"VVV"`` and ``"EII"``.  ``model="V"`` runs a
    faithful ``hcV`` (with that effective ``alpha``) if it is really wanted.

Starting partition and model choice
    mclust's ``mclustBIC`` calls ``hc(data, modelName, use)`` without a
    ``partition`` argument.  ``hc()``'s default ``partition = dupPartition(data)``
    (mclust >= 5.4.8) is never forwarded, because ``hc`` passes on only the
    arguments of ``match.call()``, so ``hcVVV`` starts from singletons even when
    rows are duplicated (the ``alpha`` regularisation keeps the criterion finite);
    this is what is done here.  Partitions with more clusters than distinct rows
    are capped (see :func:`hierarchical_partitions`).  ``mclustBIC`` uses
    ``"EII"`` instead of ``"VVV"`` when ``n <= d``; so does this module.

Validation
    Running mclust's EM (``meVVV`` etc.: M-step from the hard partition, stop at a
    relative log-likelihood change of 1e-5) from these partitions reproduces all
    72 log-likelihoods of ``mclustBIC`` (models VVV, EEE, VVI, VII; G = 1..9) for
    Old Faithful and iris to better than 1e-7 relative, i.e. the partitions are
    mclust's.

Implementation
    All pairwise merge costs are kept in an ``m x m`` array; after each merge only
    the costs between the merged cluster and the others are recomputed,
    vectorised over the other clusters (``W_i + W_j + n_i n_j / (n_i + n_j) d d'``
    with closed-form determinants for ``p <= 3`` and batched LAPACK
    log-determinants otherwise, only where the merged size exceeds ``p``).  Exact
    full-row minima are cached; a merge rescans only the rows whose minimum lay
    in one of the two replaced columns and grew.  The per-merge work is a few
    dozen numpy calls on one-dimensional rows of a column-per-slot statistics
    array (merged statistics in Python floats for small ``p``; columns of freed
    slots dropped every time the number of clusters halves).  From ``p >= 20``
    the scatter matrices are kept as triangular factors (as mclust's ``mclrup``
    does) and, when the merged cluster's scatter is nonsingular, the determinants
    come from the matrix determinant lemma at ``O(p^2 r)`` instead of ``O(p^3)``.
    Every cost is computed by the same floating-point operations in the same
    order whichever code path is taken, so results (ties included) do not depend
    on it.  Typical cost (one core): ~10 ms for Old Faithful (272 x 2), ~7 ms
    for iris (150 x 4), 0.25-0.4 s for n = 2000 with d <= 10.

Starting from groups
    ``hierarchical_partitions(..., max_groups=m)`` first puts the rows into at
    most ``m`` k-means micro-clusters and agglomerates those from their sufficient
    statistics (:mod:`~gaussmix.init.hierarchical.groups`; exact for the groups, as
    mclust's ``hc(partition = ...)``).  The default start of
    :class:`~gaussmix.GaussianMixture` instead agglomerates a random subset of at
    most ``MAX_HC_ROWS`` rows (:mod:`gaussmix.init.sample` says why).
"""


from .partitions import hierarchical_partitions, quantile_classes
from .transform import svd_transform

__all__ = ["hierarchical_partitions", "quantile_classes", "svd_transform"]
