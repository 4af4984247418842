export * from "./alert-lifecycle";
