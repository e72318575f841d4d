import type { Pool } from '../db/pool';
import { findActiveStaffEmails } from './staff.repo';

/**
 * One demo account per role, with published passwords: for a local demo only, never production.
 * Each has a person's or a crew's name, as screens show staff by name.
 */
export const DEMO_STAFF = [
  {
    email: 'equipe.voirie11@demo.pave',
    displayName: 'Équipe Voirie 11e',
    role: 'crew',
    teamCode: 'voirie-11',
    password: 'demo-equipe-pave',
  },
  {
    email: 'chef.voirie@demo.pave',
    displayName: 'Amina Diallo',
    role: 'supervisor',
    service: 'voirie',
    password: 'demo-superviseur-pave',
  },
  { email: 'elu@demo.pave', displayName: 'Bernard Lefèvre', role: 'council', password: 'demo-conseil-pave' },
  { email: 'admin@demo.pave', displayName: 'Claire Rousseau', role: 'admin', password: 'demo-admin-pave' },
  { email: 'agent@demo.pave', displayName: 'Karim Benali', role: 'agent', password: 'demo-agent-pave' },
] as const;

/** The active demo accounts of a database: a production API refuses to start while any exists. */
export async function findDemoStaff(db: Pool): Promise<string[]> {
  return findActiveStaffEmails(
    db,
    DEMO_STAFF.map((a) => a.email),
  );
}
