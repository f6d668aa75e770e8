// How column names compare: MySQL and MariaDB treat `Id` and `ID` as one column, but `e` and
// `é` as two, which is what lower-casing does. The compiler's checks of a columns block and the
// runtime's resolution of it against a table compare with this one key.

/** The form in which two column names name one column. */
export function columnNameKey(name: string): string {
  return name.toLowerCase();
}
