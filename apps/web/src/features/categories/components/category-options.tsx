import type { CategoryTree } from '@pave/shared';
import { useI18n } from '../../../i18n';

/** Every category as an `<option>`, in an `<optgroup>` per group, named in the UI language. */
export function CategoryOptions({ tree }: { tree: CategoryTree }) {
  const { label } = useI18n();
  return tree.groups.map((group) => (
    <optgroup key={group.code} label={label(group.label)}>
      {group.categories.map((c) => (
        <option key={c.code} value={c.code}>
          {label(c.label)}
        </option>
      ))}
    </optgroup>
  ));
}
