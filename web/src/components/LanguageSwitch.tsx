// One button that switches between Chinese and English; the choice is remembered on this browser.
import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { rememberLanguage } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      icon={<GlobalOutlined />}
      lang={next}
      aria-label={`${t('language.label')}: ${t('language.switchTo')}`}
      onClick={() => {
        rememberLanguage(next);
        void i18n.changeLanguage(next);
      }}
    >
      {t('language.switchTo')}
    </Button>
  );
}
