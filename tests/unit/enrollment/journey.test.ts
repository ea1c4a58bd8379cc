import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminResponse } from '../../../electron/services/crypto/des'
import { createCmHandlers } from '../../../electron/services/cm/ipc-handlers'
import { createEnrollmentHandlers } from '../../../electron/services/enrollment/ipc-handlers'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import type { ProfileTemplateId, RequestId, SmartcardUuid, UserUuid } from '../../../shared/domain/cm'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import {
  ALICE,
  ALICE_OLD_CARD,
  HOLDER_PIN_TEMPLATE,
  journeyStation,
  READER_NEW,
  SERVER_PIN_TEMPLATE,
} from './journey-harness'

// The whole issue flow in-process: real simulator, real card edge on virtual GIDS cards in memory readers, real
// write journal and checkpoints (issue "Issue a badge, end to end" + "Certificates on the badge").

let sim: CmSimulator
beforeAll(async () => {
  sim = await startCmSimulator({ scenario: 'training' })
})
afterAll(() => sim.close())
beforeEach(() => sim.control.reset())

let station: ReturnType<typeof journeyStation> | null = null
afterEach(async () => {
  await station?.close()
  station = null
})

function request(rid: string) {
  return sim.control.state().Requests.find((r) => r.Uuid === rid)!
}
function cardRecord(scid: string) {
  return sim.control.state().Smartcards.find((c) => c.Uuid === scid)!
}

async function startForAlice(s: ReturnType<typeof journeyStation>, template = SERVER_PIN_TEMPLATE) {
  return s.service.begin({
    kind: 'holder',
    holderUuid: ALICE as UserUuid,
    templateId: template as ProfileTemplateId,
    dataCollection: [],
    comment: '',
  })
}

/** Start for Alice and use the new card while CM binds it but its E11 answer is lost (the journal will retry). */
async function bindAnswerLost(s: ReturnType<typeof journeyStation>) {
  const { requestId: rid } = await startForAlice(s)
  sim.control.addFault({
    match: { route: 'E11', times: 1 },
    action: { type: 'drop', when: 'before-headers', afterHandler: true },
  })
  const { view } = await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
  return { rid, view }
}

/** True when the card takes `key` as its admin key (local 3DES responder, gids-card-edge.md §5.4). */
async function adminKeyIs(s: ReturnType<typeof journeyStation>, key: Buffer): Promise<boolean> {
  try {
    await s.edge.authenticateAdmin(
      READER_NEW,
      { respond: async (c) => adminResponse(key, c) },
      async () => {},
    )
    return true
  } catch {
    return false
  }
}

