import type { z } from 'zod'
import type { ChannelDef } from '../../../shared/ipc/define'
import type { directoryChannels } from '../../../shared/ipc/directory'
import type { Directory } from './directory'

type DirChannels = typeof directoryChannels
type Req<C extends keyof DirChannels> = z.output<DirChannels[C]['request']>
type Res<C extends keyof DirChannels> = DirChannels[C] extends ChannelDef<z.ZodType, infer R> ? R : never

/** Handlers of the `directory:*` channels. */
export type DirectoryHandlers = { [C in keyof DirChannels]: (request: Req<C>) => Promise<Res<C>> }

/** Build the `directory:*` handlers; without a directory both answer empty lists (the renderer shows GUIDs). */
export function createDirectoryHandlers(directory: Directory | null): DirectoryHandlers {
  return {
    async 'directory:lookup'({ uuids }) {
      return directory ? directory.lookup(uuids) : []
    },
    async 'directory:search'({ query, limit }) {
      return directory ? directory.search(query, limit) : { people: [], total: 0 }
    },
  }
}
