/**
 * ColorBrewer YlGnBu in six steps, pale to dark: sequential, readable by the common colour-vision
 * deficiencies and in greyscale print. It starts at a pale green-blue, not viridis's bright yellow:
 * a quiet street must look quiet, or the whole city looks hot.
 */
export const DENSITY_COLOURS = ['#d9f0c4', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494', '#081d58'] as const;

export interface DensityClass {
  /** Smallest count of the class, inclusive. */
  min: number;
  /** Largest count, inclusive. */
  max: number;
  colour: string;
}

/**
 * Classes of counts up to `max`, on a square-root scale: report density is skewed (a few streets
 * hold most reports), and linear classes would paint nearly every cell the lightest colour.
 */
export function densityClasses(max: number): DensityClass[] {
  if (max <= 0) return [];
  const steps = Math.min(DENSITY_COLOURS.length, max);
  const classes: DensityClass[] = [];
  let min = 1;
  for (let k = 1; k <= steps; k += 1) {
    const upper = k === steps ? max : Math.max(min, Math.round(max * (k / steps) ** 2));
    if (upper < min) continue;
    classes.push({ min, max: upper, colour: DENSITY_COLOURS[Math.round(((k - 1) * 5) / Math.max(1, steps - 1))]! });
    min = upper + 1;
  }
  return classes;
}

/** The colour of a count among `classes`, or null for zero (the cell is not drawn). */
export function colourOf(count: number, classes: DensityClass[]): string | null {
  if (count <= 0) return null;
  for (const c of classes) if (count <= c.max) return c.colour;
  return classes[classes.length - 1]?.colour ?? null;
}
