import { describe, expect, it } from 'vitest'
import { buildApdu, type ApduFields } from '../../../electron/services/card/apdu'
import * as cmd from '../../../electron/services/card/gids-commands'

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex')
const seq = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => from + i))
const wire = (f: ApduFields) => buildApdu(f).toString('hex')

describe('GIDS command APDUs (gids-card-edge.md)', () => {
  it.each<[string, ApduFields, string]>([
    ['SELECT GIDS AID with FCI (§3.1)', cmd.selectGids(), '00a4040009a0000003974254465900'],
    ['GET DATA master file A000/DF1F (§4.1)', cmd.getData(0xa000, 0xdf1f), '00cba000045c02df1f00'],
    ['GET DATA cardid A012/DF20 (§4.4)', cmd.getData(0xa012, 0xdf20), '00cba012045c02df2000'],
    ['GET DATA PIN status 3FFF/7F71 (§7.3)', cmd.getPinStatus(), '00cb3fff045c027f7100'],
    ['MSE admin authentication (§5.2)', cmd.mseAdminAuth(), '0022c1a4038301' + '80'],
    ['GA challenge request 7C 02 81 00 (§5.4)', cmd.gaRequestChallenge(), '00870000047c02810000'],
    [
      'GA response 7C 0A 82 08 R, no Le (§5.4)',
      cmd.gaSendResponse(hex('17466e766e303cb6')),
      '008700000c7c0a820817466e766e303cb6',
    ],
    ['RESET RETRY COUNTER (§7.5)', cmd.resetRetryCounter(Buffer.from('123456')), '002c028006313233343536'],
    ['VERIFY user PIN (§7.2)', cmd.verifyPin(Buffer.from('1234')), '00200080' + '0431323334'],
    ['logout VERIFY P2=82 (§7.2)', cmd.logout(), '00200082'],
  ])('%s', (_name, fields, expected) => {
    expect(wire(fields)).toBe(expected)
  })

  it("builds Microsoft's PUT KEY example byte for byte, KCV B073DC included (§6)", () => {
    const key = hex('0102030405060708'.repeat(3))
    expect(wire(cmd.putAdminKey(key))).toBe(
      '00db3fff26702484018' + '0a51f8718' + '0102030405060708'.repeat(3) + '8803b073dc',
    )
  })

  it('sends the REAL key check value of the new key, not OpenSC’s fixed B073DC (§6)', () => {
    const key = seq(0, 24) // K1≠K2≠K3 catches key-order bugs (§5.6)
    const apdu = buildApdu(cmd.putAdminKey(key))
    expect(apdu.subarray(apdu.length - 5).toString('hex')).toBe('8803894bc3')
    expect(apdu.subarray(14, 38)).toEqual(key)
  })

  it('refuses an admin key that is not 24 bytes', () => {
    expect(() => cmd.putAdminKey(Buffer.alloc(16))).toThrow(RangeError)
  })

  it('copies secrets into fresh buffers, so zeroing the command does not touch the caller’s PIN', () => {
    const pin = Buffer.from('987654')
    const fields = cmd.verifyPin(pin)
    fields.data!.fill(0)
    expect(pin.toString()).toBe('987654')
  })
})
