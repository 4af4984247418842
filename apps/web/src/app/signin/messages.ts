/** One message for every bad credential: it never tells whether the account exists. */
export const INCORRECT_CREDENTIALS = "Incorrect email or password.";
/** Said after repeated failures, whether or not the account exists (docs/sign-in-throttling.md). */
export const SIGN_IN_THROTTLED = "Too many failed sign-ins. Wait a little, then try again.";
