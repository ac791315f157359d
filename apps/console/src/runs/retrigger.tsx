import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ok } from '../api/client';
import { isRetryable } from '../api/errors';
import type { Command, CommandStatus } from '../api/types';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { StatusBadge } from '../common/table';
import { useAction } from '../common/use-action';

export const FINAL_COMMAND_STATUSES: readonly CommandStatus[] = ['succeeded', 'failed', 'expired'];
export const isFinal = (status: CommandStatus) => FINAL_COMMAND_STATUSES.includes(status);

/**
 * `Re-trigger` (scope runs:retrigger): a Reason, `Confirm re-trigger`, then the command's
 * progress polled from GET /v1/commands/{id} (its authoritative state) until it ends, and a
 * link to the run it produced.
 */
export type LiveCommand = Pick<Command, 'id' | 'status' | 'newRunId' | 'error'>;

export function Retrigger({
  runId,
  onChanged,
  onCommand,
  pollMs = 1000,
}: {
  runId: string;
  /** The run changed (a command was created or ended): read it again. */
  onChanged: () => void;
  /** The command's latest state, for the run's Re-triggers table before the projection has it. */
  onCommand?: (command: LiveCommand) => void;
  pollMs?: number;
}) {
  const api = useApi();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();
  const [command, setCommand] = useState<LiveCommand | null>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const progressRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (open) reasonRef.current?.focus();
  }, [open]);

  // Confirmed: the form is gone, so focus goes to the progress it started.
  const commandId = command?.id;
  useEffect(() => {
    if (commandId) progressRef.current?.focus();
  }, [commandId]);

  useEffect(() => {
    if (command) onCommand?.(command);
  }, [command, onCommand]);

  // Poll the command until it ends; a busy service (429/503) is waited out as it asks.
  const ended = command ? isFinal(command.status) : false;
  useEffect(() => {
    if (!commandId || ended) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = (delay: number) => {
      timer = setTimeout(() => {
        ok(api.GET('/v1/commands/{id}', { params: { path: { id: commandId } }, signal: controller.signal })).then(
          ({ data }) => {
            setError(null);
            setCommand({ id: data.id, status: data.status, newRunId: data.newRunId, error: data.error });
            if (isFinal(data.status)) onChanged();
            else poll(pollMs);
          },
          (err: unknown) => {
            if (controller.signal.aborted) return;
            setError(err);
            if (isRetryable(err)) {
              const seconds = (err as { retryAfterSeconds?: number | null }).retryAfterSeconds ?? 5;
              poll(Math.max(pollMs, seconds * 1000));
            }
          },
        );
      }, delay);
    };
    poll(pollMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, commandId, ended, pollMs, onChanged, setError]);

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (busy || !reason.trim()) return;
    run(ok(api.POST('/v1/action-runs/{id}/retrigger', { params: { path: { id: runId } }, body: { reason: reason.trim() } })), ({ data }) => {
      setOpen(false);
      setReason('');
      setCommand({ id: data.commandId, status: data.status, newRunId: null, error: null });
      onChanged();
    });
  };

  const cancel = () => {
    setOpen(false);
    setError(null);
    toggleRef.current?.focus();
  };

  return (
    <section className="retrigger" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Run again</h2>
      <p className="hint">Runs this block action again on a runner that serves the run's workspace.</p>
      {!open ? (
        <button ref={toggleRef} type="button" onClick={() => setOpen(true)} aria-expanded={false} aria-controls={`${id}-form`}>
          Re-trigger
        </button>
      ) : (
        <form id={`${id}-form`} className="retrigger-form" onSubmit={confirm}>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason</label>
            <input
              ref={reasonRef}
              id={`${id}-reason`}
              type="text"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={1024}
              autoComplete="off"
            />
          </div>
          <button type="submit" aria-disabled={busy}>
            Confirm re-trigger
          </button>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </form>
      )}
      <Loading busy={busy} />
      <ErrorAlert error={error} />
      {command ? (
        <div className="command-progress">
          <h3 id={`${id}-progress`} ref={progressRef} tabIndex={-1}>
            Command progress
          </h3>
          <div role="status" aria-labelledby={`${id}-progress`}>
            <StatusBadge status={command.status} />
          </div>
          <p className="hint">
            Command <code>{command.id}</code>
            {ended ? '' : ', checked every second'}
          </p>
          {command.error ? <p>{command.error}</p> : null}
          {command.newRunId ? (
            <p>
              <Link to={`/runs/${command.newRunId}`}>New run</Link>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
