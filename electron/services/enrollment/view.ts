import type { EnrollmentPrompt, EnrollmentStatus, EnrollmentView } from '../../../shared/domain/enrollment'
import { assertNever } from '../../../shared/result'
import { cancelable } from './machine'
import type { Activity, EnrollmentState, StepError } from './state'

/** Prompts the holder answers (the UI turns to the holder); the others are the operator's. */
const HOLDER_PROMPTS: ReadonlySet<EnrollmentPrompt> = new Set([
  'holder-chooses-pin',
  'note-pin',
  'holder-enters-pin',
])

function statusOf(a: Activity): EnrollmentStatus {
  switch (a.kind) {
    case 'working':
      return 'working'
    case 'prompt':
      return HOLDER_PROMPTS.has(a.prompt) ? 'needs-holder' : 'needs-operator'
    case 'waiting-retry':
      return 'waiting-retry'
    case 'failed':
      return 'failed'
    case 'done':
      return 'done'
    default:
      return assertNever(a)
  }
}

function errorOf(a: Activity): StepError | null {
  switch (a.kind) {
    case 'prompt':
      return a.notice
    case 'waiting-retry':
    case 'failed':
      return a.error
    case 'working':
    case 'done':
      return null
    default:
      return assertNever(a)
  }
}

/** The renderer's view of an enrollment: step, status, ids and codes (never a secret; shared/domain/enrollment.ts). */
export function toView(s: EnrollmentState): EnrollmentView {
  const a = s.activity
  const error = errorOf(a)
  const ctx = s.ctx
  return {
    requestId: ctx.requestId,
    step: s.step,
    status: statusOf(a),
    prompt: a.kind === 'prompt' ? a.prompt : a.kind === 'failed' ? 'resolve-failure' : null,
    lastFinishedStep: ctx.lastFinishedStep,
    outcome: a.kind === 'done' ? a.outcome : null,
    holderUuid: ctx.holderUuid,
    templateId: ctx.templateId,
    card: ctx.card
      ? {
          reader: ctx.card.reader,
          cardId: ctx.card.cardId,
          atr: ctx.card.atr,
          smartcardUuid: ctx.smartcardUuid,
        }
      : null,
    pinSource: ctx.pinSource,
    pinRules: ctx.pinRules,
    retire: ctx.retire.map((r) => ({ ...r, error: r.error ? { ...r.error } : null })),
    certificates: ctx.certificates.map((c) => ({ ...c })),
    certificateIssues: ctx.certificateIssues.map((c) => ({ ...c })),
    error: error ? { ...error } : null,
    resumable: a.kind === 'failed' ? a.resumable : a.kind !== 'done',
    cancelable: a.kind !== 'done' && cancelable(ctx),
    createdAt: ctx.createdAt,
    updatedAt: ctx.updatedAt,
  }
}
