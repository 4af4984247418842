"use server";

import { AuthError, signIn } from "@plumbline/auth/next";

import { safeCallbackUrl } from "./callback-url";
import { INCORRECT_CREDENTIALS, SIGN_IN_THROTTLED } from "./messages";

export interface SignInState {
  error: string | null;
  email: string;
}

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
  if (!email || !password) return { error: INCORRECT_CREDENTIALS, email };
  try {
    // On success this throws Next's redirect, which must propagate.
    await signIn("credentials", { email, password, redirectTo });
  } catch (error) {
    if (error instanceof AuthError) {
      if (error.type === "CredentialsSignin") {
        const throttled = "code" in error && error.code === "throttled";
        return { error: throttled ? SIGN_IN_THROTTLED : INCORRECT_CREDENTIALS, email };
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
