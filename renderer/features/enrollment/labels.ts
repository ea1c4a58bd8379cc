import type { TFunction } from 'i18next'
import type {
  EnrollmentOutcome,
  EnrollmentStatus,
  EnrollmentStep,
  EnrollmentView,
} from '../../../shared/domain/enrollment'
import type { ErrorCode } from '../../../shared/errors'
import { knownCode } from '../../i18n/error-message'

/** The stepper's steps: the first one ("Holder & request") happens before a request id exists. */
export type FlowStep = 'request' | EnrollmentStep

/** Step → label key; `satisfies` makes a new step in the contract a compile error here. */
const STEP_KEYS = {
  request: 'enrollment.step.request',
  approval: 'enrollment.step.approval',
  card: 'enrollment.step.card',
  bind: 'enrollment.step.bind',
  'admin-key': 'enrollment.step.admin-key',
  pin: 'enrollment.step.pin',
  certificates: 'enrollment.step.certificates',
  retire: 'enrollment.step.retire',
  complete: 'enrollment.step.complete',
} as const satisfies Record<FlowStep, `enrollment.step.${FlowStep}`>

/** The localized name of a step. */
export function stepLabel(t: TFunction, step: FlowStep): string {
  return t(STEP_KEYS[step])
}

/** What the station does while a step is `working` (the spinner's sentence). */
const WORKING_KEYS = {
  approval: 'enrollment.working.approval',
  card: 'enrollment.working.card',
  bind: 'enrollment.working.bind',
  'admin-key': 'enrollment.working.admin-key',
  pin: 'enrollment.working.pin',
  certificates: 'enrollment.working.certificates',
  retire: 'enrollment.working.retire',
  complete: 'enrollment.working.complete',
} as const satisfies Record<EnrollmentStep, `enrollment.working.${EnrollmentStep}`>

/** The spinner sentence of a working step, e.g. "Binding the card to the request…". */
export function workingSentence(t: TFunction, step: EnrollmentStep): string {
  return t(WORKING_KEYS[step])
}

const STATUS_KEYS = {
  working: 'enrollment.status.working',
  'needs-operator': 'enrollment.status.needs-operator',
  'needs-holder': 'enrollment.status.needs-holder',
  'waiting-retry': 'enrollment.status.waiting-retry',
  failed: 'enrollment.status.failed',
  done: 'enrollment.status.done',
} as const satisfies Record<EnrollmentStatus, `enrollment.status.${EnrollmentStatus}`>

/** The localized status of an enrollment (the outcome for a finished one). */
export function statusLabel(t: TFunction, view: Pick<EnrollmentView, 'status' | 'outcome'>): string {
  if (view.status === 'done' && view.outcome) return outcomeLabel(t, view.outcome)
  return t(STATUS_KEYS[view.status])
}

const OUTCOME_KEYS = {
  completed: 'enrollment.outcome.completed',
  canceled: 'enrollment.outcome.canceled',
  abandoned: 'enrollment.outcome.abandoned',
} as const satisfies Record<EnrollmentOutcome, `enrollment.outcome.${EnrollmentOutcome}`>

/** "Completed" / "Canceled in CM" / "Abandoned in CM". */
export function outcomeLabel(t: TFunction, outcome: EnrollmentOutcome): string {
  return t(OUTCOME_KEYS[outcome])
}

/**
 * What the operator should do next after a failure, by code (and step where it matters), or null when the
 * error message says enough. Sentences, never codes.
 */
export function failureAdvice(t: TFunction, view: EnrollmentView, code: ErrorCode): string | null {
  switch (code) {
    case 'card-removed':
    case 'no-card':
      return t('enrollment.advice.reinsert')
    case 'wrong-card':
      return t('enrollment.advice.wrongCard')
    case 'card-registered-elsewhere':
    case 'not-gids':
    case 'card-not-initialised':
      return t('enrollment.advice.otherCard')
    case 'reader-excluded':
      return t('enrollment.advice.otherReader')
    case 'network':
    case 'timeout':
    case 'server-error':
    case 'disconnected':
      return t('enrollment.advice.checkServer')
    case 'windows-sign-in-failed':
    case 'forbidden':
    case 'pin-rules-conflict':
    case 'template-not-enrollable':
    case 'request-not-executable':
      return t('enrollment.advice.askAdmin')
    case 'wrong-pin':
      return t('enrollment.advice.wrongPin')
    case 'pin-blocked':
      return t('enrollment.advice.pinBlocked')
    case 'card-full':
      return t('enrollment.advice.cardFull')
    default:
      return view.resumable ? t('enrollment.advice.retry') : t('enrollment.advice.cancelOnly')
  }
}

/** {@link failureAdvice} for a view that has an error. */
export function adviceFor(t: TFunction, view: EnrollmentView): string | null {
  return view.error ? failureAdvice(t, view, knownCode(view.error)) : null
}
