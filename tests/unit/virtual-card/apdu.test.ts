import { describe, expect, it } from 'vitest'
import {
  buildApdu,
  buildChainedApdus,
  buildResponse,
  bytesRemaining,
  correctLe,
  getResponseApdu,
  isSuccess,
  parseApdu,
  pinTriesLeft,
  splitResponse,
  swHex,
  swTriesLeft,
} from '../../../electron/services/card/apdu'
import type { ApduFields } from '../../../electron/services/card/apdu'
import { StationError } from '../../../shared/errors'

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex')
const h = (b: Buffer) => b.toString('hex')

describe('buildApdu (short cases 1–4, gids-card-edge.md §2)', () => {
  it.each<[string, ApduFields, string]>([
    ['case 1 ACTIVATE', { ins: 0x44, p1: 0, p2: 0 }, '00440000'],
    ['case 1 logout', { ins: 0x20, p1: 0, p2: 0x82 }, '00200082'],
    ['case 2 GET RESPONSE', { ins: 0xc0, p1: 0, p2: 0, le: 0x0e }, '00c000000e'],
    ['case 2 Le=256 as 00', { ins: 0xc0, p1: 0, p2: 0, le: 256 }, '00c0000000'],
    [
      'case 3 SELECT P2=0C',
      { ins: 0xa4, p1: 4, p2: 0x0c, data: hex('a00000039742544659') },
      '00a4040c09a00000039742544659',
    ],
    [
      'case 4 SELECT Le=00',
      { ins: 0xa4, p1: 4, p2: 0, data: hex('a00000039742544659'), le: 256 },
      '00a4040009a0000003974254465900',
    ],
    [
      'case 4 GET DATA cardid',
      { ins: 0xcb, p1: 0xa0, p2: 0x12, data: hex('5c02df20'), le: 256 },
      '00cba012045c02df2000',
    ],
    ['chaining CLA', { cla: 0x10, ins: 0xdb, p1: 0xa0, p2: 0x10, data: hex('01') }, '10dba0100101'],
  ])('%s', (_name, fields, expected) => {
    expect(h(buildApdu(fields))).toBe(expected)
  })

  it('rejects >255 data bytes, bad Le and non-byte header fields', () => {
    expect(() => buildApdu({ ins: 0xdb, p1: 0, p2: 0, data: Buffer.alloc(256) })).toThrow(RangeError)
    expect(() => buildApdu({ ins: 0xc0, p1: 0, p2: 0, le: 257 })).toThrow(RangeError)
    expect(() => buildApdu({ ins: 0xc0, p1: 0, p2: 0, le: 0 })).toThrow(RangeError)
    expect(() => buildApdu({ ins: 0x100, p1: 0, p2: 0 })).toThrow(RangeError)
  })
})

describe('buildChainedApdus (CLA 10 on all but the last, §2)', () => {
  it('keeps a short command as one APDU', () => {
    const out = buildChainedApdus({ ins: 0xdb, p1: 0xa0, p2: 0x10, data: hex('df2300') })
    expect(out.map(h)).toEqual(['00dba01003df2300'])
  })

  it('splits 600 bytes into 255 + 255 + 90, Le only on the last', () => {
    const data = Buffer.from(Array.from({ length: 600 }, (_, i) => i & 0xff))
    const out = buildChainedApdus({ ins: 0x2a, p1: 0x80, p2: 0x86, data, le: 256 })
    expect(out).toHaveLength(3)
    expect(out[0]!.subarray(0, 5).toString('hex')).toBe('102a8086ff')
    expect(out[0]!.length).toBe(5 + 255)
    expect(out[1]!.subarray(0, 5).toString('hex')).toBe('102a8086ff')
    expect(out[2]!.subarray(0, 5).toString('hex')).toBe('002a80865a')
    expect(out[2]!.length).toBe(5 + 90 + 1)
    expect(out[2]![out[2]!.length - 1]).toBe(0)
    const joined = Buffer.concat(out.map((a) => parseApdu(a).data))
    expect(joined.equals(data)).toBe(true)
  })

  it('splits exactly 510 bytes into two full chunks', () => {
    const out = buildChainedApdus({ ins: 0xdb, p1: 0, p2: 0, data: Buffer.alloc(510) })
    expect(out.map((a) => a[0])).toEqual([0x10, 0x00])
  })
})

