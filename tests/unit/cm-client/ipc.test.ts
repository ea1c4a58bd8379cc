import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createCmHandlers,
  type CmHandlerClient,
  type CmHandlerDeps,
} from '../../../electron/services/cm/ipc-handlers'
import { WriteJournal } from '../../../electron/services/journal/journal'
import { CmWriteService, type WriteClient } from '../../../electron/services/journal/write-service'
import { createMemoryLogger, silentLogger } from '../../../electron/services/log'
import {
  describeEnum,
  describeFlags,
  REQUEST_FLAGS,
  REQUEST_STATUS,
  SMARTCARD_FLAGS,
  SMARTCARD_STATUS,
} from '../../../shared/cm/enums'
import type { CmRequest, CmSmartcard, RequestId, SmartcardUuid, UserUuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { cmChannels } from '../../../shared/ipc/cm'

const ctx = { host: 'test' as const }
const SCID = '17cf063d-e337-4aa9-a822-346554ddd3c9' as SmartcardUuid
const RID = 'b105403d-d021-41ea-9f11-be3d677d229e' as RequestId
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
const OWNER = '8f1590dc-d932-4b66-8e68-2e91c5880780' as UserUuid

function card(over: Partial<CmSmartcard> = {}): CmSmartcard {
  return {
    uuid: SCID,
    cardId: CARDID as CmSmartcard['cardId'],
    serialNumber: `{${CARDID}}`,
    status: describeEnum(SMARTCARD_STATUS, 3),
    flags: describeFlags(SMARTCARD_FLAGS, 1),
    parentSmartcardUuid: null,
    primarySmartcardUuid: null,
    permanentSmartcardUuid: null,
    assignedUserUuid: OWNER,
    profileTemplateUuid: null,
    profileTemplateVersion: 46,
    comment: '',
    middleware: 'MSBaseCSP',
    atr: null,
    ...over,
  }
}

function request(status: number, over: Partial<CmRequest> = {}): CmRequest {
  return {
    uuid: RID,
    requestType: describeEnum([], 108),
    status: describeEnum(REQUEST_STATUS, status),
    flags: describeFlags(REQUEST_FLAGS, 2),
    dataCollection: [],
    dataCollectionFlags: 32,
    originatorUserUuid: OWNER,
    targetUserUuid: OWNER,
    submitted: '2015-07-07T23:36:21.93Z',
    completed: null,
    newProfileUuid: null,
    oldProfileUuid: null,
    newSmartcardUuid: SCID,
    oldSmartcardUuid: SCID,
    priority: 0,
    comment: '',
    profileTemplateUuid: null,
    securityDescriptor: '',
    isSmartcard: true,
    isEnrollmentAgent: false,
    isDataCollectionComplete: false,
    ...over,
  }
}

/** A scripted fake of the client slice; `log` records which methods ran, in order. */
function fakeCm(over: Partial<CmHandlerClient> = {}) {
  const log: string[] = []
  const impl: CmHandlerClient = {
    getSmartcardByCardId: async () => card(),
    listSmartcards: async () => [card(), card({ uuid: 'x' as SmartcardUuid, assignedUserUuid: null })],
    getServerProposedPin: async () => ({ kind: 'server', pin: '12345678' }),
    getSmartcardOperations: async () => ['renew', 'unblock', 'retire'],
    listRequests: async () => [],
    createRequest: async () => RID,
    getRequest: async () => request(3),
    getSmartcard: async () => card(),
    retireSmartcard: async () => card({ status: describeEnum(SMARTCARD_STATUS, 6) }),
    completeRequest: async () => request(8),
    getProfileTemplate: async (id) => ({
      uuid: id as never,
      name: 'Badge vSC (server PIN)',
      description: '',
      isSmartcard: true,
      isVirtualSmartcard: true,
    }),
    getWorkflowPolicy: async () => ({
      enabled: true,
      selfServiceEnabled: null,
      approvalsNeeded: 0,
      enrollAgentRequired: null,
      collectComments: true,
      collectRequestPriority: null,
      defaultRequestPriority: null,
      dataCollection: [{ name: 'Reason', required: null }],
    }),
    ...over,
  }
  const cm = Object.fromEntries(
    Object.entries(impl).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        log.push(name)
        return (fn as (...a: unknown[]) => unknown)(...args)
      },
    ]),
  ) as unknown as CmHandlerClient
  return { cm, log }
}

