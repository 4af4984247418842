"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";

import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { useTRPC } from "~/trpc/react";

const fieldClass =
  "w-full rounded-lg border border-line-strong bg-surface px-3 text-[13px] text-ink shadow-card outline-none focus:border-accent focus:ring-3 focus:ring-accent/15";

/** Asks for this version to serve in an environment; the gates run and approvers are notified. */
export function RequestPromotionForm({
  projectSlug,
  modelSlug,
  version,
}: {
  projectSlug: string;
  modelSlug: string;
  version: string;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const environments = useQuery(trpc.registry.environments.queryOptions({ projectSlug }));
  const [environment, setEnvironment] = useState("");
  const [justification, setJustification] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const request = useMutation(
    trpc.promotions.request.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.promotions.pathKey() });
        router.push(`/approvals/${result.id}`);
      },
    }),
  );
  const chosen = environment || environments.data?.[0]?.name || "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return setInvalid("Choose an environment.");
    if (justification.trim().length < 10) {
      return setInvalid("Explain in a sentence why this version should serve.");
    }
    setInvalid(null);
    request.mutate({
      projectSlug,
      modelSlug,
      version,
      environment: chosen,
      justification: justification.trim(),
    });
  };

  return (
    <Card>
      <CardHeader title="Request promotion" description="Gates run at once; approvers review." />
      <form
        onSubmit={submit}
        noValidate
        className="space-y-3 px-5 py-4"
        data-testid="request-promotion-form"
      >
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-env`} className="block text-xs font-medium text-ink">
            Environment
          </label>
          <select
            id={`${ids}-env`}
            data-testid="promotion-environment"
            value={chosen}
            onChange={(event) => setEnvironment(event.target.value)}
            className={`${fieldClass} h-9`}
          >
            {(environments.data ?? []).map((env) => (
              <option key={env.id} value={env.name}>
                {env.name} ({env.kind})
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-why`} className="block text-xs font-medium text-ink">
            Justification
          </label>
          <textarea
            id={`${ids}-why`}
            data-testid="promotion-justification"
            rows={3}
            value={justification}
            onChange={(event) => setJustification(event.target.value)}
            className={`${fieldClass} py-2`}
            placeholder="Retrained on Q3 data; holdout AUC +0.015, fairness within policy."
          />
        </div>
        {invalid ? <p className="text-xs text-danger">{invalid}</p> : null}
        {request.isError ? (
          <p
            className="flex items-start gap-2 rounded-lg bg-danger-soft px-3 py-2 text-xs text-danger"
            role="alert"
            data-testid="promotion-request-error"
          >
            <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
            {request.error.message}
          </p>
        ) : null}
        <Button type="submit" data-testid="promotion-request-submit" pending={request.isPending}>
          Request promotion
        </Button>
      </form>
    </Card>
  );
}
