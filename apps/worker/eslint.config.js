import base, { restrictImports } from "@plumbline/eslint-config/base";

// The worker acts as the system through the api package's services: never its tRPC routers,
// never the web app's sign-in code (only the session store's housekeeping), and nothing from
// the other apps.
export default [
  ...base,
  restrictImports(
    ["@plumbline/ingest", "@plumbline/web"],
    [
      {
        name: "@plumbline/api",
        message: "The worker calls services (@plumbline/api/services/...), not tRPC routers.",
      },
      {
        name: "@plumbline/auth/next",
        message: "The worker signs nobody in; it may only use @plumbline/auth/sessions.",
      },
    ],
  ),
];
