import { describe, expect, it } from 'vitest'
import { isIntent, next } from '../../../electron/services/enrollment/machine'
import {
  newContext,
  type Activity,
  type EnrollmentEvent,
  type EnrollmentState,
} from '../../../electron/services/enrollment/state'
import { toView } from '../../../electron/services/enrollment/view'
import type { CardId, RequestId, SmartcardUuid } from '../../../shared/domain/cm'
import { ENROLLMENT_STEPS, type EnrollmentStep } from '../../../shared/domain/enrollment'
import { effectivePinRules } from '../../../shared/domain/pin-rules'

// The pure reducer, table-driven (conventions "A long-running workflow"): every intent in every activity, and the
// transitions of the §5.3 sequence.

const RID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' as RequestId
const SCID = '17cf063d-e337-4aa9-a822-346554ddd3c9' as SmartcardUuid
const SCID2 = '7a000000-0000-4000-8000-000000000001' as SmartcardUuid
const CERT = {
  container: 0,
  templateName: 'User',
  subject: 'CN=A',
  issuer: 'CN=CA',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  thumbprint: 'AB',
}
const CARD = { reader: 'R1', cardId: 'bc88f13f-83ba-4037-8262-46eba1291c6e' as CardId, atr: '3b8d' }
const RULES = effectivePinRules({
  policy: { minLength: 8, maxLength: 8 },
  cardKind: 'tpm-vsc',
  stationMinLength: 4,
})
const TEMPLATE = {
  name: 'Badge',
  virtualSmartcard: true,
  diversifyAdminKey: true,
  allowSmartcardReuse: false,
  pinPolicy: { minLength: 8, maxLength: 8 },
  userPinOption: 'ServerDistributed',
}

function state(
  step: EnrollmentStep,
  activity: Activity,
  ctx: Partial<EnrollmentState['ctx']> = {},
): EnrollmentState {
  return {
    step,
    activity,
    ctx: { ...newContext({ requestId: RID, holderUuid: null, templateId: null, now: 'T' }), ...ctx },
  }
}
const working: Activity = { kind: 'working' }
const prompt = (p: Extract<Activity, { kind: 'prompt' }>['prompt']): Activity => ({
  kind: 'prompt',
  prompt: p,
  notice: null,
})
const failed: Activity = {
  kind: 'failed',
  error: { code: 'server-error', correlationId: 'c-1' },
  resumable: true,
}
const waiting: Activity = { kind: 'waiting-retry', error: { code: 'timeout' } }
const done: Activity = { kind: 'done', outcome: 'completed' }

function ok(s: EnrollmentState, e: EnrollmentEvent) {
  const t = next(s, e)
  if (!t.ok) throw new Error(`rejected ${e.type}: ${t.code}`)
  return t
}

