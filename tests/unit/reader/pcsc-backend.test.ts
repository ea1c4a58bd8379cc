import { describe, expect, it, vi } from 'vitest'
import { PcscBackend } from '../../../electron/services/reader/pcsc-backend'
import { ReaderService } from '../../../electron/services/reader/reader-service'
import { createMemoryLogger } from '../../../electron/services/log'
import type { ReaderSnapshot } from '../../../shared/domain/reader'
import { FakePcsc, NO_SERVICE, RPC_ERROR } from './fake-pcsclite'

const GIDS_ATR = '3b8d0180fba000000397425446590301c8'

function harness(factory: () => FakePcsc) {
  const contexts: FakePcsc[] = []
  const backend = new PcscBackend({
    log: createMemoryLogger(),
    initialRetryMs: 5,
    maxRetryMs: 20,
    loadPcsc: () => () => {
      const p = factory()
      contexts.push(p)
      return p
    },
  })
  const service = new ReaderService({ backends: [backend], log: createMemoryLogger() })
  const snapshots: ReaderSnapshot[] = []
  service.onChange((s) => snapshots.push(s))
  return { backend, service, snapshots, contexts }
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met')
    await new Promise((r) => setTimeout(r, 2))
  }
}

describe('PcscBackend + ReaderService against a fake pcsclite', () => {
  it('reports "unsupported" when the native module cannot load, and still starts', () => {
    const backend = new PcscBackend({
      log: createMemoryLogger(),
      loadPcsc: () => {
        throw new Error('Could not locate the bindings file')
      },
    })
    const service = new ReaderService({ backends: [backend], log: createMemoryLogger() })
    service.start()
    expect(service.snapshot()).toEqual({ service: 'unsupported', readers: [] })
  })

  it('retries with backoff while pcscd is absent and comes back by itself', async () => {
    let attempts = 0
    const h = harness(() => {
      attempts++
      if (attempts < 3) throw NO_SERVICE()
      return new FakePcsc()
    })
    h.service.start()
    expect(h.service.snapshot().service).toBe('unavailable')
    await until(() => h.service.snapshot().service === 'available')
    expect(attempts).toBe(3)
    await h.service.close()
  })

  it('tracks presence with XOR diffs and ignores counter-only changes', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const reader = h.contexts[0]!.addReader('Virtual PCD 00 00')
    reader.status(0x10012) // CHANGED|EMPTY, counter 1
    reader.status(0x50022, GIDS_ATR) // PRESENT, counter 5
    reader.status(0x60022, GIDS_ATR) // same presence, counter 6: no new event
    reader.status(0x70012) // EMPTY
    const presence = h.snapshots.map((s) => s.readers[0]?.present)
    expect(presence).toEqual([undefined, false, false, true, false])
    expect(h.snapshots[3]!.readers[0]).toEqual({
      name: 'Virtual PCD 00 00',
      kind: 'pcsc',
      present: true,
      atr: GIDS_ATR,
      reconnecting: false,
    })
    await h.service.close()
  })

  it('drops readers and recovers when pcscd dies (RPC transport error)', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const first = h.contexts[0]!
    first.addReader('Virtual PCD 00 00').status(0x10012)
    expect(h.service.snapshot().readers).toHaveLength(1)
    first.emit('error', RPC_ERROR())
    expect(h.service.snapshot()).toEqual({ service: 'unavailable', readers: [] })
    await until(() => h.contexts.length === 2 && h.service.snapshot().service === 'available')
    h.contexts[1]!.addReader('Virtual PCD 00 00').status(0x20022, GIDS_ATR)
    expect(h.service.snapshot().readers[0]).toMatchObject({ present: true })
    await h.service.close()
  })

  it('closes every reader and the context on close, surviving the "cancelled" error', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const reader = h.contexts[0]!.addReader('R')
    await h.service.close()
    expect(reader.closed).toBe(true)
    expect(h.contexts[0]!.closed).toBe(true)
  })

  it('connects SHARED, transmits with the negotiated protocol and disconnects LEAVE', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const reader = h.contexts[0]!.addReader('R')
    reader.status(0x20022, GIDS_ATR)
    const out = await h.service.withCard('R', async (card) => {
      expect(card.atr).toBe(GIDS_ATR)
      return card.transmit(Buffer.from('00a4040009a00000039742544659', 'hex'))
    })
    expect(out.toString('hex')).toBe('9000')
    expect(reader.calls).toEqual(['connect:2', 'transmit:2:00a4040009a00000039742544659', 'disconnect:0'])
    await h.service.close()
  })

  it('turns an empty response (card pulled mid-APDU) into card-removed and still disconnects', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const reader = h.contexts[0]!.addReader('R')
    reader.status(0x20022, GIDS_ATR)
    reader.respond = () => Buffer.alloc(0)
    await expect(
      h.service.withCard('R', (c) => c.transmit(Buffer.from('00a40400', 'hex'))),
    ).rejects.toMatchObject({
      code: 'card-removed',
    })
    reader.respond = () => new Error('SCardTransmit error: Card was removed.(0x80100069)')
    await expect(
      h.service.withCard('R', (c) => c.transmit(Buffer.from('00a40400', 'hex'))),
    ).rejects.toMatchObject({
      code: 'card-removed',
    })
    expect(reader.calls.filter((c) => c.startsWith('disconnect'))).toHaveLength(2)
    await h.service.close()
  })

  it('retries transient connect errors seen right after insertion, then maps the rest', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const reader = h.contexts[0]!.addReader('R')
    reader.status(0x20022, GIDS_ATR)
    reader.connectErrors = [
      new Error('SCardConnect error: Sharing violation.(0x8010000b)'),
      new Error('Card was reset.(0x80100068)'),
    ]
    await expect(h.service.withCard('R', async () => 'ok')).resolves.toBe('ok')
    reader.connectErrors = [new Error('SCardConnect error: No smart card inserted.(0x8010000c)')]
    await expect(h.service.withCard('R', async () => 'ok')).rejects.toMatchObject({ code: 'no-card' })
    await h.service.close()
  })
})

