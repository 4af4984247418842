import { escapeMarkdownTableCell, escapeMarkdownText, markdownLink } from "./markdown-escape";
import type { ModelCard } from "./model-card";

const NOT_PROVIDED = "_Not provided._";

/**
 * The Markdown export of a model card (issue 5: "rendered as a page and exportable as
 * Markdown"). Sections follow the Model Card Toolkit order; an empty section says
 * "_Not provided._" rather than disappearing, so a reader sees what is missing. All text is
 * escaped ({@link escapeMarkdownText}); links are emitted only for http(s) URLs.
 */
export function renderModelCardMarkdown(card: ModelCard): string {
  const { modelDetails: details, modelParameters: parameters, considerations } = card;
  const title = details.name.trim() === "" ? "Untitled model" : details.name;
  const blocks: string[] = [`# Model card: ${escapeMarkdownTableCell(title)}`];
  blocks.push(paragraph(details.overview));

  blocks.push("## Model details");
  blocks.push(
    [
      field("Version", details.version.name),
      field("Date", details.version.date),
      field("Changes", details.version.diff),
      field(
        "Owners",
        details.owners
          .map((owner) => (owner.contact ? `${owner.name} (${owner.contact})` : owner.name))
          .join(", "),
      ),
      field(
        "License",
        details.licenses
          .map((licence) => licence.identifier ?? licence.customText ?? "")
          .filter((value) => value !== "")
          .join(", "),
      ),
      details.documentation.trim() === "" ? null : field("Documentation", details.documentation),
    ]
      .filter((line): line is string => line !== null)
      .join("\n"),
  );
  if (details.references.length > 0) {
    blocks.push("### References");
    blocks.push(
      details.references.map((ref) => `- ${markdownLink(ref.reference, ref.reference)}`).join("\n"),
    );
  }
  if (details.citations.length > 0) {
    blocks.push("### Citations");
    blocks.push(
      details.citations
        .map((citation) => `- ${escapeMarkdownTableCell(citation.citation)}`)
        .join("\n"),
    );
  }

  blocks.push("## Model parameters");
  blocks.push(
    [
      field("Architecture", parameters.modelArchitecture),
      field("Input format", parameters.inputFormat),
      field("Output format", parameters.outputFormat),
    ].join("\n"),
  );
  blocks.push("### Data");
  blocks.push(
    table(
      ["Dataset", "Role", "Rows", "Digest", "Source"],
      parameters.data.map((dataset) => [
        escapeMarkdownTableCell(dataset.name),
        escapeMarkdownTableCell(dataset.role ?? ""),
        dataset.rowCount === undefined ? "" : String(dataset.rowCount),
        dataset.digest === undefined ? "" : `\`${dataset.digest.replace(/`/g, "")}\``,
        dataset.link === undefined ? "" : markdownLink(dataset.link, dataset.link),
      ]),
    ),
  );

  blocks.push("## Quantitative analysis");
  blocks.push("### Performance metrics");
  blocks.push(
    table(
      ["Metric", "Slice", "Value", "95% interval", "n"],
      card.quantitativeAnalysis.performanceMetrics.map((metric) => [
        escapeMarkdownTableCell(metric.type),
        metric.slice === null ? "overall" : escapeMarkdownTableCell(metric.slice),
        formatNumber(metric.value),
        metric.confidenceInterval === undefined
          ? ""
          : `${formatNumber(metric.confidenceInterval.lowerBound)} – ${formatNumber(metric.confidenceInterval.upperBound)}`,
        metric.n === undefined ? "" : String(metric.n),
      ]),
    ),
  );

  blocks.push("## Considerations");
  blocks.push("### Intended users", list(considerations.users.map((item) => item.description)));
  blocks.push("### Use cases", list(considerations.useCases.map((item) => item.description)));
  blocks.push("### Limitations", list(considerations.limitations.map((item) => item.description)));
  blocks.push("### Tradeoffs", list(considerations.tradeoffs.map((item) => item.description)));
  blocks.push("### Ethical considerations");
  blocks.push(
    considerations.ethicalConsiderations.length === 0
      ? NOT_PROVIDED
      : considerations.ethicalConsiderations
          .map((item) =>
            item.mitigationStrategy.trim() === ""
              ? `- **${escapeMarkdownTableCell(item.name)}**`
              : `- **${escapeMarkdownTableCell(item.name)}**: ${escapeMarkdownTableCell(item.mitigationStrategy)}`,
          )
          .join("\n"),
  );
  blocks.push("### Risk rating", considerations.riskRating ?? NOT_PROVIDED);

  return `${blocks.join("\n\n")}\n`;
}

function paragraph(value: string): string {
  return value.trim() === "" ? NOT_PROVIDED : escapeMarkdownText(value.trim());
}

function field(label: string, value: string): string {
  return `- **${label}:** ${value.trim() === "" ? NOT_PROVIDED : escapeMarkdownTableCell(value)}`;
}

function list(items: readonly string[]): string {
  return items.length === 0
    ? NOT_PROVIDED
    : items.map((item) => `- ${escapeMarkdownTableCell(item)}`).join("\n");
}

function table(header: readonly string[], rows: readonly string[][]): string {
  if (rows.length === 0) return NOT_PROVIDED;
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
