"use client";

import { useQueries } from "@tanstack/react-query";
import { Tags } from "lucide-react";

import { EmptyState } from "~/components/ui/empty-state";
import { useTRPC } from "~/trpc/react";

import { queryBehaviourOf, useDashboard, windowInputOf } from "../dashboard-context";
import { PerformanceContent, type PerformanceSlice } from "./performance-content";
import { DashboardSection, WhenLoaded } from "./section";

/** Realised performance once labels join, for each compared slice. */
export function PerformanceSection() {
  const trpc = useTRPC();
  const context = useDashboard();
  const queries = useQueries({
    queries: context.slices.map((slice) => ({
      ...trpc.dashboard.performance.queryOptions(windowInputOf(context, slice.slice)),
      ...queryBehaviourOf(context),
    })),
  });
  return (
    <DashboardSection
      id="performance"
      title="Performance"
      description="Accuracy, ROC-AUC and calibration for classifiers, errors for regressors: computed from the labels that have joined their predictions, by the time of the prediction, with label coverage and delay."
      testId="performance-section"
    >
      <WhenLoaded queries={queries}>
        {(answers) => {
          const slices: PerformanceSlice[] = [];
          for (const [index, slice] of context.slices.entries()) {
            const answer = answers[index];
            if (answer?.available)
              slices.push({ key: slice.key, label: slice.label, data: answer });
          }
          const first = answers[0];
          if (!first?.available) {
            return (
              <EmptyState icon={Tags} title="No performance for a segment slice">
                Labels are rolled up by version and deployment, not by segment: clear the segment
                filter to see performance.
              </EmptyState>
            );
          }
          if (first.labelName === null) {
            return (
              <EmptyState icon={Tags} title="No labels have joined yet" testId="performance-empty">
                Post ground truth to the ingest API&apos;s <code>/v1/labels</code> with the{" "}
                <code>prediction_id</code> of each prediction (the SDKs&apos; label methods). A
                label may arrive before or after its prediction.
              </EmptyState>
            );
          }
          return (
            <PerformanceContent
              slices={slices}
              inProgressBucket={first.inProgressBucket?.getTime() ?? null}
            />
          );
        }}
      </WhenLoaded>
    </DashboardSection>
  );
}