describe('issue a badge (server PIN, diversified admin key), in process', () => {
  it('bind → admin key → server PIN → certificates → retire the old badge → complete', async () => {
    station = journeyStation(sim)
    const s = station
    const seen: string[] = []
    s.service.onChange((v) => seen.push(`${v.step}:${v.status}`))
    let view: EnrollmentView = await startForAlice(s)
    const rid = view.requestId
    expect(view).toMatchObject({
      step: 'card',
      status: 'needs-operator',
      prompt: 'insert-card',
      holderUuid: ALICE,
    })

    view = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    expect(view).toMatchObject({ step: 'pin', prompt: 'start-pin', lastFinishedStep: 'admin-key' })
    expect(view.card).toMatchObject({ cardId: s.newCardId, reader: READER_NEW })
    expect(view.pinRules).toMatchObject({ minLength: 8, maxLength: 8, cardKind: 'tpm-vsc' })
    const scid = view.card!.smartcardUuid!
    expect(cardRecord(scid).Status).toBe(2)
    expect(await adminKeyIs(s, s.diversifiedKey())).toBe(true)

    const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    expect(pin.serverPin).toMatch(/^\d{8}$/)
    expect(pin.view).toMatchObject({
      step: 'pin',
      status: 'needs-holder',
      prompt: 'note-pin',
      pinSource: 'server',
    })
    await s.edge.verifyPin(READER_NEW, pin.serverPin!)

    view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
    expect(view).toMatchObject({ step: 'retire', prompt: 'confirm-retire', lastFinishedStep: 'certificates' })
    expect(view.certificates).toHaveLength(1)
    expect(view.certificates[0]!.subject).toMatch(/^CN=Alice Martins/)
    expect(s.vault.size).toBe(0)
    const containers = await s.edge.listContainers(READER_NEW)
    expect(containers).toHaveLength(1)
    expect(containers[0]!.certificate).not.toBeNull()

    const candidates = await s.service.listRetireCandidates(rid)
    expect(candidates.map((c) => c.smartcardUuid)).toContain(ALICE_OLD_CARD)
    expect(candidates.map((c) => c.smartcardUuid)).not.toContain(scid)
    const active = candidates.filter((c) => c.status.raw === 3 && c.canRetire).map((c) => c.smartcardUuid)
    view = (
      await s.service.intent(rid, {
        type: 'confirm-retire',
        smartcardUuids: active as SmartcardUuid[],
        comment: 'replaced by a new badge',
      })
    ).view
    expect(view).toMatchObject({ step: 'complete', status: 'done', outcome: 'completed' })
    expect(view.retire.find((r) => r.smartcardUuid === ALICE_OLD_CARD)?.state).toBe('retired')

    expect(request(rid).Status).toBe(8)
    expect(cardRecord(scid).Status).toBe(3)
    expect(cardRecord(ALICE_OLD_CARD).Status).toBe(6)
    expect(seen).toContain('bind:working')
    expect(seen).toContain('certificates:working')
    // Nothing secret in the log lines (the PIN, the diversified key).
    const logText = s.log.lines.join('\n')
    expect(logText).not.toContain(pin.serverPin!)
    expect(logText).not.toContain(s.diversifiedKey().toString('hex'))
    expect(logText).not.toContain(s.diversifiedKey().toString('base64'))

    await s.service.dismiss(rid)
    expect(s.service.list()).toEqual([])
  })

  it('holder-chosen PIN (E16 204): rules checked before any card command, then set, verified, certificates', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s, HOLDER_PIN_TEMPLATE)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    const probe = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    expect(probe.serverPin).toBeUndefined()
    expect(probe.view).toMatchObject({ prompt: 'holder-chooses-pin', pinSource: 'holder' })
    await expect(s.service.setHolderPin(rid, '1234567')).rejects.toMatchObject({ code: 'pin-rule' })
    const view = await s.service.setHolderPin(rid, 'Holder-Pin-42')
    expect(view).toMatchObject({ step: 'retire', lastFinishedStep: 'certificates' })
    await s.edge.verifyPin(READER_NEW, 'Holder-Pin-42')
  })

  it('Q9: a server-generated key (PFX) is imported onto the card, an external certificate is not installed', async () => {
    // "Badge Smart Card (random PIN)": Randomized PIN, its own K0, extra PFX and external entries (SIM-B6).
    station = journeyStation(sim, {
      adminKey: Buffer.from('7c3a91e05bd24f68a1c0e2d3b4f5061728394a5b6c7d8e9f', 'hex'),
      secret: 'training-secret',
    })
    const s = station
    const { requestId: rid } = await startForAlice(s, 'e1000000-5151-4a00-8000-000000000002')
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    const view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
    expect(view).toMatchObject({ step: 'retire', certificateIssues: [] })
    expect(view.certificates.map((c) => c.templateName).sort()).toEqual([
      'BadgeSmartcardLogon',
      'BadgeSmartcardLogon-Archived',
    ])
    const containers = await s.edge.listContainers(READER_NEW)
    expect(containers).toHaveLength(2)
    expect(containers.every((c) => c.certificate !== null)).toBe(true)
    // The imported key signs on the card with the holder's PIN.
    await s.edge.withUserPin(READER_NEW, { pin: pin.serverPin! }, async (session) => {
      const sig = await session.signDigest(containers[1]!.index, 'SHA256', Buffer.alloc(32, 7))
      expect(sig).toHaveLength(256)
    })
  })

  it('a card CM already knows (the old Active badge) and a non-GIDS / blank card are refused', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s)
    const v = (await s.service.intent(rid, { type: 'use-card', reader: 'Station Virtual Reader 0' })).view
    expect(v).toMatchObject({
      step: 'card',
      prompt: 'insert-card',
      error: { code: 'card-registered-elsewhere' },
    })
    expect(request(rid).NewSmartcardUuid).toBe('00000000-0000-0000-0000-000000000000')
  })

  it('cancel before a card is bound → Canceled; after → Abandoned; a finished enrollment refuses intents', async () => {
    station = journeyStation(sim)
    const s = station
    const a = await startForAlice(s)
    const canceled = (await s.service.intent(a.requestId, { type: 'cancel' })).view
    expect(canceled).toMatchObject({ status: 'done', outcome: 'canceled' })
    expect(request(a.requestId).Status).toBe(17)
    await expect(s.service.intent(a.requestId, { type: 'retry' })).rejects.toMatchObject({
      code: 'enrollment-finished',
    })
    const b = await startForAlice(s)
    await s.service.intent(b.requestId, { type: 'use-card', reader: READER_NEW })
    const abandoned = (await s.service.intent(b.requestId, { type: 'cancel' })).view
    expect(abandoned).toMatchObject({ status: 'done', outcome: 'abandoned' })
  })
})

