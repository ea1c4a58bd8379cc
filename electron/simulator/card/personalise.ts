import { buildApdu } from '../../services/card/apdu'
import { encodeTlv } from '../../services/card/tlv'
import { defaultMasterFile } from './gids-state'

/**
 * The personalisation sequence of `gids-tool -X` (gids-card-edge.md §8.2 steps 2-24), as APDUs.
 * The virtual card pre-personalises itself by running exactly these through its own processor, so a
 * "personalised" card is byte-for-byte what gids-tool would have produced.
 */

/** Inputs of the personalisation. Secrets are copied into the APDUs; zero the result after use. */
export interface PersonaliseInput {
  cardid: Uint8Array
  adminKey: Uint8Array
  pin: Uint8Array
}

/** EFs and their `8C 03 03 <put> <get>` rules (§4.3 table). */
const DO_EFS: ReadonlyArray<readonly [number, number, number]> = [
  [0xa000, 0x30, 0x00],
  [0xa010, 0x30, 0x00],
  [0xa011, 0x30, 0xff],
  [0xa012, 0x20, 0x00],
  [0xa013, 0x30, 0x30],
  [0xa014, 0x20, 0x20],
]

/** Admin key EF B080 FCP (§5.1, MS-INBOX). */
const ADMIN_KEY_FCP = Buffer.from('621a8201188302b0808c04870020ffa50ba4098001028301809501c0', 'hex')

/** The APDUs of §8.2 steps 2-24, in order; every one must answer 9000 on a blank card. */
export function personalisationApdus(input: PersonaliseInput): Buffer[] {
  if (input.cardid.length !== 16) throw new RangeError('cardid must be 16 bytes')
  if (input.adminKey.length !== 24) throw new RangeError('admin key must be 24 bytes')
  const activate = buildApdu({ ins: 0x44, p1: 0, p2: 0 })
  const out: Buffer[] = [buildApdu({ ins: 0x24, p1: 0x01, p2: 0x80, data: input.pin })]
  for (const [ef, put, get] of DO_EFS) {
    const fcp = Buffer.from([
      0x62,
      0x0c,
      0x82,
      0x01,
      0x39,
      0x83,
      0x02,
      ef >> 8,
      ef & 0xff,
      0x8c,
      0x03,
      0x03,
      put,
      get,
    ])
    out.push(buildApdu({ ins: 0xe0, p1: 0, p2: 0, data: fcp }), activate)
  }
  out.push(buildApdu({ ins: 0xe0, p1: 0, p2: 0, data: ADMIN_KEY_FCP }), activate)
  // KCV B073DC as OpenSC sends it whatever the key (§6): exercises the "accept any KCV" rule.
  const keyTemplate = encodeTlv(
    0x70,
    Buffer.concat([
      encodeTlv(0x84, Buffer.from([0x80])),
      encodeTlv(
        0xa5,
        Buffer.concat([encodeTlv(0x87, input.adminKey), encodeTlv(0x88, Buffer.from('b073dc', 'hex'))]),
      ),
    ]),
  )
  out.push(buildApdu({ ins: 0xdb, p1: 0x3f, p2: 0xff, data: keyTemplate }))
  keyTemplate.fill(0)
  const put = (ef: number, tag: number, value: Uint8Array) =>
    buildApdu({ ins: 0xdb, p1: ef >> 8, p2: ef & 0xff, data: encodeTlv(tag, value) })
  out.push(
    put(0xa000, 0xdf1f, defaultMasterFile()),
    put(0xa010, 0xdf21, Buffer.from('6d73637000000000', 'hex')), // cardapps: "mscp"
    put(0xa010, 0xdf22, Buffer.alloc(6)), // cardcf
    put(0xa010, 0xdf23, Buffer.alloc(0)), // empty cmapfile
    put(0xa012, 0xdf20, input.cardid),
    buildApdu({ ins: 0xa4, p1: 0x00, p2: 0x0c, data: Buffer.from([0x3f, 0xff]) }),
    activate,
  )
  return out
}
