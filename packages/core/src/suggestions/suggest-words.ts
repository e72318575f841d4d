// Words that say nothing about what is broken: French function words and the words of every report.
const STOP_WORDS = new Set(
  (
    'les des une dans sur par pour avec sans sous chez entre vers aux du de la le un et ou en au ce cet cette ces ' +
    'est sont ete etre avoir fait faire qui que quoi dont ainsi aussi tres plus moins tout tous toute toutes ' +
    'son sa ses leur leurs mon ma mes notre nos votre vos il elle ils elles nous vous on je tu ne pas rien ' +
    'depuis encore deja jour jours semaine semaines mois devant derriere pres face cote niveau ' +
    'rue avenue boulevard place bis ter merci bonjour svp paris arrondissement'
  ).split(' '),
);

/**
 * The words a suggestion model reads from free text: lower case, without accents or elisions,
 * stop words and words under 3 letters dropped, and a plural `s`/`x` trimmed ("pavés" → "pave").
 */
export function normaliseWords(text: string): string[] {
  const words: string[] = [];
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
  for (const raw of plain.split(/[^a-z0-9]+/)) {
    if (raw.length < 3 || /^\d+$/.test(raw) || STOP_WORDS.has(raw)) continue;
    const word = raw.length > 4 && /[sx]$/.test(raw) ? raw.slice(0, -1) : raw;
    if (!STOP_WORDS.has(word)) words.push(word);
  }
  return words;
}
