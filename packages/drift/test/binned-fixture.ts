import { readFixture } from "./fixtures";

export interface BinnedCase {
  reference: number[];
  current: number[];
  psi: number;
  psiEpsFloor: number;
  jsDistance: number;
  jsDivergence: number;
  hellinger: number;
  chi2: { statistic: number; dof: number; pvalue: number };
  tvd: number;
  linf: number;
}

export const binnedFixture = readFixture<{
  cases: BinnedCase[];
  benjaminiHochberg: { pvalues: number[]; adjusted: number[] }[];
}>("binned.json");
