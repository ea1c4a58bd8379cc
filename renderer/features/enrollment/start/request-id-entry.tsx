import { Button, Field, Input, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { normalizeGuid } from '../../../../shared/domain/cm'

const useStyles = makeStyles({
  form: { display: 'flex', alignItems: 'flex-end', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  field: { flexGrow: 1, minWidth: '18rem' },
  input: { fontFamily: tokens.fontFamilyMonospace },
})

/**
 * Way (b): a request id typed, pasted or scanned. Barcode scanners type fast and end with Enter, so Enter
 * submits; braces and upper case are accepted (`normalizeGuid`, cm-rest-api.md §1.2).
 */
export function RequestIdEntry(props: { busy: boolean; onSubmit: (requestId: string) => void }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const [text, setText] = useState('')
  const [invalid, setInvalid] = useState(false)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (props.busy) return
    const id = normalizeGuid(text)
    if (id === null) return setInvalid(true)
    props.onSubmit(id)
  }
  return (
    <form className={styles.form} onSubmit={submit} aria-label={t('start.byRequest')}>
      <Field
        className={styles.field}
        label={t('start.requestId')}
        hint={invalid ? null : t('start.requestIdHint')}
        validationState={invalid ? 'error' : 'none'}
        validationMessage={invalid ? t('start.requestIdInvalid') : null}
      >
        <Input
          className={styles.input}
          data-testid="request-id-input"
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          value={text}
          onChange={(_e, data) => {
            setText(data.value)
            setInvalid(false)
          }}
        />
      </Field>
      <Button
        type="submit"
        appearance="primary"
        data-testid="open-request"
        disabledFocusable={props.busy}
        icon={props.busy ? <Spinner size="extra-tiny" /> : null}
      >
        {t('start.openRequest')}
      </Button>
    </form>
  )
}