describe('ways in: approval, data collection, request id, SHA-1 templates', () => {
  it('a template that needs approval stops in "approval"; once approved, "check again" moves to the card', async () => {
    station = journeyStation(sim)
    const s = station
    const view = await startForAlice(s, '2b7044cf-aa96-4911-b886-177947e9271b')
    expect(view).toMatchObject({ step: 'approval', status: 'needs-operator', prompt: 'await-approval' })
    expect(request(view.requestId).Status).toBe(16)
    expect(await s.service.begin({ kind: 'request', requestId: view.requestId })).toMatchObject({
      step: 'approval',
      prompt: 'await-approval',
    })
    sim.control.approve(view.requestId)
    expect(await s.service.begin({ kind: 'request', requestId: view.requestId })).toMatchObject({
      step: 'card',
      prompt: 'insert-card',
      lastFinishedStep: 'approval',
    })
  })

  it('required data items are enforced before E05 and sent with it; a request id starts from E07', async () => {
    station = journeyStation(sim)
    const s = station
    const walkthrough = '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1' as ProfileTemplateId
    await expect(
      s.service.begin({
        kind: 'holder',
        holderUuid: ALICE as UserUuid,
        templateId: walkthrough,
        dataCollection: [],
        comment: '',
      }),
    ).rejects.toMatchObject({ code: 'invalid-request' })
    const view = await s.service.begin({
      kind: 'holder',
      holderUuid: ALICE as UserUuid,
      templateId: walkthrough,
      dataCollection: [{ name: 'Request Reason', value: 'First badge' }],
      comment: 'ignored: the policy collects no comment',
    })
    expect(request(view.requestId).DataCollection).toEqual([{ Name: 'Request Reason', Value: 'First badge' }])
    expect(request(view.requestId).Comment).toBe('')
    // Way (b)/(c): an existing Approved request by id, on another station (no checkpoint for it there).
    const other = journeyStation(sim)
    try {
      const byId = await other.service.begin({ kind: 'request', requestId: view.requestId })
      expect(byId).toMatchObject({ step: 'card', holderUuid: ALICE })
      expect((await other.service.listApprovedRequests()).map((r) => r.requestId)).toContain(view.requestId)
      await expect(
        other.service.begin({
          kind: 'request',
          requestId: '00000000-0000-4000-8000-00000000dead' as RequestId,
        }),
      ).rejects.toMatchObject({ code: 'request-not-found' })
    } finally {
      await other.close()
    }
  })

  it('FX-E09-1 asks for SHA-1: the card still signs a SHA-1 CSR, with a warning in the log', async () => {
    station = journeyStation(sim, { adminKey: Buffer.alloc(24), secret: 'training-secret' })
    const s = station
    const { requestId: rid } = await startForAlice(s, 'a039b4d0-5ce8-4eff-8651-181c6576fda3')
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    expect((await s.service.intent(rid, { type: 'set-pin', withPin: false })).view.prompt).toBe(
      'holder-chooses-pin',
    )
    const view = await s.service.setHolderPin(rid, '0123456789')
    expect(view).toMatchObject({ step: 'retire', lastFinishedStep: 'certificates' })
    expect(s.log.lines.join('\n')).toMatch(/SHA-1 certificate request/)
  })
})

