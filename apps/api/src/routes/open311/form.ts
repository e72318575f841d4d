import type { FastifyInstance } from 'fastify';

/** Form bodies are small: 4,000 characters of description percent-encode to about 36 KB. */
const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Parses application/x-www-form-urlencoded bodies for the plugin it is called in. A field sent
 * several times (`attribute[c][]=a&attribute[c][]=b`) becomes an array, so no value is lost.
 */
export function addFormParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => {
      const fields = new Map<string, string | string[]>();
      for (const [key, value] of new URLSearchParams(body as string)) {
        const seen = fields.get(key);
        fields.set(key, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
      }
      // fromEntries defines own properties: a "__proto__" field cannot reach a prototype.
      done(null, Object.fromEntries(fields));
    },
  );
}
