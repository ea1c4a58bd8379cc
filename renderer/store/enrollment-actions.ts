import type { RequestId, SmartcardUuid } from '../../shared/domain/cm'
import type { EnrollmentView } from '../../shared/domain/enrollment'
import type { StationApi } from '../../shared/ipc/api'
import type { RequestInputOf } from '../../shared/ipc/contract'
import type { EnrollmentSetPinResult } from '../../shared/ipc/enrollment'
import type { Result } from '../../shared/result'
import { settle } from '../bridge/settle'
import { START_KEY, type EnrollmentIntent } from './enrollment-slice'
import { removeEnrollment, upsertEnrollment } from './enrollment-list'
import type { Screen } from './navigation-slice'
import type { StationStore } from './store'

/** Go to a page. Leaving a page unmounts it, which drops any PIN its components held. */
export function navigate(store: StationStore, screen: Screen): void {
  store.setState((s) => ({ navigation: { screen, moves: s.navigation.moves + 1 } }))
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record
  return rest
}

/**
 * Run one intent: mark it busy (a second click meanwhile is ignored), call main, store the view it answers
 * (`pick` says where the view is) or the failure. Returns the raw result to the caller.
 */
async function runIntent<T>(
  store: StationStore,
  key: string,
  intent: EnrollmentIntent,
  call: () => Promise<Result<T>>,
  pick: (value: T) => EnrollmentView | null,
): Promise<Result<T> | null> {
  if (store.getState().enrollments.busy[key]) return null
  store.setState((s) => ({
    enrollments: {
      ...s.enrollments,
      busy: { ...s.enrollments.busy, [key]: intent },
      actionErrors: without(s.enrollments.actionErrors, key),
    },
  }))
  const result = await settle(call)
  store.setState((s) => {
    const view = result.ok ? pick(result.value) : null
    return {
      enrollments: {
        ...s.enrollments,
        list: view ? upsertEnrollment(s.enrollments.list, view) : s.enrollments.list,
        busy: without(s.enrollments.busy, key),
        actionErrors: result.ok
          ? s.enrollments.actionErrors
          : { ...s.enrollments.actionErrors, [key]: { intent, error: result.error } },
      },
    }
  })
  return result
}

const itself = (view: EnrollmentView): EnrollmentView => view

/** `enrollment:start` (any of the three ways in); on success the flow follows the new enrollment. */
export async function startEnrollment(
  station: StationApi,
  store: StationStore,
  request: RequestInputOf<'enrollment:start'>,
): Promise<void> {
  const result = await runIntent(store, START_KEY, 'start', () => station.enrollment.start(request), itself)
  if (result?.ok) navigate(store, { name: 'issue', requestId: result.value.requestId })
}

/** `enrollment:start` with `kind: 'request'` for an enrollment already shown ("Check again" at approval). */
export async function recheckRequest(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
): Promise<void> {
  await runIntent(
    store,
    requestId,
    'start',
    () => station.enrollment.start({ kind: 'request', requestId }),
    itself,
  )
}

/** `enrollment:use-card`: the new badge is in `reader`. */
export async function pickCard(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
  reader: string,
): Promise<void> {
  await runIntent(
    store,
    requestId,
    'use-card',
    () => station.enrollment.useCard({ requestId, reader }),
    itself,
  )
}

/**
 * `enrollment:set-pin`. Only the view goes to the store; the whole result (which may carry the server PIN) is
 * returned to the component that asked, which keeps the PIN in its own state (never the store, never a log).
 * Null when a PIN intent is already in flight.
 */
export async function setPin(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
  pin?: string,
): Promise<Result<EnrollmentSetPinResult> | null> {
  const request = pin === undefined ? { requestId } : { requestId, pin }
  return runIntent(
    store,
    requestId,
    'set-pin',
    () => station.enrollment.setPin(request),
    (r) => r.view,
  )
}

/** `enrollment:provide-pin` (after a restart). The PIN goes to main only; the store gets the view. */
export async function providePin(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
  pin: string,
): Promise<Result<EnrollmentView> | null> {
  return runIntent(
    store,
    requestId,
    'provide-pin',
    () => station.enrollment.providePin({ requestId, pin }),
    itself,
  )
}

/** `enrollment:acknowledge-pin`: the holder has noted the server PIN. */
export async function acknowledgePin(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
): Promise<void> {
  await runIntent(
    store,
    requestId,
    'acknowledge-pin',
    () => station.enrollment.acknowledgePin({ requestId }),
    itself,
  )
}

/** `enrollment:retire-old-cards` with the operator's confirmed selection (possibly empty). */
export async function retireOldCards(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
  smartcardUuids: SmartcardUuid[],
  comment: string,
): Promise<void> {
  await runIntent(
    store,
    requestId,
    'retire-old-cards',
    () => station.enrollment.retireOldCards({ requestId, smartcardUuids, comment }),
    itself,
  )
}

/** `enrollment:retry`: run the failed (or waiting) step again now. */
export async function retryEnrollment(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
): Promise<void> {
  await runIntent(store, requestId, 'retry', () => station.enrollment.retry({ requestId }), itself)
}

/** `enrollment:cancel`: Canceled in CM before a card is bound, Abandoned after. */
export async function cancelEnrollment(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
): Promise<void> {
  await runIntent(store, requestId, 'cancel', () => station.enrollment.cancel({ requestId }), itself)
}

/** `enrollment:dismiss` (a finished enrollment): forget it and, from the flow, go Home ("Next holder"). */
export async function dismissEnrollment(
  station: StationApi,
  store: StationStore,
  requestId: RequestId,
  goHome: boolean,
): Promise<void> {
  const result = await runIntent(
    store,
    requestId,
    'dismiss',
    () => station.enrollment.dismiss({ requestId }),
    () => null,
  )
  if (!result?.ok) return
  store.setState((s) => ({
    enrollments: { ...s.enrollments, list: removeEnrollment(s.enrollments.list, requestId) },
  }))
  if (goHome) navigate(store, { name: 'home' })
}