describe('resume: pulled cards and restarts never repeat a counted card step', () => {
  it('card pulled while CM answers the admin challenge, and again during the PIN; a restart mid-flow', async () => {
    station = journeyStation(sim, { adminTryLimit: 5 })
    const s = station
    const { requestId: rid } = await startForAlice(s)
    // Pull the card while the station waits for E15 (the challenge dies; nothing was sent to the card).
    s.hooks.getAuthenticationResponse = { before: () => s.memory.remove(READER_NEW) }
    let view = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    expect(view).toMatchObject({ step: 'admin-key', prompt: 'insert-card', error: { code: 'card-removed' } })
    delete s.hooks.getAuthenticationResponse

    // Another card is refused on resume.
    const { GidsCard } = await import('../../../electron/simulator/card/gids-card')
    s.memory.insert(READER_NEW, GidsCard.personalised())
    view = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    expect(view).toMatchObject({ step: 'admin-key', prompt: 'insert-card', error: { code: 'wrong-card' } })

    s.memory.insert(READER_NEW, s.newCard)
    view = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    expect(view).toMatchObject({ step: 'pin', prompt: 'start-pin' })

    // Pulled during the PIN step (while CM answers the challenge).
    s.hooks.getAuthenticationResponse = { before: () => s.memory.remove(READER_NEW) }
    view = (await s.service.intent(rid, { type: 'set-pin', withPin: false })).view
    expect(view).toMatchObject({ step: 'pin', prompt: 'insert-card', error: { code: 'card-removed' } })
    delete s.hooks.getAuthenticationResponse

    // The station restarts before the card comes back.
    s.restart()
    await s.service.idle(rid)
    expect(s.service.get(rid as RequestId)).toMatchObject({ step: 'pin', prompt: 'insert-card' })
    s.memory.insert(READER_NEW, s.newCard)
    view = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    expect(view).toMatchObject({ step: 'pin', prompt: 'start-pin' })
    const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    // Restart after the PIN was set: the station no longer holds the PIN, the holder types it.
    s.restart()
    view = s.service.get(rid as RequestId)
    expect(view).toMatchObject({ step: 'pin', prompt: 'note-pin' })
    view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
    expect(view).toMatchObject({ step: 'certificates', prompt: 'holder-enters-pin' })
    view = await s.service.providePin(rid, pin.serverPin!)
    expect(view).toMatchObject({ step: 'retire', prompt: 'confirm-retire' })
    view = (await s.service.intent(rid, { type: 'confirm-retire', smartcardUuids: [], comment: '' })).view
    expect(view).toMatchObject({ outcome: 'completed' })
    // Not one failed admin authentication was counted on the card.
    expect(s.newCard.snapshot().admin).toEqual({ limit: 5, triesLeft: 5 })
    expect(request(rid).Status).toBe(8)
  })
})

describe('the bound card leaves and comes back (the station tells the enrollment about its readers)', () => {
  it('at the holder’s PIN entry: "insert the same card" at once; taken back by itself; another card refused', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s, HOLDER_PIN_TEMPLATE)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    await s.service.intent(rid, { type: 'set-pin', withPin: false })
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'holder-chooses-pin' })
    s.memory.remove(READER_NEW)
    s.service.readersChanged(new Set(['Station Virtual Reader 0']), new Set())
    await s.service.idle(rid)
    expect(s.service.get(rid)).toMatchObject({
      step: 'pin',
      prompt: 'insert-card',
      error: { code: 'card-removed' },
    })
    const { GidsCard } = await import('../../../electron/simulator/card/gids-card')
    s.memory.insert(READER_NEW, GidsCard.personalised())
    s.service.readersChanged(new Set(['Station Virtual Reader 0', READER_NEW]), new Set([READER_NEW]))
    await s.service.idle(rid)
    expect(s.service.get(rid)).toMatchObject({ prompt: 'insert-card', error: { code: 'wrong-card' } })
    s.memory.insert(READER_NEW, s.newCard)
    s.service.readersChanged(new Set(['Station Virtual Reader 0', READER_NEW]), new Set([READER_NEW]))
    await s.service.idle(rid)
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'holder-chooses-pin', error: null })
    // The holder's PIN then goes on the card as usual.
    await s.service.setHolderPin(rid, '87654321')
    expect(s.service.get(rid).step).toBe('retire')
  })
})

