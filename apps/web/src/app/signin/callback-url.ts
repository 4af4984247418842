/** Only a path on this site is a valid place to return to after signing in. */
export function safeCallbackUrl(value: FormDataEntryValue | string | string[] | null | undefined) {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//")) return "/models";
  if (raw.startsWith("/signin") || raw.startsWith("/api/")) return "/models";
  return raw;
}
