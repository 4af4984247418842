import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { auth } from "@plumbline/auth/next";
import { readAuthEnv } from "@plumbline/auth/env";
import { OIDC_REFUSAL_MESSAGES, type OidcRefusal } from "@plumbline/auth/oidc";

import { Logo } from "~/components/logo";
import { Button } from "~/components/ui/button";

import { signInWithOidc } from "./actions";
import { safeCallbackUrl } from "./callback-url";
import { INCORRECT_CREDENTIALS, SIGN_IN_THROTTLED } from "./messages";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/** Errors next-auth reports through the URL (mostly from the OIDC round trip). */
function describeUrlError(
  code: string | undefined,
  detail: string | undefined,
  providerName: string | undefined,
) {
  if (!code) return null;
  // A form posted straight to next-auth's credentials endpoint comes back here; `detail` is the
  // CredentialsSignin subclass's code, so a throttled attempt is not called a wrong password.
  if (code === "CredentialsSignin") {
    return detail === "throttled" ? SIGN_IN_THROTTLED : INCORRECT_CREDENTIALS;
  }
  if (code in OIDC_REFUSAL_MESSAGES) return OIDC_REFUSAL_MESSAGES[code as OidcRefusal];
  if (code === "AccessDenied") {
    return "This account cannot sign in here. Ask an admin if you think it should.";
  }
  return providerName
    ? `Sign-in with ${providerName} did not complete. Please try again.`
    : "Sign-in did not complete. Please try again.";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const session = await auth();
  if (session?.user?.id) redirect(callbackUrl);

  const oidc = readAuthEnv().oidc;
  const urlError = describeUrlError(
    typeof params.error === "string" ? params.error : undefined,
    typeof params.code === "string" ? params.code : undefined,
    oidc?.name,
  );

  return (
    <main className="relative flex min-h-dvh items-center justify-center overflow-hidden px-4 py-16">
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(60rem_30rem_at_50%_-10%,#e0e7ff_0%,transparent_60%)]"
      />
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 bg-[linear-gradient(to_right,#18181b08_1px,transparent_1px),linear-gradient(to_bottom,#18181b08_1px,transparent_1px)] bg-[size:32px_32px] [mask-image:radial-gradient(ellipse_at_top,black_30%,transparent_70%)]"
      />
      <div className="relative w-full max-w-[380px]">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo withName={false} className="mb-5 scale-125" />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Plumbline</h1>
          <p className="mt-1.5 text-[13px] text-ink-muted">
            Watch your models in production, live.
          </p>
        </div>
        <div className="rounded-xl border border-line bg-surface p-6 shadow-pop">
          <SignInForm callbackUrl={callbackUrl} initialError={urlError} />
          {oidc ? (
            <>
              <div className="my-5 flex items-center gap-3 text-[11px] uppercase tracking-wider text-ink-faint">
                <span className="h-px flex-1 bg-line" />
                or
                <span className="h-px flex-1 bg-line" />
              </div>
              <form action={signInWithOidc}>
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <Button type="submit" data-testid="signin-oidc" variant="secondary" size="lg" block>
                  Sign in with {oidc.name}
                </Button>
              </form>
            </>
          ) : null}
        </div>
        <p className="mt-6 text-center text-xs text-ink-faint">
          No account yet? Ask an admin of your Plumbline workspace to invite you.
        </p>
      </div>
    </main>
  );
}
