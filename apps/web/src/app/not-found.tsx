import type { Metadata } from "next";

import { Logo } from "~/components/logo";
import { ButtonLink } from "~/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 text-center">
      <Logo className="mb-10" />
      <p className="font-mono text-xs text-ink-faint">404</p>
      <h1 className="mt-2 text-xl font-semibold tracking-tight">This page does not exist</h1>
      <p className="mt-2 max-w-sm text-[13px] text-ink-muted">
        The link may be old, or the page has moved.
      </p>
      <ButtonLink href="/models" className="mt-6">
        Go to models
      </ButtonLink>
    </main>
  );
}