describe('the §5.3 sequence, happy path', () => {
  it('card → bind → admin key → server PIN → certificates → retire → complete', () => {
    let s = state('card', prompt('insert-card'), { lastFinishedStep: 'approval' })
    let t = ok(s, { type: 'use-card', reader: 'R1' })
    expect(t.commands).toEqual([{ type: 'accept-card', reader: 'R1' }])
    t = ok(t.state, { type: 'card-accepted', ...CARD, pinRules: RULES, template: TEMPLATE })
    expect(t.state).toMatchObject({
      step: 'bind',
      activity: working,
      ctx: { card: CARD, lastFinishedStep: 'card' },
    })
    expect(t.commands).toEqual([{ type: 'bind' }])
    t = ok(t.state, { type: 'bound', smartcardUuid: SCID })
    expect(t.state).toMatchObject({
      step: 'admin-key',
      ctx: { smartcardUuid: SCID, lastFinishedStep: 'bind' },
    })
    expect(t.commands).toEqual([{ type: 'admin-key' }])
    t = ok(t.state, { type: 'admin-key-done', adminKey: 'diversified' })
    expect(t.state).toMatchObject({
      step: 'pin',
      activity: prompt('start-pin'),
      ctx: { adminKey: 'diversified' },
    })
    t = ok(t.state, { type: 'set-pin', withPin: false })
    expect(t.commands).toEqual([{ type: 'set-server-pin' }])
    t = ok(t.state, { type: 'pin-set', source: 'server' })
    expect(t.state).toMatchObject({ step: 'pin', activity: prompt('note-pin'), ctx: { pinSet: true } })
    expect(toView(t.state)).toMatchObject({ status: 'needs-holder', prompt: 'note-pin' })
    t = ok(t.state, { type: 'acknowledge-pin' })
    expect(t.state).toMatchObject({
      step: 'certificates',
      activity: working,
      ctx: { lastFinishedStep: 'pin' },
    })
    expect(t.commands).toEqual([{ type: 'certificates' }])
    t = ok(t.state, { type: 'certificates-installed', certificates: [], issues: [] })
    expect(t.state).toMatchObject({ step: 'retire', activity: prompt('confirm-retire') })
    t = ok(t.state, { type: 'confirm-retire', smartcardUuids: [SCID, SCID], comment: 'new badge' })
    expect(t.state.ctx.retire).toHaveLength(1)
    expect(t.commands).toEqual([{ type: 'retire' }])
    t = ok(t.state, {
      type: 'retire-item',
      item: {
        smartcardUuid: SCID,
        cardId: null,
        state: 'retired',
        requestId: RID,
        writeId: null,
        error: null,
      },
    })
    expect(t.state.ctx.retire[0]?.state).toBe('retired')
    t = ok(t.state, { type: 'retire-finished' })
    expect(t.commands).toEqual([{ type: 'complete' }])
    t = ok(t.state, { type: 'completed' })
    expect(toView(t.state)).toMatchObject({
      status: 'done',
      outcome: 'completed',
      lastFinishedStep: 'complete',
    })
    s = t.state
    expect(next(s, { type: 'retry' })).toEqual({ ok: false, code: 'enrollment-finished' })
    expect(next(s, { type: 'bound', smartcardUuid: SCID })).toEqual({ ok: true, state: s, commands: [] })
  })

  it('holder-chosen PIN: 204 → holder prompt; setting it goes straight to the certificates', () => {
    let t = ok(state('pin', prompt('start-pin')), { type: 'set-pin', withPin: false })
    t = ok(t.state, { type: 'holder-chooses' })
    expect(toView(t.state)).toMatchObject({
      status: 'needs-holder',
      prompt: 'holder-chooses-pin',
      pinSource: 'holder',
    })
    expect(next(t.state, { type: 'set-pin', withPin: false })).toMatchObject({
      ok: false,
      code: 'wrong-step',
    })
    t = ok(t.state, { type: 'set-pin', withPin: true })
    expect(t.commands).toEqual([{ type: 'set-holder-pin' }])
    t = ok(t.state, { type: 'pin-set', source: 'holder' })
    expect(t.state).toMatchObject({ step: 'certificates', ctx: { lastFinishedStep: 'pin', pinSet: true } })
    expect(t.commands).toEqual([{ type: 'certificates' }])
  })

  it('no old cards to retire: straight to complete', () => {
    const t = ok(state('retire', prompt('confirm-retire')), {
      type: 'confirm-retire',
      smartcardUuids: [],
      comment: '',
    })
    expect(t.state).toMatchObject({ step: 'complete', ctx: { lastFinishedStep: 'retire' } })
    expect(t.commands).toEqual([{ type: 'complete' }])
  })

  it('approval: pending stays, approved moves to the card step', () => {
    const s = state('approval', prompt('await-approval'))
    let t = ok(s, { type: 'check-approval' })
    expect(t.commands).toEqual([{ type: 'check-request' }])
    expect(ok(t.state, { type: 'request-checked', approved: false }).state.activity).toEqual(
      prompt('await-approval'),
    )
    t = ok(t.state, { type: 'request-checked', approved: true })
    expect(t.state).toMatchObject({
      step: 'card',
      activity: prompt('insert-card'),
      ctx: { lastFinishedStep: 'approval' },
    })
  })
})

