import type { ReactNode } from "react";

/** `**bold**` and `_emphasis_`, the only inline marks the export uses. */
function inline(text: string): ReactNode {
  return text.split(/(\*\*[^*]+\*\*|_[^_]+_)/g).map((part, index) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) {
      return (
        <strong key={index} className="font-medium text-ink">
          {part.slice(2, -2)}
        </strong>
      );
    }
    if (part.startsWith("_") && part.endsWith("_") && part.length > 2) {
      return (
        <em key={index} className="text-ink-faint">
          {part.slice(1, -1)}
        </em>
      );
    }
    return part;
  });
}

/**
 * Renders the model card's Markdown export: headings, bullet lists, tables and paragraphs are all
 * it emits, so a small renderer is enough and no HTML from the card is ever injected.
 */
export function MarkdownView({ markdown }: { markdown: string }) {
  const blocks: ReactNode[] = [];
  const lines = markdown.split("\n");
  let list: string[] = [];
  let table: string[][] = [];
  const flush = (key: number) => {
    if (list.length > 0) {
      blocks.push(
        <ul key={`l${key}`} className="my-2 list-disc space-y-0.5 pl-5">
          {list.map((item, index) => (
            <li key={index}>{inline(item)}</li>
          ))}
        </ul>,
      );
      list = [];
    }
    if (table.length > 0) {
      const [head, ...body] = table;
      blocks.push(
        <table key={`t${key}`} className="my-2 w-full text-left text-xs">
          <thead>
            <tr className="border-b border-line text-ink-faint">
              {head?.map((cell, index) => (
                <th key={index} className="py-1 pr-3 font-medium">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.map((row, rowIndex) => (
              <tr key={rowIndex} className="border-b border-line last:border-b-0">
                {row.map((cell, index) => (
                  <td key={index} className="py-1 pr-3 tabular-nums">
                    {inline(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
      table = [];
    }
  };
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed.startsWith("|")) {
      const cells = trimmed
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((cell) => cell.trim());
      if (!cells.every((cell) => /^:?-+:?$/.test(cell))) table.push(cells);
      return;
    }
    if (/^[-*] /.test(trimmed)) {
      list.push(trimmed.slice(2));
      return;
    }
    flush(index);
    const heading = /^(#{1,4}) (.*)$/.exec(trimmed);
    if (heading) {
      const level = heading[1]!.length;
      blocks.push(
        <p
          key={index}
          className={
            level <= 2
              ? "mt-4 text-[14px] font-semibold text-ink first:mt-0"
              : "mt-3 text-[13px] font-semibold text-ink"
          }
        >
          {heading[2]}
        </p>,
      );
    } else if (trimmed !== "") {
      blocks.push(
        <p key={index} className="my-1.5">
          {inline(trimmed)}
        </p>,
      );
    }
  });
  flush(lines.length);
  return <div className="text-[13px] leading-relaxed text-ink-muted">{blocks}</div>;
}
