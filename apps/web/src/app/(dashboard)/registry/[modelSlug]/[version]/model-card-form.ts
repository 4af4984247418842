import type { RouterOutputs } from "@plumbline/api";
import { RISK_TIERS } from "@plumbline/contracts";

/** The card as `modelCards.get` returns it (content parsed, completeness computed). */
export type ModelCardView = NonNullable<RouterOutputs["modelCards"]["get"]>;
export type ModelCardContent = ModelCardView["content"];
export type ModelCardStatus = ModelCardView["status"];
export type RequiredSection = ModelCardView["completeness"]["missing"][number];
export type RiskRating = NonNullable<ModelCardContent["considerations"]["riskRating"]>;

/** A card rates risk on the model's tier scale (one list, in contracts). */
export const RISK_RATINGS = RISK_TIERS satisfies readonly RiskRating[];

/**
 * Every section the completeness rule requires, with the words the page uses for it. A `Record`
 * over the server's union, so a section added there fails the typecheck here until it is named.
 */
export const REQUIRED_SECTION_LABELS: Record<RequiredSection, string> = {
  "modelDetails.name": "Name",
  "modelDetails.overview": "Overview",
  "modelDetails.owners": "Owners",
  "modelDetails.version.name": "Version name",
  "modelDetails.licenses": "Licenses",
  "modelParameters.data": "Data (from lineage)",
  "quantitativeAnalysis.performanceMetrics": "Performance metrics (from evaluations)",
  "considerations.users": "Intended users",
  "considerations.useCases": "Use cases",
  "considerations.limitations": "Limitations",
  "considerations.ethicalConsiderations": "Ethical considerations",
  "considerations.riskRating": "Risk rating",
};

export const REQUIRED_SECTION_COUNT = Object.keys(REQUIRED_SECTION_LABELS).length;

/** Sections the server fills from lineage and evaluations when the card is saved. */
export const EVIDENCE_SECTIONS: readonly RequiredSection[] = [
  "modelParameters.data",
  "quantitativeAnalysis.performanceMetrics",
];

export interface OwnerRow {
  key: number;
  name: string;
  contact: string;
}
export interface LicenseRow {
  key: number;
  kind: "identifier" | "customText";
  value: string;
}
export interface EthicalRow {
  key: number;
  name: string;
  mitigationStrategy: string;
}

/**
 * The authored part of a card as the form edits it: text as typed, lists of descriptions as one
 * item per line, owners, licences and ethical considerations as rows.
 */
export interface ModelCardForm {
  name: string;
  overview: string;
  documentation: string;
  versionName: string;
  versionDate: string;
  versionDiff: string;
  owners: OwnerRow[];
  licenses: LicenseRow[];
  references: string;
  citations: string;
  modelArchitecture: string;
  inputFormat: string;
  outputFormat: string;
  users: string;
  useCases: string;
  limitations: string;
  tradeoffs: string;
  ethicalConsiderations: EthicalRow[];
  riskRating: RiskRating | "";
}

export type FormField = keyof ModelCardForm;

export interface FieldError {
  field: FormField;
  /** The row of a row field (0-based), so the message and the focus can point at it. */
  row?: number;
  message: string;
}

let nextRowKey = 1;
/** A key for a new row: React needs one that survives removing the rows above it. */
export function rowKey(): number {
  nextRowKey += 1;
  return nextRowKey;
}

const lines = (items: readonly string[]) => items.join("\n");

/** The form for a stored card; `fallback` prefills a card that does not exist yet. */
export function toForm(
  content: ModelCardContent | null,
  fallback: { name: string; versionName: string },
): ModelCardForm {
  if (!content) {
    return {
      ...blankForm(),
      name: fallback.name,
      versionName: fallback.versionName,
    };
  }
  const { modelDetails: details, modelParameters: parameters, considerations } = content;
  return {
    name: details.name,
    overview: details.overview,
    documentation: details.documentation,
    versionName: details.version.name,
    versionDate: details.version.date,
    versionDiff: details.version.diff,
    owners: details.owners.map((owner) => ({
      key: rowKey(),
      name: owner.name,
      contact: owner.contact ?? "",
    })),
    licenses: details.licenses.map((licence) =>
      licence.identifier !== undefined
        ? { key: rowKey(), kind: "identifier" as const, value: licence.identifier }
        : { key: rowKey(), kind: "customText" as const, value: licence.customText ?? "" },
    ),
    references: lines(details.references.map((ref) => ref.reference)),
    citations: lines(details.citations.map((citation) => citation.citation)),
    modelArchitecture: parameters.modelArchitecture,
    inputFormat: parameters.inputFormat,
    outputFormat: parameters.outputFormat,
    users: lines(considerations.users.map((item) => item.description)),
    useCases: lines(considerations.useCases.map((item) => item.description)),
    limitations: lines(considerations.limitations.map((item) => item.description)),
    tradeoffs: lines(considerations.tradeoffs.map((item) => item.description)),
    ethicalConsiderations: considerations.ethicalConsiderations.map((item) => ({
      key: rowKey(),
      name: item.name,
      mitigationStrategy: item.mitigationStrategy,
    })),
    riskRating: considerations.riskRating ?? "",
  };
}

function blankForm(): ModelCardForm {
  return {
    name: "",
    overview: "",
    documentation: "",
    versionName: "",
    versionDate: "",
    versionDiff: "",
    owners: [],
    licenses: [],
    references: "",
    citations: "",
    modelArchitecture: "",
    inputFormat: "",
    outputFormat: "",
    users: "",
    useCases: "",
    limitations: "",
    tradeoffs: "",
    ethicalConsiderations: [],
    riskRating: "",
  };
}

