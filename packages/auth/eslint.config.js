import base, { restrictImports } from "@plumbline/eslint-config/base";

export default [...base, restrictImports(["@plumbline/api"])];
