/**
 * What the demo shows: its users, its project and model, and the evidence CI and the engineers
 * would have produced for each version. Data only; `seed-demo.ts` and `seed-governance.ts` put it
 * in through the product's own services.
 */
import type { EvaluationInput } from "@plumbline/api/services/registry/evaluations";
import type { FeatureSchema, Role } from "@plumbline/db/schema";
import type { ModelCardInput } from "@plumbline/governance";

/** The demo's sign-ins. These passwords exist only in the demo database. */
export const DEMO_PASSWORD = "plumbline-demo";
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "viewer@plumbline.demo", name: "Vera Viewer", role: "viewer" },
  { email: "engineer@plumbline.demo", name: "Emil Engineer", role: "ml_engineer" },
  { email: "approver@plumbline.demo", name: "Ana Approver", role: "approver" },
  { email: "admin@plumbline.demo", name: "Adam Admin", role: "admin" },
];

export const DEMO_PROJECT_SLUG = "acme-lending";
export const DEMO_MODEL_SLUG = "credit-risk";

/** `position` names the columns of positional payloads (KServe `instances: [[...]]`). */
export const DEMO_FEATURE_SCHEMA: FeatureSchema = {
  age: { type: "numeric", position: 0 },
  annual_income: { type: "numeric", position: 1 },
  loan_amount: { type: "numeric", position: 2 },
  debt_to_income: { type: "numeric", position: 3 },
  credit_utilization: { type: "numeric", position: 4 },
  open_accounts: { type: "numeric", position: 5 },
  employment_type: { type: "categorical", position: 6 },
  region: { type: "categorical", position: 7 },
};

const CI_JOB_URL = "https://ci.acme.example/jobs/demo";

function auc(value: number) {
  return { metric: "auc", value, lower: value - 0.006, upper: value + 0.006, n: 20_000 };
}

function group(
  feature: string,
  name: string,
  truePositives: number,
  falsePositives: number,
  trueNegatives: number,
  falseNegatives: number,
) {
  return { feature, group: name, truePositives, falsePositives, trueNegatives, falseNegatives };
}

/** Each version's training and holdout data, registered before the version itself. */
export const DEMO_DATASETS = [
  {
    datasetName: "loan-applications",
    version: "2025-train",
    digest: `sha256:${"0c".repeat(32)}`,
    uri: "s3://acme-data/loans/2025/train.parquet",
    rowCount: 161_400,
    split: "train",
    role: "train",
    forVersion: "1",
  },
  {
    datasetName: "loan-applications",
    version: "2025-q4-holdout",
    digest: `sha256:${"0d".repeat(32)}`,
    uri: "s3://acme-data/loans/2025-q4/holdout.parquet",
    rowCount: 18_000,
    split: "holdout",
    role: "holdout",
    forVersion: "1",
  },
  {
    datasetName: "loan-applications",
    version: "2026-q1-q3-train",
    digest: `sha256:${"1a".repeat(32)}`,
    uri: "s3://acme-data/loans/2026-q1-q3/train.parquet",
    rowCount: 184_200,
    split: "train",
    role: "train",
    forVersion: "2",
  },
  {
    datasetName: "loan-applications",
    version: "2026-q3-holdout",
    digest: `sha256:${"2b".repeat(32)}`,
    uri: "s3://acme-data/loans/2026-q3/holdout.parquet",
    rowCount: 20_000,
    split: "holdout",
    role: "holdout",
    forVersion: "2",
  },
] as const;

const FAIRNESS_BY_REGION: EvaluationInput = {
  kind: "fairness",
  outcome: "pass",
  ciJobUrl: CI_JOB_URL,
  groups: [
    group("region", "north", 400, 100, 1300, 200),
    group("region", "south", 380, 110, 1290, 220),
    group("region", "west", 150, 45, 520, 85),
  ],
};

export interface DemoVersionSpec {
  version: "1" | "2";
  description: string;
  metrics: Record<string, number>;
  evaluations: EvaluationInput[];
  card: ModelCardInput;
  justification: string;
  /** Approved and deployed to production; otherwise left awaiting approval. */
  promoted: boolean;
}

/**
 * The sections people write. The data and metrics sections are filled from the version's lineage
 * and evaluations when the card is saved (`fillFromEvidence`), as the card editor does.
 */
function card(input: { version: string; date: string; diff: string }): ModelCardInput {
  return {
    modelDetails: {
      name: "Credit risk",
      overview: "Probability that a personal-loan applicant defaults within 12 months.",
      owners: [{ name: "Risk ML team", contact: "risk-ml@acme.example" }],
      version: { name: input.version, date: input.date, diff: input.diff },
      licenses: [{ customText: "Proprietary, internal use only." }],
    },
    modelParameters: { modelArchitecture: "Gradient-boosted trees (LightGBM)" },
    considerations: {
      users: [{ description: "Credit officers reviewing personal-loan applications." }],
      useCases: [
        { description: "Rank applications for manual review; never an automatic denial." },
      ],
      limitations: [{ description: "Not validated for business loans or applicants under 21." }],
      ethicalConsiderations: [
        {
          name: "Regional disparity",
          mitigationStrategy: "Demographic parity ratio by region gated at 0.8 before release.",
        },
      ],
      riskRating: "high",
    },
  };
}

/** Version 1 serves production (through its own promotion); version 2 is the candidate. */
export const DEMO_VERSIONS: readonly DemoVersionSpec[] = [
  {
    version: "1",
    description: "Gradient-boosted trees, trained on 2025 applications.",
    metrics: { auc: 0.812, log_loss: 0.291 },
    evaluations: [
      { kind: "schema_validation", outcome: "pass", ciJobUrl: CI_JOB_URL },
      { kind: "holdout", outcome: "pass", ciJobUrl: CI_JOB_URL, metrics: [auc(0.812)] },
      FAIRNESS_BY_REGION,
    ],
    card: card({
      version: "1",
      date: "2026-01-15",
      diff: "First release.",
    }),
    justification: "First release: holdout AUC 0.812, fairness within policy.",
    promoted: true,
  },
  {
    version: "2",
    description: "Retrained with 2026 Q1-Q3 applications; canary candidate.",
    metrics: { auc: 0.827, log_loss: 0.284 },
    evaluations: [
      { kind: "schema_validation", outcome: "pass", ciJobUrl: CI_JOB_URL },
      { kind: "holdout", outcome: "pass", ciJobUrl: CI_JOB_URL, metrics: [auc(0.827)] },
      FAIRNESS_BY_REGION,
    ],
    card: card({
      version: "2",
      date: "2026-10-01",
      diff: "Retrained on 2026 Q1-Q3 applications.",
    }),
    justification:
      "Retrained on 2026 Q1-Q3 applications: holdout AUC 0.827 vs 0.812, fairness within policy.",
    promoted: false,
  },
];
