import { CircleAlert } from "lucide-react";

import { Button } from "./ui/button";

/** A form's server-side error, announced to screen readers; renders nothing without a message. */
export function FormAlert({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <p
      className="flex items-start gap-2 rounded-lg border border-red-200 bg-danger-soft px-3 py-2.5 text-[13px] text-red-800"
      role="alert"
      data-testid={testId}
    >
      <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
      {message}
    </p>
  );
}

/** A form's primary submit button (with a spinner while pending) and its Cancel button. */
export function FormActions({
  submitLabel,
  submitTestId,
  pending,
  onCancel,
  cancelTestId,
}: {
  submitLabel: string;
  submitTestId?: string;
  pending: boolean;
  onCancel: () => void;
  cancelTestId?: string;
}) {
  return (
    <div className="flex items-center gap-2">
      <Button type="submit" data-testid={submitTestId} pending={pending}>
        {submitLabel}
      </Button>
      <Button variant="secondary" onClick={onCancel} data-testid={cancelTestId}>
        Cancel
      </Button>
    </div>
  );
}