describe('cm IPC request schemas', () => {
  it('accept GUIDs in any case / braces and normalise them', () => {
    expect(
      cmChannels['cm:find-card'].request.parse({ cardId: '{BC88F13F-83BA-4037-8262-46EBA1291C6E}' }),
    ).toEqual({
      cardId: CARDID,
    })
    expect(cmChannels['cm:list-holder-cards'].request.parse({})).toEqual({})
  })

  it('reject non-GUIDs, oversized strings, unknown keys and missing fields', () => {
    const bad: Array<[keyof typeof cmChannels, unknown]> = [
      ['cm:find-card', { cardId: 'not-a-guid' }],
      ['cm:find-card', { cardId: `${CARDID}${' '.repeat(100)}` }],
      ['cm:find-card', { cardId: CARDID, extra: 1 }],
      ['cm:proposed-pin', { requestId: RID, smartcardUuid: SCID }],
      ['cm:retire-card', { smartcardUuid: SCID, comment: 'x'.repeat(1001) }],
      ['cm:get-request', { requestId: 42 }],
      ['cm:list-holder-cards', { holderUuid: 'x' }],
    ]
    for (const [name, payload] of bad) {
      expect(cmChannels[name].request.safeParse(payload).success, `${name} ${JSON.stringify(payload)}`).toBe(
        false,
      )
    }
  })
})

