import { Link } from 'react-router';
import { writeRunsState } from '../runs/run-filters';
import { formatSearch } from '../timeline/search-query';
import { writeTimelineState } from '../timeline/timeline-url';

/** The timeline filtered by a correlation id: audit entries and the runs' `Run` entries alike. */
export const correlationTimelinePath = (id: string) => `/timeline?${writeTimelineState({ q: formatSearch({ correlation_id: id }), time: { range: 'any' } }).toString()}`;

/** The runs list filtered by a correlation id. */
export const correlationRunsPath = (id: string) => `/runs?${writeRunsState({ filters: { correlation_id: id }, time: { range: 'any' } }).toString()}`;

/**
 * A correlation id as the way to everything that carries it: the id links to the timeline
 * filtered by it, and `runs` to the runs list filtered by it.
 */
export function CorrelationLinks({ id }: { id: string }) {
  return (
    <span className="correlation">
      {/* The names hold the visible text and say where each link goes. */}
      <Link to={correlationTimelinePath(id)} aria-label={`Timeline of correlation ${id}`}>
        <code>{id}</code>
      </Link>{' '}
      <Link to={correlationRunsPath(id)} className="correlation-runs" aria-label={`Runs of correlation ${id}`}>
        runs
      </Link>
    </span>
  );
}