describe('parseApdu', () => {
  it.each<[string, string, Partial<ReturnType<typeof parseApdu>> & { dataHex: string }]>([
    ['4-byte case 1', '00440000', { ins: 0x44, le: null, dataHex: '', extended: false }],
    ['5-byte T=0 case 1 (00 44 00 00 00)', '0044000000', { ins: 0x44, le: 256, dataHex: '' }],
    ['case 2', '00c000000e', { ins: 0xc0, le: 14, dataHex: '' }],
    ['case 3', '00a4040c09a00000039742544659', { p2: 0x0c, le: null, dataHex: 'a00000039742544659' }],
    ['case 4 Le=00', '00a4040009a0000003974254465900', { le: 256, dataHex: 'a00000039742544659' }],
    ['case 4 GET DATA', '00cba000045c02df1f00', { p1: 0xa0, p2: 0, le: 256, dataHex: '5c02df1f' }],
    ['extended case 2', '00c00000000102', { le: 0x102, dataHex: '', extended: true }],
    ['extended case 2 Le=0000', '00c00000000000', { le: 65536, dataHex: '', extended: true }],
    ['extended case 3', '00db0000000003aabbcc', { le: null, dataHex: 'aabbcc', extended: true }],
    ['extended case 4', '00db0000000002aabb0000', { le: 65536, dataHex: 'aabb', extended: true }],
  ])('%s', (_n, input, expected) => {
    const { dataHex, ...rest } = expected
    const p = parseApdu(hex(input))
    expect(p).toMatchObject(rest)
    expect(h(p.data)).toBe(dataHex)
  })

  it.each(['', '00', '00a404', '00a4040005aabb', '00a40400000005aabb', '00a404000000', '00a4040000000000'])(
    'rejects malformed %s with apdu-failed',
    (input) => {
      expect(() => parseApdu(hex(input))).toThrow(StationError)
    },
  )

  it('round-trips every built short case', () => {
    const cases: ApduFields[] = [
      { ins: 1, p1: 2, p2: 3 },
      { ins: 1, p1: 2, p2: 3, le: 1 },
      { ins: 1, p1: 2, p2: 3, data: Buffer.alloc(255, 9) },
      { ins: 1, p1: 2, p2: 3, data: Buffer.alloc(1, 9), le: 200 },
    ]
    for (const c of cases) {
      const p = parseApdu(buildApdu(c))
      expect(p.ins).toBe(1)
      expect(p.le).toBe(c.le ?? null)
      expect(p.data.length).toBe(c.data?.length ?? 0)
    }
  })
})

describe('responses and status words', () => {
  it('splits data and SW', () => {
    const r = splitResponse(hex('df2010' + '00'.repeat(16) + '9000'))
    expect(r.sw).toBe(0x9000)
    expect(r.data.length).toBe(19)
    expect(splitResponse(hex('6a82'))).toEqual({ data: Buffer.alloc(0), sw: 0x6a82 })
  })

  it('rejects a response without status word (card removed mid-APDU, pcsc-lab.md §3)', () => {
    expect(() => splitResponse(Buffer.alloc(0))).toThrow(StationError)
    expect(() => splitResponse(hex('90'))).toThrow(StationError)
  })

  it('builds responses', () => {
    expect(h(buildResponse(hex('0102'), 0x9000))).toBe('01029000')
    expect(h(buildResponse(null, 0x6a82))).toBe('6a82')
  })

  it.each([
    [0x9000, true, null, null, null],
    [0x610e, false, 14, null, null],
    [0x6100, false, 256, null, null],
    [0x63c2, false, null, 2, null],
    [0x63c0, false, null, 0, null],
    [0x6983, false, null, null, null],
    [0x6c10, false, null, null, 16],
    [0x6300, false, null, null, null],
  ])('sw %s: ok %s, 61xx %s, 63Cx %s, 6Cxx %s', (sw, ok, more, tries, le) => {
    expect(isSuccess(sw)).toBe(ok)
    expect(bytesRemaining(sw)).toBe(more)
    expect(pinTriesLeft(sw)).toBe(tries)
    expect(correctLe(sw)).toBe(le)
  })

  it('formats SWs and builds GET RESPONSE and 63Cx', () => {
    expect(swHex(0x6a82)).toBe('6a82')
    expect(swHex(0x0)).toBe('0000')
    expect(h(getResponseApdu(0x610e))).toBe('00c000000e')
    expect(h(getResponseApdu(0x6100))).toBe('00c0000000')
    expect(() => getResponseApdu(0x9000)).toThrow(RangeError)
    expect(swTriesLeft(2)).toBe(0x63c2)
    expect(swTriesLeft(-1)).toBe(0x63c0)
  })
})