describe('cards that go away, and resuming', () => {
  it.each(['admin-key', 'pin', 'certificates'] as const)(
    '%s: a lost card waits for the same card',
    (step) => {
      const s = state(step, working, { card: CARD, smartcardUuid: SCID })
      const t = ok(s, { type: 'card-lost', error: { code: 'card-removed' }, adminKey: 'unknown' })
      expect(toView(t.state)).toMatchObject({
        step,
        status: 'needs-operator',
        prompt: 'insert-card',
        error: { code: 'card-removed' },
      })
      expect(t.state.ctx.adminKey).toBe('unknown')
      const back = ok(t.state, { type: 'use-card', reader: 'R2' })
      expect(back.commands).toEqual([{ type: 'accept-card', reader: 'R2' }])
      const accepted = ok(back.state, {
        type: 'card-accepted',
        ...CARD,
        reader: 'R2',
        pinRules: RULES,
        template: TEMPLATE,
      })
      expect(accepted.state.ctx.card?.reader).toBe('R2')
      const expected = {
        'admin-key': [{ type: 'admin-key' }],
        pin: [],
        certificates: [{ type: 'certificates' }],
      }[step]
      expect(accepted.commands).toEqual(expected)
    },
  )

  it('resume after a restart: card steps wait for the card, CM steps re-run, prompts stay', () => {
    const cases: Array<[EnrollmentStep, Activity, unknown[], string | null]> = [
      ['approval', working, [{ type: 'check-request' }], null],
      ['card', working, [], 'insert-card'],
      ['bind', working, [{ type: 'bind' }], null],
      ['admin-key', working, [], 'insert-card'],
      ['pin', working, [], 'insert-card'],
      ['certificates', working, [], 'insert-card'],
      ['retire', working, [{ type: 'retire' }], null],
      ['complete', working, [{ type: 'complete' }], null],
      ['pin', prompt('note-pin'), [], 'note-pin'],
      ['bind', waiting, [], null],
    ]
    for (const [step, activity, commands, p] of cases) {
      const t = ok(state(step, activity, { card: CARD }), { type: 'resume' })
      expect(t.commands).toEqual(commands)
      expect(toView(t.state).prompt).toBe(p)
    }
    const canceling = ok(state('pin', working, { canceling: 'Abandoned' }), { type: 'resume' })
    expect(canceling.commands).toEqual([{ type: 'cancel', status: 'Abandoned' }])
  })

  it('PUT KEY about to leave: the admin key is unknown in the checkpoint; elsewhere the event changes nothing', () => {
    const s = state('admin-key', working, { card: CARD, smartcardUuid: SCID })
    const t = ok(s, { type: 'admin-key-changing' })
    expect(t.state).toMatchObject({ step: 'admin-key', activity: working, ctx: { adminKey: 'unknown' } })
    expect(t.commands).toEqual([])
    // A crash now: the resume waits for the card, whose admin step then tries Kd first (steps-card.ts).
    const resumed = ok(t.state, { type: 'resume' })
    expect(resumed.state).toMatchObject({ activity: prompt('insert-card'), ctx: { adminKey: 'unknown' } })
    for (const other of [state('pin', working), state('admin-key', prompt('insert-card'))]) {
      expect(next(other, { type: 'admin-key-changing' })).toEqual({ ok: true, state: other, commands: [] })
    }
  })

  it('retry: card steps re-check the card in its last reader; write steps re-run', () => {
    expect(ok(state('admin-key', failed, { card: CARD }), { type: 'retry' }).commands).toEqual([
      { type: 'accept-card', reader: 'R1' },
    ])
    expect(ok(state('bind', waiting, { card: CARD }), { type: 'retry' }).commands).toEqual([{ type: 'bind' }])
    expect(ok(state('complete', failed), { type: 'retry' }).commands).toEqual([{ type: 'complete' }])
    expect(ok(state('retire', failed), { type: 'retry' }).commands).toEqual([{ type: 'retire' }])
    expect(next(state('admin-key', { ...failed, resumable: false }), { type: 'retry' })).toMatchObject({
      ok: false,
      code: 'wrong-step',
    })
  })
})

describe('cancel (§5.7)', () => {
  it('Canceled before a card is bound, Abandoned after', () => {
    expect(ok(state('card', prompt('insert-card')), { type: 'cancel' }).commands).toEqual([
      { type: 'cancel', status: 'Canceled' },
    ])
    const t = ok(state('pin', prompt('start-pin'), { smartcardUuid: SCID }), { type: 'cancel' })
    expect(t.commands).toEqual([{ type: 'cancel', status: 'Abandoned' }])
    expect(t.state.ctx.canceling).toBe('Abandoned')
    const end = ok(t.state, { type: 'canceled', outcome: 'abandoned' })
    expect(toView(end.state)).toMatchObject({ status: 'done', outcome: 'abandoned', resumable: false })
    // A cancel whose write waits for the journal retries the cancel, not the step.
    expect(ok({ ...t.state, activity: waiting }, { type: 'retry' }).commands).toEqual([
      { type: 'cancel', status: 'Abandoned' },
    ])
  })

  it('refused once certificates were requested: the card may hold valid credentials (certificates-issued)', () => {
    for (const ctx of [
      { smartcardUuid: SCID, certificateRequestSent: true },
      { smartcardUuid: SCID, certificates: [CERT] },
    ] as Array<Partial<EnrollmentState['ctx']>>) {
      for (const s of [
        state('certificates', prompt('holder-enters-pin'), ctx),
        state('certificates', failed, ctx),
        state('retire', prompt('confirm-retire'), ctx),
        state('complete', waiting, ctx),
      ]) {
        expect(next(s, { type: 'cancel' })).toEqual({ ok: false, code: 'certificates-issued' })
        expect(toView(s).cancelable).toBe(false)
      }
    }
    expect(toView(state('pin', prompt('start-pin'), { smartcardUuid: SCID })).cancelable).toBe(true)
  })
})

