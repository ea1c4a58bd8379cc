import { describe, expect, it } from 'vitest'
import {
  doValue,
  findCardIdRecord,
  parseChallenge,
  parseMasterFile,
  parsePinStatus,
} from '../../../electron/services/card/gids-parse'

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex')

/** One 28-byte master-file record (§4.2). */
function record(dir: string, file: string, tag: number, ef: number): Buffer {
  const r = Buffer.alloc(28)
  r.write(dir, 0, 'latin1')
  r.write(file, 9, 'latin1')
  r.writeUInt32LE(tag, 20)
  r.writeUInt32LE(ef, 24)
  return r
}

/** The 141-byte default table of a personalised card (§4.2). */
const DEFAULT_MASTER = Buffer.concat([
  Buffer.from([1]),
  record('mscp', '', 0, 0xa000),
  record('', 'cardid', 0xdf20, 0xa012),
  record('', 'cardapps', 0xdf21, 0xa010),
  record('', 'cardcf', 0xdf22, 0xa010),
  record('mscp', 'cmapfile', 0xdf23, 0xa010),
])

describe('GIDS answer parsers', () => {
  it('matches the documented master-file record 2 hex (§4.2)', () => {
    expect(record('', 'cardid', 0xdf20, 0xa012).toString('hex')).toBe(
      '000000000000000000' + '636172646964000000' + '0000' + '20df0000' + '12a00000',
    )
    expect(DEFAULT_MASTER.length).toBe(141)
  })

  it('parses the default master file and finds the cardid at A012/DF20', () => {
    const records = parseMasterFile(DEFAULT_MASTER)
    expect(records).toHaveLength(5)
    expect(records[0]).toEqual({ directory: 'mscp', file: '', tag: 0, ef: 0xa000 })
    expect(records[4]).toEqual({ directory: 'mscp', file: 'cmapfile', tag: 0xdf23, ef: 0xa010 })
    expect(findCardIdRecord(records)).toEqual({ ef: 0xa012, tag: 0xdf20 })
  })

  it('follows a master file that puts the cardid elsewhere', () => {
    const mf = Buffer.concat([Buffer.from([1]), record('', 'cardid', 0xdf30, 0xa013)])
    expect(findCardIdRecord(parseMasterFile(mf))).toEqual({ ef: 0xa013, tag: 0xdf30 })
  })

  it.each([
    ['no cardid record', Buffer.concat([Buffer.from([1]), record('mscp', 'cardid', 0xdf20, 0xa012)])],
    ['a directory record named cardid', Buffer.concat([Buffer.from([1]), record('', 'cardid', 0, 0xa012)])],
  ])('returns null for %s', (_n, mf) => {
    expect(findCardIdRecord(parseMasterFile(mf))).toBeNull()
  })

  it.each([
    ['wrong version byte', Buffer.concat([Buffer.from([2]), record('', 'cardid', 0xdf20, 0xa012)])],
    ['a truncated record', DEFAULT_MASTER.subarray(0, 100)],
    ['an empty value', Buffer.alloc(0)],
  ])('rejects a master file with %s as apdu-failed', (_n, mf) => {
    expect(() => parseMasterFile(mf)).toThrow(expect.objectContaining({ code: 'apdu-failed' }))
  })

  it.each([
    ['GidsApplet form 97/93', '7f7106970103930103', { triesLeft: 3, limit: 3 }],
    ['after one failure', '7f7106970102930103', { triesLeft: 2, limit: 3 }],
    ['blocked', '7f7106970100930103', { triesLeft: 0, limit: 3 }],
    ['older cards 9F17 (§7.3)', '7f71079f170105930105', { triesLeft: 5, limit: 5 }],
  ])('parses PIN status: %s', (_n, h, expected) => {
    expect(parsePinStatus(hex(h))).toEqual(expected)
  })

  it.each([
    ['no 7F71', '7f7306970103930103'],
    ['no limit', '7f71039701 03'],
    ['truncated', '7f710697010393'],
  ])('rejects PIN status with %s', (_n, h) => {
    expect(() => parsePinStatus(hex(h))).toThrow(expect.objectContaining({ code: 'apdu-failed' }))
  })

  it('extracts the 8-byte challenge as a copy', () => {
    const answer = hex('7c0a8108d61143f9ccffd2ca')
    const c = parseChallenge(answer)
    expect(c.toString('hex')).toBe('d61143f9ccffd2ca')
    answer.fill(0)
    expect(c.toString('hex')).toBe('d61143f9ccffd2ca')
  })

  it.each([
    ['a 16-byte challenge (mutual form, §5.3)', '7c128110' + '00112233445566778899aabbccddeeff'],
    ['no 7C', '81 08 d61143f9ccffd2ca'],
    ['empty', ''],
  ])('rejects a challenge answer with %s', (_n, h) => {
    expect(() => parseChallenge(hex(h))).toThrow(expect.objectContaining({ code: 'apdu-failed' }))
  })

  it('finds the requested DO in a GET DATA answer, or fails', () => {
    expect(doValue(hex('df2003aabbcc'), 0xdf20).toString('hex')).toBe('aabbcc')
    expect(() => doValue(hex('df2103aabbcc'), 0xdf20)).toThrow(
      expect.objectContaining({ code: 'apdu-failed' }),
    )
  })
})
