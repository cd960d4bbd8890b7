// The clear button antd puts in a field with allowClear, and the search button of its search fields, are
// real, focusable <button>s whose only content is an icon named by antd in English whatever the language
// ("close-circle", "search"): named here in the console's language, so a keyboard or screen-reader user
// hears what each does.
import { CloseCircleFilled, SearchOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** Pass as a field's allowClear: the clear button, named 清除 / Clear. */
export function useClearable() {
  const { t } = useTranslation();
  return { clearIcon: <CloseCircleFilled aria-label={t('common.clear')} /> };
}

/** Pass as a search field's enterButton: the same plain button antd draws, named 搜索 / Search. */
export function useSearchButton() {
  const { t } = useTranslation();
  return <Button icon={<SearchOutlined aria-label={t('common.searchButton')} />} />;
}
