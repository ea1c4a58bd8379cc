import { describe, expect, it } from 'vitest'
import {
  dotnetBytesFromGuid,
  guidFromDotnetBytes,
  guidFromPrintedBytes,
  guidPrintedBytes,
} from '../../../electron/services/guid-bytes'

// Active Directory stores objectGUID as the 16 bytes of a Win32 GUID in memory (MS-DTYP §2.3.4.2): Data1, Data2
// and Data3 little-endian, Data4 in order — what .NET's Guid.ToByteArray() returns and what an LDAP filter on
// objectGUID must carry.
const VECTORS: Array<[string, string]> = [
  // The mixed-endian example every GUID description gives (Wikipedia "Universally unique identifier", encoding).
  ['00112233-4455-6677-8899-aabbccddeeff', '33221100554477668899aabbccddeeff'],
  // The classic COM GUID example {3F2504E0-4F89-11D3-9A0C-0305E82C3301} in memory order.
  ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'e004253f894fd3119a0c0305e82c3301'],
  // Active Directory examples published with their raw objectGUID bytes: Atlassian Crowd's GuidHelper docs
  // ("Normal Hex String: 6797e1e5… AD Formatted String: e5e19767-b5ec-4f15-…") and a python-ldap objectGUID read
  // ('Igr\xafb\x19ME\xb2P9c\xfb\xa0\xe2w', decoded with uuid.UUID(bytes_le=…)).
  ['e5e19767-b5ec-4f15-960f-865c28c015fa', '6797e1e5ecb5154f960f865c28c015fa'],
  ['af726749-1962-454d-b250-3963fba0e277', '496772af62194d45b2503963fba0e277'],
  ['ffffffff-0000-0000-0000-000000000000', 'ffffffff000000000000000000000000'],
]

describe('objectGUID ↔ GUID text (.NET byte order)', () => {
  it.each(VECTORS)('%s ↔ %s', (text, hex) => {
    expect(dotnetBytesFromGuid(text).toString('hex')).toBe(hex)
    expect(guidFromDotnetBytes(Buffer.from(hex, 'hex'))).toBe(text)
  })

  it('accepts braces and upper case, prints lower case without braces', () => {
    expect(dotnetBytesFromGuid('{00112233-4455-6677-8899-AABBCCDDEEFF}').toString('hex')).toBe(VECTORS[0]![1])
  })

  it('differs from the plain (network-order) reading exactly in the first three fields', () => {
    const bytes = Buffer.from(VECTORS[0]![1], 'hex')
    expect(guidFromPrintedBytes(bytes)).toBe('33221100-5544-7766-8899-aabbccddeeff')
    expect(guidPrintedBytes(VECTORS[0]![0]).toString('hex')).toBe('00112233445566778899aabbccddeeff')
  })

  it('refuses anything but 16 bytes or a GUID text', () => {
    expect(() => guidFromDotnetBytes(Buffer.alloc(15))).toThrow(RangeError)
    expect(() => dotnetBytesFromGuid('not-a-guid')).toThrow(RangeError)
    expect(() => dotnetBytesFromGuid('00112233-4455-6677-8899-aabbccddeef')).toThrow(RangeError)
  })
})
