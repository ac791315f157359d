export * from './entities/audit-event.entity';
export * from './entities/projector-checkpoint.entity';
export * from './entities/dead-letter.entity';
export * from './schema';
export * from './database';
export * from './persistence.module';
export * from './writes/audit-event-rows';
