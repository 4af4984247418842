import { Badge } from "~/components/ui/badge";

const cardStatus: Record<
  string,
  { label: string; tone: "neutral" | "accent" | "canary" | "success" | "danger" }
> = {
  draft: { label: "draft", tone: "neutral" },
  pending_review: { label: "awaiting review", tone: "canary" },
  approved: { label: "approved", tone: "success" },
  archived: { label: "archived", tone: "neutral" },
};

/** A model card's status (draft, awaiting review, approved, archived) as a badge. */
export function ModelCardStatusBadge({ status }: { status: string }) {
  const { label, tone } = cardStatus[status] ?? {
    label: status.replaceAll("_", " "),
    tone: "neutral",
  };
  return <Badge tone={tone}>{label}</Badge>;
}