describe('retire outcomes', () => {
  const item = {
    smartcardUuid: SCID2,
    cardId: null,
    state: 'pending' as const,
    requestId: null,
    writeId: 'w-1',
    error: null,
  }
  it('a retire the journal finished after the end updates the summary; an unknown card changes nothing', () => {
    const s = state('complete', done, { retire: [item] })
    const t = ok(s, { type: 'retire-item', item: { ...item, state: 'retired' } })
    expect(t.commands).toEqual([])
    expect(t.state.activity).toEqual(done)
    expect(toView(t.state).retire[0]).toMatchObject({ smartcardUuid: SCID2, state: 'retired' })
    const other = ok(s, { type: 'retire-item', item: { ...item, smartcardUuid: SCID, state: 'retired' } })
    expect(other.state).toBe(s)
  })
})

describe('every intent in every activity', () => {
  const intents: EnrollmentEvent[] = [
    { type: 'use-card', reader: 'R1' },
    { type: 'set-pin', withPin: false },
    { type: 'set-pin', withPin: true },
    { type: 'acknowledge-pin' },
    { type: 'provide-pin' },
    { type: 'confirm-retire', smartcardUuids: [], comment: '' },
    { type: 'retry' },
    { type: 'cancel' },
    { type: 'check-approval' },
  ]
  /** Where each intent is allowed: [step, activity-kind/prompt]. */
  const allowed: Record<string, (s: EnrollmentState) => boolean> = {
    'use-card': (s) => s.activity.kind === 'prompt' && s.activity.prompt === 'insert-card',
    'set-pin:false': (s) =>
      s.step === 'pin' &&
      ((s.activity.kind === 'prompt' && ['start-pin', 'note-pin'].includes(s.activity.prompt)) ||
        (s.activity.kind === 'failed' && s.activity.resumable)),
    'set-pin:true': (s) =>
      s.step === 'pin' && s.activity.kind === 'prompt' && s.activity.prompt === 'holder-chooses-pin',
    'acknowledge-pin': (s) =>
      s.step === 'pin' && s.activity.kind === 'prompt' && s.activity.prompt === 'note-pin',
    'provide-pin': (s) =>
      s.step === 'certificates' && s.activity.kind === 'prompt' && s.activity.prompt === 'holder-enters-pin',
    'confirm-retire': (s) =>
      s.step === 'retire' && s.activity.kind === 'prompt' && s.activity.prompt === 'confirm-retire',
    retry: (s) =>
      (s.activity.kind === 'failed' && s.activity.resumable) || s.activity.kind === 'waiting-retry',
    cancel: (s) => s.activity.kind !== 'done',
    'check-approval': (s) =>
      s.step === 'approval' &&
      ((s.activity.kind === 'prompt' && s.activity.prompt === 'await-approval') ||
        s.activity.kind === 'failed'),
  }
  const activities: Activity[] = [
    working,
    prompt('insert-card'),
    prompt('await-approval'),
    prompt('start-pin'),
    prompt('holder-chooses-pin'),
    prompt('note-pin'),
    prompt('holder-enters-pin'),
    prompt('confirm-retire'),
    waiting,
    failed,
    { ...failed, resumable: false },
    done,
  ]
  it('accepts exactly where allowed, otherwise refuses with a closed code and leaves the state alone', () => {
    let checked = 0
    for (const step of ENROLLMENT_STEPS) {
      for (const activity of activities) {
        for (const intent of intents) {
          expect(isIntent(intent)).toBe(true)
          const s = state(step, activity, { card: CARD })
          const key = intent.type === 'set-pin' ? `set-pin:${intent.withPin}` : intent.type
          const t = next(s, intent)
          if (activity.kind === 'done') expect(t).toEqual({ ok: false, code: 'enrollment-finished' })
          else if (allowed[key]!(s)) expect(t.ok, `${key} in ${step}/${JSON.stringify(activity)}`).toBe(true)
          else
            expect(t, `${key} in ${step}/${JSON.stringify(activity)}`).toEqual({
              ok: false,
              code: 'wrong-step',
            })
          checked++
        }
      }
    }
    expect(checked).toBe(ENROLLMENT_STEPS.length * activities.length * intents.length)
  })

  it('outcomes at a step that does not expect them change nothing', () => {
    const s = state('retire', prompt('confirm-retire'))
    for (const e of [
      { type: 'bound', smartcardUuid: SCID },
      { type: 'admin-key-done', adminKey: 'initial' },
      { type: 'pin-set', source: 'server' },
      { type: 'completed' },
      { type: 'request-checked', approved: true },
    ] as EnrollmentEvent[]) {
      expect(next(s, e)).toEqual({ ok: true, state: s, commands: [] })
    }
  })
})
