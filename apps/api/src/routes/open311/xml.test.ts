import { describe, expect, it } from 'vitest';
import { toOpen311Xml } from './xml';

describe('toOpen311Xml', () => {
  it('wraps a list in its root and item elements, with empty elements for null', () => {
    expect(toOpen311Xml('errors', 'error', [{ code: 404, description: 'x' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>404</code><description>x</description></error></errors>\n',
    );
    expect(toOpen311Xml('service_definition', null, { service_code: 'a', attributes: [] })).toContain(
      '<service_definition><service_code>a</service_code><attributes></attributes></service_definition>',
    );
    expect(toOpen311Xml('services', 'service', [{ description: null, metadata: false }])).toContain(
      '<service><description/><metadata>false</metadata></service>',
    );
  });

  it('escapes markup and replaces characters XML 1.0 cannot carry', () => {
    const xml = toOpen311Xml('services', 'service', [{ description: `<a href="x">'&'</a>\u0000\u001b\uD800 é 🚲` }]);
    expect(xml).toContain(
      '<description>&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\uFFFD\uFFFD\uFFFD é 🚲</description>',
    );
  });

  it('refuses a list it has no item name for, rather than inventing one', () => {
    expect(() => toOpen311Xml('x', null, { unknown_list: [1] })).toThrow(/unknown_list/);
  });
});
