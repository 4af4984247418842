export * from "./api-key-scopes";
export * from "./ingest-response";
export * from "./issues";
export * from "./label";
export * from "./limits";
export * from "./model-reference";
export * from "./names";
export * from "./prediction";
