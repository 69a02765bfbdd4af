/** Differences smaller than this share are run-to-run noise on a shared 2-core machine. */
export const NOISE = 0.1;

export type Outcome = 'win' | 'tie' | 'loss';

/** fintoken's outcome against a peer on a lower-is-better measure (time, requests). */
export function lowerIsBetter(fintoken: number, peer: number, noise = NOISE): Outcome {
  if (!(Number.isFinite(fintoken) && Number.isFinite(peer))) return 'tie';
  if (fintoken <= peer * (1 - noise)) return 'win';
  if (peer <= fintoken * (1 - noise)) return 'loss';
  return 'tie';
}
