/** localStorage that may be switched off or full: then nothing is remembered, and nothing breaks. */

export function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* keeps working without remembering */
  }
}
