import { Button, Text, ToggleButton, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { PinDisplayPolicy } from '../../../../shared/ipc/app'
import { HolderPanel } from './holder-panel'

/** How long a revealed PIN stays visible in `reveal` mode. */
export const REVEAL_MS = 10_000
/** Shown instead of the PIN: a fixed length, so the mask does not tell the PIN's length. */
const MASK = '••••••••'

const useStyles = makeStyles({
  pin: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero800,
    lineHeight: tokens.lineHeightHero800,
    letterSpacing: '0.15em',
    wordBreak: 'break-all',
  },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  column: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    rowGap: tokens.spacingVerticalM,
  },
})

function PinText(props: { pin: string; visible: boolean }): ReactNode {
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <span
      className={styles.pin}
      data-testid="server-pin"
      data-masked={String(!props.visible)}
      aria-label={props.visible ? undefined : t('pin.server.hidden')}
    >
      {props.visible ? props.pin : MASK}
    </span>
  )
}

/** `reveal`: masked; a toggle shows it, and it hides itself again after {@link REVEAL_MS}. */
function RevealPin(props: { pin: string }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    if (!visible) return
    const timer = setTimeout(() => setVisible(false), REVEAL_MS)
    return () => clearTimeout(timer)
  }, [visible])
  return (
    <div className={styles.row}>
      <PinText pin={props.pin} visible={visible} />
      <ToggleButton checked={visible} data-testid="reveal-pin" onClick={() => setVisible((v) => !v)}>
        {visible ? t('pin.server.hide') : t('pin.server.reveal')}
      </ToggleButton>
    </div>
  )
}

type NeverPhase = 'turn' | 'shown' | 'noted'

/**
 * `never`: the operator does not see the PIN. "Turn the screen to the holder"; the holder presses "Show my PIN",
 * reads it, and "I have noted my PIN" hides it again; only then can the operator continue.
 */
function HolderOnlyPin(props: { pin: string; onHolderDone: () => void }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const [phase, setPhase] = useState<NeverPhase>('turn')
  return (
    <HolderPanel label={t('pin.holderArea')} testId="holder-pin-panel">
      <Text weight="semibold">
        {phase === 'noted' ? t('pin.server.turnBack') : t('pin.server.turnScreen')}
      </Text>
      <div className={styles.row}>
        <PinText pin={props.pin} visible={phase === 'shown'} />
      </div>
      <div className={styles.row}>
        {phase === 'shown' ? (
          <Button
            appearance="primary"
            size="large"
            data-testid="holder-noted-pin"
            onClick={() => {
              setPhase('noted')
              props.onHolderDone()
            }}
          >
            {t('pin.server.holderNoted')}
          </Button>
        ) : (
          <Button
            size="large"
            appearance={phase === 'turn' ? 'primary' : 'secondary'}
            data-testid="reveal-pin"
            onClick={() => setPhase('shown')}
          >
            {phase === 'turn' ? t('pin.server.showMine') : t('pin.server.showAgain')}
          </Button>
        )}
      </div>
    </HolderPanel>
  )
}

/**
 * The server-proposed PIN (E16 200), shown according to the station's `pinDisplay` policy: `show` (visible until
 * the step is left), `reveal` (masked, toggle, hidden again after 10 s) or `never` (holder-facing only). The PIN
 * lives in the caller's component state only; "The holder has noted the PIN" calls `onNoted`, which drops it.
 */
export function ServerPin(props: {
  pin: string
  policy: PinDisplayPolicy
  busy: boolean
  onNoted: () => void
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const [holderDone, setHolderDone] = useState(false)
  const ready = props.policy !== 'never' || holderDone
  return (
    <div className={styles.column}>
      <Text>{t('pin.server.intro')}</Text>
      {props.policy === 'show' ? <PinText pin={props.pin} visible /> : null}
      {props.policy === 'reveal' ? <RevealPin pin={props.pin} /> : null}
      {props.policy === 'never' ? (
        <HolderOnlyPin pin={props.pin} onHolderDone={() => setHolderDone(true)} />
      ) : null}
      <Button
        appearance="primary"
        data-testid="pin-noted"
        disabledFocusable={!ready || props.busy}
        onClick={props.onNoted}
      >
        {t('pin.server.noted')}
      </Button>
      {!ready ? <Text size={200}>{t('pin.server.waitForHolder')}</Text> : null}
    </div>
  )
}
