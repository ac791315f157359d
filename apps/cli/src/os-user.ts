import { userInfo } from 'node:os';

/** The effective user's login name, when the OS knows one (a container may not). */
export function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
