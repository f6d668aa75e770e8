// MariaDB's UUID, INET4 and INET6 columns as text. Queries return them as text, but a FULL
// table map types them as BINARY(n), so zongji hands their raw bytes over (in the order the
// server prints them). Rendered here as the server renders them, so the binlog and the initial
// sync give the same value.

const hex = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString("hex");

function uuidText(bytes: Uint8Array): string {
  return `${hex(bytes, 0, 4)}-${hex(bytes, 4, 6)}-${hex(bytes, 6, 8)}-${hex(bytes, 8, 10)}-${hex(bytes, 10, 16)}`;
}

function inet4Text(bytes: Uint8Array, from = 0): string {
  return `${bytes[from]}.${bytes[from + 1]}.${bytes[from + 2]}.${bytes[from + 3]}`;
}

/** The longest run of zero groups, even a single one (the first on a tie), as [start, length]. */
function zeroRun(groups: number[]): [number, number] {
  let best: [number, number] = [-1, 0];
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best[1]) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  return best;
}

/**
 * INET6 text as MariaDB writes it (MySQL's INET6_NTOA rules, not quite RFC 5952): lower-case
 * groups, the longest run of zero groups as `::` even when it is a single group, IPv4-mapped
 * addresses as `::ffff:1.2.3.4`, and IPv4-compatible ones (96 zero bits, then a non-zero
 * 16-bit group) as `::1.2.3.4`.
 */
function inet6Text(bytes: Uint8Array): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, 16);
  if (view.subarray(0, 10).every((b) => b === 0)) {
    if (view[10] === 0xff && view[11] === 0xff) return `::ffff:${inet4Text(view, 12)}`;
    if (view[10] === 0 && view[11] === 0 && (view[12] !== 0 || view[13] !== 0)) return `::${inet4Text(view, 12)}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => view.readUInt16BE(i * 2));
  const [start, length] = zeroRun(groups);
  const text = (part: number[]) => part.map((g) => g.toString(16)).join(":");
  return start < 0 ? text(groups) : `${text(groups.slice(0, start))}::${text(groups.slice(start + length))}`;
}

const formats: Record<string, { width: number; text: (bytes: Uint8Array) => string }> = {
  uuid: { width: 16, text: uuidText },
  inet4: { width: 4, text: inet4Text },
  inet6: { width: 16, text: inet6Text },
};

/** The text of a UUID/INET4/INET6 column's binlog bytes; null for other types or widths. */
export function mariadbTypeText(dataType: string, bytes: Uint8Array): string | null {
  const format = Object.hasOwn(formats, dataType) ? formats[dataType] : undefined;
  return format && bytes.length === format.width ? format.text(bytes) : null;
}
