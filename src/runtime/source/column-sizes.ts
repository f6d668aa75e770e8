// Sizes information_schema reports for types whose size the column type does not spell out:
// the digits of each integer type and the byte length of each TEXT/BLOB type. The binlog's
// table maps (FULL metadata) and `dts test`'s CREATE TABLE reader both describe columns the
// way information_schema would, from these.

const integerDigits: Record<string, [signed: number, unsigned: number]> = {
  tinyint: [3, 3], smallint: [5, 5], mediumint: [7, 8], int: [10, 10], bigint: [19, 20],
};
const blobLengths: Record<string, number> = {
  tinytext: 255, text: 65535, mediumtext: 16777215, longtext: 4294967295,
  tinyblob: 255, blob: 65535, mediumblob: 16777215, longblob: 4294967295,
};

/** NUMERIC_PRECISION of an integer type; undefined for any other type. */
export function integerPrecision(dataType: string, unsigned: boolean): number | undefined {
  return Object.hasOwn(integerDigits, dataType) ? integerDigits[dataType]?.[unsigned ? 1 : 0] : undefined;
}

/** CHARACTER_MAXIMUM_LENGTH of a TEXT or BLOB type; undefined for any other type. */
export function blobLength(dataType: string): number | undefined {
  return Object.hasOwn(blobLengths, dataType) ? blobLengths[dataType] : undefined;
}
