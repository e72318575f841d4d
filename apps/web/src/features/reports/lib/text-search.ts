/** Lower case without accents or punctuation: "Dépôt" and "depot" match, so do "nid de poule" and "nid-de-poule". */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
