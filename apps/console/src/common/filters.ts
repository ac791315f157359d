/**
 * A list's filters, in the URL under their API names: a text box each, or a select of
 * `choices` (its value and text).
 */
export interface FilterField<P extends string = string> {
  param: P;
  label: string;
  choices?: readonly { value: string; text: string }[];
  numeric?: boolean;
}

export type Filters<P extends string> = Partial<Record<P, string>>;

export function readFilters<P extends string>(params: URLSearchParams, fields: readonly FilterField<P>[]): Filters<P> {
  const filters: Filters<P> = {};
  for (const { param } of fields) {
    const value = params.get(param)?.trim();
    if (value) filters[param] = value;
  }
  return filters;
}

/** Writes the filters into `params`, empty ones left out. */
export function writeFilters<P extends string>(params: URLSearchParams, fields: readonly FilterField<P>[], filters: Filters<P>): void {
  for (const { param } of fields) {
    params.delete(param);
    const value = filters[param]?.trim();
    if (value) params.set(param, value);
  }
}
