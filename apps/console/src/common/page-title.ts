import { useEffect } from 'react';

/** The document's title follows the view: `Timeline · Runtrail`. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Runtrail`;
  }, [title]);
}
