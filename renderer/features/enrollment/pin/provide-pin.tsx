import { Button, Field, Input, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { HolderPanel } from './holder-panel'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, maxWidth: '28rem' },
})

/**
 * Prompt `holder-enters-pin`: after a restart the station holds no PIN, so the holder types the new card's PIN
 * once (`enrollment:provide-pin`); the field is emptied on submit. A wrong PIN comes back with the tries left.
 */
export function ProvidePin(props: { busy: boolean; onSubmit: (pin: string) => void }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  // The holder types here next: the field takes the focus when the prompt appears (after the page heading did).
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => form.current?.querySelector('input')?.focus(), [])
  const [pin, setPin] = useState('')
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (pin === '' || props.busy) return
    const typed = pin
    setPin('')
    props.onSubmit(typed)
  }
  return (
    <HolderPanel label={t('pin.holderArea')} testId="provide-pin-panel">
      <form ref={form} className={styles.form} onSubmit={submit} aria-label={t('pin.provide.heading')}>
        <Text>{t('pin.provide.why')}</Text>
        <Field label={t('pin.provide.label')} size="large">
          <Input
            type="password"
            size="large"
            autoComplete="off"
            data-testid="provide-pin"
            value={pin}
            onChange={(_e, data) => setPin(data.value)}
          />
        </Field>
        <Button
          type="submit"
          appearance="primary"
          size="large"
          data-testid="provide-pin-submit"
          disabledFocusable={pin === '' || props.busy}
          icon={props.busy ? <Spinner size="tiny" /> : null}
        >
          {t('pin.provide.submit')}
        </Button>
      </form>
    </HolderPanel>
  )
}
