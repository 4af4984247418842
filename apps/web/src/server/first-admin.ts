import { ensureFirstAdmin } from "@plumbline/auth/bootstrap";
import { getDatabase } from "@plumbline/db/client";

export async function bootstrapFirstAdmin(): Promise<void> {
  try {
    const result = await ensureFirstAdmin(getDatabase().db);
    if (!result.created) return;
    const rule = "-".repeat(64);
    const lines = [
      rule,
      "Plumbline: this database had no users, so a first administrator was created.",
      `  email:    ${result.email}`,
      result.oneTimePassword
        ? `  password: ${result.oneTimePassword}   (one-time: shown only now; change it after signing in)`
        : "  password: the one in PLUMBLINE_ADMIN_PASSWORD",
      rule,
    ];
    console.log(lines.join("\n"));
  } catch (error) {
    // The dashboard still starts; pages that need the database show the error themselves.
    console.error("Plumbline: could not check for a first administrator:", error);
  }
}
