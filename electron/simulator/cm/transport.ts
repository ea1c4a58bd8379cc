import type { ServerResponse } from 'node:http'
import type { Outgoing } from './responses'

/**
 * Writing responses, including the fault variants that need timing (SIM-F2: drop mid-body, hang,
 * slowBody). Every timer and held response is tracked so `close()` ends them all.
 */
export class Transport {
  private timers = new Set<NodeJS.Timeout>()
  private held = new Set<ServerResponse>()

  /** Resolve after `ms` (tracked). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t)
        resolve()
      }, ms)
      this.timers.add(t)
    })
  }

  /** Never answer (until close). */
  hold(res: ServerResponse): void {
    this.held.add(res)
    res.on('close', () => this.held.delete(res))
  }

  /** Send headers and half the body, then cut the connection. */
  sendPartial(res: ServerResponse, out: Outgoing): void {
    writeHead(res, out)
    const body = out.body ?? Buffer.alloc(0)
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy())
  }

  /** Send the body at `bytesPerSec`, in 10 slices a second. */
  sendSlow(res: ServerResponse, out: Outgoing, bytesPerSec: number): void {
    writeHead(res, out)
    const body = out.body ?? Buffer.alloc(0)
    const step = Math.max(1, Math.floor(bytesPerSec / 10))
    let off = 0
    const tick = () => {
      if (res.destroyed) return
      const chunk = body.subarray(off, off + step)
      off += chunk.length
      if (off >= body.length) {
        res.end(chunk)
        return
      }
      res.write(chunk)
      const t = setTimeout(() => {
        this.timers.delete(t)
        tick()
      }, 100)
      this.timers.add(t)
    }
    tick()
  }

  /** Stop every timer and destroy held responses. */
  shutdown(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const r of this.held) r.socket?.destroy()
    this.held.clear()
  }
}

function writeHead(res: ServerResponse, out: Outgoing): void {
  const headers: Record<string, string | string[]> = { ...out.headers }
  if (out.body) headers['Content-Length'] = String(out.body.length)
  res.writeHead(out.status, headers)
}

/** Send a complete response. */
export function sendOutgoing(_t: Transport, res: ServerResponse, out: Outgoing): void {
  writeHead(res, out)
  res.end(out.body ?? undefined)
}
