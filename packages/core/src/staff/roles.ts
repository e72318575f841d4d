import { AppError, type StaffRole } from '@pave/shared';
import type { StaffUser } from './staff.repo';

/** Refuses a user whose role is not in `roles` (403). */
export function requireRole(user: StaffUser, roles: readonly StaffRole[]): void {
  if (!roles.includes(user.role)) throw new AppError('FORBIDDEN', 'Your role does not allow this action.');
}

/** Analytics are for the council, supervisors and admins; a crew works its queue (403). */
export function requireAnalyst(user: StaffUser): void {
  requireRole(user, ['council', 'supervisor', 'admin']);
}
