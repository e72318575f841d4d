/**
 * A comma-separated query value (`status=new,acknowledged`) as its trimmed, non-empty items, without
 * repeats; `null` when absent or empty, which every filter reads as "no restriction".
 */
export function parseCommaList(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const items = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  return items.length ? items : null;
}
