// A URL may carry its user's password (a schema registry's Basic auth): wherever one is shown,
// in a plan diff or an error, its password is masked.

/** The URL with its password as `***`; text without one, or that is not a URL, as it is. */
export function maskUrlPassword(text: string): string {
  try {
    const url = new URL(text);
    if (!url.password) return text;
    url.password = "***";
    return url.toString();
  } catch {
    return text;
  }
}
