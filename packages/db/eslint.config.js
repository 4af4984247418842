import base, { restrictImports } from "@plumbline/eslint-config/base";

export default [...base, restrictImports(["@plumbline/auth", "@plumbline/api"])];
