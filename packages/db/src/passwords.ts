import { hash, verify } from "@node-rs/argon2";

/**
 * Password hashes are argon2id PHC strings (the library's defaults follow the OWASP
 * recommendation: 19 MiB, 2 iterations, 1 lane).
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the user does not exist, so that the
 * time a failed sign-in takes does not reveal whether the email is registered. */
let decoyHash: Promise<string> | undefined;
export function getDecoyPasswordHash(): Promise<string> {
  decoyHash ??= hash(crypto.randomUUID());
  return decoyHash;
}
