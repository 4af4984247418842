"""SciPy's side of `pnpm bench:drift`: times ks_2samp on the float64 files run.mjs wrote.

Usage: python3 scipy-baseline.py REFERENCE.bin CURRENT.bin REPEATS
Prints one JSON object: statistic, pvalue, and the per-run times in milliseconds.
"""

import json
import sys
import time

import numpy as np
from scipy import stats

reference = np.fromfile(sys.argv[1], dtype="<f8")
current = np.fromfile(sys.argv[2], dtype="<f8")
repeats = int(sys.argv[3])
times = []
result = None
for _ in range(repeats):
    start = time.perf_counter()
    result = stats.ks_2samp(reference, current)
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"statistic": float(result.statistic), "pvalue": float(result.pvalue), "times": times}))
