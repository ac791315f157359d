import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

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
