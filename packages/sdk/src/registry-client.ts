import {
  ApiErrorBody,
  ModelSchema,
  RegisterModelRequest,
  RegisterVersionRequest,
  SetClassLabelsRequest,
  type ClassLabelsInput,
  type ModelSchemaInput,
  type ModelSummary,
  type RegisterModelRequestInput,
  type RegisterVersionRequestInput,
  type VersionSummary,
} from "@plumbline/contracts";

/** The registry refused a call, or could not be reached (`status` null). */
export class RegistryError extends Error {
  override name = "RegistryError";

  constructor(
    message: string,
    readonly status: number | null,
    /** The API's error code (`model_exists`, `version_immutable`, ...), when it sent one. */
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface RegistryClientOptions {
  /** The web app's base URL (the registry REST API lives under `/api/v1`). */
  url: string;
  /** An API key with the `models:register` scope. */
  apiKey: string;
  fetch?: typeof fetch;
}

/**
 * The model registry from code: register a model with its schema (features, positions for
 * positional payloads, class labels), replace the schema, register a version and set its class
 * labels while it is registering. Every body is checked against the same schema the server
 * uses before it is sent, so a mistake is reported here with its path.
 */
export class RegistryClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RegistryClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? fetch;
  }

  async registerModel(request: RegisterModelRequestInput): Promise<ModelSummary> {
    return this.call("POST", "/models", checked(RegisterModelRequest, request));
  }

  async setModelSchema(model: string, schema: ModelSchemaInput): Promise<ModelSummary> {
    return this.call(
      "PUT",
      `/models/${encodeURIComponent(model)}/schema`,
      checked(ModelSchema, schema),
    );
  }

  async registerVersion(
    model: string,
    request: RegisterVersionRequestInput,
  ): Promise<VersionSummary> {
    return this.call(
      "POST",
      `/models/${encodeURIComponent(model)}/versions`,
      checked(RegisterVersionRequest, request),
    );
  }

  async setVersionClassLabels(
    model: string,
    version: string,
    classLabels: ClassLabelsInput | null,
  ): Promise<VersionSummary> {
    return this.call(
      "PUT",
      `/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/class-labels`,
      checked(SetClassLabelsRequest, { classLabels }),
    );
  }

  private async call<T>(method: string, path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new RegistryError(`${method} ${path}: ${(error as Error).message}`, null, null);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const error = ApiErrorBody.safeParse(parsed);
      throw new RegistryError(
        error.success ? error.data.message : `${method} ${path} answered ${response.status}`,
        response.status,
        error.success ? error.data.error : null,
      );
    }
    return parsed as T;
  }
}

interface BodySchema {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: unknown }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

function checked(schema: BodySchema, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.path.length > 0
        ? `${issue.path.map(String).join(".")}: ${issue.message}`
        : issue.message,
    );
    throw new RegistryError(`Invalid request: ${problems.join("; ")}`, null, "invalid_request");
  }
  return result.data;
}
