import { createApiKey } from '@pave/core';
import { MASKS } from '@pave/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { multipart } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({ staff: STAFF_OF_EACH_ROLE });

const DESCRIPTION =
  'Voiture AB-123-CD garée depuis le 12/03/2026 devant le 12 rue de la Roquette, propriétaire au 06 12 34 56 78.';
const COMMENT = 'Toujours là, écrivez-moi à jeanne.d@example.org ou au +33 6 98 76 54 32 (1234 AB 75 aussi).';
const SECRETS = ['AB-123-CD', '06 12 34 56 78', 'jeanne.d@example.org', '+33 6 98 76 54 32', '1234 AB 75'];

let report: { id: string; ref: string };
let apiKey: string;

beforeAll(async () => {
  const created = await fileRoutedReport(stack.deps, { description: DESCRIPTION, email: 'reporter@example.org' });
  report = created;
  const t = new URL(created.trackingUrl, 'https://x').searchParams.get('t')!;
  const body = await multipart({ t, text: COMMENT });
  const commented = await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...body });
  expect(commented.statusCode, commented.body).toBe(201);
  apiKey = (await createApiKey(stack.pool, 'masking client')).key;
});

function expectMasked(body: string) {
  for (const secret of SECRETS) expect(body).not.toContain(secret);
  expect(body).toContain(MASKS.plate);
  expect(body).toContain(MASKS.phone);
  expect(body).toContain(MASKS.email);
  // What is not personal stays as written.
  expect(body).toContain('12/03/2026');
  expect(body).toContain('12 rue de la Roquette');
}

describe('personal data typed in free text is masked in public outputs', () => {
  it('on the public report, by id and by reference (the follow link)', async () => {
    for (const url of [`/api/reports/${report.id}`, `/api/reports/by-ref/${report.ref}`]) {
      const response = await stack.app.inject({ url });
      expect(response.statusCode).toBe(200);
      expectMasked(response.body);
      const json = response.json();
      expect(json.description).toBe(
        `Voiture ${MASKS.plate} garée depuis le 12/03/2026 devant le 12 rue de la Roquette, propriétaire au ${MASKS.phone}.`,
      );
      const comment = json.timeline.find((e: { event: string }) => e.event === 'comment');
      expect(comment.message).toBe(
        `Toujours là, écrivez-moi à ${MASKS.email} ou au ${MASKS.phone} (${MASKS.plate} aussi).`,
      );
    }
  });

  it('on Open311 GET requests and GET request by id, in JSON and XML', async () => {
    for (const url of [
      `/open311/v2/requests.json?service_request_id=${report.id}&extensions=true`,
      `/open311/v2/requests/${report.id}.json`,
      `/open311/v2/requests/${report.id}.xml`,
      `/open311/v2/requests.json?api_key=${apiKey}`,
    ]) {
      const response = await stack.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain(MASKS.plate);
      for (const secret of SECRETS) expect(response.body, url).not.toContain(secret);
    }
  });

  it('staff read the original text', async () => {
    const response = await stack.app.inject({
      url: `/api/staff/reports/${report.id}`,
      headers: stack.as('supervisor'),
    });
    expect(response.statusCode).toBe(200);
    const json = response.json();
    expect(json.description).toBe(DESCRIPTION);
    expect(json.timeline.find((e: { event: string }) => e.event === 'comment').message).toBe(COMMENT);
  });
});
