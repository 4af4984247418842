"use server";

import { AuthError, signIn } from "@plumbline/auth/next";

import { safeCallbackUrl } from "./callback-url";

export interface SignInState {
  error: string | null;
  email: string;
}

/** One message for every bad credential: it never tells whether the account exists. */
const INCORRECT = "Incorrect email or password.";
/** Said after repeated failures, whether or not the account exists (docs/sign-in-throttling.md). */
const THROTTLED = "Too many failed sign-ins. Wait a little, then try again.";

function textField(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

export async function signInWithPassword(
  _previous: SignInState,
  formData: FormData,
): Promise<SignInState> {
  const email = textField(formData, "email").trim();
  const password = textField(formData, "password");
  const redirectTo = safeCallbackUrl(formData.get("callbackUrl"));
  if (!email || !password) return { error: INCORRECT, email };
  try {
    // On success this throws Next's redirect, which must propagate.
    await signIn("credentials", { email, password, redirectTo });
  } catch (error) {
    if (error instanceof AuthError) {
      if (error.type === "CredentialsSignin") {
        const throttled = "code" in error && error.code === "throttled";
        return { error: throttled ? THROTTLED : INCORRECT, email };
      }
      console.error("Sign-in failed:", error);
      return {
        error: "We could not check your sign-in just now. Please try again in a moment.",
        email,
      };
    }
    throw error;
  }
  return { error: null, email };
}

export async function signInWithOidc(formData: FormData): Promise<void> {
  await signIn("oidc", { redirectTo: safeCallbackUrl(formData.get("callbackUrl")) });
}
