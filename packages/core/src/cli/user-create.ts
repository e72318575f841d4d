// `npm run user:create -- --email a@b.fr --role admin [--team voirie-11] [--service voirie] [--password …]`
// Creates a staff account; prints a generated password when none is given (how the first admin is made).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { CommonEnv, parseEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createStaffUser } from '../staff/auth.service';

const env = parseEnv(Type.Object({ DATABASE_URL: CommonEnv.DATABASE_URL }), process.env);
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    team: { type: 'string' },
    service: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
  },
});
if (!values.email || !values.role) {
  console.error(
    'usage: npm run user:create -- --email <e-mail> --role crew|supervisor|council|admin|agent [--team <team code>] [--service <service>] [--password <password>]',
  );
  process.exit(2);
}
const password = values.password ?? randomBytes(12).toString('base64url');
const pool = createPool({ connectionString: env.DATABASE_URL, max: 1, applicationName: 'pave-user-create' });
try {
  const user = await createStaffUser(pool, {
    email: values.email,
    role: values.role,
    teamCode: values.team,
    service: values.service,
    password,
    displayName: values.name,
  });
  console.log(`created ${user.role} ${user.email}${values.password ? '' : `\npassword: ${password}`}`);
} catch (error) {
  console.error(`user:create failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
