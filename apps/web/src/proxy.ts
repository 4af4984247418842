import { NextResponse } from "next/server";

import { auth } from "@plumbline/auth/next";

/**
 * Sends signed-out visitors of a dashboard page to the sign-in page, remembering where they
 * were going. API routes are not matched: they answer 401 JSON themselves.
 */
export const proxy = auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const signIn = new URL("/signin", request.nextUrl.origin);
  const target = request.nextUrl.pathname + request.nextUrl.search;
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
});

export const config = {
  matcher: ["/((?!api/|signin|_next/|favicon\\.ico|.*\\.(?:png|svg|ico|woff2?)$).*)"],
};
