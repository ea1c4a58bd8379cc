import type { EnrollmentStep } from '../../../shared/domain/enrollment'
import type { ErrorCode } from '../../../shared/errors'
import { assertNever } from '../../../shared/result'
import type {
  Activity,
  EnrollmentCommand,
  EnrollmentContext,
  EnrollmentEvent,
  EnrollmentState,
  StepError,
} from './state'

/**
 * The enrollment workflow as a pure reducer (conventions "A long-running workflow"): no I/O, no clock, no
 * randomness. `next` takes the state and one event (an operator intent or a runner outcome) and returns the next
 * state with the commands it implies, or a rejection for an intent that does not fit the step. Steps follow
 * cm-rest-api.md §5.3 (bind → admin key → PIN → certificates), §5.6 (retire) and §5.7 (complete, cancel).
 */

/** The result of one event. */
export type Transition =
  { ok: true; state: EnrollmentState; commands: EnrollmentCommand[] } | { ok: false; code: ErrorCode }

const working: Activity = { kind: 'working' }

function prompt(
  p: Extract<Activity, { kind: 'prompt' }>['prompt'],
  notice: StepError | null = null,
): Activity {
  return { kind: 'prompt', prompt: p, notice }
}

function go(
  s: EnrollmentState,
  step: EnrollmentStep,
  activity: Activity,
  patch: Partial<EnrollmentContext> = {},
  commands: EnrollmentCommand[] = [],
): Transition {
  return { ok: true, state: { step, activity, ctx: { ...s.ctx, ...patch } }, commands }
}

/** Record that `step` finished (the checkpoint's "last finished step"). */
function finished(step: EnrollmentStep): Partial<EnrollmentContext> {
  return { lastFinishedStep: step }
}

const stay = (s: EnrollmentState): Transition => ({ ok: true, state: s, commands: [] })
const reject = (code: ErrorCode): Transition => ({ ok: false, code })

function isPrompt(s: EnrollmentState, p: string): boolean {
  return s.activity.kind === 'prompt' && s.activity.prompt === p
}

function isWorking(s: EnrollmentState): boolean {
  return s.activity.kind === 'working'
}

/** Steps that need the new card in a reader (admin authentication or the user PIN on the card). */
function needsCard(step: EnrollmentStep): boolean {
  return step === 'admin-key' || step === 'pin' || step === 'certificates'
}

