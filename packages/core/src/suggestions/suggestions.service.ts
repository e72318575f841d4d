import { AppError, SUGGESTION_LIMITS, type CategoryGroup, type CategorySuggestion } from '@pave/shared';
import { findCategoryTree, findOfferedCategoryTree } from '../categories/categories.repo';
import type { Db } from '../db/pool';
import type { RedisConnection } from '../queue/queue';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import { findTownAt } from '../towns/towns.repo';
import { buildSuggestModel, pickSuggestions, rankCategories, type SuggestModel } from './suggest-model';
import { normaliseWords } from './suggest-words';
import { countCategoriesNear, findSuggestDocuments } from './suggestions.repo';

// What "nearby" means: a street's length, where the same kind of problem tends to come back.
export const SUGGEST_NEARBY_METRES = 150;
// Recent descriptions the model learns from: a few MB of words, built in well under a second.
const TRAINING_REPORTS = 20_000;
// How long a built model serves: new reports' words are picked up within this delay.
const MODEL_TTL_MS = 10 * 60_000;

interface BuiltModel {
  model: SuggestModel;
  tree: CategoryGroup[];
  builtAt: number;
}

// One model per database pool (tests run several apps in a process), built once and rebuilt lazily.
const models = new WeakMap<object, { current: Promise<BuiltModel>; isRefreshing: boolean }>();

async function buildModel(db: Db): Promise<BuiltModel> {
  const tree = await findCategoryTree(db);
  const categories = tree.flatMap((group) =>
    group.categories.map((c) => ({ code: c.code, words: [c.label.fr, c.label.en, ...c.synonyms] })),
  );
  const model = buildSuggestModel(categories, await findSuggestDocuments(db, TRAINING_REPORTS));
  return { model, tree, builtAt: Date.now() };
}

/** The current model for this database: built on first use, rebuilt in the background when stale. */
export async function loadSuggestModel(db: Db, now = Date.now()): Promise<BuiltModel> {
  const entry = models.get(db);
  if (!entry) {
    const current = buildModel(db);
    models.set(db, { current, isRefreshing: false });
    current.catch(() => models.delete(db));
    return current;
  }
  const built = await entry.current;
  if (now - built.builtAt > MODEL_TTL_MS && !entry.isRefreshing) {
    entry.isRefreshing = true;
    // The stale model keeps answering until the new one is ready.
    const next = buildModel(db);
    next.then(
      () => models.set(db, { current: next, isRefreshing: false }),
      () => (entry.isRefreshing = false),
    );
  }
  return built;
}

export interface SuggestDeps {
  db: Db;
  redis: RedisConnection;
  rateLimitPrefix: string;
}

/**
 * The categories a resident may choose at a point, as `GET /api/categories?lon&lat` offers them (the
 * town's offer in its own words, and what a town-less body handles there). None outside every town or
 * in a town that takes no reports: the form would refuse any category there.
 */
async function findOfferAt(db: Db, point: { lon: number; lat: number }): Promise<CategoryGroup[]> {
  const town = await findTownAt(db, point.lon, point.lat);
  if (!town?.isServed) return [];
  return findOfferedCategoryTree(db, { townCode: town.code, ...point });
}

/**
 * The categories a resident most likely means, from the description's words and what is often reported
 * near the point. At least one of the two is required. With a point, only what the town there offers
 * (the model knows the whole catalogue; a suggestion the form must hide would waste a place of three).
 */
export async function suggestCategories(
  deps: SuggestDeps,
  input: { text: string; point: { lon: number; lat: number } | null },
  ip: string,
): Promise<CategorySuggestion[]> {
  const words = normaliseWords(input.text.slice(0, SUGGESTION_LIMITS.textMaxLength));
  if (input.text.trim() === '' && !input.point) {
    throw new AppError('VALIDATION_FAILED', 'Give a description (q), a position (lon and lat), or both.');
  }
  // Called as the resident types: generous, but a scraper loop still meets a wall.
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [{ key: `suggest:ip:${ip}`, max: 120, windowSeconds: 60 }],
    'Too many category suggestions asked from this address: wait a minute.',
  );
  const [{ model, tree }, nearby, offer] = await Promise.all([
    loadSuggestModel(deps.db),
    input.point ? countCategoriesNear(deps.db, input.point, SUGGEST_NEARBY_METRES) : Promise.resolve(undefined),
    input.point ? findOfferAt(deps.db, input.point) : Promise.resolve(null),
  ]);
  const byCode = new Map(
    (offer ?? tree).flatMap((group) =>
      group.categories.map((c) => [
        c.code,
        { code: c.code, label: c.label, group: { code: group.code, label: group.label } },
      ]),
    ),
  );
  const ranked = rankCategories(model, { words, nearby }).filter(({ code }) => byCode.has(code));
  // Renormalised over what is offered: the floor of pickSuggestions is then "better than a blind pick
  // among the categories the resident can choose".
  const total = ranked.reduce((sum, { score }) => sum + score, 0);
  const offered = ranked.map(({ code, score }) => ({ code, score: total > 0 ? score / total : 0 }));
  return pickSuggestions(offered, SUGGESTION_LIMITS.maxResults).map(({ code, score }) => ({
    ...byCode.get(code)!,
    score: Math.round(score * 1000) / 1000,
  }));
}
