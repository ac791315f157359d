import { useId } from 'react';
import { DEFAULT_LIMIT, PAGE_SIZES, type Paging } from './url-state';

/**
 * One page at a time: `Next page` follows the Link header's cursor, `First page` drops it.
 * The buttons are aria-disabled rather than disabled, so focus stays on them while the
 * next page loads.
 */
export function Pager({ next, paging, onPaging }: { next: string | null; paging: Paging; onPaging: (paging: Paging) => void }) {
  const id = useId();
  const limit = paging.limit ?? DEFAULT_LIMIT;
  const sizes = (PAGE_SIZES as readonly number[]).includes(limit) ? PAGE_SIZES : [...PAGE_SIZES, limit].sort((a, b) => a - b);
  return (
    <div className="pager">
      <button type="button" aria-disabled={!paging.cursor} onClick={() => paging.cursor && onPaging({ ...paging, cursor: undefined })}>
        First page
      </button>
      <button type="button" aria-disabled={!next} onClick={() => next && onPaging({ ...paging, cursor: next })}>
        Next page
      </button>
      <label htmlFor={id}>Rows per page</label>
      <select id={id} value={limit} onChange={(e) => onPaging({ limit: Number(e.target.value), cursor: undefined })}>
        {sizes.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
