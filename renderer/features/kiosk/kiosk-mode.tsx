import { useEffect, useRef, useState, type ReactNode } from 'react'
import { presentReadersKey, resetStation, stationWorking } from '../../store/kiosk-actions'
import { useStationContext, useStationState } from '../../store/store-context'
import { installDocumentGuards, watchInput } from './document-guards'
import { IdleCountdown } from './idle-countdown'
import { IdleTimer, idlePolicy, type IdleView } from './idle-timer'

/**
 * Kiosk mode in the page (`app:info.kiosk`; the browser preview too): no context menu, drags or drops, and the idle
 * reset — after `idleTimeoutSec` without keyboard, pointer or touch input and without a card inserted or removed, the
 * station returns to Home, clears any PIN (the page's and main's) and leaves enrollments resumable. The count waits
 * while the station works; its last part is the "Still there?" countdown (not shown at Home, where nothing is lost).
 */
export function KioskMode(): ReactNode {
  const kiosk = useStationState((s) => s.app.info?.kiosk === true)
  const idleTimeoutSec = useStationState((s) => s.app.info?.idleTimeoutSec ?? null)
  if (!kiosk || idleTimeoutSec === null) return null
  return <KioskSession idleTimeoutSec={idleTimeoutSec} />
}

function KioskSession(props: { idleTimeoutSec: number }): ReactNode {
  const { station, store } = useStationContext()
  const atHome = useStationState((s) => s.navigation.screen.name === 'home')
  const working = useStationState(stationWorking)
  // The count stays on screen while the dialog fades out.
  const [countdown, setCountdown] = useState({ open: false, seconds: 0 })
  const timer = useRef<IdleTimer | null>(null)
  const policy = idlePolicy(props.idleTimeoutSec)

  useEffect(() => {
    const idle = new IdleTimer({
      policy: idlePolicy(props.idleTimeoutSec),
      onView: (view: IdleView) =>
        setCountdown((shown) =>
          view.countdown ? { open: true, seconds: view.seconds } : { open: false, seconds: shown.seconds },
        ),
      onExpire: () => void resetStation(station, store),
    })
    idle.hold(stationWorking(store.getState()))
    timer.current = idle
    const stopInput = watchInput(document, () => idle.input())
    const stopGuards = installDocumentGuards(document)
    // A card inserted or removed is someone at the desk too.
    const stopCards = store.subscribe((state, previous) => {
      if (state.readers.snapshot !== previous.readers.snapshot) {
        if (presentReadersKey(state) !== presentReadersKey(previous)) idle.input()
      }
    })
    return () => {
      stopCards()
      stopGuards()
      stopInput()
      idle.dispose()
      if (timer.current === idle) timer.current = null
      setCountdown((shown) => ({ open: false, seconds: shown.seconds }))
    }
  }, [props.idleTimeoutSec, station, store])

  useEffect(() => {
    timer.current?.hold(working)
  }, [working])

  return (
    <IdleCountdown
      open={countdown.open && !atHome}
      seconds={countdown.seconds}
      first={Math.ceil(policy.countdownMs / 1000)}
      onContinue={() => timer.current?.input()}
    />
  )
}
