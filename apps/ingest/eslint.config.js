import base, { restrictImports } from "@plumbline/eslint-config/base";

// Ingest uses db, contracts and drift; never the tRPC api or the web app's auth.
export default [...base, restrictImports(["@plumbline/auth", "@plumbline/api"])];
