"""Beyond memory and beyond one machine: out-of-core and Dask fits, and Spark ML.

(a) Out of core: an ``n x 10`` float32 ``.npy`` file (default n = 100,000,000: 4 GB),
    generated into a temporary folder and removed after, fitted through a memmap with
    K = 10, diag and full. Reported: the time to read the file once (the floor of a
    pass: every chunk touched and summed), seconds per EM pass (the E-step's
    statistics over all rows, on the fit's threads) and their ratio, the whole fit's passes and seconds,
    and the peak *anonymous* memory of this process during the fit (``RssAnon`` of
    ``/proc/self/status`` sampled every 10 ms: the file's own pages, which the kernel
    maps in and may drop, are not counted), against 1 GB.
(b) Dask: a ``LocalCluster`` of 2 worker processes (loopback) against in memory on
    1,000,000 x 10, K = 10 (full): seconds per EM iteration from the same start, and
    the overhead per iteration.
(c) Spark ML's ``GaussianMixture`` in local mode on the same data (when ``pyspark``
    and Java are installed; the benchmark says so and skips otherwise): seconds per
    iteration side by side.

Run: ``python benchmarks/scale.py`` (``make bench-scale``); ``--rows 10000000`` for a
smaller file, ``--skip npy,dask,spark`` to leave parts out. Times are this machine's;
nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from gaussmix import GaussianMixture
from gaussmix.engine import ChunkMap, collect
from gaussmix.engine.sources import chunk_size_for
from gaussmix.io.row_source import ArrayRows
from gaussmix.utils.parallel import resolve_n_jobs

D, K = 10, 10


class AnonPeak:
    """Peak ``RssAnon`` (bytes) of this process while the context runs."""

    def __enter__(self):
        self.peak, self._stop = _rss_anon(), threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_anon())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_anon())


def _rss_anon():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


def write_npy(path, n, seed=0, block=2_000_000):
    """An n x 10 float32 file of K = 10 well separated clusters, written in blocks."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=6.0, size=(K, D)).astype(np.float32)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, D))
    for a in range(0, n, block):
        b = min(n, a + block)
        labels = rng.integers(K, size=b - a)
        out[a:b] = centres[labels] + rng.standard_normal((b - a, D), dtype=np.float32)
    out.flush()
    del out


def read_once(mm):
    """Seconds to read every chunk of the memmap once (and sum it: the floor)."""
    chunk = chunk_size_for(mm.shape[0], K, D, mm.dtype.itemsize)
    t = time.perf_counter()
    total = 0.0
    for a in range(0, mm.shape[0], chunk):
        total += float(np.asarray(mm[a:a + chunk]).sum(dtype=np.float64))
    return time.perf_counter() - t


def bench_npy(n, max_iter):
    folder = tempfile.mkdtemp(prefix="gaussmix-scale-")
    try:
        path = os.path.join(folder, "big.npy")
        t = time.perf_counter()
        write_npy(path, n)
        size = os.path.getsize(path)
        print(f"(a) out of core: {n:,} x {D} float32 ({size / 2**30:.2f} GiB) written in "
              f"{time.perf_counter() - t:.1f} s to {folder}")
        mm = np.load(path, mmap_mode="r")
        floor = read_once(mm)
        print(f"    read the file once: {floor:.2f} s")
        print(f"    {'type':>5} {'s/pass':>8} {'x read':>7} {'passes':>6} {'fit s':>8} "
              f"{'peak anon':>10}  ok (< 1 GB)")
        for ctype in ("diag", "full"):
            _fit_row(mm, ctype, max_iter, floor)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"    removed {folder}")


def _fit_row(mm, ctype, max_iter, floor):
    gm = GaussianMixture(K, covariance_type=ctype, max_iter=max_iter, random_state=0)
    with AnonPeak() as mem, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t = time.perf_counter()
        gm.fit(mm)
        fit_s = time.perf_counter() - t
        per_pass = _one_pass(mm, gm)
    passes = 2 + len(gm.lower_bounds_)  # covariance, sample, E-steps
    print(f"    {ctype:>5} {per_pass:8.2f} {per_pass / floor:7.1f} {passes:6d} {fit_s:8.1f} "
          f"{mem.peak / 2**20:8.0f} MB  {mem.peak < 2**30}")


