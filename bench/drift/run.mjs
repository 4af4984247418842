// `pnpm bench:drift`: @plumbline/drift against SciPy on the same data, same machine, same run.
// Prints times and ratios; the last line is the summary CI and the issue quote:
//   drift: ks_1e6 <ms> ms (<ratio>x scipy), profile_1e6 <ms> ms, counts_100 <ms> ms
// Figures are medians over repeated runs (machines here are noisy). Never a timed assertion.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { buildProfile, compareCounts, compareToProfile, ksTwoSample } from "@plumbline/drift";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const N = 1_000_000;
const REPEATS = 5;

// Deterministic data: mulberry32 uniforms, Irwin-Hall normals; the current window is shifted
// and widened slightly so D and p are non-trivial.
function mulberry32(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normals(seed, n, loc, scale) {
  const next = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 6; k++) s += next();
    out[i] = loc + scale * (s - 3) * Math.SQRT2;
  }
  return out;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn, repeats) {
  const times = [];
  let result;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    result = fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}
const fmt = (ms) => (ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));

const reference = normals(1, N, 0, 1);
const current = normals(2, N, 0.002, 1.003);

// SciPy baseline on the very same values.
const dir = mkdtempSync(join(tmpdir(), "plumbline-bench-drift-"));
let scipy;
try {
  const referencePath = join(dir, "reference.bin");
  const currentPath = join(dir, "current.bin");
  writeFileSync(referencePath, Buffer.from(reference.buffer));
  writeFileSync(currentPath, Buffer.from(current.buffer));
  const output = execFileSync(
    "python3",
    [join(here, "scipy-baseline.py"), referencePath, currentPath, String(REPEATS)],
    { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } },
  );
  scipy = JSON.parse(output);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const scipyMs = median(scipy.times);

// 1. KS on 1e6 vs 1e6, from unsorted input (sorting included), p-value method "auto".
ksTwoSample(reference.subarray(0, 50_000), current.subarray(0, 50_000)); // warm-up
const ks = time(() => ksTwoSample(reference, current), REPEATS);
const ratio = ks.ms / scipyMs;
console.log(
  `ks_2samp 1e6 vs 1e6: ours ${fmt(ks.ms)} ms, scipy ${fmt(scipyMs)} ms, ratio ${ratio.toFixed(2)}x (target <= 0.6x)`,
);
console.log(
  `  D ours ${ks.result.statistic} vs scipy ${scipy.statistic}; p ours ${ks.result.pvalue} vs scipy ${scipy.pvalue}`,
);

// 2. compareToProfile on 1e6 current values. The profile is built once from a 1e6 reference,
//    so it holds a quantile sketch; the default call computes the binned block, KS and W1.
const profile = buildProfile(reference, { kind: "numeric" });
compareToProfile(profile, current.subarray(0, 50_000));
compareToProfile(profile, current.subarray(0, 50_000), { sampleStatistics: false });
const binnedOnly = time(
  () => compareToProfile(profile, current, { sampleStatistics: false }),
  REPEATS,
);
const full = time(() => compareToProfile(profile, current), REPEATS);
console.log(
  `compareToProfile 1e6: binned statistics ${fmt(binnedOnly.ms)} ms (target <= 50 ms), ` +
    `with KS and Wasserstein ${fmt(full.ms)} ms (sorts the window)`,
);

// 3. compareCounts for 100 features from stored counts (what dashboards do from SQL rollups).
const profiles = [];
const countsList = [];
for (let f = 0; f < 100; f++) {
  if (f % 2 === 0) {
    const values = normals(100 + f, 5_000, 0, 1 + f / 100);
    const p = buildProfile(values, { kind: "numeric" });
    profiles.push(p);
    countsList.push(
      compareToProfile(p, normals(300 + f, 5_000, 0.05, 1), { sampleStatistics: false }).binned
        .curCounts,
    );
  } else {
    const next = mulberry32(500 + f);
    const categories = Array.from({ length: 5_000 }, () => `c${Math.floor(30 * next() ** 2)}`);
    const p = buildProfile(categories, { kind: "categorical" });
    profiles.push(p);
    countsList.push(p.counts.map((c, i) => c + (i % 3)));
  }
}
const runCounts = () =>
  profiles.map((p, i) => compareCounts(p, countsList[i], { currentMissing: 3 }));
for (let i = 0; i < 20; i++) runCounts(); // warm-up (JIT)
const counts = time(runCounts, 51);
console.log(`compareCounts for 100 features: ${fmt(counts.ms)} ms in total (target <= 1 ms)`);

console.log(
  `drift: ks_1e6 ${fmt(ks.ms)} ms (${ratio.toFixed(2)}x scipy), profile_1e6 ${fmt(binnedOnly.ms)} ms, counts_100 ${fmt(counts.ms)} ms`,
);