/** Row keys only exist for React: two forms are the same when everything else is. */
function sameValue(a: unknown, b: unknown): boolean {
  return (
    JSON.stringify(a, (key, value: unknown) => (key === "key" ? undefined : value)) ===
    JSON.stringify(b, (key, value: unknown) => (key === "key" ? undefined : value))
  );
}

export function changedFields(form: ModelCardForm, initial: ModelCardForm): FormField[] {
  return (Object.keys(form) as FormField[]).filter(
    (field) => !sameValue(form[field], initial[field]),
  );
}

const splitLines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

const isBlank = (...values: string[]) => values.every((value) => value.trim() === "");

/** The form's problems, each naming its field (and row), in the order the form shows them. */
export function validateForm(form: ModelCardForm): FieldError[] {
  const errors: FieldError[] = [];
  form.owners.forEach((owner, row) => {
    if (owner.name.trim() === "" && owner.contact.trim() !== "") {
      errors.push({ field: "owners", row, message: `Owner ${row + 1} needs a name.` });
    }
  });
  form.ethicalConsiderations.forEach((item, row) => {
    if (item.name.trim() === "" && item.mitigationStrategy.trim() !== "") {
      errors.push({
        field: "ethicalConsiderations",
        row,
        message: `Ethical consideration ${row + 1} needs a name: the risk or concern it mitigates.`,
      });
    }
  });
  if (form.versionDate.trim() !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(form.versionDate.trim())) {
    errors.push({ field: "versionDate", message: "Version date: write it as YYYY-MM-DD." });
  }
  return errors;
}

/**
 * The card to save: the stored card with the authored fields the user changed replaced.
 * Untouched fields keep their stored value exactly, so opening and saving the form without a
 * change never changes the card's hash (which would send an approved card back to draft).
 */
export function fromForm(
  form: ModelCardForm,
  initial: ModelCardForm,
  stored: ModelCardContent | null,
): Record<string, unknown> {
  const changed = new Set(changedFields(form, initial));
  const pick = <T>(field: FormField, storedValue: T | undefined, fresh: () => T): T =>
    changed.has(field) || storedValue === undefined ? fresh() : storedValue;
  const details = stored?.modelDetails;
  const parameters = stored?.modelParameters;
  const considerations = stored?.considerations;
  const described = (text: string) => splitLines(text).map((description) => ({ description }));

  return {
    modelDetails: {
      ...details,
      name: pick("name", details?.name, () => form.name.trim()),
      overview: pick("overview", details?.overview, () => form.overview.trim()),
      documentation: pick("documentation", details?.documentation, () => form.documentation.trim()),
      version: {
        name: pick("versionName", details?.version.name, () => form.versionName.trim()),
        date: pick("versionDate", details?.version.date, () => form.versionDate.trim()),
        diff: pick("versionDiff", details?.version.diff, () => form.versionDiff.trim()),
      },
      owners: pick("owners", details?.owners, () =>
        form.owners
          .filter((owner) => !isBlank(owner.name, owner.contact))
          .map((owner) =>
            owner.contact.trim() === ""
              ? { name: owner.name.trim() }
              : { name: owner.name.trim(), contact: owner.contact.trim() },
          ),
      ),
      licenses: pick("licenses", details?.licenses, () =>
        form.licenses
          .filter((licence) => !isBlank(licence.value))
          .map((licence) => ({ [licence.kind]: licence.value.trim() })),
      ),
      references: pick("references", details?.references, () =>
        splitLines(form.references).map((reference) => ({ reference })),
      ),
      citations: pick("citations", details?.citations, () =>
        // A citation keeps the style it was stored with when its text is unchanged.
        splitLines(form.citations).map((citation) => {
          const style = details?.citations.find((old) => old.citation === citation)?.style;
          return style === undefined ? { citation } : { style, citation };
        }),
      ),
    },
    modelParameters: {
      ...parameters,
      modelArchitecture: pick("modelArchitecture", parameters?.modelArchitecture, () =>
        form.modelArchitecture.trim(),
      ),
      inputFormat: pick("inputFormat", parameters?.inputFormat, () => form.inputFormat.trim()),
      outputFormat: pick("outputFormat", parameters?.outputFormat, () => form.outputFormat.trim()),
    },
    ...(stored ? { quantitativeAnalysis: stored.quantitativeAnalysis } : {}),
    considerations: {
      ...considerations,
      users: pick("users", considerations?.users, () => described(form.users)),
      useCases: pick("useCases", considerations?.useCases, () => described(form.useCases)),
      limitations: pick("limitations", considerations?.limitations, () =>
        described(form.limitations),
      ),
      tradeoffs: pick("tradeoffs", considerations?.tradeoffs, () => described(form.tradeoffs)),
      ethicalConsiderations: pick(
        "ethicalConsiderations",
        considerations?.ethicalConsiderations,
        () =>
          form.ethicalConsiderations
            .filter((item) => !isBlank(item.name, item.mitigationStrategy))
            .map((item) => ({
              name: item.name.trim(),
              mitigationStrategy: item.mitigationStrategy.trim(),
            })),
      ),
      riskRating: pick("riskRating", considerations?.riskRating, () =>
        form.riskRating === "" ? null : form.riskRating,
      ),
    },
  };
}

/** The form field (element id suffix) where a missing required section is written. */
export const FIELD_OF_SECTION: Partial<Record<RequiredSection, FormField>> = {
  "modelDetails.name": "name",
  "modelDetails.overview": "overview",
  "modelDetails.owners": "owners",
  "modelDetails.version.name": "versionName",
  "modelDetails.licenses": "licenses",
  "considerations.users": "users",
  "considerations.useCases": "useCases",
  "considerations.limitations": "limitations",
  "considerations.ethicalConsiderations": "ethicalConsiderations",
  "considerations.riskRating": "riskRating",
};
