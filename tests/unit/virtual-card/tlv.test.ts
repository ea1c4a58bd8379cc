import { describe, expect, it } from 'vitest'
import {
  decodeTlv,
  decodeTlvs,
  encodeLength,
  encodeTag,
  encodeTlv,
  encodeTlvs,
  findTlv,
  findTlvPath,
  isConstructed,
} from '../../../electron/services/card/tlv'
import { StationError } from '../../../shared/errors'

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex')

describe('BER-TLV encode (gids-card-edge.md §2, §4.1)', () => {
  it.each([
    [0x5c, '5c'],
    [0x7c, '7c'],
    [0xdf20, 'df20'],
    [0x7f71, '7f71'],
    [0x5f2f, '5f2f'],
    [0x9f17, '9f17'],
    [0xdf8101, 'df8101'],
  ])('tag %s → %s', (tag, bytes) => {
    expect(encodeTag(tag).toString('hex')).toBe(bytes)
  })

  it.each([0, -1, 0x1f, 0x7f, 0x1234, 0x1000000, 1.5])('rejects invalid tag %s', (tag) => {
    expect(() => encodeTag(tag)).toThrow(RangeError)
  })

  it.each([
    [0, '00'],
    [0x10, '10'],
    [0x7f, '7f'],
    [0x80, '8180'],
    [0x8d, '818d'],
    [0xff, '81ff'],
    [0x100, '820100'],
    [0x109, '820109'],
    [0xffff, '82ffff'],
    [0x10000, '83010000'],
  ])('length %s → %s', (len, bytes) => {
    expect(encodeLength(len).toString('hex')).toBe(bytes)
  })

  it('encodes the cardid DO and the 7F71 tries DO exactly as the card answers them', () => {
    const cardid = Buffer.alloc(16, 0xab)
    expect(encodeTlv(0xdf20, cardid).toString('hex')).toBe('df2010' + 'ab'.repeat(16))
    const tries = encodeTlv(
      0x7f71,
      encodeTlvs([
        [0x97, hex('03')],
        [0x93, hex('03')],
      ]),
    )
    expect(tries.toString('hex')).toBe('7f7106970103930103')
  })

  it('encodes a 141-byte master file with an 81 length (DF 1F 81 8D …)', () => {
    expect(encodeTlv(0xdf1f, Buffer.alloc(141)).subarray(0, 4).toString('hex')).toBe('df1f818d')
  })

  it('encodes a 265-byte value with an 82 length', () => {
    expect(encodeTlv(0x7f49, Buffer.alloc(265)).subarray(0, 5).toString('hex')).toBe('7f49820109')
  })
})

describe('BER-TLV decode', () => {
  it.each([
    ['df20 10' + '11'.repeat(16), 0xdf20, 16, 19],
    ['7f71 06 970103930103', 0x7f71, 6, 9],
    ['5c 02 df1f', 0x5c, 2, 4],
    ['df1f 818d' + '00'.repeat(141), 0xdf1f, 141, 145],
    ['7f49 820109' + '00'.repeat(265), 0x7f49, 265, 270],
    ['df23 00', 0xdf23, 0, 3],
    ['df8101 01 aa', 0xdf8101, 1, 5],
  ])('%s → tag %s, %s value bytes, ends at %s', (input, tag, len, end) => {
    const t = decodeTlv(hex(input))
    expect(t.tag).toBe(tag)
    expect(t.value.length).toBe(len)
    expect(t.end).toBe(end)
  })

  it('round-trips encode → decode for every length form', () => {
    for (const len of [0, 1, 127, 128, 255, 256, 1000]) {
      const value = Buffer.alloc(len, 7)
      const t = decodeTlv(encodeTlv(0xdf24, value))
      expect(t.tag).toBe(0xdf24)
      expect(t.value.equals(value)).toBe(true)
    }
  })

  it.each([
    ['', 'empty'],
    ['df', 'truncated tag'],
    ['df20', 'no length'],
    ['df20 10 0102', 'short value'],
    ['df20 82 01', 'truncated length'],
    ['df20 80', 'indefinite length'],
    ['df20 84 00000001 00', 'length field too long'],
    ['df8181 01 00', 'tag longer than 3 bytes'],
  ])('rejects %s (%s) with apdu-failed', (input) => {
    try {
      decodeTlv(hex(input))
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(StationError)
      expect((e as StationError).code).toBe('apdu-failed')
    }
  })

  it('decodes a sequence and finds tags, including nested paths', () => {
    const seq = hex('97 01 02 93 01 03')
    expect(decodeTlvs(seq).map((t) => t.tag)).toEqual([0x97, 0x93])
    expect(findTlv(seq, 0x93)?.toString('hex')).toBe('03')
    expect(findTlv(seq, 0x99)).toBeNull()
    const ga = hex('7c 0a 81 08 d61143f9ccffd2ca')
    expect(findTlvPath(ga, [0x7c, 0x81])?.toString('hex')).toBe('d61143f9ccffd2ca')
    expect(findTlvPath(ga, [0x7c, 0x82])).toBeNull()
    expect(findTlvPath(ga, [0x70, 0x81])).toBeNull()
  })

  it('rejects trailing garbage in a sequence', () => {
    expect(() => decodeTlvs(hex('97 01 02 93'))).toThrow(StationError)
  })

  it('knows constructed tags', () => {
    expect([0x7c, 0x70, 0xa5, 0x7f71, 0x62].map(isConstructed)).toEqual([true, true, true, true, true])
    expect([0x5c, 0x81, 0xdf20, 0x97].map(isConstructed)).toEqual([false, false, false, false])
  })
})
