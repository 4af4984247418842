import { describe, expect, it } from "vitest";

import { mailtoOf, parseMailtoRecipients } from "./mailto";

describe("parseMailtoRecipients", () => {
  it("reads comma-separated, encoded addresses and drops duplicates and headers", () => {
    expect(
      parseMailtoRecipients("mailto:ops@example.com,%20ml@example.com,ops@example.com"),
    ).toEqual(["ops@example.com", "ml@example.com"]);
    expect(parseMailtoRecipients("MAILTO:a@b.io?subject=ignored")).toEqual(["a@b.io"]);
    expect(parseMailtoRecipients(mailtoOf([" a@b.io", "c@d.io "]))).toEqual(["a@b.io", "c@d.io"]);
  });

  it.each([
    ["https://example.com", '"mailto:" URI'],
    ["mailto:", "none given"],
    ["mailto:not-an-address", '"not-an-address" is not an email address'],
    ["mailto:a@b.io,<x@y.io>", '"<x@y.io>" is not an email address'],
    ["mailto:%E0%A4%A", "not well encoded"],
  ])("refuses %s, naming the problem", (uri, message) => {
    expect(() => parseMailtoRecipients(uri)).toThrow(message);
  });
});
