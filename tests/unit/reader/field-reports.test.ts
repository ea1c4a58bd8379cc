import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../../electron/services/config'
import { createMemoryLogger } from '../../../electron/services/log'
import { PcscBackend } from '../../../electron/services/reader/pcsc-backend'
import { ReaderService } from '../../../electron/services/reader/reader-service'
import type { ReaderSnapshot } from '../../../shared/domain/reader'
import { FakePcsc, type FakeReader } from './fake-pcsclite'

// Field reports from badge desks (issue "Field reports"), through the PC/SC backend and the reader service with the
// fake pcsclite: platform-authenticator readers, a reader monitor that dies without a list change, a mute card.

const GIDS_ATR = '3b8d0180fba000000397425446590301c8'
const HELLO_ATR = '3b8d0180fba000000397425446590401cf'
const PRESENT = 0x20
const EMPTY = 0x10

function harness(config = parseConfig({}), extra: { relistGraceMs?: number; relistAttempts?: number } = {}) {
  const contexts: FakePcsc[] = []
  const log = createMemoryLogger()
  const backend = new PcscBackend({
    log,
    initialRetryMs: 5,
    maxRetryMs: 40,
    relistMs: 5,
    relistGraceMs: extra.relistGraceMs ?? 30,
    relistAttempts: extra.relistAttempts ?? 3,
    loadPcsc: () => () => {
      const p = new FakePcsc()
      contexts.push(p)
      return p
    },
  })
  const service = new ReaderService({ backends: [backend], log, filter: config.readers })
  const snapshots: ReaderSnapshot[] = []
  service.onChange((s) => snapshots.push(s))
  service.start()
  return { service, contexts, snapshots, log }
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met')
    await new Promise((r) => setTimeout(r, 2))
  }
}

describe('platform-authenticator readers are denied by default (Windows Hello for Business)', () => {
  it('the Hello reader with its TPM-VSC-like card is never listed nor usable; OMNIKEY and real VSC readers are', async () => {
    const h = harness()
    const ctx = h.contexts[0]!
    ctx.addReader('Windows Hello for Business 1').status(PRESENT, HELLO_ATR)
    ctx.addReader('OMNIKEY 3x21 0').status(EMPTY)
    ctx.addReader('Microsoft Virtual Smart Card 0').status(PRESENT, GIDS_ATR)
    ctx.addReader('Microsoft Passport 1').status(PRESENT, HELLO_ATR) // the earlier name of the same thing
    expect(h.service.snapshot().readers.map((r) => r.name)).toEqual([
      'Microsoft Virtual Smart Card 0',
      'OMNIKEY 3x21 0',
    ])
    await expect(
      h.service.withCard('Windows Hello for Business 1', async () => 'never'),
    ).rejects.toMatchObject({
      code: 'reader-not-found',
    })
    await h.service.close()
  })

  it('configuration can override the default (deny: [] shows them)', async () => {
    const h = harness(parseConfig({ readers: { deny: [] } }))
    h.contexts[0]!.addReader('Windows Hello for Business 1').status(PRESENT, HELLO_ATR)
    expect(h.service.snapshot().readers.map((r) => r.name)).toEqual(['Windows Hello for Business 1'])
    await h.service.close()
  })
})

