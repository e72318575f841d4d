import { MASKS } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { addConfirmedFollower, fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({
  worker: true,
  smtp: true,
  staff: { supervisor: STAFF_OF_EACH_ROLE.supervisor },
  env: { PUBLIC_BASE_URL: 'https://pave.example' },
});

const recipientOf = (mail: { to?: unknown }) => (mail.to as { text: string }).text;

describe('a status mail quoting personal data', () => {
  it('reaches a follower masked and the reporter as written', async () => {
    const report = await fileRoutedReport(stack.deps, { email: 'reporter@example.org' });
    await addConfirmedFollower(stack.deps, { reportId: report.id, email: 'voisin@example.org' });
    const message = 'Le propriétaire du véhicule AB-123-CD a été joint au 06 12 34 56 78.';
    const response = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/transitions`,
      headers: stack.as('supervisor'),
      payload: { to: 'resolved', message },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [toReporter, toFollower] = await waitFor(
      async () => {
        const mails = stack.smtp.mails.filter((m) => m.subject === `${report.ref} : Résolu`);
        const reporter = mails.find((m) => recipientOf(m) === 'reporter@example.org');
        const follower = mails.find((m) => recipientOf(m) === 'voisin@example.org');
        return reporter && follower ? ([reporter, follower] as const) : null;
      },
      { what: 'the resolution mails' },
    );
    expect(toReporter.text).toContain(message);
    expect(toFollower.text).toContain(`Le propriétaire du véhicule ${MASKS.plate} a été joint au ${MASKS.phone}.`);
    expect(toFollower.text).not.toContain('06 12 34 56 78');
    expect(toFollower.html).not.toContain('AB-123-CD');
  });
});
