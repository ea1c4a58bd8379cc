import { describe, expect, it } from 'vitest'
import { StaticDirectory } from '../../../electron/services/directory/directory'
import { createDirectoryHandlers } from '../../../electron/services/directory/ipc-handlers'
import type { UserUuid } from '../../../shared/domain/cm'
import { directoryLookupRequest, directorySearchRequest } from '../../../shared/ipc/directory'

const person = (uuid: string, displayName: string, account: string, upn: string | null = null) => ({
  uuid: uuid as UserUuid,
  displayName,
  account,
  upn,
  email: upn,
  department: null,
  employeeNumber: null,
})
const ANA = person(
  'a11ce000-0000-4000-8000-00000000a11c',
  'Ana Gonçalves Souza',
  'CORP\\agsouza',
  'ana@corp.test',
)
const BOB = person('b0b00000-0000-4000-8000-000000000b0b', 'Bob de Vries', 'CORP\\bob', 'bob@corp.test')
const dir = new StaticDirectory([BOB, ANA])

describe('StaticDirectory (training directory)', () => {
  it.each([
    ['ana', [ANA]],
    ['gonc', [ANA]], // accents folded
    ['GONÇ', [ANA]],
    ['souza', [ANA]],
    ['agsouza', [ANA]],
    ['corp\\bob', [BOB]],
    ['bob@', [BOB]],
    ['vries', [BOB]],
    ['de', [BOB]],
    ['ana sou', [ANA]], // every word starts a key, in any order
    ['souza ana', [ANA]],
    ['ana vries', []],
    ['zz', []],
    ['  ', []],
  ] as const)('search %j', async (q, expected) => {
    expect(await dir.search(q, 20)).toEqual({ people: expected, total: expected.length })
  })

  it('limits, sorts by name, and looks up by GUID in any case (unknown ones left out)', async () => {
    expect(await dir.search('corp', 1)).toEqual({ people: [ANA], total: 2 })
    expect(
      await dir.lookup([
        ANA.uuid.toUpperCase() as UserUuid,
        '00000000-0000-0000-0000-000000000001' as UserUuid,
      ]),
    ).toEqual([ANA])
  })

  it('IPC: bounded schemas; without a directory both channels answer empty lists', async () => {
    expect(directorySearchRequest.safeParse({ query: 'x'.repeat(201) }).success).toBe(false)
    expect(directoryLookupRequest.safeParse({ uuids: ['not-a-guid'] }).success).toBe(false)
    const none = createDirectoryHandlers(null)
    expect(await none['directory:search']({ query: 'ana', limit: 5 })).toEqual({ people: [], total: 0 })
    expect(await none['directory:lookup']({ uuids: [ANA.uuid] })).toEqual([])
    const some = createDirectoryHandlers(dir)
    expect(await some['directory:lookup']({ uuids: [BOB.uuid] })).toEqual([BOB])
  })
})
