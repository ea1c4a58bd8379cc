import { StationError, type ErrorCode } from '../../../shared/errors'
import { assertNever } from '../../../shared/result'
import type { EnrollmentDeps } from './deps'
import type { EnrollmentCommand, EnrollmentEvent, EnrollmentState, StepError } from './state'
import { acceptCard, adminKey, checkRequest, setHolderPin, setServerPin } from './steps-card'
import { certificates } from './steps-certificates'
import { bind, cancel, complete, retire } from './steps-writes'

/**
 * What one command execution may see and produce. `emit` applies an event to the state (reducer + checkpoint);
 * `state()` is the state after the events emitted so far. Secrets travel beside the command, never inside it.
 */
export interface RunScope {
  state(): EnrollmentState
  emit(event: EnrollmentEvent): void
  /** The holder's PIN for `set-holder-pin` (the runner zeroes it). */
  holderPin?: Buffer
  /** Filled by `set-server-pin`: the server PIN for the ONE response that shows it. */
  out: { serverPin?: string }
}

/** Codes that mean "the card is not (or no longer) where the step needs it": wait for it, do not fail. */
const CARD_LOST: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'card-removed',
  'no-card',
  'reader-unavailable',
  'reader-not-found',
  'wrong-card',
])

/** True when `error` means the card went away (or another card is there) during a card step. */
export function isCardLost(error: unknown): boolean {
  return error instanceof StationError && CARD_LOST.has(error.code)
}

/** A StationError (or anything thrown) as the state keeps it: code + correlation id. */
export function stepError(error: unknown): StepError {
  if (!(error instanceof StationError)) return { code: 'internal' }
  const info = error.toInfo()
  return info.correlationId === undefined
    ? { code: info.code }
    : { code: info.code, correlationId: info.correlationId }
}

/**
 * The effect runner: executes one command with the card edge, the CM client and the write journal, and reports the
 * outcome as events. The only place of the enrollment with I/O. A thrown error that no step turned into an event
 * ends as `step-failed` (resumable: Retry runs the step again; nothing is repeated that CM or the card already did,
 * because every step first looks at what is done).
 */
export async function runCommand(
  command: EnrollmentCommand,
  scope: RunScope,
  deps: EnrollmentDeps,
): Promise<void> {
  try {
    switch (command.type) {
      case 'check-request':
        return await checkRequest(scope, deps)
      case 'accept-card':
        return await acceptCard(command.reader, scope, deps)
      case 'bind':
        return await bind(scope, deps)
      case 'admin-key':
        return await adminKey(scope, deps)
      case 'set-server-pin':
        return await setServerPin(scope, deps)
      case 'set-holder-pin':
        return await setHolderPin(scope, deps)
      case 'certificates':
        return await certificates(scope, deps)
      case 'retire':
        return await retire(scope, deps)
      case 'complete':
        return await complete(scope, deps)
      case 'cancel':
        return await cancel(command.status, scope, deps)
      default:
        return assertNever(command)
    }
  } catch (error) {
    const e = stepError(error)
    deps.log.warn('enrollment: step failed', {
      requestId: scope.state().ctx.requestId,
      step: scope.state().step,
      command: command.type,
      code: e.code,
      correlationId: e.correlationId,
      error,
    })
    // Resumable: every step re-checks CM and the card before acting, so running it again is safe.
    scope.emit({ type: 'step-failed', error: e, resumable: true })
  }
}
