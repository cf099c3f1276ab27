import type { StepReporter } from '../events';
import type { EntityClaim } from '../ordering';

/** Enough of a long list for a person to see what happened; the event's payload has it all. */
const LISTED = 100;

/**
 * The `superseded` step: which values were left out, and the newer message that won each, e.g.
 * `{key: 'inventory:CHAIR', field: '@wh-01', newerMessageId, newerAt}`.
 */
export function reportSuperseded(claim: EntityClaim, report: StepReporter): Promise<void> {
  return report('superseded', {
    count: claim.superseded.length,
    items: claim.superseded
      .slice(0, LISTED)
      .map(({ unit, key, field, newerMessageId, newerAt }) => ({
        item: unit,
        key,
        field,
        newerMessageId,
        newerAt,
      })),
  });
}
