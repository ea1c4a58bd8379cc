import { Label, Select, makeStyles, tokens, useId } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { SUPPORTED_LANGUAGES, isLanguage } from '../../i18n/i18n'

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
})

/** Header language picker; each option shows its language's own name (from that locale's file). */
export function LanguagePicker(): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  const id = useId('language')
  const current = SUPPORTED_LANGUAGES.find((l) => l === i18n.resolvedLanguage) ?? 'en'
  return (
    <div className={styles.root}>
      <Label htmlFor={id}>{t('language.label')}</Label>
      <Select
        id={id}
        data-testid="language-picker"
        value={current}
        onChange={(_e, data) => {
          if (isLanguage(data.value)) void i18n.changeLanguage(data.value)
        }}
      >
        {SUPPORTED_LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {i18n.getFixedT(lng)('language.name')}
          </option>
        ))}
      </Select>
    </div>
  )
}
