export * from "./analysis";
export * from "./deployment-machine";
export * from "./measure-metric";
export * from "./strategy";