describe('a reader whose monitor dies without a reader-list change comes back', () => {
  /** The field report: `error` 0x80100017 (French Windows text) then `end`, the reader still plugged in. */
  function monitorDies(reader: FakeReader): void {
    reader.emit(
      'error',
      new Error(
        "SCardGetStatusChange error: Le lecteur de carte à puce n'est pas disponible.\r\n(0x80100017)",
      ),
    )
    reader.emit('end')
  }

  it('shows it reconnecting (not gone), re-lists, and re-reads its card state', async () => {
    const h = harness()
    const r0 = h.contexts[0]!.addReader('OMNIKEY 3x21 0')
    r0.status(PRESENT, GIDS_ATR)
    monitorDies(r0)
    expect(h.service.snapshot().readers).toEqual([
      { name: 'OMNIKEY 3x21 0', kind: 'pcsc', present: true, atr: GIDS_ATR, reconnecting: true },
    ])
    await expect(h.service.withCard('OMNIKEY 3x21 0', async () => 'x')).rejects.toMatchObject({
      code: 'reader-unavailable',
    })
    // The station makes a new context (the only way pcsclite lists an unchanged reader again).
    await until(() => h.contexts.length === 2)
    expect(h.contexts[0]!.closed).toBe(true)
    const again = h.contexts[1]!.addReader('OMNIKEY 3x21 0')
    expect(h.service.snapshot().readers[0]).toMatchObject({ reconnecting: false })
    again.status(EMPTY) // the card was taken out meanwhile: the state is re-read, not assumed
    expect(h.service.snapshot().readers[0]).toMatchObject({ present: false, atr: null, reconnecting: false })
    const since = h.snapshots.findIndex((s) => s.readers.length === 1)
    expect(h.snapshots.slice(since).every((s) => s.readers.length === 1)).toBe(true) // never shown as gone
    await h.service.close()
  })

  it('a monitor death on the second reader while the first has a card: the first keeps its card on screen', async () => {
    const h = harness()
    const r0 = h.contexts[0]!.addReader('Virtual PCD 00 00')
    r0.status(PRESENT, GIDS_ATR)
    const r1 = h.contexts[0]!.addReader('Virtual PCD 00 01')
    r1.status(EMPTY)
    monitorDies(r1)
    await until(() => h.contexts.length === 2)
    const after = h.snapshots.length
    h.contexts[1]!.addReader('Virtual PCD 00 00').status(PRESENT, GIDS_ATR)
    h.contexts[1]!.addReader('Virtual PCD 00 01').status(EMPTY)
    const reader0 = h.snapshots
      .slice(after - 1)
      .map((s) => s.readers.find((r) => r.name === 'Virtual PCD 00 00'))
    expect(reader0.every((r) => r?.present === true && r.atr === GIDS_ATR)).toBe(true)
    expect(h.service.snapshot().readers.every((r) => !r.reconnecting)).toBe(true)
    await h.service.close()
  })

  it('a reader that never comes back is reported gone after the bounded re-lists', async () => {
    const h = harness(parseConfig({}), { relistGraceMs: 10, relistAttempts: 2 })
    const r0 = h.contexts[0]!.addReader('OMNIKEY 3x21 0')
    r0.status(EMPTY)
    monitorDies(r0)
    await until(() => h.service.snapshot().readers.length === 0)
    expect(h.contexts.length).toBeGreaterThanOrEqual(2)
    expect(h.log.lines.join('\n')).toContain('did not come back')
    await h.service.close()
  })
})

describe('a mute card (present, no ATR)', () => {
  it('an empty ATR is no ATR (null); counter bumps do not re-announce it', async () => {
    const h = harness()
    const r = h.contexts[0]!.addReader('ACS ACR1281 1S Dual Reader 00 02')
    r.emit('status', { state: 0x10220, atr: Buffer.alloc(0) }) // PRESENT|MUTE, empty ATR
    r.emit('status', { state: 0x20220, atr: Buffer.alloc(0) })
    r.emit('status', { state: 0x30220, atr: Buffer.alloc(0) })
    const reader = h.service.snapshot().readers[0]!
    expect(reader).toMatchObject({ present: true, atr: null })
    expect(h.snapshots.filter((s) => s.readers[0]?.present).length).toBe(1)
    await h.service.close()
  })

  it('connecting fails 0x80100066 → card-unresponsive (the UI says: remove it, insert again or try another reader)', async () => {
    const h = harness()
    const r = h.contexts[0]!.addReader('ACS ACR1281 1S Dual Reader 00 02')
    r.emit('status', { state: 0x220, atr: Buffer.alloc(0) })
    r.connectErrors.push(
      new Error('SCardConnect error: The smart card is not responding to a reset.(0x80100066)'),
    )
    await expect(h.service.withCard(r.name, async () => 'x')).rejects.toMatchObject({
      code: 'card-unresponsive',
    })
    // Re-inserted, it answers: a normal card.
    r.emit('status', { state: 0x10012 })
    r.emit('status', { state: 0x20022, atr: Buffer.from(GIDS_ATR, 'hex') })
    expect(await h.service.withCard(r.name, async (c) => c.atr)).toBe(GIDS_ATR)
    await h.service.close()
  })
})
