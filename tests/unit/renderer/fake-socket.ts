import type { SocketLike } from '../../../renderer/bridge/ws-transport'

/** A scripted WebSocket: the test plays the server side (open, frames, close). */
export class FakeSocket implements SocketLike {
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  /** Frames the client sent, parsed. */
  readonly sent: unknown[] = []
  closedByClient = false

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }

  close(): void {
    this.closedByClient = true
  }

  /** Server accepted the connection. */
  open(): void {
    this.onopen?.({})
  }

  /** Server sent a JSON text frame. */
  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) })
  }

  /** Connection dropped (server gone, network). */
  drop(): void {
    this.onerror?.({})
    this.onclose?.({})
  }
}

/** Sockets created so far plus manually-run timers, for a transport under test. */
export function socketHarness() {
  const sockets: FakeSocket[] = []
  const timers: { run: () => void; ms: number }[] = []
  return {
    sockets,
    timers,
    options: {
      createSocket: (url: string) => {
        const socket = new FakeSocket(url)
        sockets.push(socket)
        return socket
      },
      setTimer: (run: () => void, ms: number) => {
        timers.push({ run, ms })
        return timers.length
      },
      clearTimer: () => {},
    },
    /** The newest socket. */
    last(): FakeSocket {
      const socket = sockets.at(-1)
      if (!socket) throw new Error('no socket yet')
      return socket
    },
    /** Run the oldest pending timer (a reconnect attempt). */
    runNextTimer(): number {
      const timer = timers.shift()
      if (!timer) throw new Error('no timer pending')
      timer.run()
      return timer.ms
    },
  }
}
