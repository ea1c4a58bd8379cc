import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import { cardChannels } from '../../../shared/ipc/card'
import { generateKeyPairSync } from 'node:crypto'
import { CARD_CHANNEL_NAMES, createCardHandlers } from '../../../electron/services/card/ipc-handlers'
import type { CardContainer } from '../../../electron/services/card/types'
import { makeCertificate } from './test-certificates'

const ctx = { host: 'test' as const }

describe('card IPC handlers', () => {
  it('declares area:verb channels with strict, bounded request schemas', () => {
    expect(CARD_CHANNEL_NAMES).toEqual(['card:identify', 'card:pin-status', 'card:list-certificates'])
    for (const name of CARD_CHANNEL_NAMES) {
      const schema = cardChannels[name].request
      expect(schema.safeParse({ reader: 'Virtual PCD 00 00' }).success).toBe(true)
      expect(schema.safeParse({}).success).toBe(false)
      expect(schema.safeParse({ reader: '' }).success).toBe(false)
      expect(schema.safeParse({ reader: 'x'.repeat(257) }).success).toBe(false)
      // No secrets can ride along: unknown keys are refused.
      expect(schema.safeParse({ reader: 'R', pin: '1234' }).success).toBe(false)
    }
  })

  it('returns only the JSON-plain view fields of the edge results', async () => {
    const edge = {
      identify: async () =>
        Object.assign(
          { atr: '3b8d', cardId: 'bc88f13f-83ba-4037-8262-46eba1291c6e', isGids: true },
          { raw: Buffer.alloc(16) },
        ),
      pinStatus: async () => ({ triesLeft: 2, limit: 3 }),
      listContainers: async () => [],
    }
    const handlers = createCardHandlers({ edge })
    expect(await handlers['card:identify']({ reader: 'R' }, ctx)).toEqual({
      atr: '3b8d',
      cardId: 'bc88f13f-83ba-4037-8262-46eba1291c6e',
      isGids: true,
    })
    expect(await handlers['card:pin-status']({ reader: 'R' }, ctx)).toEqual({ triesLeft: 2, limit: 3 })
  })

  it('card:list-certificates: containers with certificate details and whether it matches the card key', async () => {
    const spki = () =>
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' })
    const [k0, k1, k2] = [spki(), spki(), spki()]
    const base = { isDefault: false, usage: 'key-exchange', bits: 1024 } as const
    const containers: CardContainer[] = [
      {
        ...base,
        index: 0,
        name: 'badge',
        isDefault: true,
        keyRef: 0x81,
        publicKey: k0,
        certificate: makeCertificate(k0, 'Ana'),
      },
      {
        ...base,
        index: 1,
        name: 'stale',
        keyRef: 0x82,
        publicKey: k1,
        certificate: makeCertificate(k2, 'Other'),
      },
      {
        ...base,
        index: 3,
        name: 'bare',
        usage: 'signature',
        bits: 2048,
        keyRef: 0x84,
        publicKey: k2,
        certificate: null,
      },
      {
        ...base,
        index: 4,
        name: 'junk',
        keyRef: 0x85,
        publicKey: null,
        certificate: Buffer.from('3003020100', 'hex'),
      },
    ]
    const handlers = createCardHandlers({
      edge: {
        identify: async () => ({ atr: '', cardId: null, isGids: true }),
        pinStatus: async () => ({ triesLeft: 3, limit: 3 }),
        listContainers: async () => containers,
      },
    })
    const views = await handlers['card:list-certificates']({ reader: 'R' }, ctx)
    expect(
      views.map((v) => [
        v.index,
        v.name,
        v.isDefault,
        v.keyUsage,
        v.keyBits,
        v.certificate?.matchesKey ?? null,
      ]),
    ).toEqual([
      [0, 'badge', true, 'key-exchange', 1024, true],
      [1, 'stale', false, 'key-exchange', 1024, false],
      [3, 'bare', false, 'signature', 2048, null],
      [4, 'junk', false, 'key-exchange', 1024, null],
    ])
    expect(views[0]!.certificate).toMatchObject({
      subject: 'CN=Ana',
      issuer: 'CN=Station Test CA',
      notBefore: '2026-01-01T00:00:00.000Z',
      notAfter: '2027-01-01T00:00:00.000Z',
      templateName: null,
    })
    expect(views[0]!.certificate!.thumbprint).toMatch(/^[0-9A-F]{40}$/)
    // JSON-plain: no key or certificate bytes cross IPC.
    expect(JSON.parse(JSON.stringify(views))).toEqual(views)
    expect(JSON.stringify(views)).not.toMatch(/publicKey|"type":"Buffer"/)
  })

  it('lets typed card failures through for the router to map', async () => {
    const edge = {
      identify: async () => {
        throw new StationError('no-card')
      },
      pinStatus: async () => {
        throw new StationError('not-gids')
      },
      listContainers: async () => {
        throw new StationError('card-removed')
      },
    }
    const handlers = createCardHandlers({ edge })
    await expect(handlers['card:identify']({ reader: 'R' }, ctx)).rejects.toMatchObject({ code: 'no-card' })
    await expect(handlers['card:pin-status']({ reader: 'R' }, ctx)).rejects.toMatchObject({
      code: 'not-gids',
    })
    await expect(handlers['card:list-certificates']({ reader: 'R' }, ctx)).rejects.toMatchObject({
      code: 'card-removed',
    })
  })
})
