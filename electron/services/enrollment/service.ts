import type {
  CmBindOutcome,
  ProfileTemplateId,
  RequestId,
  SmartcardUuid,
  UserUuid,
} from '../../../shared/domain/cm'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { checkPin } from '../../../shared/domain/pin-rules'
import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import type { WriteSettled } from '../journal/write-service'
import type { CheckpointStore } from './checkpoints'
import type { EnrollmentDeps } from './deps'
import { next } from './machine'
import { listApprovedRequests, listEnrollTemplates, listRetireCandidates } from './queries'
import { runCommand, type RunScope } from './runner'
import { newContext, type EnrollmentCommand, type EnrollmentEvent, type EnrollmentState } from './state'
import { toView } from './view'

// Request.Status (cm-rest-api.md §4.2): 3 Approved (Observed), 16 Pending, 18 Executing (Documented).
const APPROVED = 3
const PENDING = 16
const EXECUTING = 18

/** How an enrollment starts (shared/ipc/enrollment.ts `enrollment:start`). */
export type StartInput =
  | {
      kind: 'holder'
      holderUuid: UserUuid
      templateId: ProfileTemplateId
      dataCollection: Array<{ name: string; value: string }>
      comment: string
      fromSmartcardUuid?: SmartcardUuid | undefined
    }
  | { kind: 'request'; requestId: RequestId }

/** Prompts that act on the bound card in its reader: its removal is told at once. */
const CARD_PROMPTS: ReadonlySet<string> = new Set(['start-pin', 'holder-chooses-pin', 'holder-enters-pin'])

/** Extra inputs of one intent: secrets travel beside the event, never in it. */
interface IntentExtras {
  holderPin?: Buffer
  /** The card's PIN for the vault, stored only once the reducer accepted the intent (never for a wrong step). */
  vaultPin?: Buffer
}

/**
 * The enrollment workflow service: owns the states (one per request id), applies events with the pure reducer,
 * checkpoints every transition, runs the commands with the effect runner, and tells listeners. Work on one enrollment
 * is serialized (one promise chain per request id); different enrollments run independently.
 */
export class EnrollmentService {
  private readonly states = new Map<string, EnrollmentState>()
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly listeners = new Set<(view: EnrollmentView) => void>()
  private readonly removedListeners = new Set<(requestId: RequestId) => void>()
  private unsubscribe: (() => void) | null = null
  private closed = false
  /** The readers holding a card at the last readersChanged; null until the first one. */
  private lastPresent: ReadonlySet<string> | null = null

  /** The checkpoints were read into `states` (once; before any request is taken over). */
  private loaded = false

  constructor(private readonly deps: EnrollmentDeps & { checkpoints: CheckpointStore }) {
    // An Enroll request the journal created (or found after a crash) becomes an enrollment before its entry is done.
    deps.writes.takeEnrollRequests((requestId, entry) =>
      this.takeRequest(requestId, entry.input.fromSmartcardUuid),
    )
  }

  /** Read the checkpoints once (start-up, or a journal handover that comes first). */
  private load(): void {
    if (this.loaded) return
    this.loaded = true
    for (const state of this.deps.checkpoints.loadAll()) this.states.set(state.ctx.requestId, state)
  }

  /** Load the checkpoints, resume interrupted work in the background, follow the write journal. */
  start(): void {
    this.load()
    this.unsubscribe = this.deps.writes.onSettled((s) => this.onWriteSettled(s))
    for (const id of this.states.keys()) {
      void this.serial(id, async () => {
        const commands = this.apply(id, { type: 'resume' }, false)
        await this.drive(id, commands, {})
        // A card step whose bound card is still in its reader goes on by itself (the cardid is checked first).
        const present = this.lastPresent ?? new Set(this.deps.presentReaders())
        await this.takeBoundCard(id as RequestId, (own) => (present.has(own) ? [own] : []))
      }).catch((error: unknown) => this.deps.log.error('enrollment: resume failed', { requestId: id, error }))
    }
  }

