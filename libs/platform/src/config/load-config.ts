import { TransformationType, plainToInstance, type ClassConstructor } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validateSync } from 'class-validator';

// The registry `@Expose()` writes to; class-transformer exports it only from this path.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a config class from the environment and validates it, so that a bad or
 * missing setting stops the process at start with a message naming the variable.
 * Empty strings count as unset: `FOO= npm start` should mean "use the default".
 */
export function loadConfig<T extends object>(cls: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const plain = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(cls, plain, { excludeExtraneousValues: true, exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length) {
    throw new ConfigError(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  }
  return config;
}

/**
 * The environment variables `loadConfig(cls)` reads: the exposed properties of the class
 * and its ancestors, and no others. Lets a deployment be checked against what a service
 * takes (deploy/kubernetes, `nx test deploy`).
 */
export function settingNames<T extends object>(cls: ClassConstructor<T>): string[] {
  return defaultMetadataStorage.getExposedProperties(cls, TransformationType.PLAIN_TO_CLASS);
}
