import { requireDatabaseUrl } from "../src/env";
import { migrateDatabase } from "../src/migrate";

await migrateDatabase(requireDatabaseUrl());
console.log("Migrations applied.");
