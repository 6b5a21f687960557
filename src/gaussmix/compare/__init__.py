"""Comparing data with mixtures: do two data sets come from the same distribution?

- :func:`two_sample_test`: the likelihood ratio of separate against pooled Gaussian
  mixtures, with a permutation p-value (:mod:`.two_sample`), returning a
  :class:`TwoSampleResult` (:mod:`.two_sample_result`);
- :func:`check_two_samples`: two data sets checked as a pair, over the same columns
  (:mod:`.samples`).

A fitted model against its own data is :meth:`GaussianMixture.goodness_of_fit`; the
distances between two fitted mixtures are in :mod:`gaussmix.density`
(:func:`~gaussmix.density.kl_divergence`, :func:`~gaussmix.density.js_divergence`).
"""

from .samples import TwoSamples, check_two_samples
from .two_sample import two_sample_test
from .two_sample_result import TwoSampleResult

__all__ = ["TwoSampleResult", "TwoSamples", "check_two_samples", "two_sample_test"]