  /**
   * The readers changed (the station's reader service; `present` = readers holding a card now, `inserted` = readers
   * whose card appeared since the last call). A prompt that needs the bound card (start the PIN, the holder's PIN
   * entry, the card PIN after a restart) whose card left its reader becomes "insert the same card" at once, instead of
   * after the holder typed; an enrollment waiting for its bound card takes a card that appears by itself — the card
   * step checks the cardid first, so another card is refused with the reason and nothing is sent to it.
   */
  readersChanged(present: ReadonlySet<string>, inserted: ReadonlySet<string>): void {
    if (this.closed) return
    // The first list after a start may come while a resume still runs: it counts as every card just inserted.
    const first = this.lastPresent === null
    this.lastPresent = present
    for (const state of this.states.values()) {
      const { requestId, card } = state.ctx
      if (!card) continue
      // Evaluated in the enrollment's queue, after any resume or intent in flight has settled its prompt.
      void this.serial(requestId, async () => {
        const a = this.stateOf(requestId).activity
        if (a.kind !== 'prompt') return
        if (CARD_PROMPTS.has(a.prompt) && !present.has(card.reader)) {
          this.apply(requestId, { type: 'card-lost', error: { code: 'card-removed' } }, false)
        } else {
          await this.takeBoundCard(requestId, (own) =>
            first
              ? present.has(own)
                ? [own]
                : []
              : [...inserted]
                  .filter((r) => this.deps.readerAllowed(r))
                  .sort((a, b) => Number(b === own) - Number(a === own)),
          )
        }
      }).catch((error: unknown) =>
        this.deps.log.error('enrollment: reader change follow-up failed', { requestId, error }),
      )
    }
  }

  /**
   * Inside the enrollment's queue: an enrollment asking for its bound card (insert-card after bind) uses the first
   * of the readers `readers(ownReader)` names. The card step checks the cardid before anything, so another card is
   * refused with the reason and nothing is sent to it.
   */
  private async takeBoundCard(requestId: RequestId, readers: (ownReader: string) => string[]): Promise<void> {
    const { activity, ctx } = this.stateOf(requestId)
    if (activity.kind !== 'prompt' || activity.prompt !== 'insert-card' || !ctx.smartcardUuid || !ctx.card)
      return
    const reader = readers(ctx.card.reader)[0]
    if (reader === undefined) return
    await this.drive(requestId, this.apply(requestId, { type: 'use-card', reader }, true), {})
  }

  /** Zero every held PIN and stop following the journal (runs in flight finish on their own). */
  close(): void {
    this.closed = true
    this.unsubscribe?.()
    this.deps.vault.clearAll()
  }

  /**
   * Zero every PIN held for a certificate step (kiosk idle reset: the station went back to Home). The enrollments stay
   * as they are; the certificate step of one resumed later asks the holder for the card's PIN again. A step already
   * running keeps its own copy until it ends.
   */
  releasePins(): void {
    const held = this.deps.vault.size
    this.deps.vault.clearAll()
    if (held > 0) this.deps.log.info('enrollment: held PINs released', { count: held })
  }

  /** Every known enrollment, newest first. */
  list(): EnrollmentView[] {
    return [...this.states.values()]
      .sort((a, b) => b.ctx.createdAt.localeCompare(a.ctx.createdAt))
      .map(toView)
  }

  /** One enrollment's view; throws `enrollment-not-found`. */
  get(requestId: RequestId): EnrollmentView {
    return toView(this.stateOf(requestId))
  }

