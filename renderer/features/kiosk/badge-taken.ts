import { useEffect, useRef } from 'react'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { dismissEnrollment } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'

/**
 * True when the new badge was just taken: its reader held a card at the previous look (`before`) and holds none now.
 * A badge already gone when the summary opened (`before` null or false) is not "taken" on the summary.
 */
export function badgeTaken(before: boolean | null, now: boolean): boolean {
  return before === true && !now
}

/**
 * Kiosk mode, on the summary of a completed enrollment: when the holder takes the new badge out of its reader, the
 * station does what "Next holder" does — forget the finished enrollment and return to Home. Only with `enabled`
 * (kiosk mode, a completed enrollment with its card known).
 */
export function useBadgeTakenReset(view: EnrollmentView, enabled: boolean): void {
  const { station, store } = useStationContext()
  const reader = view.card?.reader ?? null
  const present = useStationState((s) =>
    reader === null
      ? false
      : (s.readers.snapshot?.readers.some((r) => r.name === reader && r.present) ?? false),
  )
  const before = useRef<boolean | null>(null)
  useEffect(() => {
    if (!enabled || reader === null) {
      before.current = null
      return
    }
    const taken = badgeTaken(before.current, present)
    before.current = present
    if (taken) void dismissEnrollment(station, store, view.requestId, true)
  }, [enabled, reader, present, station, store, view.requestId])
}
