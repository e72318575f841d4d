import { processPhoto } from '@pave/core';
import { UnrecoverableError } from 'bullmq';
import type { JobDefinition } from './job';

/** `photo.process`: upright, metadata-free renditions of one uploaded photo. */
export const photoProcessJob: JobDefinition<'photo.process'> = {
  name: 'photo.process',
  async handler({ photoId }, { deps, logger }) {
    const outcome = await processPhoto({ ...deps, logger }, photoId);
    // An undecodable photo will never succeed: fail the job now instead of retrying it.
    if (outcome === 'failed') throw new UnrecoverableError(`photo ${photoId} cannot be decoded`);
    logger.info({ photoId, outcome }, 'photo.process done');
    return { outcome };
  },
};
