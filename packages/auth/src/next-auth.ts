import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";

import { getDatabase } from "@plumbline/db/client";

import { requestClientAddress } from "./client-address";
import { signInWithPassword } from "./credentials";
import { readAuthEnv } from "./env";
import { resolveOidcUser } from "./oidc";
import { endSession, isSessionOpen, startSession } from "./sessions";

import type {} from "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
    /** The server-side session this cookie stands for (see `./sessions`). */
    sessionId: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    sessionId?: string;
  }
}

/** One message for every failure: it never hints whether the email exists. */
export class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}

/** Too many recent failures for this email or address (said whether or not the email exists). */
export class SignInThrottled extends CredentialsSignin {
  override code = "throttled";
}

const env = readAuthEnv();

export const authConfig = {
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  logger: {
    // A wrong password is an expected answer, not a server error worth a stack trace.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error(error);
    },
  },
  providers: [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        const email = typeof credentials.email === "string" ? credentials.email : "";
        const password = typeof credentials.password === "string" ? credentials.password : "";
        if (!email || !password) throw new InvalidCredentials();
        const result = await signInWithPassword(getDatabase().db, {
          email,
          password,
          address: requestClientAddress(request.headers, env.PLUMBLINE_TRUSTED_PROXIES),
        });
        if (result.ok) return result.user;
        throw result.reason === "throttled" ? new SignInThrottled() : new InvalidCredentials();
      },
    }),
    ...(env.oidc
      ? [
          {
            id: "oidc",
            name: env.oidc.name,
            type: "oidc" as const,
            issuer: env.oidc.issuer,
            clientId: env.oidc.clientId,
            clientSecret: env.oidc.clientSecret,
          },
        ]
      : []),
  ],
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      const resolved = await resolveOidcUser(getDatabase().db, profile ?? {});
      // A refusal goes back to the sign-in page, which explains it (see OIDC_REFUSAL_MESSAGES).
      return resolved.ok ? true : `/signin?error=${resolved.reason}`;
    },
    async jwt({ token, user, account, profile }) {
      const { db } = getDatabase();
      if (account) {
        // Signing in: open a server-side session and carry its id in the cookie.
        let userId = user?.id ?? undefined;
        if (account.provider === "oidc") {
          const resolved = await resolveOidcUser(db, profile ?? {});
          userId = resolved.ok ? resolved.user.id : undefined;
        }
        if (!userId) return null;
        return { ...token, userId, sessionId: await startSession(db, userId) };
      }
      // Every later request: a signed cookie is not enough, its session must still be open.
      // Returning null clears the cookie, so a request that was in flight when the person
      // signed out cannot bring the session back by refreshing it.
      if (!token.userId || !token.sessionId) return null;
      return (await isSessionOpen(db, token.sessionId, token.userId)) ? token : null;
    },
    session({ session, token }) {
      // Only the identity travels in the token; roles are read from the database per request.
      if (token.userId) session.user.id = token.userId;
      if (token.sessionId) session.sessionId = token.sessionId;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const sessionId = "token" in message ? message.token?.sessionId : undefined;
      if (sessionId) await endSession(getDatabase().db, sessionId, "signed_out");
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
export { AuthError } from "next-auth";
