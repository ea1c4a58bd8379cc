import { createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import { VpcdFrameDecoder, vpcdFrame } from '../../../electron/simulator/card/vpcd-client'

/** A fake vpcd: a TCP server that lets a test talk to the connected card like pcscd's vpcd does. */
export class FakeVpcd {
  private server: Server = createServer()
  private sockets = new Set<Socket>()
  private socketWaiters: Array<(s: Socket) => void> = []
  private accepted: Socket[] = []
  private frames: Buffer[] = []
  private frameWaiters: Array<() => void> = []
  port = 0

  async listen(port = 0): Promise<void> {
    this.server.on('connection', (s) => {
      s.setNoDelay(true)
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
      const decoder = new VpcdFrameDecoder()
      s.on('data', (c: Buffer) => {
        this.frames.push(...decoder.push(c))
        this.frameWaiters.splice(0).forEach((w) => w())
      })
      const waiter = this.socketWaiters.shift()
      if (waiter) waiter(s)
      else this.accepted.push(s)
    })
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r))
    this.port = (this.server.address() as { port: number }).port
  }

  /** The next accepted connection (queued if it arrived before the call). */
  nextSocket(): Promise<Socket> {
    const ready = this.accepted.shift()
    if (ready) return Promise.resolve(ready)
    return new Promise((r) => this.socketWaiters.push(r))
  }

  /** Wait for the next frame from the card. */
  async nextFrame(): Promise<Buffer> {
    while (!this.frames.length) await new Promise<void>((r) => this.frameWaiters.push(r))
    return this.frames.shift()!
  }

  /** Write a frame with header and body in separate writes, as vpcd 0.8 does (pcsc-lab.md §2b). */
  async sendSplit(s: Socket, payload: Buffer): Promise<void> {
    const f = vpcdFrame(payload)
    await new Promise<void>((r) => s.write(f.subarray(0, 2), () => r()))
    await new Promise<void>((r) => setImmediate(r))
    for (const byte of f.subarray(2)) await new Promise<void>((r) => s.write(Buffer.from([byte]), () => r()))
  }

  /** Send a frame and return the card's reply frame. */
  async exchange(s: Socket, payload: Buffer): Promise<Buffer> {
    await this.sendSplit(s, payload)
    return this.nextFrame()
  }

  /** Stop listening and drop every open connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    return new Promise((r) => this.server.close(() => r()))
  }
}
