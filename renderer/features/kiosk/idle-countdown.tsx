import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { VisuallyHidden } from '../common/visually-hidden'

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  seconds: { fontVariantNumeric: 'tabular-nums' },
})

/**
 * The second count a screen reader hears (a polite live region) when `seconds` are left of a countdown that started at
 * `first`: the first count, every tenth, and five — the latest of those reached. Announcing every second would bury
 * everything else the reader says.
 */
export function announcedSeconds(seconds: number, first: number): number {
  for (let s = seconds; s < first; s++) if (s % 10 === 0 || s === 5) return s
  return first
}

/**
 * "Still there?": the last seconds before a kiosk idle reset, in an alert dialog whose only control, Continue, has
 * the keyboard focus. Any input continues (the idle timer sees it first); the countdown is announced politely.
 * `first` is the count the countdown starts from.
 */
export function IdleCountdown(props: {
  open: boolean
  seconds: number
  first: number
  onContinue: () => void
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  return (
    <Dialog
      open={props.open}
      modalType="alert"
      onOpenChange={(_e, data) => {
        if (!data.open) props.onContinue()
      }}
    >
      <DialogSurface data-testid="idle-countdown" data-seconds={props.seconds}>
        <DialogBody>
          <DialogTitle>{t('kiosk.idle.title')}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text size={400} weight="semibold" className={styles.seconds} data-testid="idle-seconds">
              {t('kiosk.idle.countdown', { seconds: props.seconds })}
            </Text>
            <Text>{t('kiosk.idle.detail')}</Text>
            <VisuallyHidden live testId="idle-announcer">
              {props.open
                ? t('kiosk.idle.countdown', { seconds: announcedSeconds(props.seconds, props.first) })
                : ''}
            </VisuallyHidden>
          </DialogContent>
          <DialogActions>
            {/* The only control, focused at once: Enter or Space continues. */}
            <Button appearance="primary" autoFocus data-testid="idle-continue" onClick={props.onContinue}>
              {t('kiosk.idle.continue')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
