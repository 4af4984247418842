import { describe, expect, it } from "vitest";

import { escapeMarkdownTableCell, escapeMarkdownText, markdownLink } from "./markdown-escape";

describe("escapeMarkdownText", () => {
  it("neutralises inline markup and raw HTML", () => {
    expect(escapeMarkdownText("a *bold* _claim_ `code` [x](y) ~s~")).toBe(
      "a \\*bold\\* \\_claim\\_ \\`code\\` \\[x\\](y) \\~s\\~",
    );
    expect(escapeMarkdownText("<script>alert(1)</script> & co")).toBe(
      "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co",
    );
    expect(escapeMarkdownText("C:\\path")).toBe("C:\\\\path");
  });

  it("neutralises block markers at the start of each line only", () => {
    expect(escapeMarkdownText("# not a heading\n- not a list\n1. not numbered\n> not quoted")).toBe(
      "\\# not a heading\n\\- not a list\n1\\. not numbered\n&gt; not quoted",
    );
    expect(escapeMarkdownText("AUC went 0.8 - 0.9 in 2024. Fine")).toBe(
      "AUC went 0.8 - 0.9 in 2024. Fine",
    );
  });

  it("leaves plain prose untouched", () => {
    expect(escapeMarkdownText("Scores loan applications (consumer only), v2.")).toBe(
      "Scores loan applications (consumer only), v2.",
    );
  });
});

describe("escapeMarkdownTableCell", () => {
  it("keeps a cell on one line and escapes pipes", () => {
    expect(escapeMarkdownTableCell("a | b\r\n  c")).toBe("a \\| b c");
  });
});

describe("markdownLink", () => {
  it("links http(s) URLs only", () => {
    expect(markdownLink("doc", "https://example.com/a_(b)<c>")).toBe(
      "[doc](https://example.com/a_%28b%29%3Cc%3E)",
    );
    expect(markdownLink("x", "javascript:alert(1)")).toBe("x");
    expect(markdownLink("spaced", "https://example.com/a b")).toBe("spaced");
    expect(markdownLink("s3://bucket/*", "s3://bucket/*")).toBe("s3://bucket/\\*");
  });
});
