import type { EnrollmentView } from '../../shared/domain/enrollment'
import type { StationApi } from '../../shared/ipc/api'
import { settle } from '../bridge/settle'
import { navigate } from './enrollment-actions'
import type { StationState, StationStore } from './store'

/**
 * Kiosk reset (idle timeout): back to Home — leaving a page unmounts it, which drops any PIN typed or shown there —
 * and main zeroes every PIN it holds (`enrollment:release-pins`). Enrollments stay as they are: Home lists the ones in
 * progress with Resume. Already at Home, only main's PINs are released.
 */
export async function resetStation(station: StationApi, store: StationStore): Promise<void> {
  if (store.getState().navigation.screen.name !== 'home') navigate(store, { name: 'home' })
  // Best effort: a lost bridge link fails the call, and main zeroes its PINs on expiry or close anyway.
  await settle(() => station.enrollment.releasePins())
}

/** The enrollment the flow page shows, or null (another page, or the first step before a request exists). */
export function shownEnrollment(state: StationState): EnrollmentView | null {
  const screen = state.navigation.screen
  if (screen.name !== 'issue' || screen.requestId === null) return null
  return state.enrollments.list.find((e) => e.requestId === screen.requestId) ?? null
}

/**
 * The station is working for the people at the desk (an operator intent or a CM write action in flight, the shown
 * enrollment running a step): the idle count waits, so nobody is sent back to Home while they watch a step run.
 */
export function stationWorking(state: StationState): boolean {
  return (
    Object.keys(state.enrollments.busy).length > 0 ||
    Object.keys(state.writes.busy).length > 0 ||
    shownEnrollment(state)?.status === 'working'
  )
}

/** The readers holding a card, as one comparable key (a card inserted or removed changes it). */
export function presentReadersKey(state: StationState): string {
  return (state.readers.snapshot?.readers ?? [])
    .filter((r) => r.present)
    .map((r) => `${r.name}\u0000${r.atr ?? ''}`)
    .sort()
    .join('\u0001')
}