describe('a restart before the station knows its readers', () => {
  it('the first reader list hands the bound card back, though it reports the card as present, not inserted', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s, HOLDER_PIN_TEMPLATE)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    await s.service.intent(rid, { type: 'set-pin', withPin: false })
    // Pulled at the PIN prompt, then the station restarts; the card goes back in before the reader list comes.
    s.memory.remove(READER_NEW)
    s.service.readersChanged(new Set(['Station Virtual Reader 0']), new Set())
    await s.service.idle(rid)
    s.restart()
    await s.service.idle(rid)
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'insert-card' })
    s.memory.insert(READER_NEW, s.newCard)
    // The first list: the card was there all along, so it is not "inserted" — it is simply present.
    s.service.readersChanged(new Set(['Station Virtual Reader 0', READER_NEW]), new Set())
    await s.service.idle(rid)
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'holder-chooses-pin', error: null })
    // Later lists only take a card that appears.
    s.service.readersChanged(new Set(['Station Virtual Reader 0', READER_NEW]), new Set())
    await s.service.idle(rid)
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'holder-chooses-pin' })
  })
})

describe('certificates after a lost E10 answer', () => {
  it('Retry re-sends the SAME certificate requests (no second key on the card) and installs what CM issues', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    await s.service.intent(rid, { type: 'set-pin', withPin: false })
    sim.control.addFault({
      match: { route: 'E10', times: 1 },
      action: { type: 'drop', when: 'before-headers', afterHandler: true },
    })
    let view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
    expect(view).toMatchObject({
      step: 'certificates',
      status: 'failed',
      error: { code: 'network' },
      resumable: true,
    })
    const csrsBefore = sim.control.requestLog().filter((l) => l.route === 'E10').length
    expect(csrsBefore).toBe(1)
    expect(await s.edge.listContainers(READER_NEW)).toHaveLength(1)
    view = (await s.service.intent(rid, { type: 'retry' })).view
    expect(view).toMatchObject({ step: 'retire', lastFinishedStep: 'certificates' })
    const containers = await s.edge.listContainers(READER_NEW)
    expect(containers).toHaveLength(1)
    expect(containers[0]!.certificate).not.toBeNull()
    expect(sim.control.requestLog().filter((l) => l.route === 'E10')).toHaveLength(2)
  })
})

describe('certificates after a crash between E10 and the install', () => {
  it('the issued certificates come from the checkpoint (E10 once); the holder gives the PIN again', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    // The answer arrives, then the card is gone before anything is written to it.
    s.hooks.submitCertificateRequests = { after: () => s.memory.remove(READER_NEW) }
    let view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
    // The bound card found missing was pulled: told as card-removed, whichever layer noticed first.
    expect(view).toMatchObject({
      step: 'certificates',
      prompt: 'insert-card',
      error: { code: 'card-removed' },
    })
    delete s.hooks.submitCertificateRequests
    // The card is back in its reader when the station restarts: the certificate step takes it by itself.
    s.memory.insert(READER_NEW, s.newCard)
    s.restart()
    await s.service.idle(rid)
    view = s.service.get(rid)
    expect(view).toMatchObject({ step: 'certificates', prompt: 'holder-enters-pin' })
    view = await s.service.providePin(rid, pin.serverPin!)
    expect(view).toMatchObject({ step: 'retire', lastFinishedStep: 'certificates' })
    expect(sim.control.requestLog().filter((l) => l.route === 'E10')).toHaveLength(1)
    expect(await s.edge.listContainers(READER_NEW)).toHaveLength(1)
  })
})

