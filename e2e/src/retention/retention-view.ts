/** `GET` and `PUT /v1/retention`'s answer, as the e2e specs read it (docs/api.md#retention). */
export interface RetentionView {
  tenantId: string;
  days: number;
  legalHold: boolean;
  updatedAt: string | null;
  removed: { upToIndex: number; upTo: string; at: string } | null;
}
