// Which attribute names hold secrets. The language has one secret key, `password` (the source
// and the Kafka auth block); what matters for masking is what people actually type there: typos
// (pasword, passowrd), other tools' names (passwd, pwd, sasl_password, api_key) and casing. A name
// is judged by its letters and digits only, so pass_word, Pass-Word and PASSWORD count alike.
// Erring towards secret costs little: a masked value that was not a secret only hides itself.

/** Words that mark a key as secret wherever they appear in it. */
const secretWords = /pass|pwd|secret|token|credential|apikey|privatekey/;

/** Spellings of a password that a misspelled key is compared against, with the edits allowed. */
const nearMisses: readonly [word: string, edits: number][] = [
  ["password", 2],
  ["passwd", 1],
];

/**
 * The fewest edits (insert, delete, replace, swap two neighbours) that turn `word` into some
 * substring of `text`, an approximate substring match: "saslpaswrod" is two edits from
 * containing "password".
 */
function substringDistance(word: string, text: string): number {
  let beforePrevious: number[] = [];
  let previous = new Array<number>(text.length + 1).fill(0);
  for (let i = 1; i <= word.length; i++) {
    const current = [i];
    for (let j = 1; j <= text.length; j++) {
      let best = Math.min((previous[j - 1] as number) + (word[i - 1] === text[j - 1] ? 0 : 1), (previous[j] as number) + 1, (current[j - 1] as number) + 1);
      if (i > 1 && j > 1 && word[i - 1] === text[j - 2] && word[i - 2] === text[j - 1]) best = Math.min(best, (beforePrevious[j - 2] as number) + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(...previous);
}

export function isSecretKey(name: string): boolean {
  const letters = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  // Longer runs are junk or data, not keys someone meant to write.
  if (letters.length < 2 || letters.length > 40) return false;
  if (letters === "pw" || secretWords.test(letters)) return true;
  return nearMisses.some(([word, edits]) => letters.length >= word.length - edits && substringDistance(word, letters) <= edits);
}
