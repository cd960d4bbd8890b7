// A project's exemptions (减免) in the reader's language. The API records them as the service worded them
// at registration, both languages in one ("免配建民防工程 exempt from civil-defense works", "费用减免 fee
// reduction: water"; domain/process.ts); the console words each from its code. One it does not know is
// shown as recorded.
import type { TFunction } from 'i18next';

export function exemptionText(recorded: string, t: TFunction): string {
  if (recorded.startsWith('免配建民防工程')) return t('exemption.civilDefense');
  if (recorded.startsWith('简化竣工验收')) return t('exemption.simplifiedAcceptance');
  const fee = /^费用减免 fee reduction: ([a-z-]+)$/.exec(recorded);
  if (fee && t(`party.${fee[1]}`, { defaultValue: '' }) !== '') return t('exemption.feeReduction', { party: t(`party.${fee[1]}`) });
  return recorded;
}
