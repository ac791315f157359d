import { generateKeyPairSync } from 'node:crypto';
import type { RunnerSession } from '@runtrail/client';

/** A fresh Ed25519 public key in PEM, the form a session carries its signing key in. */
export function ed25519PublicKeyPem(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The session of runner-1 (tenant acme, workspace acme-prod) in namespace runtrail, for the agent's unit specs. */
export function runnerSession(signingPublicKey: string = ed25519PublicKeyPem()): RunnerSession {
  return {
    runnerId: 'runner-1',
    tenantId: 'acme',
    name: 'ci',
    workspaces: ['acme-prod'],
    stream: 'runtrail-events',
    consumer: 'runtrail-runner-runner-1',
    subject: 'runtrail.evt.acme.cmd.runner-1',
    signingPublicKey,
  };
}
