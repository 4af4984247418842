// Mirror of `sample` in fixtures/generate.py: mulberry32 plus exact IEEE-754 arithmetic, so the
// TypeScript tests rebuild every fixture sample bit for bit without storing it.

export interface SampleSpec {
  seed: number;
  n: number;
  dist: "normal" | "heavy" | "integers" | "rounded" | "constant" | "binary" | "categorical";
  loc?: number;
  scale?: number;
  missing?: number;
  k?: number;
  p?: number;
  power?: number;
  prefix?: string;
}

export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standard(next: () => number): number {
  let s = 0;
  for (let i = 0; i < 6; i++) s += next();
  return (s - 3) * Math.SQRT2;
}

export function generateSample(spec: SampleSpec): (number | string | null)[] {
  const next = mulberry32(spec.seed);
  const loc = spec.loc ?? 0;
  const scale = spec.scale ?? 1;
  const missing = spec.missing ?? 0;
  const out: (number | string | null)[] = [];
  for (let i = 0; i < spec.n; i++) {
    if (missing > 0 && next() < missing) {
      out.push(null);
      continue;
    }
    switch (spec.dist) {
      case "normal":
        out.push(loc + scale * standard(next));
        break;
      case "heavy": {
        const z = standard(next);
        const w = standard(next);
        out.push(loc + scale * (z / (Math.abs(w) + 0.001)));
        break;
      }
      case "integers":
        out.push(Math.floor(next() * (spec.k ?? 2)) + loc);
        break;
      case "rounded":
        out.push(Math.floor((loc + scale * standard(next)) * 10 + 0.5) / 10);
        break;
      case "constant":
        out.push(loc);
        break;
      case "binary":
        out.push(next() < (spec.p ?? 0.5) ? 1 : 0);
        break;
      case "categorical":
        out.push(`${spec.prefix ?? "c"}${Math.floor((spec.k ?? 2) * next() ** (spec.power ?? 1))}`);
        break;
    }
  }
  return out;
}

export function numericSample(spec: SampleSpec): (number | null)[] {
  return generateSample(spec) as (number | null)[];
}

export function finiteSample(spec: SampleSpec): Float64Array {
  return Float64Array.from(
    numericSample(spec).filter((x): x is number => x !== null && Number.isFinite(x)),
  );
}

export function categoricalSample(spec: SampleSpec): (string | null)[] {
  return generateSample(spec) as (string | null)[];
}
