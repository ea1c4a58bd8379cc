import type { StateCreator } from 'zustand'
import type { EnrollTemplateView, EnrollmentView } from '../../shared/domain/enrollment'
import type { ErrorInfo } from '../../shared/errors'
import type { StationState } from './store'

/** An operator intent on one enrollment, while its IPC call is in flight (its buttons are busy meanwhile). */
export type EnrollmentIntent =
  | 'start'
  | 'use-card'
  | 'set-pin'
  | 'acknowledge-pin'
  | 'provide-pin'
  | 'retire-old-cards'
  | 'retry'
  | 'cancel'
  | 'dismiss'

/** Key of the start screen in `busy` / `actionErrors` (no request id exists yet). */
export const START_KEY = 'start'

/**
 * Enrollments as main reports them (`enrollment:list` + `enrollment:changed`), the templates the operator may
 * issue on, and the intents in flight. Never a PIN: `enrollment:set-pin` answers go to the component that asked.
 */
export interface EnrollmentSlice {
  enrollments: {
    /** Newest first (by `createdAt`); finished ones stay until dismissed. */
    list: readonly EnrollmentView[]
    loaded: boolean
    loadError: ErrorInfo | null
    /** `enrollment:list-templates`; null until it answered. */
    templates: readonly EnrollTemplateView[] | null
    templatesError: ErrorInfo | null
    /** Request id (or {@link START_KEY}) → intent in flight. */
    busy: Readonly<Record<string, EnrollmentIntent>>
    /** Request id (or {@link START_KEY}) → why the last intent failed; cleared by the next one. */
    actionErrors: Readonly<Record<string, { intent: EnrollmentIntent; error: ErrorInfo }>>
  }
}

/** Initial enrollment slice. */
export const createEnrollmentSlice: StateCreator<StationState, [], [], EnrollmentSlice> = () => ({
  enrollments: {
    list: [],
    loaded: false,
    loadError: null,
    templates: null,
    templatesError: null,
    busy: {},
    actionErrors: {},
  },
})
