import type { StationApi } from '../../shared/ipc/api'
import type { EnrollmentView } from '../../shared/domain/enrollment'
import { settle } from '../bridge/settle'
import { refreshCards } from './card-sync'
import { mergeEnrollmentList, removeEnrollment, upsertEnrollment } from './enrollment-list'
import type { StationStore } from './store'

/** The running sync's refresh per store, for {@link reloadEnrollmentLists}. */
const refreshers = new WeakMap<StationStore, () => void>()

/** Fetch the enrollment, template and write lists again (the operator's "Try again" after a failed load). */
export function reloadEnrollmentLists(store: StationStore): void {
  refreshers.get(store)?.()
}

/**
 * True when this change altered a card's record in CM while the card stayed in its reader (bound to the holder, or
 * the enrollment ended: canceled/abandoned/completed): the reader panel's CM status must be looked up again.
 */
function changesCmRecord(before: EnrollmentView | undefined, after: EnrollmentView): boolean {
  const bound = (v: EnrollmentView | undefined) => v?.card?.smartcardUuid ?? null
  const ended = (v: EnrollmentView | undefined) => v?.status === 'done'
  return bound(before) !== bound(after) || ended(before) !== ended(after)
}

/**
 * Keep the enrollment and write-journal lists in step with main: `enrollment:list`, `enrollment:list-templates`
 * and `cm:list-pending-writes` when the link is open (again: events were missed while it was down), then follow
 * `enrollment:changed` and `cm:writes-changed` (no polling). Returns the stop function.
 */
export function startEnrollmentSync(station: StationApi, store: StationStore): () => void {
  let stopped = false
  // Request ids changed by events since the last `enrollment:list` call started.
  let touched = new Set<string>()
  // Request ids removed by events since then: an answer that started before the removal must not bring them back.
  let removed = new Set<string>()
  // Bumped by every writes event: an older `cm:list-pending-writes` answer must not overwrite it.
  let writeEvents = 0

  const offEnrollment = station.enrollment.onChanged((view) => {
    if (stopped) return
    touched.add(view.requestId)
    const before = store.getState().enrollments.list.find((e) => e.requestId === view.requestId)
    if (changesCmRecord(before, view)) refreshCards(store)
    store.setState((s) => ({
      enrollments: { ...s.enrollments, list: upsertEnrollment(s.enrollments.list, view) },
    }))
  })
  const offRemoved = station.enrollment.onRemoved(({ requestId }) => {
    if (stopped) return
    removed.add(requestId)
    store.setState((s) => ({
      enrollments: { ...s.enrollments, list: removeEnrollment(s.enrollments.list, requestId) },
    }))
  })
  const offWrites = station.cm.onWritesChanged((list) => {
    if (stopped) return
    writeEvents += 1
    store.setState((s) => ({ writes: { ...s.writes, list, loaded: true, loadError: null } }))
  })

  async function refreshEnrollments(): Promise<void> {
    touched = new Set()
    removed = new Set()
    const seen = touched
    const gone = removed
    const [list, templates] = await Promise.all([
      settle(() => station.enrollment.list()),
      settle(() => station.enrollment.listTemplates()),
    ])
    if (stopped) return
    store.setState((s) => ({
      enrollments: {
        ...s.enrollments,
        ...(list.ok
          ? {
              list: mergeEnrollmentList(s.enrollments.list, list.value, seen).filter(
                (e) => !gone.has(e.requestId),
              ),
              loaded: true,
              loadError: null,
            }
          : { loadError: list.error }),
        ...(templates.ok
          ? { templates: templates.value, templatesError: null }
          : { templatesError: templates.error }),
      },
    }))
  }

  async function refreshWrites(): Promise<void> {
    const seen = writeEvents
    const list = await settle(() => station.cm.listPendingWrites())
    if (stopped) return
    if (!list.ok) {
      store.setState((s) => ({ writes: { ...s.writes, loadError: list.error } }))
    } else if (writeEvents === seen) {
      store.setState((s) => ({ writes: { ...s.writes, list: list.value, loaded: true, loadError: null } }))
    }
  }

  const refresh = (): void => {
    void refreshEnrollments()
    void refreshWrites()
  }
  refreshers.set(store, refresh)

  const unsubscribe = store.subscribe((state, previous) => {
    if (!stopped && state.connection.status === 'open' && previous.connection.status !== 'open') refresh()
  })
  if (store.getState().connection.status === 'open') refresh()

  return () => {
    stopped = true
    offEnrollment()
    offRemoved()
    offWrites()
    unsubscribe()
    refreshers.delete(store)
  }
}
