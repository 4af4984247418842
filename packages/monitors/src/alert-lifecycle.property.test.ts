import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { applyVerdict, type AlertSnapshot, type Verdict } from "./alert-lifecycle";

const verdict = fc.oneof(
  fc.constant<Verdict>({ kind: "healthy" }),
  fc.constant<Verdict>({ kind: "inconclusive" }),
  fc.constant<Verdict>({ kind: "breach", severity: "warning" }),
  fc.constant<Verdict>({ kind: "breach", severity: "critical" }),
);

describe("applyVerdict over any sequence of evaluations", () => {
  it("fires once per alert, only after N consecutive breaches, and resolves only after M healthy", () => {
    fc.assert(
      fc.property(
        fc.array(verdict, { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (verdicts, breachesToFire, healthyToResolve) => {
          const guards = { breachesToFire, healthyToResolve };
          let open: AlertSnapshot | null = null;
          let firings = 0;
          let consecutiveBreaches = 0;
          let consecutiveHealthy = 0;
          verdicts.forEach((next, index) => {
            const now = new Date(Date.UTC(2026, 0, 1, index));
            if (next.kind === "breach") {
              consecutiveBreaches += 1;
              consecutiveHealthy = 0;
            } else if (next.kind === "healthy") {
              consecutiveHealthy += 1;
              consecutiveBreaches = 0;
            }
            const change = applyVerdict(open, next, guards, now);
            if (change.notify === "alert.firing") {
              firings += 1;
              expect(consecutiveBreaches).toBeGreaterThanOrEqual(breachesToFire);
            }
            if (change.alert?.state === "firing") expect(change.alert.firedAt).not.toBeNull();
            if (change.alert?.state === "resolved") {
              if (change.alert.resolution === "healthy") {
                expect(consecutiveHealthy).toBeGreaterThanOrEqual(healthyToResolve);
                expect(change.notify).toBe("alert.resolved");
              } else {
                expect(change.alert.resolution).toBe("cleared");
                expect(change.notify).toBeNull();
              }
              // A new alert can open later: count its firing afresh.
              expect(firings).toBeLessThanOrEqual(1);
              firings = 0;
              open = null;
            } else {
              open = change.alert;
            }
            expect(firings).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });
});