def _one_pass(mm, gm):
    """Seconds of one EM pass: the E-step's statistics over every row, on the fit's
    threads (the M-step after it takes microseconds)."""
    with ChunkMap(resolve_n_jobs(gm.n_jobs)) as chunk_map:
        t = time.perf_counter()
        collect(ArrayRows(mm), gm._get_params(), chunk_map=chunk_map)
        return time.perf_counter() - t


def _data(n=1_000_000, seed=1):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=6.0, size=(K, D))
    return centres[rng.integers(K, size=n)] + rng.normal(size=(n, D))


def _start(X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = GaussianMixture(K, max_iter=1, random_state=0).fit(X[:50_000])
    return dict(weights_init=gm.weights_, means_init=gm.means_,
                precisions_init=gm.precisions_)


def _per_iteration(X, start, iters):
    """Seconds per EM iteration from ``start`` (a fit of ``iters`` iterations less
    one of 1, so that the passes before EM cancel)."""
    times = {}
    for m in (1, iters):
        gm = GaussianMixture(K, tol=0.0, max_iter=m, **start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t = time.perf_counter()
            gm.fit(X)
            times[m] = time.perf_counter() - t
    return (times[iters] - times[1]) / (iters - 1), gm


def bench_dask(iters):
    try:
        import dask.array as da
        from distributed import Client, LocalCluster, wait
    except ImportError:
        print("(b) Dask: not installed (pip install 'gaussmix[dask]'); skipped")
        return
    X = _data()
    start = _start(X)
    mem_s, ref = _per_iteration(X, start, iters)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster):
        Xd = da.from_array(X, chunks=(125_000, D)).persist()
        wait(Xd)
        dask_s, got = _per_iteration(Xd, start, iters)
    rel = abs(got.lower_bound_ - ref.lower_bound_) / abs(ref.lower_bound_)
    print(f"(b) Dask LocalCluster (2 worker processes, 8 blocks) vs in memory, 1,000,000 x "
          f"{D}, K = {K}, full: {dask_s:.3f} vs {mem_s:.3f} s/iteration (x{dask_s / mem_s:.2f},"
          f" overhead {dask_s - mem_s:+.3f} s); log-likelihoods agree to {rel:.1e}")


def bench_spark(iters):
    try:
        from pyspark.ml.clustering import GaussianMixture as SparkGM
        from pyspark.ml.linalg import Vectors
        from pyspark.sql import SparkSession
    except ImportError:
        print("(c) Spark ML: pyspark is not installed (pip install pyspark); skipped")
        return
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        print("(c) Spark ML: Java is not installed; skipped")
        return
    X = _data()
    mem_s, _ = _per_iteration(X, _start(X), iters)
    spark = (SparkSession.builder.master("local[2]").appName("gaussmix-bench")
             .config("spark.driver.memory", "4g").config("spark.ui.enabled", "false")
             .getOrCreate())
    try:
        frame = spark.createDataFrame([(Vectors.dense(r),) for r in X], ["features"]).cache()
        frame.count()
        times = {}
        for m in (1, iters):
            t = time.perf_counter()
            SparkGM(k=K, maxIter=m, tol=0.0, seed=0).fit(frame)
            times[m] = time.perf_counter() - t
        spark_s = (times[iters] - times[1]) / (iters - 1)
    finally:
        spark.stop()
    print(f"(c) Spark ML GaussianMixture (local[2]) vs gaussmix in memory, 1,000,000 x {D}, "
          f"K = {K}, full: {spark_s:.3f} vs {mem_s:.3f} s/iteration (Spark x"
          f"{spark_s / mem_s:.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--max-iter", type=int, default=3,
                        help="EM iterations of the out-of-core fits")
    parser.add_argument("--iters", type=int, default=6,
                        help="EM iterations timed in (b) and (c)")
    parser.add_argument("--skip", default="", help="comma-separated: npy,dask,spark")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if "npy" not in skip:
        bench_npy(args.rows, args.max_iter)
    if "dask" not in skip:
        bench_dask(args.iters)
    if "spark" not in skip:
        bench_spark(args.iters)


if __name__ == "__main__":
    main()
