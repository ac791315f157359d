/** One dependency whose health decides `/readyz`. */
export interface ReadinessCheck {
  readonly name: string;
  isReady(): Promise<boolean>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
