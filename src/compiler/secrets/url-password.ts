// Where the password of a URL's user part lies (scheme://user:password@host), found the way a
// URL parser finds it: the authority runs to the first '/', '?' or '#' after '//', and the user
// part to its last '@'; the password is what follows the first ':' in the user part. A password
// may so hold spaces, quotes and a raw '@' (which a parser accepts), and still be found whole.

/** Every scheme:// in text, and where its authority starts. */
const schemeStart = /[a-z][a-z0-9+.-]*:\/\//gi;

export interface UrlPasswordRange {
  start: number;
  end: number;
}

/** The ranges of text that are URL passwords, in order. */
export function urlPasswordRanges(text: string): UrlPasswordRange[] {
  if (!text.includes("@")) return [];
  const ranges: UrlPasswordRange[] = [];
  for (const match of text.matchAll(schemeStart)) {
    const authority = (match.index as number) + match[0].length;
    const stop = text.slice(authority).search(/[/?#]/);
    const authorityEnd = stop < 0 ? text.length : authority + stop;
    const at = text.lastIndexOf("@", authorityEnd - 1);
    if (at < authority) continue;
    const colon = text.indexOf(":", authority);
    if (colon < 0 || colon > at) continue;
    ranges.push({ start: colon + 1, end: at });
  }
  return ranges;
}

/** The URL without its password (the user and the rest kept as written). */
export function urlWithoutPassword(url: string): string {
  const [range] = urlPasswordRanges(url);
  return range ? url.slice(0, range.start - 1) + url.slice(range.end) : url;
}
