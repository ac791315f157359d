/** One dependency whose health decides `/readyz`. */
export interface ReadinessCheck {
  readonly name: string;
  isReady(): Promise<boolean>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** The routes of HealthController; deploy/kubernetes probes them (checked by `nx test deploy`). */
export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';
