import type { AdminTeam } from '@pave/shared';

/** The teams as `<option>`s by code, named; `none` first when a field may name no team. */
export function TeamOptions({ teams, none }: { teams: AdminTeam[]; none?: string }) {
  return (
    <>
      {none !== undefined && <option value="">{none}</option>}
      {teams.map((team) => (
        <option key={team.code} value={team.code}>
          {team.name}
        </option>
      ))}
    </>
  );
}