describe('faults: CM errors are visible with their correlation id, the journal finishes the job exactly once', () => {
  it('a timeout on bind (the server bound it) and a 500 on complete', async () => {
    station = journeyStation(sim)
    const s = station
    const { rid, view: bindView } = await bindAnswerLost(s)
    let view = bindView
    expect(view).toMatchObject({ step: 'bind', status: 'waiting-retry', error: { code: 'network' } })
    // The journal's automatic retry adopts the bind (E07) and the flow carries on by itself.
    const until = (pred: (v: EnrollmentView) => boolean) =>
      new Promise<EnrollmentView>((resolve) => {
        const off = s.service.onChange((v) => {
          if (pred(v)) {
            off()
            resolve(v)
          }
        })
      })
    const atPin = until((v) => v.step === 'pin' && v.status === 'needs-operator')
    s.timers.fireAll()
    view = await atPin
    expect(view.lastFinishedStep).toBe('admin-key')
    expect(sim.control.state().Smartcards.filter((c) => c.SerialNumber === `{${s.newCardId}}`)).toHaveLength(
      1,
    )

    const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    await s.service.intent(rid, { type: 'acknowledge-pin' })
    sim.control.addFault({ match: { route: 'E08', times: 3 }, action: { type: 'status', code: 500 } })
    view = (await s.service.intent(rid, { type: 'confirm-retire', smartcardUuids: [], comment: '' })).view
    expect(view).toMatchObject({ step: 'complete', status: 'waiting-retry', error: { code: 'server-error' } })
    expect(view.error?.correlationId).toMatch(/^[0-9a-f-]{36}$/)
    const done = until((v) => v.status === 'done')
    s.timers.fireAll()
    view = await done
    expect(view.outcome).toBe('completed')
    expect(request(rid).Status).toBe(8)
    const completes = sim.control.requestLog().filter((l) => l.route === 'E08' && l.status === 200)
    expect(completes).toHaveLength(1)
    expect(pin.serverPin).toBeDefined()
  })
})

