import type { KeyStore, RunnerStore } from '@runtrail/auth';
import type { ActionRunRecord, ScheduleFact } from '@runtrail/contracts';
import type { EventPublisher } from '@runtrail/messaging';
import { ConflictError, ManualClock } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import type { ActionRunRepository } from '../src/action-runs/action-run.repository';
import type { CommandEvents } from '../src/commands/command-events';
import { CommandStore } from '../src/commands/command-store';
import type { RunnerChoice } from '../src/commands/runner-choice';
import { RetriggerRun } from '../src/commands/usecases/retrigger-run/retrigger-run.usecase';
import { ScheduleChanges } from '../src/schedules/schedule-changes';
import { ScheduleEvents } from '../src/schedules/schedule-events';
import { ScheduleStore } from '../src/schedules/schedule-store';
import { CreateSchedule } from '../src/schedules/usecases/create-schedule/create-schedule.usecase';
import { DeleteSchedule } from '../src/schedules/usecases/delete-schedule/delete-schedule.usecase';
import { GetSchedule } from '../src/schedules/usecases/get-schedule/get-schedule.usecase';
import { PauseSchedule } from '../src/schedules/usecases/pause-schedule/pause-schedule.usecase';
import { ResumeSchedule } from '../src/schedules/usecases/resume-schedule/resume-schedule.usecase';
import { FireDueSchedules } from '../src/schedules/usecases/fire-due-schedules/fire-due-schedules.usecase';
import type { QueryConfig } from '../src/shared/config/query.config';
import { fakeNatsClient, recordingTimeline } from './fakes';
import { actionRun, apiKeyRecord, runnerRecord, tenantAuth } from './fixtures';

/**
 * The schedules' collaborators over in-memory stores: the real ScheduleStore, CommandStore and
 * RetriggerRun on fake KV buckets, a run repository, runners and keys that the spec controls,
 * and the facts and timeline acts they record. Everything runs on one ManualClock.
 */
export async function scheduleWorld(now = '2026-03-01T10:00:00.000Z') {
  const clock = new ManualClock(Date.parse(now));
  const client = fakeNatsClient();
  const store = await ScheduleStore.open(client, 'test', 1);
  const commands = await CommandStore.open(client, 'test', 1);
  const run: ActionRunRecord = actionRun({ tenantId: 'acme', correlationId: 'run-pipe' });
  const runs = { findById: async (tenantId: string | null, id: string) => (id === run.id && (tenantId === null || tenantId === run.tenantId) ? run : undefined) };
  const runner = runnerRecord();
  const world = {
    clock,
    store,
    commands,
    run,
    runner,
    /** Whether a runner of the tenant serves the run's workspace. */
    runnerServes: true,
    /** The keys the key store knows, by id. */
    keys: new Map([['key-of-acme', apiKeyRecord({ id: 'key-of-acme', scopes: ['runs:retrigger'] })]]),
    facts: [] as ScheduleFact[],
    requested: [] as string[],
    ...recordingTimeline(),
  };
  const publisher = { publishEvents: async (_h: unknown, events: ScheduleFact[]) => void world.facts.push(...events) };
  const events = new ScheduleEvents(publisher as unknown as EventPublisher, world.recorder);
  const runnerChoice = {
    choose: async () => {
      if (!world.runnerServes) throw new ConflictError('no runner of tenant acme serves workspace acme-prod; register one with POST /v1/runners');
      return { runner, online: true };
    },
  };
  const commandEvents = { requested: async (_a: unknown, c: { value: { id: string } }) => void world.requested.push(c.value.id) };
  const retrigger = () =>
    new RetriggerRun(runs as unknown as ActionRunRepository, runnerChoice as unknown as RunnerChoice, commands, commandEvents as unknown as CommandEvents, { COMMAND_TTL_SECONDS: 3600 } as QueryConfig, clock);
  const keyStore = { findById: async (id: string) => (world.keys.has(id) ? { hash: 'h', record: world.keys.get(id) } : undefined) };
  const runners = { findById: async (id: string) => (id === runner.id ? runner : undefined) };
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  return Object.assign(world, {
    events,
    create: new CreateSchedule(runs as unknown as ActionRunRepository, runners as unknown as RunnerStore, store, events, clock),
    changes: new ScheduleChanges(store, events, clock),
    /** A replica's ticker work; each call is another replica over the same buckets. */
    replica: () => new FireDueSchedules(store, events, retrigger(), keyStore as unknown as KeyStore, clock, logger),
  });
}

/** A world with one hourly schedule of acme's run, created at 10:00Z, and the acts on it. */
export async function hourlyScheduleWorld() {
  const w = await scheduleWorld('2026-03-01T10:00:00.000Z');
  const view = await w.create.execute({ auth: tenantAuth('acme'), runId: w.run.id, cron: '0 * * * *', reason: 'drill' });
  return {
    w,
    view,
    get: new GetSchedule(w.store),
    pause: new PauseSchedule(w.changes),
    resume: new ResumeSchedule(w.changes),
    remove: new DeleteSchedule(w.store, w.events, w.clock),
  };
}
