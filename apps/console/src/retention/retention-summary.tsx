import { useId } from 'react';
import { UtcTime } from '../common/time';
import { keptFor } from './retention-text';
import type { Retention } from './retention-types';

/** The tenant's policy as the service holds it, and what retention last removed. */
export function RetentionSummary({ view, root }: { view: Retention; root: boolean }) {
  const id = useId();
  const { removed } = view;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Current policy</h2>
      <dl className="fields">
        {root ? (
          <>
            <dt>Tenant</dt>
            <dd>{view.tenantId}</dd>
          </>
        ) : null}
        <dt>Entries kept</dt>
        <dd>{view.days === 0 ? 'forever (the default)' : `${keptFor(view.days)} after they are received`}</dd>
        <dt>Legal hold</dt>
        <dd>{view.legalHold ? 'on: retention removes nothing' : 'off'}</dd>
        <dt>Last changed (UTC)</dt>
        <dd>{view.updatedAt ? <UtcTime iso={view.updatedAt} /> : <span className="muted">never: the default policy</span>}</dd>
        <dt>Last removal</dt>
        <dd>
          {removed ? (
            // The log index is shown as `verify` reports it (removed: { upToIndex }), ungrouped.
            <>
              Removed entries before index {removed.upToIndex}, received before{' '}
              <span className="nowrap">
                <UtcTime iso={removed.upTo} /> UTC
              </span>
              , on{' '}
              <span className="nowrap">
                <UtcTime iso={removed.at} /> UTC
              </span>
              .
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
      </dl>
    </section>
  );
}
