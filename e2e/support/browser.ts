import { existsSync } from "node:fs";

/**
 * Debian's Chromium when it is installed (CI and these machines cannot download browsers);
 * otherwise Playwright's own browser, as on a developer's laptop.
 */
export function chromiumLaunchOptions() {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) =>
    existsSync(path),
  );
  return {
    ...(executablePath ? { executablePath } : {}),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  };
}
