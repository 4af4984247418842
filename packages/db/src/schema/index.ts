export * from "./api-keys";
export * from "./audit";
export * from "./models";
export * from "./predictions";
export * from "./projects";
export * from "./role-bindings";
export * from "./users";
