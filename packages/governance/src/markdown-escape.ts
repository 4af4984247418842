/**
 * Escaping for text people typed that ends up in generated Markdown (model cards). The goal is
 * that the text renders as the same words, never as markup: no raw HTML (`<script>` becomes
 * `&lt;script&gt;`), no emphasis, code, links or images from stray punctuation, no headings,
 * lists or quotes from a line's first characters, and no broken tables.
 *
 * @example
 * escapeMarkdownText("a *bold* <b>claim</b>"); // "a \\*bold\\* &lt;b&gt;claim&lt;/b&gt;"
 * escapeMarkdownTableCell("a | b\nc"); // "a \\| b c"
 */
export function escapeMarkdownText(value: string): string {
  return value.replace(/\r\n?/g, "\n").split("\n").map(escapeLine).join("\n");
}

/** As {@link escapeMarkdownText}, on one line: newlines become spaces and `|` is escaped too. */
export function escapeMarkdownTableCell(value: string): string {
  return escapeLine(value.replace(/\s*[\r\n]+\s*/g, " ").trim());
}

function escapeLine(line: string): string {
  const inline = line
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1");
  // Block markers only matter at the start of a line (after up to three spaces).
  return inline.replace(/^(\s{0,3})([#+=-])/, "$1\\$2").replace(/^(\s{0,3}\d+)([.)])/, "$1\\$2");
}

/** A link when the URL is http(s), else the escaped text: no `javascript:` links in exports. */
export function markdownLink(label: string, url: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return escapeMarkdownText(label);
  // encodeURIComponent leaves parentheses alone, and a bare ")" would end the link early.
  const safeUrl = url.replace(
    /[()<>]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `[${escapeMarkdownTableCell(label)}](${safeUrl})`;
}
