import { parseCommand, USAGE } from "./arguments";
import { ApiClient } from "./api-client";
import { uploadBaselineFile } from "./baseline-upload";
import { CliError } from "./cli-error";
import { runCommand } from "./commands";
import { readCliEnv } from "./env";
import { EXIT, type ExitCode } from "./exit-codes";
import { IngestClient } from "./ingest-client";

/** The `plumbline` command: parses argv, runs the command, returns the exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  try {
    const command = parseCommand(argv);
    if (command.name === "help") {
      console.log(USAGE);
      return EXIT.ok;
    }
    const env = readCliEnv();
    if (!env.PLUMBLINE_API_KEY) throw new CliError("PLUMBLINE_API_KEY is not set (an API key).");
    // Reference datasets go to the ingest service, where predictions go; the rest to the web app.
    if (command.name === "baseline-upload") {
      if (!env.PLUMBLINE_INGEST_URL) {
        throw new CliError(
          "PLUMBLINE_INGEST_URL is not set (the ingest service, e.g. http://localhost:3001).",
        );
      }
      await uploadBaselineFile(command, {
        ingest: new IngestClient(env.PLUMBLINE_INGEST_URL, env.PLUMBLINE_API_KEY),
        cwd: process.cwd(),
        print: (line) => console.log(line),
      });
      return EXIT.ok;
    }
    if (!env.PLUMBLINE_URL) throw new CliError("PLUMBLINE_URL is not set (the Plumbline web app).");
    return await runCommand(command, {
      client: new ApiClient(env.PLUMBLINE_URL, env.PLUMBLINE_API_KEY),
      cwd: process.cwd(),
      print: (line) => console.log(line),
    });
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`plumbline: ${error.message}`);
      return error.exitCode;
    }
    console.error("plumbline: unexpected error:", error);
    return EXIT.error;
  }
}
