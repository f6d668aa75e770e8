// The order of binlog files. Servers name them <base>.<sequence>, zero-padded to six digits
// only until the sequence outgrows them: mysql-bin.999999 is followed by mysql-bin.1000000,
// which sorts before it as text. Every comparison of positions goes through here.

interface BinlogFileName {
  base: string;
  sequence: bigint | null;
}

function split(name: string): BinlogFileName {
  const m = /^(.*)\.(\d+)$/.exec(name);
  return m ? { base: m[1] as string, sequence: BigInt(m[2] as string) } : { base: name, sequence: null };
}

/** Negative when file `a` comes before `b`; by base name, then by the number after the last dot. */
export function compareBinlogFiles(a: string, b: string): number {
  if (a === b) return 0;
  const x = split(a);
  const y = split(b);
  if (x.base !== y.base || x.sequence === null || y.sequence === null) return a < b ? -1 : 1;
  if (x.sequence === y.sequence) return a < b ? -1 : 1; // same number written with other padding
  return x.sequence < y.sequence ? -1 : 1;
}

/** Whether two files belong to the same series (same base name), so their order means anything. */
export function sameBinlogSeries(a: string, b: string): boolean {
  return split(a).base === split(b).base;
}

export function compareBinlogPositions(a: { file: string; offset: number }, b: { file: string; offset: number }): number {
  const byFile = compareBinlogFiles(a.file, b.file);
  if (byFile !== 0) return byFile;
  return a.offset === b.offset ? 0 : a.offset < b.offset ? -1 : 1;
}