  /** Follow every change of every enrollment. */
  onChange(listener: (view: EnrollmentView) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Follow dismissals (the enrollment is gone from the station). */
  onRemoved(listener: (requestId: RequestId) => void): () => void {
    this.removedListeners.add(listener)
    return () => this.removedListeners.delete(listener)
  }

  /** `enrollment:list-templates`. */
  listTemplates() {
    return listEnrollTemplates(this.deps)
  }

  /** `enrollment:list-approved-requests`. */
  listApprovedRequests() {
    return listApprovedRequests(this.deps)
  }

  /** `enrollment:list-retire-candidates`. */
  listRetireCandidates(requestId: RequestId) {
    return listRetireCandidates(this.deps, this.stateOf(requestId))
  }

  /**
   * Start an enrollment: on behalf of a holder (E05 with `target` through the write journal, after checking the
   * template and its policy) or from an existing request (E07). An enrollment already known for the request is
   * returned as it stands (resume); one waiting for approval checks CM again.
   */
  async begin(input: StartInput): Promise<EnrollmentView> {
    if (input.kind === 'request' && this.states.has(input.requestId)) {
      const state = this.stateOf(input.requestId)
      const waiting = state.step === 'approval' && state.activity.kind !== 'done'
      return waiting ? (await this.intent(input.requestId, { type: 'check-approval' })).view : toView(state)
    }
    if (input.kind === 'request') return this.open(input.requestId, [], 'request')
    // The journal creates the request and hands it over (takeRequest) before it returns.
    return toView(this.stateOf(await this.createRequest(input)))
  }

  /**
   * The journal's handover of an Enroll request it created or adopted: the enrollment exists from now on (checkpoint).
   * Nothing happens when it already exists (a handover repeated after a crash).
   */
  private async takeRequest(requestId: RequestId, fromSmartcardUuid: SmartcardUuid | null): Promise<void> {
    this.load()
    await this.serial(requestId, async () => {
      if (this.states.has(requestId)) return
      await this.open(requestId, fromSmartcardUuid ? [fromSmartcardUuid] : [], 'holder')
    })
  }

  /** A new enrollment of `requestId` (E07: a smart-card Enroll request CM can still carry out), checkpointed. */
  private async open(
    requestId: RequestId,
    holderCards: SmartcardUuid[],
    from: StartInput['kind'],
  ): Promise<EnrollmentView> {
    const request = await this.deps.cm.getRequest(requestId)
    if (!request) throw new StationError('request-not-found')
    if (request.requestType.name !== 'Enroll' || !request.isSmartcard) {
      throw new StationError('request-not-executable', {}, 'not a smart-card Enroll request')
    }
    const status = request.status.raw
    if (status !== PENDING && status !== APPROVED && status !== EXECUTING) {
      throw new StationError('request-not-executable', {}, `request status ${status}`)
    }
    const ctx = {
      ...newContext({
        requestId,
        holderUuid: request.targetUserUuid,
        templateId: request.profileTemplateUuid,
        now: this.deps.now(),
      }),
      holderCards,
    }
    let state: EnrollmentState
    if (status === PENDING) {
      state = { step: 'approval', activity: { kind: 'prompt', prompt: 'await-approval', notice: null }, ctx }
    } else if (request.newSmartcardUuid) {
      // A card was bound before (another session or tool): go on with THAT card only. Its admin key is unknown.
      const card = await this.deps.cm.getSmartcard(request.newSmartcardUuid)
      if (!card?.cardId) throw new StationError('request-not-executable', {}, 'bound card has no CardID')
      state = {
        step: 'admin-key',
        activity: { kind: 'prompt', prompt: 'insert-card', notice: null },
        ctx: {
          ...ctx,
          card: { reader: '', cardId: card.cardId, atr: card.atr ?? '' },
          smartcardUuid: card.uuid,
          adminKey: 'unknown',
          lastFinishedStep: 'bind',
        },
      }
    } else {
      state = {
        step: 'card',
        activity: { kind: 'prompt', prompt: 'insert-card', notice: null },
        ctx: { ...ctx, lastFinishedStep: 'approval' },
      }
    }
    this.deps.checkpoints.save(state)
    this.states.set(requestId, state)
    this.deps.log.info('enrollment: started', { requestId, step: state.step, from })
    this.notify(state)
    return toView(state)
  }

  /** Apply an operator/holder intent and run what it implies until the enrollment waits again. */
  async intent(
    requestId: RequestId,
    event: EnrollmentEvent,
    extras: IntentExtras = {},
  ): Promise<{ view: EnrollmentView; serverPin?: string }> {
    this.stateOf(requestId)
    try {
      return await this.serial(requestId, async () => {
        const commands = this.apply(requestId, event, true)
        if (extras.vaultPin) this.deps.vault.put(requestId, extras.vaultPin)
        const out: RunScope['out'] = {}
        await this.drive(requestId, commands, { ...extras, out })
        const result: { view: EnrollmentView; serverPin?: string } = { view: toView(this.stateOf(requestId)) }
        if (out.serverPin !== undefined) result.serverPin = out.serverPin
        return result
      })
    } finally {
      zeroize(extras.holderPin, extras.vaultPin)
    }
  }

  /** The holder's chosen PIN: checked against the effective rules BEFORE any card command (issue 11 input 2). */
  async setHolderPin(requestId: RequestId, pin: string): Promise<EnrollmentView> {
    const rules = this.stateOf(requestId).ctx.pinRules
    if (!rules) throw new StationError('wrong-step', {}, 'no PIN rules yet')
    if (checkPin(pin, rules).length > 0) throw new StationError('pin-rule')
    const holderPin = Buffer.from(pin, 'utf8')
    return (await this.intent(requestId, { type: 'set-pin', withPin: true }, { holderPin })).view
  }

  /**
   * After a restart: the holder's card PIN for the certificate step (the card itself checks it). Kept only when the
   * enrollment is at that prompt: a PIN sent at another step never reaches the vault nor the card.
   */
  async providePin(requestId: RequestId, pin: string): Promise<EnrollmentView> {
    const rules = this.stateOf(requestId).ctx.pinRules
    if (rules && checkPin(pin, rules).includes('not-printable-ascii')) throw new StationError('pin-rule')
    const vaultPin = Buffer.from(pin, 'utf8')
    return (await this.intent(requestId, { type: 'provide-pin' }, { vaultPin })).view
  }

  /**
   * The operator's confirmed retire list. Every card must be one the station offered for this holder (a retire
   * candidate CM lets this operator retire): never the new card, never another person's badge.
   */
  async retireOldCards(
    requestId: RequestId,
    smartcardUuids: SmartcardUuid[],
    comment: string,
  ): Promise<EnrollmentView> {
    const state = this.stateOf(requestId)
    if (smartcardUuids.length > 0) {
      if (state.step !== 'retire')
        throw new StationError('wrong-step', {}, 'retire list outside the retire step')
      const offered = new Set(
        (await listRetireCandidates(this.deps, state)).filter((c) => c.canRetire).map((c) => c.smartcardUuid),
      )
      const foreign = smartcardUuids.filter((u) => !offered.has(u))
      if (foreign.length > 0) {
        this.deps.log.warn('enrollment: retire list refused (cards that are not retire candidates)', {
          requestId,
          cards: foreign,
        })
        throw new StationError('invalid-request', {}, 'not the holder’s retire candidates')
      }
    }
    return (await this.intent(requestId, { type: 'confirm-retire', smartcardUuids, comment })).view
  }

  /** The enrollment in progress (not finished) whose new badge is `smartcardUuid`, or null. */
  enrollmentOfCard(smartcardUuid: SmartcardUuid): RequestId | null {
    for (const state of this.states.values()) {
      if (state.activity.kind !== 'done' && state.ctx.smartcardUuid === smartcardUuid)
        return state.ctx.requestId
    }
    return null
  }

  /** Resolves once the work queued so far for this enrollment (a resume, an intent, a follow-up) has run. */
  async idle(requestId: RequestId): Promise<void> {
    await this.serial(requestId, async () => {})
  }

  /** Forget a finished enrollment (its checkpoint is deleted). Refused while it is not finished. */
  async dismiss(requestId: RequestId): Promise<void> {
    await this.serial(requestId, async () => {
      const state = this.stateOf(requestId)
      if (state.activity.kind !== 'done') throw new StationError('wrong-step', {}, 'not finished')
      this.deps.vault.clear(requestId)
      this.deps.checkpoints.remove(requestId)
      this.states.delete(requestId)
      this.deps.log.info('enrollment: dismissed', { requestId })
      for (const listener of [...this.removedListeners]) listener(requestId)
    })
  }

  private async createRequest(input: Extract<StartInput, { kind: 'holder' }>): Promise<RequestId> {
    const templates = await this.listTemplates()
    const template = templates.find((t) => t.uuid === input.templateId)
    if (!template) throw new StationError('template-not-enrollable', {}, 'not an enrollable template')
    const given = new Map(input.dataCollection.map((d) => [d.name, d.value.trim()]))
    const missing = template.dataCollection.filter((d) => d.required && !given.get(d.name))
    if (missing.length > 0) throw new StationError('invalid-request', {}, 'required data items missing')
    const dataCollection = template.dataCollection
      .filter((d) => given.get(d.name))
      .map((d) => ({ name: d.name, value: given.get(d.name)! }))
    // Journaled: a crash between E05 and the enrollment's first checkpoint leaves no forgotten request behind.
    const { requestId } = await this.deps.writes.createEnroll({
      holderUuid: input.holderUuid,
      templateId: input.templateId,
      dataCollection,
      comment: template.collectComments ? input.comment : '',
      fromSmartcardUuid: input.fromSmartcardUuid ?? null,
    })
    return requestId
  }

  private stateOf(requestId: string): EnrollmentState {
    const state = this.states.get(requestId)
    if (!state) throw new StationError('enrollment-not-found')
    return state
  }

  /** Reduce, stamp, checkpoint, notify. An intent that cannot be checkpointed is refused (nothing runs). */
  private apply(requestId: string, event: EnrollmentEvent, intent: boolean): EnrollmentCommand[] {
    const before = this.stateOf(requestId)
    const t = next(before, event)
    if (!t.ok) throw new StationError(t.code, {}, `${event.type} in ${before.step}/${before.activity.kind}`)
    if (t.state === before) return t.commands
    const state: EnrollmentState = { ...t.state, ctx: { ...t.state.ctx, updatedAt: this.deps.now() } }
    try {
      this.deps.checkpoints.save(state)
    } catch (error) {
      if (intent) throw error
      // An outcome that already happened stays in memory and is saved with the next change.
    }
    this.states.set(requestId, state)
    if (state.step !== before.step || state.activity.kind !== before.activity.kind) {
      this.deps.log.info('enrollment: step', {
        requestId,
        event: event.type,
        step: state.step,
        activity: state.activity.kind,
        code: state.activity.kind === 'failed' ? state.activity.error.code : undefined,
      })
    }
    this.notify(state)
    return t.commands
  }

  /** Run commands (and the commands their events imply) until none is left. */
  private async drive(
    requestId: string,
    first: EnrollmentCommand[],
    extras: IntentExtras & { out?: RunScope['out'] },
  ): Promise<void> {
    const queue = [...first]
    const out = extras.out ?? {}
    while (queue.length > 0 && !this.closed) {
      const command = queue.shift()!
      const scope: RunScope = {
        state: () => this.stateOf(requestId),
        emit: (event) => queue.push(...this.apply(requestId, event, false)),
        out,
        ...(command.type === 'set-holder-pin' && extras.holderPin ? { holderPin: extras.holderPin } : {}),
      }
      await runCommand(command, scope, this.deps)
    }
  }

  /** One promise chain per enrollment: intents, resumes and journal outcomes never interleave. */
  private serial<T>(requestId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(requestId) ?? Promise.resolve()
    const run = previous.then(work, work)
    const tail = run.catch(() => {})
    this.queues.set(requestId, tail)
    void tail.then(() => {
      if (this.queues.get(requestId) === tail) this.queues.delete(requestId)
    })
    return run
  }

  /** A journaled write of an enrollment that was waiting for the journal's automatic retry has settled. */
  private onWriteSettled({ entry, outcome }: WriteSettled): void {
    if (this.closed) return
    if (entry.kind === 'retire') return this.onRetireSettled(entry)
    // An Enroll request creation ends with its handover (takeRequest): nothing waits for it here.
    if (entry.kind === 'enroll') return
    const requestId = entry.input.requestId
    const waiting = this.states.get(requestId)?.activity.kind === 'waiting-retry'
    if (!waiting) return
    const event = ((): EnrollmentEvent | null => {
      if (entry.state === 'done') {
        if (entry.kind === 'bind') {
          const scid = (outcome as CmBindOutcome | null)?.smartcardUuid ?? entry.progress.smartcardUuid
          return scid ? { type: 'bound', smartcardUuid: scid } : null
        }
        if (entry.kind === 'complete') return { type: 'completed' }
        return { type: 'canceled', outcome: entry.input.status === 'Canceled' ? 'canceled' : 'abandoned' }
      }
      if (!entry.lastError) return null
      if (entry.state === 'failed') return { type: 'step-failed', error: entry.lastError, resumable: true }
      return { type: 'write-waiting', error: entry.lastError }
    })()
    if (!event) return
    void this.serial(requestId, async () => {
      if (this.states.get(requestId)?.activity.kind !== 'waiting-retry') return
      const commands = this.apply(requestId, event, false)
      await this.drive(requestId, commands, {})
    }).catch((error: unknown) =>
      this.deps.log.error('enrollment: journal follow-up failed', { requestId, error }),
    )
  }

  /**
   * A retire of an old badge that the journal finished by itself after the enrollment moved on (an automatic retry,
   * an adoption): the enrollment's retire list — and its summary — follow it.
   */
  private onRetireSettled(entry: Extract<WriteSettled['entry'], { kind: 'retire' }>): void {
    if (entry.state !== 'done' && entry.state !== 'awaiting-approval') return
    for (const [requestId, state] of this.states) {
      const item = state.ctx.retire.find((r) => r.writeId === entry.id)
      if (!item || item.state === 'retired') continue
      const next = {
        ...item,
        state: entry.state === 'done' ? ('retired' as const) : ('awaiting-approval' as const),
        requestId: entry.progress.requestId ?? item.requestId,
        error: null,
      }
      void this.serial(requestId, async () => {
        this.apply(requestId, { type: 'retire-item', item: next }, false)
      }).catch((error: unknown) =>
        this.deps.log.error('enrollment: retire follow-up failed', { requestId, error }),
      )
    }
  }

  private notify(state: EnrollmentState): void {
    const view = toView(state)
    for (const listener of [...this.listeners]) {
      try {
        listener(view)
      } catch (error) {
        this.deps.log.error('enrollment: listener failed', { error })
      }
    }
  }
}
