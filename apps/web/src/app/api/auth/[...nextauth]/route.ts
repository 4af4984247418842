import { handlers } from "@plumbline/auth/next";

export const { GET, POST } = handlers;