/** The next state for `event` (pure). */
export function next(s: EnrollmentState, event: EnrollmentEvent): Transition {
  if (s.activity.kind === 'done') {
    // Late outcomes change nothing — except a retire the journal finished after the end (the summary shows it);
    // intents are refused.
    if (event.type === 'retire-item') return retireItem(s, event.item)
    return isIntent(event) ? reject('enrollment-finished') : stay(s)
  }
  switch (event.type) {
    case 'use-card':
      if (!isPrompt(s, 'insert-card')) return reject('wrong-step')
      return go(s, s.step, working, {}, [{ type: 'accept-card', reader: event.reader }])

    case 'card-accepted': {
      if (!isWorking(s)) return stay(s)
      const patch: Partial<EnrollmentContext> = {
        card: { reader: event.reader, cardId: event.cardId, atr: event.atr },
        pinRules: event.pinRules,
        template: event.template,
      }
      switch (s.step) {
        case 'card':
          return go(s, 'bind', working, { ...patch, ...finished('card') }, [{ type: 'bind' }])
        case 'admin-key':
          return go(s, 'admin-key', working, patch, [{ type: 'admin-key' }])
        case 'pin':
          return go(s, 'pin', afterCardAtPin(s.ctx), patch)
        case 'certificates':
          return go(s, 'certificates', working, patch, [{ type: 'certificates' }])
        default:
          return stay(s)
      }
    }

    case 'card-refused':
      if (!isWorking(s)) return stay(s)
      return go(s, s.step, prompt('insert-card', event.error))

    case 'card-lost': {
      if (!needsCard(s.step) && s.step !== 'card') return stay(s)
      // The bound card was in its reader when the step began: found missing, it was pulled (whichever of the reader
      // monitor or the card command noticed first).
      const error: StepError =
        event.error.code === 'no-card' && s.ctx.card ? { ...event.error, code: 'card-removed' } : event.error
      return go(
        s,
        s.step,
        prompt('insert-card', error),
        event.adminKey === undefined ? {} : { adminKey: event.adminKey },
      )
    }

    case 'check-approval':
      if (s.step !== 'approval' || !(isPrompt(s, 'await-approval') || s.activity.kind === 'failed')) {
        return reject('wrong-step')
      }
      return go(s, 'approval', working, {}, [{ type: 'check-request' }])

    case 'request-checked':
      if (s.step !== 'approval') return stay(s)
      return event.approved
        ? go(s, 'card', prompt('insert-card'), finished('approval'))
        : go(s, 'approval', prompt('await-approval'))

    case 'bound':
      if (s.step !== 'bind') return stay(s)
      return go(s, 'admin-key', working, { smartcardUuid: event.smartcardUuid, ...finished('bind') }, [
        { type: 'admin-key' },
      ])

    case 'write-waiting':
      return go(s, s.step, { kind: 'waiting-retry', error: event.error })

    case 'admin-key-changing':
      // A crash from here on leaves the card with K0 or Kd: the resume tries Kd first, then K0 (never a blind K0).
      if (s.step !== 'admin-key' || !isWorking(s)) return stay(s)
      return go(s, 'admin-key', working, { adminKey: 'unknown' })

    case 'admin-key-done':
      if (s.step !== 'admin-key') return stay(s)
      return go(s, 'pin', prompt('start-pin'), { adminKey: event.adminKey, ...finished('admin-key') })

    case 'set-pin': {
      if (s.step !== 'pin') return reject('wrong-step')
      const failedHere = s.activity.kind === 'failed' && s.activity.resumable
      if (event.withPin) {
        const open = isPrompt(s, 'holder-chooses-pin') || (failedHere && s.ctx.pinSource === 'holder')
        if (!open) return reject('wrong-step')
        return go(s, 'pin', working, {}, [{ type: 'set-holder-pin' }])
      }
      // Without a PIN: start the step, show a server PIN again (set again), or retry after a failure.
      const open = isPrompt(s, 'start-pin') || isPrompt(s, 'note-pin') || failedHere
      if (!open) return reject('wrong-step')
      return go(s, 'pin', working, { pinSet: false }, [{ type: 'set-server-pin' }])
    }

    case 'holder-chooses':
      if (s.step !== 'pin') return stay(s)
      return go(s, 'pin', prompt('holder-chooses-pin'), { pinSource: 'holder' })

    case 'pin-set':
      if (s.step !== 'pin') return stay(s)
      if (event.source === 'server') {
        return go(s, 'pin', prompt('note-pin'), { pinSource: 'server', pinSet: true })
      }
      return go(s, 'certificates', working, { pinSource: 'holder', pinSet: true, ...finished('pin') }, [
        { type: 'certificates' },
      ])

    case 'acknowledge-pin':
      if (s.step !== 'pin' || !isPrompt(s, 'note-pin')) return reject('wrong-step')
      return go(s, 'certificates', working, finished('pin'), [{ type: 'certificates' }])

    case 'pin-needed':
      if (s.step !== 'certificates') return stay(s)
      return go(s, 'certificates', prompt('holder-enters-pin', event.notice))

    case 'provide-pin':
      if (s.step !== 'certificates' || !isPrompt(s, 'holder-enters-pin')) return reject('wrong-step')
      return go(s, 'certificates', working, {}, [{ type: 'certificates' }])

    case 'keys-generated':
      return s.step === 'certificates' ? go(s, s.step, s.activity, { keys: event.keys }) : stay(s)

    case 'certificate-request-sent':
      return s.step === 'certificates' ? go(s, s.step, s.activity, { certificateRequestSent: true }) : stay(s)

    case 'certificates-issued':
      return s.step === 'certificates' ? go(s, s.step, s.activity, { issued: event.issued }) : stay(s)

    case 'certificates-installed':
      if (s.step !== 'certificates') return stay(s)
      return go(s, 'retire', prompt('confirm-retire'), {
        certificates: event.certificates,
        certificateIssues: event.issues,
        ...finished('certificates'),
      })

    case 'confirm-retire': {
      if (s.step !== 'retire' || !isPrompt(s, 'confirm-retire')) return reject('wrong-step')
      const unique = [...new Set(event.smartcardUuids)]
      if (unique.length === 0) {
        return go(
          s,
          'complete',
          working,
          { retire: [], retireComment: event.comment, ...finished('retire') },
          [{ type: 'complete' }],
        )
      }
      const retire = unique.map((smartcardUuid) => ({
        smartcardUuid,
        cardId: null,
        state: 'pending' as const,
        requestId: null,
        writeId: null,
        error: null,
      }))
      return go(s, 'retire', working, { retire, retireComment: event.comment }, [{ type: 'retire' }])
    }

    case 'retire-item':
      return retireItem(s, event.item)

    case 'retire-finished':
      if (s.step !== 'retire') return stay(s)
      return go(s, 'complete', working, finished('retire'), [{ type: 'complete' }])

    case 'completed':
      if (s.step !== 'complete') return stay(s)
      return go(s, 'complete', { kind: 'done', outcome: 'completed' }, finished('complete'))

    case 'canceled':
      return go(s, s.step, { kind: 'done', outcome: event.outcome }, { canceling: null })

    case 'step-failed':
      return go(s, s.step, { kind: 'failed', error: event.error, resumable: event.resumable })

    case 'retry':
      return retry(s)

    case 'cancel': {
      // Once certificates were requested, the card may hold valid credentials: it is never abandoned with them
      // (the request is completed, and the badge retired in CM afterwards if it must not be used — retire revokes).
      if (!cancelable(s.ctx)) return reject('certificates-issued')
      // §5.7: Canceled while no card is bound; Abandoned once execution started (a card is bound). The runner
      // checks CM (E07) before sending: a bind whose answer was lost counts as bound.
      const status = s.ctx.smartcardUuid ? 'Abandoned' : 'Canceled'
      return go(s, s.step, working, { canceling: status }, [{ type: 'cancel', status }])
    }

    case 'resume':
      return resume(s)

    default:
      return assertNever(event)
  }
}

