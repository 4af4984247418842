/**
 * On a fresh database with no users, creates the first administrator and prints its one-time
 * password once, here in the server log (never in the UI).
 */
export async function register() {
  // Written out literally (not through env.ts) on purpose: Next replaces this expression at
  // build time, which is what keeps the Node-only bootstrap out of the edge bundle.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { isBuildPhase } = await import("./env");
  if (isBuildPhase()) return;
  const { stampPeerAddresses } = await import("./server/peer-address");
  stampPeerAddresses();
  const { bootstrapFirstAdmin } = await import("./server/first-admin");
  await bootstrapFirstAdmin();
}
