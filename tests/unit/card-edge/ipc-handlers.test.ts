import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import { cardChannels } from '../../../shared/ipc/card'
import { CARD_CHANNEL_NAMES, createCardHandlers } from '../../../electron/services/card/ipc-handlers'

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
    }
    const handlers = createCardHandlers({ edge })
    expect(await handlers['card:identify']({ reader: 'R' }, ctx)).toEqual({
      atr: '3b8d',
      cardId: 'bc88f13f-83ba-4037-8262-46eba1291c6e',
      isGids: true,
    })
    expect(await handlers['card:pin-status']({ reader: 'R' }, ctx)).toEqual({ triesLeft: 2, limit: 3 })
  })

  it('lets typed card failures through for the router to map', async () => {
    const edge = {
      identify: async () => {
        throw new StationError('no-card')
      },
      pinStatus: async () => {
        throw new StationError('not-gids')
      },
    }
    const handlers = createCardHandlers({ edge })
    await expect(handlers['card:identify']({ reader: 'R' }, ctx)).rejects.toMatchObject({ code: 'no-card' })
    await expect(handlers['card:pin-status']({ reader: 'R' }, ctx)).rejects.toMatchObject({
      code: 'not-gids',
    })
  })
})
