import type { BackendListener, ReaderBackend } from '../../electron/services/reader/types'

/** A PC/SC backend for a machine without pcscd: the service reports unavailable and nothing connects. */
export function absentPcsc(): ReaderBackend {
  return {
    kind: 'pcsc',
    start: (l: BackendListener) => l.serviceState('unavailable'),
    connect: async () => {
      throw new Error('no pcsc')
    },
    close: async () => {},
  }
}
