// The detail page's tag filter (pure, unit-tested in Node): case-insensitive on key and value.

/** Whether a tag row matches what is typed in the filter (empty or blank: every row). */
export function matchesTagFilter(query: string, key: string, value: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || `${key}\u0000${value}`.toLowerCase().includes(q);
}

/** "3 of 12 tags". */
export function tagCountText(shown: number, total: number): string {
  return `${shown} of ${total} tags`;
}
