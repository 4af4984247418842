import type { NumericBins } from "../src/types";
import type { BinnedCase } from "./binned-fixture";
import { readFixture } from "./fixtures";
import type { SampleSpec } from "./sample-data";

interface MissingExpected {
  nullShareRef: number;
  nullShareCur: number;
  z: number;
  pvalue: number;
}

interface BinaryExpected {
  shareRef: number;
  shareCur: number;
  absDiff: number;
  chi2: number;
  pvalue: number;
}

export interface CommonExpected {
  n: number;
  missing: number;
  distinct: number;
  counts: number[];
  curCounts: number[];
  binned: Omit<BinnedCase, "reference" | "current">;
  missingTest: MissingExpected;
  binary?: BinaryExpected;
}

export interface NumericProfileCase {
  name: string;
  kind: "numeric";
  reference: SampleSpec;
  current: SampleSpec;
  expected: CommonExpected & {
    min: number;
    max: number;
    mean: number;
    std: number;
    bins: NumericBins;
    ks?: { statistic: number; pvalue: number; location: number; sign: 1 | -1; method: string };
    wasserstein?: { w1: number; w1NormStd: number };
  };
}

export interface CategoricalProfileCase {
  name: string;
  kind: "categorical";
  reference: SampleSpec;
  current: SampleSpec;
  expected: CommonExpected & {
    categories: string[];
    hasOther: boolean;
    chi2: { statistic: number; dof: number; pvalue: number; cramersV: number };
    tvd: number;
    linf: number;
    unseen: { categories: string[]; shares: number[]; shareCur: number };
    vanished: string[];
  };
}

export const profileCases = readFixture<{
  cases: (NumericProfileCase | CategoricalProfileCase)[];
}>("profiles.json").cases;
