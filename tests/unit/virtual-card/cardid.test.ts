import { describe, expect, it } from 'vitest'
import {
  cardIdHex,
  cardIdToGuid,
  DEFAULT_CARDID_LAYOUT,
  guidToCardId,
  isGuid,
} from '../../../electron/services/card/cardid'

const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex')

describe('cardid ↔ GUID (gids-card-edge.md §4.4, cm-rest-api.md OQ-19)', () => {
  it('defaults to the .NET Guid(byte[]) layout', () => {
    expect(DEFAULT_CARDID_LAYOUT).toBe('dotnet')
    // Same result as `new Guid(byte[]{0x00,0x11,…}).ToString()` in .NET: Data1..3 little-endian.
    expect(cardIdToGuid(bytes)).toBe('33221100-5544-7766-8899-aabbccddeeff')
  })

  it('offers the card-order layout', () => {
    expect(cardIdToGuid(bytes, 'card-order')).toBe('00112233-4455-6677-8899-aabbccddeeff')
  })

  it.each(['dotnet', 'card-order'] as const)(
    'round-trips in layout %s, accepting braces and upper case',
    (l) => {
      const guid = cardIdToGuid(bytes, l)
      expect(guidToCardId(guid, l).equals(bytes)).toBe(true)
      expect(guidToCardId(`{${guid.toUpperCase()}}`, l).equals(bytes)).toBe(true)
    },
  )

  it('maps a CM-style GUID to the bytes the card holds', () => {
    expect(guidToCardId('{bc88f13f-83ba-4f1c-9a2b-0123456789ab}').toString('hex')).toBe(
      '3ff188bcba831c4f9a2b0123456789ab',
    )
  })

  it('rejects bad input', () => {
    expect(() => cardIdToGuid(Buffer.alloc(15))).toThrow(RangeError)
    expect(() => guidToCardId('not-a-guid')).toThrow(RangeError)
    expect(() => guidToCardId('00112233445566778899aabbccddeeff')).toThrow(RangeError)
    expect(isGuid('{00112233-4455-6677-8899-aabbccddeeff}')).toBe(true)
    expect(isGuid('00112233-4455-6677-8899-aabbccddeef')).toBe(false)
  })

  it('prints OpenSC-style serial hex in card order', () => {
    expect(cardIdHex(bytes)).toBe('00112233445566778899aabbccddeeff')
  })
})
