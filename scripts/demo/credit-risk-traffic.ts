/**
 * The demo's credit-risk applicants and the model's answers: one generator for the training
 * data (the baseline), the backfilled history and the live traffic, so that drift means only
 * what the drift episode changes.
 */

export type Random = () => number;
export type DemoVersion = "1" | "2";

/** mulberry32: a small seeded generator, so a backfilled minute is the same on every run. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function pick<T>(random: Random, items: readonly T[], weights: readonly number[]): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let index = 0; index < items.length; index += 1) {
    r -= weights[index]!;
    if (r <= 0) return items[index]!;
  }
  return items[items.length - 1]!;
}

/** Version 1 serves as `stable`; version 2 takes about 10% as `canary`. */
export function chooseVersion(random: Random): DemoVersion {
  return random() < 0.1 ? "2" : "1";
}

/**
 * One applicant and the model's answer. `drift` (0..1) is the drift episode's strength: income
 * falls, credit utilisation rises and more applicants are unemployed or contractors.
 */
export function makeApplication(random: Random, drift: number, version: DemoVersion) {
  const normal = () => gaussian(random);
  const age = Math.max(18, Math.round(41 + 12 * normal()));
  const annualIncome = Math.max(8_000, Math.round(Math.exp(10.9 - 0.35 * drift + 0.45 * normal())));
  const loanAmount = Math.round(Math.max(1_000, Math.exp(9.3 + 0.6 * normal())));
  const creditUtilization = Math.min(1, Math.max(0, 0.32 + 0.25 * drift + 0.18 * normal()));
  const openAccounts = Math.max(0, Math.round(5 + 2.5 * normal()));
  const debtToIncome = Math.min(2, (loanAmount * 0.35) / annualIncome + 0.1 * random());
  const employmentType = pick(
    random,
    ["salaried", "self_employed", "contractor", "unemployed"] as const,
    [0.68 - 0.1 * drift, 0.17, 0.11 + 0.05 * drift, 0.04 + 0.05 * drift],
  );
  const region = pick(random, ["north", "south", "east", "west"] as const, [0.3, 0.25, 0.25, 0.2]);
  const logit =
    -2.2 +
    2.4 * creditUtilization +
    1.8 * debtToIncome -
    0.018 * (age - 40) +
    (employmentType === "unemployed" ? 1.1 : 0) +
    (version === "2" ? -0.15 : 0) +
    0.35 * normal();
  const probabilityOfDefault = 1 / (1 + Math.exp(-logit));
  return {
    features: {
      age,
      annual_income: annualIncome,
      loan_amount: loanAmount,
      debt_to_income: Number(debtToIncome.toFixed(4)),
      credit_utilization: Number(creditUtilization.toFixed(4)),
      open_accounts: openAccounts,
      employment_type: employmentType,
      region,
    },
    label: probabilityOfDefault >= 0.5 ? ("default" as const) : ("repay" as const),
    probabilityOfDefault,
    // Confidence of the predicted label.
    score: Number(Math.max(probabilityOfDefault, 1 - probabilityOfDefault).toFixed(5)),
  };
}

/** One served prediction, as the inference service logs it. */
export function makeRecord(random: Random, now: number, drift: number) {
  const version = chooseVersion(random);
  const application = makeApplication(random, drift, version);
  const normal = () => gaussian(random);
  const failed = random() < 0.005;
  return {
    timestamp: new Date(now).toISOString(),
    model: {
      id: "credit-risk",
      version,
      deployment: version === "2" ? ("canary" as const) : ("stable" as const),
    },
    features: application.features,
    prediction: {
      label: application.label,
      score: application.score,
      scores: {
        default: application.probabilityOfDefault,
        repay: 1 - application.probabilityOfDefault,
      },
    },
    segments: {
      region: application.features.region,
      channel: pick(random, ["web", "branch", "partner"] as const, [0.6, 0.25, 0.15]),
    },
    latency_ms: Number((12 + 6 * Math.abs(normal()) + (version === "2" ? 3 : 0)).toFixed(2)),
    status: failed ? ("error" as const) : ("ok" as const),
    ...(failed ? { error_code: "feature_store_timeout" } : {}),
  };
}

export type DemoPrediction = ReturnType<typeof makeRecord>;

/**
 * A version's training data: `count` applicants from the training distribution (no drift) with
 * the version's answers, as flat baseline rows (features, `prediction`, `score`). Seeded by the
 * version, so every run uploads the same rows.
 */
export function makeTrainingRows(version: DemoVersion, count: number) {
  const random = seededRandom(0x7a11_0000 + Number(version));
  return Array.from({ length: count }, () => {
    const application = makeApplication(random, 0, version);
    return { ...application.features, prediction: application.label, score: application.score };
  });
}
