import { EXIT, type ExitCode } from "./exit-codes";

/** A failure the CLI reports in one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  override name = "CliError";

  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
  ) {
    super(message);
  }
}
