import os from 'node:os';

/** Who runs this process, for acceptance records; never throws (some containers have no passwd entry). */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
