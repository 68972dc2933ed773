// Grouping by a key, as `Map.groupBy` does (Node 20, which the app and server run on, lacks it).

/** `items` grouped by `keyOf`: groups in the order of their first item, each group's items (or `valueOf` them) in order. */
export function groupBy<T, K, V = T>(items: Iterable<T>, keyOf: (item: T) => K, valueOf: (item: T) => V = (item) => item as unknown as V): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(valueOf(item));
    else groups.set(key, [valueOf(item)]);
  }
  return groups;
}
