import { OPEN311_XML } from '@pave/shared';

// XML 1.0 cannot carry most control characters or lone surrogates, even escaped:
// they are replaced so that a hostile description never makes a document unparseable.
// eslint-disable-next-line no-control-regex -- naming the characters XML allows is the point
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function element(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = OPEN311_XML.listItems[name];
    if (!item) throw new Error(`no XML item element known for list "${name}"`);
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v));
    return `<${name}>${children.join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/**
 * Writes an Open311 answer as XML: `item` set, `data` is a list wrapped in `root`
 * (`services/service`); otherwise `data` is the single `root` element (`discovery`).
 */
export function toOpen311Xml(root: string, item: string | null, data: unknown): string {
  const body =
    item === null
      ? element(root, data)
      : `<${root}>${(data as unknown[]).map((d) => element(item, d)).join('')}</${root}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}