describe('createCmHandlers', () => {
  it('cm:find-card → card + operations; null when CM has no such card', async () => {
    const { cm } = fakeCm()
    const h = createCmHandlers({ cm })
    const found = await h['cm:find-card']({ cardId: CARDID as never }, ctx)
    expect(found).toEqual({ card: card(), operations: ['renew', 'unblock', 'retire'] })
    const none = createCmHandlers({ cm: fakeCm({ getSmartcardByCardId: async () => null }).cm })
    expect(await none['cm:find-card']({ cardId: CARDID as never }, ctx)).toBeNull()
  })

  it('cm:find-card still returns the card when its operations are forbidden; other errors propagate', async () => {
    const forbidden = fakeCm({
      getSmartcardOperations: async () => {
        throw new StationError('forbidden')
      },
    })
    expect(
      await createCmHandlers({ cm: forbidden.cm })['cm:find-card']({ cardId: CARDID as never }, ctx),
    ).toEqual({
      card: card(),
      operations: [],
    })
    const broken = fakeCm({
      getSmartcardOperations: async () => {
        throw new StationError('server-error', { correlationId: 'abc' })
      },
    })
    await expect(
      createCmHandlers({ cm: broken.cm })['cm:find-card']({ cardId: CARDID as never }, ctx),
    ).rejects.toMatchObject({
      code: 'server-error',
      info: { correlationId: 'abc' },
    })
  })

  it('cm:list-holder-cards filters by owner when asked', async () => {
    const h = createCmHandlers({ cm: fakeCm().cm })
    expect(await h['cm:list-holder-cards']({}, ctx)).toHaveLength(2)
    expect(await h['cm:list-holder-cards']({ holderUuid: OWNER }, ctx)).toEqual([card()])
  })

  it('cm:proposed-pin passes ids through and returns the outcome', async () => {
    let seen: unknown[] = []
    const { cm } = fakeCm({
      getServerProposedPin: async (...args) => {
        seen = args
        return { kind: 'holder-chooses' }
      },
    })
    const h = createCmHandlers({ cm })
    const r = await h['cm:proposed-pin'](
      { requestId: RID, smartcardUuid: SCID, cardId: CARDID as never },
      ctx,
    )
    expect(r).toEqual({ kind: 'holder-chooses' })
    expect(seen).toEqual([RID, SCID, { cardId: CARDID }])
  })

  it('cm:get-request returns the request or null', async () => {
    const h = createCmHandlers({ cm: fakeCm({ getRequest: async () => null }).cm })
    expect(await h['cm:get-request']({ requestId: RID }, ctx)).toBeNull()
  })

  it("cm:retire-policy reads the Retire policy of the card's template; null without a template or policy", async () => {
    const withTemplate = card({ profileTemplateUuid: 'e1000000-5151-4a00-8000-000000000001' as never })
    const seen: unknown[] = []
    const h = createCmHandlers({
      cm: fakeCm({
        getSmartcard: async () => withTemplate,
        getWorkflowPolicy: async (...args) => {
          seen.push(args.slice(0, 2))
          return {
            enabled: true,
            selfServiceEnabled: null,
            approvalsNeeded: 1,
            enrollAgentRequired: null,
            collectComments: true,
            collectRequestPriority: null,
            defaultRequestPriority: null,
            dataCollection: [{ name: 'Reason', required: null }],
          }
        },
      }).cm,
    })
    expect(await h['cm:retire-policy']({ smartcardUuid: SCID }, ctx)).toEqual({
      templateId: 'e1000000-5151-4a00-8000-000000000001',
      enabled: true,
      collectComments: true,
      needsApproval: true,
      dataCollection: [{ name: 'Reason', required: true }],
    })
    expect(seen).toEqual([['e1000000-5151-4a00-8000-000000000001', 'Retire']])
    const noTemplate = createCmHandlers({ cm: fakeCm({ getSmartcard: async () => card() }).cm })
    expect(await noTemplate['cm:retire-policy']({ smartcardUuid: SCID }, ctx)).toBeNull()
    const noPolicy = createCmHandlers({
      cm: fakeCm({ getSmartcard: async () => withTemplate, getWorkflowPolicy: async () => null }).cm,
    })
    expect(await noPolicy['cm:retire-policy']({ smartcardUuid: SCID }, ctx)).toBeNull()
  })

  it('cm:get-template: E02 by id; a template the operator may not read is null (its GUID stays)', async () => {
    const T = 'e1000000-5151-4a00-8000-000000000001' as never
    const h = createCmHandlers({ cm: fakeCm().cm })
    expect(await h['cm:get-template']({ templateId: T }, ctx)).toMatchObject({
      name: 'Badge vSC (server PIN)',
    })
    const denied = createCmHandlers({
      cm: fakeCm({
        getProfileTemplate: async () => {
          throw new StationError('forbidden')
        },
      }).cm,
    })
    expect(await denied['cm:get-template']({ templateId: T }, ctx)).toBeNull()
  })

  it('no CM configured → cm-not-configured', async () => {
    const h = createCmHandlers({ cm: null })
    await expect(h['cm:get-request']({ requestId: RID }, ctx)).rejects.toMatchObject({
      code: 'cm-not-configured',
    })
  })
})

// cm:retire-card runs through the write journal (electron/services/journal); a journal per test.
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Handlers over `cm` with a real write journal in a temp directory (timers never fire here). */
function withJournal(cm: CmHandlerClient, extra: Partial<CmHandlerDeps> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cm-ipc-'))
  dirs.push(dir)
  const log = extra.log ?? silentLogger
  const journal = WriteJournal.open({ file: join(dir, 'journal.json'), log })
  const writes = new CmWriteService({
    journal,
    // Retire-only fakes: bind and request-status calls are never reached here.
    cm: cm as unknown as WriteClient,
    log,
    timers: { set: () => 0, clear: () => {} },
  })
  return createCmHandlers({ cm, writes, ...extra })
}