/** One old card's retire outcome (during the retire step, or later from the write journal's own retries). */
function retireItem(s: EnrollmentState, item: EnrollmentContext['retire'][number]): Transition {
  if (!s.ctx.retire.some((r) => r.smartcardUuid === item.smartcardUuid)) return stay(s)
  return go(s, s.step, s.activity, {
    retire: s.ctx.retire.map((r) => (r.smartcardUuid === item.smartcardUuid ? item : r)),
  })
}

/** True while the enrollment may still be canceled: no certificate was requested for the new card yet. */
export function cancelable(ctx: EnrollmentContext): boolean {
  return !ctx.certificateRequestSent && ctx.certificates.length === 0 && ctx.issued === null
}

/** After the card came back during the PIN step: where the PIN step stands. */
function afterCardAtPin(ctx: EnrollmentContext): Activity {
  if (ctx.pinSource === 'holder') return prompt('holder-chooses-pin')
  return prompt('start-pin')
}

/** The operator's Retry: re-issue what the step needs (a card step re-checks the card first). */
function retry(s: EnrollmentState): Transition {
  const a = s.activity
  const retryable = (a.kind === 'failed' && a.resumable) || a.kind === 'waiting-retry'
  if (!retryable) return reject('wrong-step')
  return rerun(s, () =>
    s.ctx.card
      ? go(s, s.step, working, {}, [{ type: 'accept-card', reader: s.ctx.card.reader }])
      : go(s, s.step, prompt('insert-card')),
  )
}

/**
 * After a restart: interrupted work becomes resumable. Steps without the card re-run by themselves (the journal
 * adopts what already reached CM); card steps wait for the operator to put THE SAME card back (checked by cardid),
 * so nothing that spends a retry counter is repeated blindly.
 */
function resume(s: EnrollmentState): Transition {
  if (s.activity.kind !== 'working') return stay(s)
  return rerun(s, () => go(s, s.step, prompt('insert-card')))
}

/**
 * Run the current step again: a pending cancel first; steps without the card re-issue their command; the card
 * steps (admin key, PIN, certificates) do what `cardStep` says.
 */
function rerun(s: EnrollmentState, cardStep: () => Transition): Transition {
  if (s.ctx.canceling) return go(s, s.step, working, {}, [{ type: 'cancel', status: s.ctx.canceling }])
  switch (s.step) {
    case 'approval':
      return go(s, 'approval', working, {}, [{ type: 'check-request' }])
    case 'card':
      return go(s, 'card', prompt('insert-card'))
    case 'bind':
      return go(s, 'bind', working, {}, [{ type: 'bind' }])
    case 'admin-key':
    case 'pin':
    case 'certificates':
      return cardStep()
    case 'retire':
      return go(s, 'retire', working, {}, [{ type: 'retire' }])
    case 'complete':
      return go(s, 'complete', working, {}, [{ type: 'complete' }])
    default:
      return assertNever(s.step)
  }
}

const INTENTS: ReadonlySet<EnrollmentEvent['type']> = new Set([
  'use-card',
  'set-pin',
  'acknowledge-pin',
  'provide-pin',
  'confirm-retire',
  'retry',
  'cancel',
  'check-approval',
])

/** True for operator / holder intents (refused on a finished enrollment), false for runner outcomes. */
export function isIntent(event: EnrollmentEvent): boolean {
  return INTENTS.has(event.type)
}
