// The clear button antd puts in a field with allowClear is a real, focusable <button> whose only content is
// an icon named "close-circle" (antd's icon name, in English, whatever the language): named here in the
// console's language, so a keyboard or screen-reader user hears what it does.
import { CloseCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** Pass as a field's allowClear: the clear button, named 清除 / Clear. */
export function useClearable() {
  const { t } = useTranslation();
  return { clearIcon: <CloseCircleFilled aria-label={t('common.clear')} /> };
}