describe('cm:retire-card (§5.6)', () => {
  it('new retire: operations → create Retire (smartcard, no template) → PUT Retired → Completed', async () => {
    let created: unknown
    const { cm, log } = fakeCm({
      createRequest: async (input) => {
        created = input
        return RID
      },
    })
    const memory = createMemoryLogger()
    const h = withJournal(cm, { log: memory })
    const r = await h['cm:retire-card']({ smartcardUuid: SCID, comment: 'lost' }, ctx)
    expect(r).toMatchObject({ outcome: 'retired', requestId: RID, card: { status: { raw: 6 } } })
    expect(r.writeId).toMatch(/^[0-9a-f-]{36}$/)
    expect(created).toEqual({ type: 'Retire', smartcardUuid: SCID, comment: 'lost', dataCollection: [] })
    expect(log).toEqual([
      'getSmartcardOperations',
      'listRequests',
      'createRequest',
      'getRequest',
      'getSmartcard',
      'retireSmartcard',
      'completeRequest',
    ])
  })

  it('"retire" not offered → forbidden, nothing created', async () => {
    const { cm, log } = fakeCm({ getSmartcardOperations: async () => ['renew'] })
    await expect(withJournal(cm)['cm:retire-card']({ smartcardUuid: SCID }, ctx)).rejects.toMatchObject({
      code: 'forbidden',
    })
    expect(log).not.toContain('createRequest')
  })

  it('a Pending request stops at pending-approval', async () => {
    const { cm, log } = fakeCm({ getRequest: async () => request(16) })
    expect(await withJournal(cm)['cm:retire-card']({ smartcardUuid: SCID }, ctx)).toMatchObject({
      outcome: 'pending-approval',
      requestId: RID,
    })
    expect(log).not.toContain('retireSmartcard')
  })

  it('resume: card already Retired and request Completed → no writes', async () => {
    const { cm, log } = fakeCm({
      getRequest: async () => request(8),
      getSmartcard: async () => card({ status: describeEnum(SMARTCARD_STATUS, 6) }),
    })
    const r = await withJournal(cm)['cm:retire-card']({ smartcardUuid: SCID, requestId: RID }, ctx)
    expect(r.outcome).toBe('retired')
    expect(log).toEqual(['getRequest', 'getSmartcard'])
  })

  it('a denied request or a request for another card is refused', async () => {
    const denied = fakeCm({ getRequest: async () => request(4) })
    await expect(
      withJournal(denied.cm)['cm:retire-card']({ smartcardUuid: SCID, requestId: RID }, ctx),
    ).rejects.toMatchObject({ code: 'forbidden' })
    const other = fakeCm({
      getRequest: async () =>
        request(3, {
          newSmartcardUuid: 'aaaaaaaa-0000-0000-0000-000000000000' as SmartcardUuid,
          oldSmartcardUuid: null,
        }),
    })
    await expect(
      withJournal(other.cm)['cm:retire-card']({ smartcardUuid: SCID, requestId: RID }, ctx),
    ).rejects.toMatchObject({ code: 'invalid-request' })
    expect(other.log).not.toContain('retireSmartcard')
  })
})

describe('cm write channels without a journal', () => {
  it('cm:retire-card refuses (internal) rather than run an unjournaled write; the list is empty', async () => {
    const { cm, log } = fakeCm()
    const h = createCmHandlers({ cm })
    await expect(h['cm:retire-card']({ smartcardUuid: SCID }, ctx)).rejects.toMatchObject({
      code: 'internal',
    })
    await expect(
      h['cm:retry-write']({ id: '00000000-0000-4000-8000-000000000000' }, ctx),
    ).rejects.toMatchObject({ code: 'internal' })
    expect(await h['cm:list-pending-writes']({}, ctx)).toEqual([])
    expect(log).toEqual([])
  })

  it('cm:retry-write validates its id', () => {
    const schema = cmChannels['cm:retry-write'].request
    expect(schema.parse({ id: '0A000000-0000-4000-8000-00000000000B' })).toEqual({
      id: '0a000000-0000-4000-8000-00000000000b',
    })
    for (const bad of [{}, { id: 'x' }, { id: 42 }, { id: `${'0'.repeat(36)}` }, { id: RID, extra: 1 }]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
