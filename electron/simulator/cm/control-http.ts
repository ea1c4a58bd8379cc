import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CmSimulatorControl, SimSnapshot } from './control'
import type { FaultRule } from './faults'
import { readBody } from './pipeline'
import { PRESET_NAMES } from './presets'
import type { PresetName, PresetParams } from './presets'
import type { SimSwitches } from './switches'

/**
 * Optional HTTP face of the control API under /__sim/… (SIM-D3), outside /CertificateManagement and off by
 * default. Simulator-only: no authentication, loopback only.
 */
export async function handleControlHttp(
  control: CmSimulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const send = (status: number, value?: unknown) => {
    const body = value === undefined ? '' : JSON.stringify(value)
    res.writeHead(status, value === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' })
    res.end(body)
  }
  const raw = await readBody(req, 16 * 1024 * 1024)
  let body: Record<string, unknown> = {}
  try {
    if (raw && raw.length) body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
  } catch {
    return send(400, { error: 'invalid JSON' })
  }
  const method = (req.method ?? 'GET').toUpperCase()
  const seg = path
    .replace(/^\/__sim\/?/, '')
    .replace(/\/$/, '')
    .split('/')
  const [a = '', b = '', c = ''] = seg
  try {
    if (a === 'switches' && method === 'GET') return send(200, control.getSwitches())
    if (a === 'switches') return send(200, control.setSwitches(body as Partial<SimSwitches>))
    if (a === 'requests' && c === 'approve' && method === 'POST') return send(200, control.approve(b))
    if (a === 'requests' && c === 'deny' && method === 'POST') return send(200, control.deny(b))
    if (a === 'requests' && c === 'status' && method === 'PUT')
      return send(200, control.setRequestStatus(b, Number(body.status)))
    if (a === 'smartcards' && c === 'status' && method === 'PUT')
      return send(200, control.setCardStatus(b, Number(body.status)))
    if (a === 'faults' && method === 'GET') return send(200, control.listFaults())
    if (a === 'faults' && method === 'POST')
      return send(201, { id: control.addFault(body as unknown as FaultRule) })
    if (a === 'faults' && method === 'DELETE' && b) return send(control.removeFault(b) ? 204 : 404)
    if (a === 'faults' && method === 'DELETE') return void (control.clearFaults(), send(204))
    if (a === 'presets' && method === 'POST') {
      if (!(PRESET_NAMES as readonly string[]).includes(b)) return send(404, { error: `unknown preset ${b}` })
      control.applyPreset(b as PresetName, body as PresetParams)
      return send(204)
    }
    if (a === 'snapshot' && method === 'GET') return send(200, control.snapshot())
    if (a === 'restore' && method === 'POST')
      return void (control.restore(body as unknown as SimSnapshot), send(204))
    if (a === 'reset' && method === 'POST') return void (control.reset(), send(204))
    if (a === 'log' && method === 'GET') return send(200, control.requestLog())
    if (a === 'log' && method === 'DELETE') return void (control.clearLog(), send(204))
    if (a === 'errors' && method === 'GET') return send(200, control.lastErrors())
    if (a === 'clock' && b === 'advance' && method === 'POST')
      return void (control.advanceClock(Number(body.ms)), send(200, { now: control.now() }))
    if (a === 'clock' && method === 'PUT')
      return void (control.setClock(String(body.at)), send(200, { now: control.now() }))
    if (a === 'clock' && method === 'GET') return send(200, { now: control.now() })
    if (a === 'rotate-secret' && method === 'POST') {
      control.rotateDiversificationSecret(typeof body.template === 'string' ? body.template : undefined)
      return send(204)
    }
    if (a === 'state' && method === 'GET') return send(200, control.state())
    return send(404, { error: 'unknown control route' })
  } catch (e) {
    return send(409, { error: (e as Error).message })
  }
}
