import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { enStaff } from './en-staff';
import { fr } from './fr';
import { frStaff } from './fr-staff';

// The dictionary's split (fr.ts for every page, fr-staff.ts for the staff's pages only) read from the
// sources: which modules a resident's page loads, and which keys each module names.
const SRC = path.resolve(import.meta.dirname, '..');
const DICTIONARY_FILES = ['fr.ts', 'fr-staff.ts', 'en.ts', 'en-staff.ts'].map((name) => path.join(SRC, 'i18n', name));
const KEYS = [...Object.keys(fr), ...Object.keys(frStaff)];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((file) => existsSync(file));
}

interface Module {
  /** What loading this module loads too: its imports that are not type-only, and its `import()`s. */
  imports: string[];
  /** The pages opened through `withStaffMessages(import('…'))`: they load the staff's part. */
  staffPages: string[];
  keys: Set<string>;
}

function readModule(file: string): Module {
  const source = readFileSync(file, 'utf8');
  const specifiers = [
    ...[...source.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?\sfrom\s+'([^']+)'/gm)].map((m) => m[1]!),
    ...[...source.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!),
    ...[...source.matchAll(/(?<!withStaffMessages\(\s*)import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!),
  ];
  const staffPages = [...source.matchAll(/withStaffMessages\(\s*import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  const keys = new Set(KEYS.filter((key) => new RegExp(`['"\`]${key.replace(/\./g, '\\.')}['"\`]`).test(source)));
  // A key built from a template (`staff.role.${role}`) names every key its fixed parts fit.
  for (const [, head, tail] of source.matchAll(/`([a-zA-Z]+\.[\w.]*)\$\{[^}`]*\}([\w.]*)`/g)) {
    for (const key of KEYS) if (key.startsWith(head!) && key.endsWith(tail!)) keys.add(key);
  }
  const resolve = (specifier: string) => resolveImport(file, specifier);
  return {
    imports: specifiers.map(resolve).filter((found): found is string => !!found),
    staffPages: staffPages.map(resolve).filter((found): found is string => !!found),
    keys,
  };
}

const MODULES = new Map(
  sourceFiles(SRC)
    .filter((file) => !DICTIONARY_FILES.includes(file))
    .map((file) => [file, readModule(file)]),
);

/** Every module loading `roots` loads, and the staff pages met on the way. */
function reach(roots: string[]): { modules: Set<string>; staffPages: Set<string> } {
  const modules = new Set<string>();
  const staffPages = new Set<string>();
  const visit = (file: string) => {
    const module = MODULES.get(file);
    if (!module || modules.has(file)) return;
    modules.add(file);
    module.staffPages.forEach((page) => staffPages.add(page));
    module.imports.forEach(visit);
  };
  roots.forEach(visit);
  return { modules, staffPages };
}

const keysOf = (modules: Set<string>) => new Set([...modules].flatMap((file) => [...MODULES.get(file)!.keys]));

const residents = reach([path.join(SRC, 'main.tsx')]);
const staff = reach([...residents.staffPages]);
const residentKeys = keysOf(residents.modules);
const staffKeys = keysOf(staff.modules);

describe('the dictionary in two parts', () => {
  it('opens the staff’s four workspaces, and only those, with the staff’s part', () => {
    expect([...residents.staffPages].map((file) => path.relative(SRC, file)).sort()).toEqual([
      'features/admin/components/admin-page.tsx',
      'features/council/components/council-page.tsx',
      'features/moderation/components/moderation-page.tsx',
      'features/staff/components/staff-page.tsx',
    ]);
    // The reading itself: a key of the shell, one built from a template on the report page, one of a staff page.
    expect(residentKeys).toContain('nav.skip');
    expect(residentKeys).toContain('moderation.flag.reason.spam');
    expect(staffKeys).toContain('staff.role.crew');
    expect(residentKeys).not.toContain('staff.role.crew');
  });

  it('keeps every key a resident’s page names in fr.ts, so it never shows as a raw key', () => {
    const misplaced = [...residentKeys].filter((key) => key in frStaff);
    expect(misplaced, 'move these keys from fr-staff.ts and en-staff.ts to fr.ts and en.ts').toEqual([]);
  });

  it('keeps the keys only the staff’s pages name out of what residents download', () => {
    const misplaced = Object.keys(fr).filter((key) => staffKeys.has(key) && !residentKeys.has(key));
    expect(misplaced, 'move these keys from fr.ts and en.ts to fr-staff.ts and en-staff.ts').toEqual([]);
  });

  it('has each key in one part, and every French key of a part in English in the same part', () => {
    expect(Object.keys(fr).filter((key) => key in frStaff)).toEqual([]);
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    expect(Object.keys(enStaff).sort()).toEqual(Object.keys(frStaff).sort());
  });
});
