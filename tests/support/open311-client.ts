import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The list elements of Open311 XML: always arrays once parsed, even with one item. */
const LIST_ELEMENTS = new Set([
  'service',
  'request',
  'error',
  'attribute',
  'value',
  'endpoint',
  'format',
  'request_update',
  'entry',
  'jurisdiction',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  // Every value stays text, as a client reading the XML sees it.
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

/** Parses an Open311 XML answer after checking it is well-formed; throws with the parser's reason otherwise. */
export function parseOpen311Xml(body: string): Record<string, unknown> {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  return parser.parse(body) as Record<string, unknown>;
}

/**
 * The JSON value an XML element must carry: text for scalars, '' for null (an empty element),
 * and the same structure for objects and lists (lists are wrapped in their item element).
 */
export function asXmlText(value: unknown, itemName?: string): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    return { [itemName!]: value.map((v) => asXmlText(v, undefined)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asXmlText(v, XML_ITEMS[k])]),
    );
  }
  // XML 1.0 cannot carry these control characters; the server sends U+FFFD in their place.
  // eslint-disable-next-line no-control-regex -- these control characters are what is replaced
  return String(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

const XML_ITEMS: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
  history: 'entry',
  jurisdictions: 'jurisdiction',
};

/** An application/x-www-form-urlencoded body from ordered pairs (keys may repeat). */
export function formBody(pairs: [string, string][]): { payload: string; headers: Record<string, string> } {
  return {
    payload: new URLSearchParams(pairs).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
