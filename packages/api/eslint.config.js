import base from "@plumbline/eslint-config/base";

export default base;
