import { createContext, useContext } from 'react';
import type { Api } from '../api/client';

/** The client the views call: the signed-in key's, or an embed link's (embed/embed-page.tsx). */
export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside an ApiContext');
  return api;
}
