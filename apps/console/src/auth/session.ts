/**
 * The signed-in key lives in this tab's sessionStorage under one name and nowhere else: not
 * in localStorage, a cookie or the URL. It goes when the tab closes, on Sign out, and on any
 * 401.
 */
export const API_KEY_STORAGE_KEY = 'runtrail.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(API_KEY_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(API_KEY_STORAGE_KEY, key);
}

export function forgetKey(): void {
  try {
    sessionStorage.removeItem(API_KEY_STORAGE_KEY);
  } catch {
    // storage unavailable: nothing was kept
  }
}
