import { confirmFollow, insertPendingFollower, type Pool, type TokenSigner } from '@pave/core';

/**
 * A follower who asked to follow and opened the confirmation link, the way the API and the mail make
 * one; returns their private token. For tests about what a follower then receives or may do.
 */
export async function addConfirmedFollower(
  deps: { db: Pool; tokens: TokenSigner },
  input: { reportId: string; email: string },
): Promise<{ followerToken: string }> {
  const followerId = await insertPendingFollower(deps.db, input.reportId, input.email);
  return confirmFollow(deps, { reportId: input.reportId, token: deps.tokens.followConfirmationToken(followerId) });
}
