// A worker that claims a deployment, writes its step, says so on stdout and then hangs before
// COMMIT, waiting to be killed (the parent test SIGKILLs it).
import { advanceDeployment } from "@plumbline/api/services/rollouts/advance-deployments";
import { createDatabase } from "@plumbline/db/client";

const [url, deploymentId, nowIso] = process.argv.slice(2);
const { db } = createDatabase(url!, { max: 1, applicationName: "plumbline-doomed-worker" });
await advanceDeployment(db, deploymentId!, {
  now: new Date(nowIso!),
  beforeCommit: async () => {
    process.stdout.write("inside-step\n");
    await new Promise(() => undefined);
  },
});
