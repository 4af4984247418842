import { useSyncExternalStore } from "react";

function subscribeToNothing() {
  return () => undefined;
}

/**
 * False while the server renders and during hydration, true once React owns the page: the
 * dashboards read the browser's clock only then, and mark their toolbar interactive.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
