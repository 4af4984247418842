"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, ChevronDown, LoaderCircle } from "lucide-react";
import { useState } from "react";

import type { RouterOutputs } from "@plumbline/api";
import { ROLE_LABELS, ROLES, type Role } from "@plumbline/auth/permissions";

import { Badge } from "~/components/ui/badge";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

type Member = RouterOutputs["members"]["list"][number];

const lastSeen = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

export function MembersTable({
  projectSlug,
  currentUserId,
}: {
  projectSlug: string;
  currentUserId: string;
}) {
  const trpc = useTRPC();
  const members = useQuery(trpc.members.list.queryOptions({ projectSlug }));

  if (members.isPending) {
    return (
      <div className="space-y-3 px-5 py-5" aria-busy="true">
        {[0, 1, 2, 3].map((row) => (
          <Skeleton key={row} className="h-8 w-full" />
        ))}
      </div>
    );
  }
  if (members.isError) {
    return (
      <div className="p-4">
        <QueryError error={members.error} onRetry={() => members.refetch()} />
      </div>
    );
  }
  return (
    <table className="w-full text-left text-[13px]" data-testid="members-table">
      <thead className="text-[11px] uppercase tracking-wider text-ink-faint">
        <tr className="border-b border-line">
          <th className="px-5 py-2.5 font-medium">Member</th>
          <th className="px-5 py-2.5 font-medium">Role</th>
          <th className="px-5 py-2.5 text-right font-medium">Last sign-in</th>
        </tr>
      </thead>
      <tbody>
        {members.data.map((member) => (
          <MemberRow
            key={`${member.userId}:${member.orgWide ? "org" : "project"}`}
            member={member}
            projectSlug={projectSlug}
            isYou={member.userId === currentUserId}
          />
        ))}
      </tbody>
    </table>
  );
}

function MemberRow({
  member,
  projectSlug,
  isYou,
}: {
  member: Member;
  projectSlug: string;
  isYou: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const setRole = useMutation(
    trpc.members.setRole.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        setTimeout(() => setSaved(false), 2000);
        await queryClient.invalidateQueries({
          queryKey: trpc.members.list.queryKey({ projectSlug }),
        });
      },
    }),
  );

  // An org-wide role is granted outside the project; it is shown, not edited, here.
  const editable = !member.orgWide && !isYou;

  return (
    <tr className="border-b border-line last:border-b-0" data-testid="member-row">
      <td className="px-5 py-3">
        <div className="flex items-center gap-2">
          <span className="font-medium text-ink">{member.name}</span>
          {isYou ? <Badge>You</Badge> : null}
        </div>
        <div className="text-xs text-ink-muted">{member.email}</div>
      </td>
      <td className="px-5 py-3">
        <div className="flex items-center gap-2">
          {editable ? (
            <span className="relative inline-flex">
              <select
                aria-label={`Role of ${member.name}`}
                data-testid="member-role-select"
                value={setRole.isPending ? (setRole.variables?.role ?? member.role) : member.role}
                disabled={setRole.isPending}
                onChange={(event) =>
                  setRole.mutate({
                    projectSlug,
                    userId: member.userId,
                    role: event.target.value as Role,
                  })
                }
                className="h-8 w-36 cursor-pointer appearance-none rounded-md border border-line-strong bg-surface pr-8 pl-2.5 text-[13px] text-ink shadow-card outline-none hover:border-zinc-400 focus:border-accent focus:ring-3 focus:ring-accent/15 disabled:cursor-wait disabled:opacity-60"
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_LABELS[role]}
                  </option>
                ))}
              </select>
              <ChevronDown
                className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
                aria-hidden
              />
            </span>
          ) : (
            <span className="inline-flex items-center gap-2 text-ink">
              {ROLE_LABELS[member.role]}
              {member.orgWide ? <Badge tone="accent">All projects</Badge> : null}
            </span>
          )}
          {setRole.isPending ? (
            <LoaderCircle className="size-3.5 animate-spin text-ink-faint" aria-label="Saving" />
          ) : null}
          {saved && !setRole.isPending ? (
            <span className="inline-flex items-center gap-1 text-xs text-emerald-700">
              <Check className="size-3.5" aria-hidden /> Saved
            </span>
          ) : null}
        </div>
        {setRole.isError ? (
          <p className="mt-1 text-xs text-danger" role="alert">
            {setRole.error.message}
          </p>
        ) : null}
      </td>
      <td className="px-5 py-3 text-right text-xs text-ink-muted tabular-nums">
        {member.lastSignInAt ? lastSeen.format(member.lastSignInAt) : "Never"}
      </td>
    </tr>
  );
}
