import type { EnrollmentView } from '../../shared/domain/enrollment'

/** Milliseconds of an ISO instant; an unreadable one sorts first (0). */
function time(iso: string): number {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? 0 : ms
}

/** Newest first by `createdAt`, then by request id so the order is stable. */
function byNewest(a: EnrollmentView, b: EnrollmentView): number {
  return time(b.createdAt) - time(a.createdAt) || a.requestId.localeCompare(b.requestId)
}

/**
 * Put `view` into `list` unless the list already holds a newer state of that enrollment (an intent's answer and
 * the `enrollment:changed` event for the same change may arrive in either order). Newest first.
 */
export function upsertEnrollment(
  list: readonly EnrollmentView[],
  view: EnrollmentView,
): readonly EnrollmentView[] {
  const old = list.find((e) => e.requestId === view.requestId)
  if (old && time(old.updatedAt) > time(view.updatedAt)) return list
  return [...list.filter((e) => e.requestId !== view.requestId), view].sort(byNewest)
}

/**
 * A fresh `enrollment:list` answer, keeping the entries that events updated while the call was in flight
 * (`touched`: they may be newer than the answer).
 */
export function mergeEnrollmentList(
  current: readonly EnrollmentView[],
  fetched: readonly EnrollmentView[],
  touched: ReadonlySet<string>,
): readonly EnrollmentView[] {
  let out: readonly EnrollmentView[] = [...fetched].sort(byNewest)
  for (const view of current) if (touched.has(view.requestId)) out = upsertEnrollment(out, view)
  return out
}

/** The list without one enrollment (after `enrollment:dismiss`). */
export function removeEnrollment(
  list: readonly EnrollmentView[],
  requestId: string,
): readonly EnrollmentView[] {
  return list.filter((e) => e.requestId !== requestId)
}
