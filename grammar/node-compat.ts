// Chevrotain 13 calls Object.groupBy (ES2024, Node 21+) while our floor is Node 20.19.
// Installed once, before the parser analyses its grammar; a no-op on newer runtimes.
type GroupBy = <T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) => Partial<Record<K, T[]>>;

const objectWithGroupBy = Object as unknown as { groupBy?: GroupBy };
if (typeof objectWithGroupBy.groupBy !== "function") {
  const groupBy: GroupBy = (items, key) => {
    const groups = Object.create(null) as Record<PropertyKey, unknown[]>;
    let index = 0;
    for (const item of items) {
      const name = key(item, index++);
      (groups[name] ??= []).push(item);
    }
    return groups as never;
  };
  Object.defineProperty(Object, "groupBy", { value: groupBy, writable: true, configurable: true });
}