describe('guards: what a hostile or confused caller cannot do', () => {
  async function atRetire(s: ReturnType<typeof journeyStation>) {
    const { requestId: rid } = await startForAlice(s)
    const v = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    await s.service.intent(rid, { type: 'set-pin', withPin: false })
    await s.service.intent(rid, { type: 'acknowledge-pin' })
    return { rid, scid: v.card!.smartcardUuid! }
  }

  it('the retire list takes only retire candidates: never the new card, never another person’s badge', async () => {
    station = journeyStation(sim)
    const s = station
    const { rid, scid } = await atRetire(s)
    const bobs = '7a000000-0000-4000-8000-000000000008' as SmartcardUuid
    for (const list of [[scid], [bobs], [ALICE_OLD_CARD as SmartcardUuid, bobs]]) {
      await expect(s.service.retireOldCards(rid, list, '')).rejects.toMatchObject({ code: 'invalid-request' })
    }
    expect(cardRecord(scid).Status).toBe(2)
    expect(cardRecord(bobs).Status).toBe(3)
    expect(s.service.get(rid)).toMatchObject({ step: 'retire', prompt: 'confirm-retire' })
    const view = await s.service.retireOldCards(rid, [ALICE_OLD_CARD as SmartcardUuid], 'replaced')
    expect(view).toMatchObject({ status: 'done', outcome: 'completed' })
    expect(cardRecord(ALICE_OLD_CARD).Status).toBe(6)
  })

  it('the Retire task refuses the new badge of an enrollment in progress (card-in-enrollment), until it is over', async () => {
    station = journeyStation(sim)
    const s = station
    const h = createCmHandlers({
      cm: s.cm,
      writes: s.writes,
      enrollmentOfCard: (uuid) => s.service.enrollmentOfCard(uuid),
    })
    const ctx = { host: 'test' as const }
    const { rid, scid } = await atRetire(s)
    expect(s.service.enrollmentOfCard(scid)).toBe(rid)
    for (const call of [
      () => h['cm:retire-policy']({ smartcardUuid: scid }, ctx),
      () => h['cm:retire-card']({ smartcardUuid: scid, comment: '', dataCollection: [] }, ctx),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'card-in-enrollment' })
    }
    expect(cardRecord(scid).Status).toBe(2)
    await s.service.retireOldCards(rid, [], '')
    expect(s.service.enrollmentOfCard(scid)).toBeNull()
    expect(await h['cm:retire-policy']({ smartcardUuid: scid }, ctx)).not.toBeNull()
  })

  it('cancel is refused once certificates were requested; the enrollment carries on', async () => {
    station = journeyStation(sim)
    const s = station
    const { rid } = await atRetire(s)
    expect(s.service.get(rid).cancelable).toBe(false)
    await expect(s.service.intent(rid, { type: 'cancel' })).rejects.toMatchObject({
      code: 'certificates-issued',
    })
    expect(request(rid).Status).toBe(3)
    expect(s.service.get(rid)).toMatchObject({ step: 'retire', prompt: 'confirm-retire' })
  })

  it('cancel while the bind waits for its retry asks CM: the card was bound → Abandoned, the bind is closed', async () => {
    station = journeyStation(sim)
    const s = station
    const { rid, view: waiting } = await bindAnswerLost(s)
    expect(waiting).toMatchObject({ step: 'bind', status: 'waiting-retry' })
    expect(waiting.card?.smartcardUuid ?? null).toBeNull()
    const view = (await s.service.intent(rid, { type: 'cancel' })).view
    expect(view).toMatchObject({ status: 'done', outcome: 'abandoned' })
    expect(s.writes.find('bind', rid)?.state).toBe('dismissed')
    // The journal's timers fire: nothing is bound twice, nothing else is written.
    const before = sim.control.requestLog().length
    s.timers.fireAll()
    await new Promise((r) => setTimeout(r, 50))
    expect(
      sim.control
        .requestLog()
        .slice(before)
        .filter((l) => l.route === 'E11'),
    ).toHaveLength(0)
    expect(sim.control.state().Smartcards.filter((c) => c.SerialNumber === `{${s.newCardId}}`)).toHaveLength(
      1,
    )
  })

  it('a PIN sent with provide-pin at another step reaches neither the vault nor the card', async () => {
    station = journeyStation(sim)
    const s = station
    const { requestId: rid } = await startForAlice(s)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    await expect(s.service.providePin(rid, '12345678')).rejects.toMatchObject({ code: 'wrong-step' })
    expect(s.vault.size).toBe(0)
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'start-pin' })
  })

  it('a retired card is issued again only where the template allows reuse (E04 AllowSmartcardReuse)', async () => {
    // c0ffee…04 is the training seed's Retired badge; "Employee Badge (server PIN)" does not allow reuse.
    station = journeyStation(sim, { newCardId: 'c0ffee00-0000-4000-8000-000000000004' })
    const s = station
    const { requestId: rid } = await startForAlice(s)
    const view = (await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })).view
    expect(view).toMatchObject({ step: 'card', prompt: 'insert-card', error: { code: 'card-not-reusable' } })
    expect(sim.control.requestLog().filter((l) => l.route === 'E11')).toHaveLength(0)
  })

  it('training: Bob’s seeded approved request is issued on the blank badge (its template’s K0 is the badge’s)', async () => {
    station = journeyStation(sim)
    const s = station
    const approved = await s.service.listApprovedRequests()
    const bobs = approved.find((r) => r.requestId === '7c000000-0000-4000-8000-000000000007')
    expect(bobs).toBeDefined()
    const view = await s.service.begin({ kind: 'request', requestId: bobs!.requestId })
    const next = (await s.service.intent(view.requestId, { type: 'use-card', reader: READER_NEW })).view
    expect(next).toMatchObject({ step: 'pin', prompt: 'start-pin', lastFinishedStep: 'admin-key' })
  })

  it('a request id that is not a smart-card Enroll request cannot be executed here', async () => {
    station = journeyStation(sim)
    const s = station
    await expect(
      s.service.begin({ kind: 'request', requestId: '7c000000-0000-4000-8000-000000000009' as RequestId }),
    ).rejects.toMatchObject({ code: 'request-not-executable' })
    expect(s.service.list()).toEqual([])
  })

  it('enrollment:set-pin says not-set when the step failed (card pulled): no PIN kind is claimed', async () => {
    station = journeyStation(sim)
    const s = station
    const handlers = createEnrollmentHandlers(s.service)
    const { requestId: rid } = await startForAlice(s)
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    s.memory.remove(READER_NEW)
    const result = await handlers['enrollment:set-pin']({ requestId: rid })
    expect(result.kind).toBe('not-set')
    expect(result.view).toMatchObject({ step: 'pin', prompt: 'insert-card' })
    expect(JSON.stringify(result)).not.toMatch(/"pin":"\d/)
  })
})
