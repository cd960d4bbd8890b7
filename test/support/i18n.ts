// The console's translations in both languages, for view-logic tests that word things without a browser.
import i18next, { type TFunction } from 'i18next';
import { en } from '../../web/src/i18n/en';
import { zhCN } from '../../web/src/i18n/zh-CN';

export async function consoleTranslators(): Promise<{ zh: TFunction; english: TFunction }> {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  return { zh: i18n.getFixedT('zh-CN'), english: i18n.getFixedT('en') };
}
