import type { SmartcardUuid } from '../../../shared/domain/cm'
import type { EnrollmentRetireItem } from '../../../shared/domain/enrollment'
import { StationError, type ErrorCode } from '../../../shared/errors'
import type { JournalEntry } from '../journal/entry'
import type { EnrollmentDeps } from './deps'
import { stepError, type RunScope } from './runner'

/** Failures that no retry can fix (the request or card is in a state CM will not change for us). */
const HARD: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'request-not-found',
  'request-not-executable',
  'wrong-card',
  'forbidden',
  'card-registered-elsewhere',
])

/**
 * After a journaled write threw: when the journal scheduled an automatic retry, the step waits for it
 * (`write-waiting`, the view shows the CM correlation id); otherwise it failed (resumable unless hopeless).
 */
function afterWriteFailure(error: unknown, entry: JournalEntry | undefined, scope: RunScope): void {
  const e = stepError(error)
  if (entry && entry.state === 'pending' && entry.nextRetryAt !== null) {
    return scope.emit({ type: 'write-waiting', error: e })
  }
  scope.emit({ type: 'step-failed', error: e, resumable: !HARD.has(e.code) })
}

/** E11 through the write journal (a lost answer is adopted through E07, never posted twice). */
export async function bind(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const ctx = scope.state().ctx
  if (!ctx.card) throw new StationError('wrong-step', {}, 'bind without a card')
  try {
    const r = await deps.writes.bind({
      requestId: ctx.requestId,
      cardId: ctx.card.cardId,
      atr: ctx.card.atr || null,
    })
    scope.emit({ type: 'bound', smartcardUuid: r.smartcardUuid })
  } catch (error) {
    afterWriteFailure(error, deps.writes.find('bind', ctx.requestId), scope)
  }
}

/** E08 Completed through the write journal (a lost answer is adopted through E07). */
export async function complete(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const { requestId } = scope.state().ctx
  try {
    await deps.writes.complete(requestId)
    scope.emit({ type: 'completed' })
  } catch (error) {
    afterWriteFailure(error, deps.writes.find('complete', requestId), scope)
  }
}

/** E08 Canceled / Abandoned through the write journal (§5.7); the PIN held for this enrollment is dropped. */
export async function cancel(
  status: 'Canceled' | 'Abandoned',
  scope: RunScope,
  deps: EnrollmentDeps,
): Promise<void> {
  const { requestId } = scope.state().ctx
  deps.vault.clear(requestId)
  try {
    // §5.7 by what CM says, not what the station thinks: a bind whose answer was lost (or still waiting for the
    // journal's retry) may have bound the card — then the request is Abandoned, not Canceled.
    const request = await deps.cm.getRequest(requestId)
    const actual = request?.newSmartcardUuid ? 'Abandoned' : status
    await deps.writes.cancel(requestId, actual)
    // The enrollment is over: a bind still waiting for its automatic retry has nothing left to do.
    deps.writes.closeFor('bind', requestId)
    scope.emit({ type: 'canceled', outcome: actual === 'Canceled' ? 'canceled' : 'abandoned' })
  } catch (error) {
    afterWriteFailure(error, deps.writes.find('cancel', requestId), scope)
  }
}

/**
 * Retire workflows run at the same time (each is E18 → E05 → E17 → E08, one call after the other): at most this many
 * calls are in flight to CM from one station. 8 keeps a 200-card bulk retire well over 6× faster than one at a time
 * at 50 ms CM latency (`npm run bench`), and is far below what one IIS worker serves.
 */
export const RETIRE_PARALLELISM = 8

/** Run `work` over `items` with at most `limit` at a time. */
export async function bounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!)
  })
  await Promise.all(lanes)
}

/**
 * §5.6 for the holder's confirmed old cards, at most `retireParallelism` (default RETIRE_PARALLELISM) at a time, each through the
 * write journal: retired, awaiting approval (stays journaled), or failed (stays journaled with its code and CM
 * correlation id). The step ends when every card has an outcome; the request is then completed.
 */
export async function retire(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const ctx = scope.state().ctx
  const todo = ctx.retire.filter((r) => r.state === 'pending' || r.state === 'failed')
  await bounded(todo, deps.retireParallelism ?? RETIRE_PARALLELISM, async (item) => {
    scope.emit({ type: 'retire-item', item: await retireOne(item.smartcardUuid, ctx.retireComment, deps) })
  })
  scope.emit({ type: 'retire-finished' })
}

async function retireOne(
  smartcardUuid: SmartcardUuid,
  comment: string,
  deps: EnrollmentDeps,
): Promise<EnrollmentRetireItem> {
  const base = { smartcardUuid, cardId: null }
  try {
    const r = await deps.writes.retire({ smartcardUuid, comment })
    return {
      ...base,
      cardId: r.outcome === 'retired' ? r.card.cardId : null,
      state: r.outcome === 'retired' ? 'retired' : 'awaiting-approval',
      requestId: r.requestId,
      writeId: r.writeId,
      error: null,
    }
  } catch (error) {
    // The journal keeps the entry (with its automatic retry when transient); find it for the operator's Retry.
    const view = deps.writes.list().find((v) => v.kind === 'retire' && v.smartcardUuid === smartcardUuid)
    return {
      ...base,
      state: 'failed',
      requestId: view?.requestId ?? null,
      writeId: view?.id ?? null,
      error: stepError(error),
    }
  }
}
