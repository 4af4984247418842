import { describe, expect, it } from "vitest";

import { completeCard } from "../test/model-card-fixtures";
import { emptyModelCard } from "./model-card";
import { renderModelCardMarkdown } from "./model-card-markdown";

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  if (start === -1) throw new Error(`missing ${heading}`);
  const rest = markdown.slice(start + heading.length + 1);
  const next = rest.search(/^#{1,3} /m);
  return (next === -1 ? rest : rest.slice(0, next)).trim();
}

describe("renderModelCardMarkdown", () => {
  const markdown = renderModelCardMarkdown(completeCard());

  it("has the Model Card Toolkit sections in order", () => {
    const headings = markdown.split("\n").filter((line) => line.startsWith("#"));
    expect(headings).toEqual([
      "# Model card: credit-risk",
      "## Model details",
      "### References",
      "## Model parameters",
      "### Data",
      "## Quantitative analysis",
      "### Performance metrics",
      "## Considerations",
      "### Intended users",
      "### Use cases",
      "### Limitations",
      "### Tradeoffs",
      "### Ethical considerations",
      "### Risk rating",
    ]);
    expect(markdown.endsWith("high\n")).toBe(true);
    expect(markdown).not.toMatch(/\n{3,}/);
  });

  it("renders details, data and metrics", () => {
    expect(section(markdown, "## Model details")).toContain(
      "- **Owners:** Risk ML team (risk-ml@example.com)",
    );
    expect(section(markdown, "## Model details")).toContain("- **License:** Apache-2.0");
    expect(section(markdown, "### References")).toBe(
      "- [https://example.com/design-doc](https://example.com/design-doc)",
    );
    expect(section(markdown, "### Data")).toBe(
      [
        "| Dataset | Role | Rows | Digest | Source |",
        "| --- | --- | --- | --- | --- |",
        `| loans-2024-12 | train | 120000 | \`sha256:${"c".repeat(64)}\` |  |`,
      ].join("\n"),
    );
    expect(section(markdown, "### Performance metrics")).toContain(
      "| auc | overall | 0.84 |  |  |",
    );
    expect(section(markdown, "### Ethical considerations")).toBe(
      "- **Age as a proxy**: Monitored by fairness gates",
    );
  });

  it("says what is missing instead of dropping sections", () => {
    const empty = renderModelCardMarkdown(emptyModelCard());
    expect(empty.startsWith("# Model card: Untitled model\n\n_Not provided._")).toBe(true);
    expect(section(empty, "### Data")).toBe("_Not provided._");
    expect(section(empty, "### Performance metrics")).toBe("_Not provided._");
    expect(section(empty, "### Risk rating")).toBe("_Not provided._");
    expect(empty).not.toContain("### References");
  });

  it("escapes what people typed", () => {
    const card = completeCard();
    card.modelDetails.name = "risk | <b>model</b>";
    card.modelDetails.overview = "# Heading?\n<script>alert(1)</script>";
    card.modelParameters.data[0]!.name = "a|b\nc";
    card.considerations.limitations = [
      { description: "*not* for [business](javascript:alert(1)) loans" },
    ];
    card.modelDetails.references = [{ reference: "javascript:alert(1)" }];
    const rendered = renderModelCardMarkdown(card);
    expect(rendered).toContain("# Model card: risk \\| &lt;b&gt;model&lt;/b&gt;");
    expect(rendered).toContain("\\# Heading?\n&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(rendered).toContain("| a\\|b c | train |");
    expect(section(rendered, "### Limitations")).toBe(
      "- \\*not\\* for \\[business\\](javascript:alert(1)) loans",
    );
    expect(section(rendered, "### References")).toBe("- javascript:alert(1)");
    expect(rendered).not.toContain("<script>");
  });

  it("shows confidence intervals and slices", () => {
    const card = completeCard();
    card.quantitativeAnalysis.performanceMetrics = [
      {
        type: "auc",
        value: 0.8412345678,
        slice: "region=EU",
        confidenceInterval: { lowerBound: 0.82, upperBound: 0.86 },
        n: 500,
      },
    ];
    expect(section(renderModelCardMarkdown(card), "### Performance metrics")).toContain(
      "| auc | region=EU | 0.841235 | 0.82 – 0.86 | 500 |",
    );
  });
});
