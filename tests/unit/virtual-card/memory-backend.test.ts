import { describe, expect, it } from 'vitest'
import type { BackendListener } from '../../../electron/services/reader/types'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { DEFAULT_VIRTUAL_READERS, MemoryReaderBackend } from '../../../electron/simulator/card/memory-backend'
import { createTrainingHandlers } from '../../../electron/simulator/card/training-handlers'
import { trainingCardRequest, trainingChannels } from '../../../shared/ipc/training'
import { StationError } from '../../../shared/errors'
import { hex } from './helpers'

const [R0, R1] = DEFAULT_VIRTUAL_READERS
const SELECT = hex('00a4040009a0000003974254465900')
const ATR = '3b8d0180fba000000397425446590301c8'

function recorder(): BackendListener & { log: string[] } {
  const log: string[] = []
  return {
    log,
    readerAdded: (n) => log.push(`+${n}`),
    readerRemoved: (n) => log.push(`-${n}`),
    readerReconnecting: (n) => log.push(`~${n}`),
    cardStatus: (n, present, atr) => log.push(`${n}:${present ? atr : 'empty'}`),
    serviceState: (s) => log.push(`service:${s}`),
  }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return e instanceof StationError ? e.code : String(e)
  }
}

describe('MemoryReaderBackend', () => {
  it('reports its virtual readers and card changes', () => {
    const m = new MemoryReaderBackend()
    expect(m.kind).toBe('virtual')
    const l = recorder()
    m.insert(R1, GidsCard.personalised())
    m.start(l)
    expect(l.log).toEqual([`+${R0}`, `${R0}:empty`, `+${R1}`, `${R1}:${ATR}`])
    m.insert(R0, GidsCard.personalised({ atr: '3b00' }))
    m.remove(R1)
    m.remove(R1) // no-op
    expect(l.log.slice(4)).toEqual([`${R0}:3b00`, `${R1}:empty`])
    expect(() => m.insert('nope', GidsCard.personalised())).toThrow(StationError)
  })

  it('connect → transmit runs the card; volatile state does not survive a new connection', async () => {
    const m = new MemoryReaderBackend()
    m.insert(R0, GidsCard.personalised())
    const c = await m.connect(R0)
    expect(c.protocol).toBe(2)
    expect((await c.transmit(SELECT)).subarray(-2).toString('hex')).toBe('9000')
    expect((await c.transmit(hex('00200080083132333435363738'))).toString('hex')).toBe('9000')
    expect((await c.transmit(hex('00200080'))).toString('hex')).toBe('9000')
    await c.disconnect()
    expect(await codeOf(c.transmit(SELECT))).toBe('reader-unavailable')
    const c2 = await m.connect(R0)
    expect((await c2.transmit(hex('00200080'))).toString('hex')).toBe('63c3')
  })

  it('no card → no-card; unknown reader → reader-unavailable', async () => {
    const m = new MemoryReaderBackend()
    expect(await codeOf(m.connect(R0))).toBe('no-card')
    expect(await codeOf(m.connect('Other'))).toBe('reader-unavailable')
  })

  it('removal mid-job: the in-flight and later transmits reject with card-removed', async () => {
    const m = new MemoryReaderBackend({ latencyMs: 5 })
    const card = GidsCard.personalised()
    m.insert(R0, card)
    const c = await m.connect(R0)
    const inFlight = c.transmit(SELECT)
    m.remove(R0)
    expect(await codeOf(inFlight)).toBe('card-removed')
    expect(await codeOf(c.transmit(SELECT))).toBe('card-removed')
    m.insert(R0, card) // same card back: the old connection stays dead
    expect(await codeOf(c.transmit(SELECT))).toBe('card-removed')
    const c2 = await m.connect(R0)
    expect((await c2.transmit(SELECT)).subarray(-2).toString('hex')).toBe('9000')
  })
})

describe('training handlers (training:insert-card / training:remove-card / training:new-card)', () => {
  it('declares the channels with a bounded reader name', () => {
    expect(Object.keys(trainingChannels)).toEqual([
      'training:insert-card',
      'training:remove-card',
      'training:new-card',
    ])
    expect(trainingCardRequest.safeParse({ reader: R0 }).success).toBe(true)
    expect(trainingCardRequest.safeParse({ reader: '' }).success).toBe(false)
    expect(trainingCardRequest.safeParse({ reader: 'x'.repeat(129) }).success).toBe(false)
    expect(trainingCardRequest.safeParse({ reader: R0, extra: 1 }).success).toBe(false)
  })

  it('inserts the reader’s own card, whose state survives remove/insert', async () => {
    const memory = new MemoryReaderBackend()
    const h = createTrainingHandlers({ memory, trainingMode: true })
    expect(await h['training:insert-card']({ reader: R0 })).toBeNull()
    const card = memory.card(R0)!
    expect(card).not.toBeNull()
    const c = await memory.connect(R0)
    await c.transmit(hex('002000800430303030'))
    expect(await h['training:remove-card']({ reader: R0 })).toBeNull()
    expect(memory.card(R0)).toBeNull()
    await h['training:insert-card']({ reader: R0 })
    expect(memory.card(R0)).toBe(card)
    const c2 = await memory.connect(R0)
    expect((await c2.transmit(hex('00cb3fff045c027f7100'))).toString('hex')).toBe('7f71069701029301039000')
    await h['training:insert-card']({ reader: R1 })
    expect(memory.card(R1)).not.toBe(card)
  })

  it('new-card replaces the reader’s card with a new blank badge, which then stays with the reader', async () => {
    const memory = new MemoryReaderBackend()
    const made: GidsCard[] = []
    const makeBlankCard = () => {
      const card = GidsCard.personalised()
      made.push(card)
      return card
    }
    const h = createTrainingHandlers({ memory, trainingMode: true, makeBlankCard })
    await h['training:insert-card']({ reader: R0 })
    const own = memory.card(R0)!
    expect(await h['training:new-card']({ reader: R0 })).toBeNull()
    expect(made).toHaveLength(1)
    expect(memory.card(R0)).toBe(made[0])
    expect(made[0]).not.toBe(own)
    await h['training:remove-card']({ reader: R0 })
    await h['training:insert-card']({ reader: R0 })
    expect(memory.card(R0)).toBe(made[0])
    // Into an empty reader too: each new-card is a new card.
    await h['training:remove-card']({ reader: R0 })
    await h['training:new-card']({ reader: R0 })
    expect(made).toHaveLength(2)
    expect(memory.card(R0)).toBe(made[1])
  })

  it('refuses outside training mode and for unknown readers', async () => {
    const memory = new MemoryReaderBackend()
    const off = createTrainingHandlers({ memory, trainingMode: false })
    expect(await codeOf(off['training:insert-card']({ reader: R0 }))).toBe('not-training-mode')
    expect(await codeOf(off['training:remove-card']({ reader: R0 }))).toBe('not-training-mode')
    expect(await codeOf(off['training:new-card']({ reader: R0 }))).toBe('not-training-mode')
    const on = createTrainingHandlers({ memory, trainingMode: true })
    expect(await codeOf(on['training:insert-card']({ reader: 'Virtual PCD 00 00' }))).toBe('reader-not-found')
    expect(await codeOf(on['training:remove-card']({ reader: 'nope' }))).toBe('reader-not-found')
    expect(await codeOf(on['training:new-card']({ reader: 'nope' }))).toBe('reader-not-found')
    expect(memory.card(R0)).toBeNull()
  })
})
