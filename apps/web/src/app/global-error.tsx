"use client";

import "./globals.css";

import { Button } from "~/components/ui/button";

export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh items-center justify-center px-4 text-center">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Plumbline could not load</h1>
          <p className="mt-2 text-[13px] text-ink-muted">
            Something failed before the page could be drawn. Try again in a moment.
          </p>
          <Button onClick={reset} className="mt-6">
            Try again
          </Button>
        </div>
      </body>
    </html>
  );
}