describe('ReaderService', () => {
  it('serializes jobs per reader (never interleaving APDU sequences)', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    h.contexts[0]!.addReader('R').status(0x20022, GIDS_ATR)
    const order: string[] = []
    const job = (name: string) => async () => {
      order.push(`${name}:start`)
      await new Promise((r) => setTimeout(r, 10))
      order.push(`${name}:end`)
    }
    await Promise.all([h.service.withCard('R', job('a')), h.service.withCard('R', job('b'))])
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end'])
    await h.service.close()
  })

  it('fails fast with typed errors for an unknown reader or an empty one, and keeps the queue going', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    h.contexts[0]!.addReader('R').status(0x10012)
    await expect(h.service.withCard('nope', async () => 1)).rejects.toMatchObject({
      code: 'reader-not-found',
    })
    await expect(h.service.withCard('R', async () => 1)).rejects.toMatchObject({ code: 'no-card' })
    await h.service.close()
  })

  it('applies the reader allow/deny configuration', async () => {
    const contexts: FakePcsc[] = []
    const backend = new PcscBackend({
      log: createMemoryLogger(),
      loadPcsc: () => () => {
        const p = new FakePcsc()
        contexts.push(p)
        return p
      },
    })
    const service = new ReaderService({
      backends: [backend],
      log: createMemoryLogger(),
      filter: { allow: ['pcd', 'omnikey'], deny: ['windows hello'] },
    })
    service.start()
    for (const n of ['Virtual PCD 00 00', 'Windows Hello for Business 1', 'OMNIKEY 3x21 0', 'Yubico YubiKey'])
      contexts[0]!.addReader(n)
    expect(service.snapshot().readers.map((r) => r.name)).toEqual(['OMNIKEY 3x21 0', 'Virtual PCD 00 00'])
    await service.close()
  })

  it('emits no listener calls after close', async () => {
    const h = harness(() => new FakePcsc())
    h.service.start()
    const listener = vi.fn()
    h.service.onChange(listener)
    await h.service.close()
    expect(listener).not.toHaveBeenCalled()
  })
})
