// A table wider than its card scrolls sideways inside it (styles.css). A region that scrolls must be
// reachable by keyboard, to scroll it with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable):
// while a table's scroller scrolls, it is a named, focusable region; when it fits again, it is not.
import { useEffect } from 'react';

export function useScrollableTables(fallbackName: string): void {
  useEffect(() => {
    const mark = () => {
      for (const el of document.querySelectorAll<HTMLElement>('.ant-table-content')) {
        const scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls && el.getAttribute('data-scrolls') === null) {
          const name = el.closest('.ant-table-wrapper')?.getAttribute('aria-label') ?? el.querySelector('table')?.getAttribute('aria-label') ?? fallbackName;
          el.setAttribute('data-scrolls', '');
          el.tabIndex = 0;
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', name);
        } else if (!scrolls && el.getAttribute('data-scrolls') !== null) {
          for (const attribute of ['data-scrolls', 'tabindex', 'role', 'aria-label']) el.removeAttribute(attribute);
        }
      }
    };
    // Once a frame at most, after the page changes or the window is resized (or zoomed).
    let pending = 0;
    const soon = () => {
      if (pending === 0) pending = requestAnimationFrame(() => ((pending = 0), mark()));
    };
    const observer = new MutationObserver(soon);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', soon);
    soon();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', soon);
      cancelAnimationFrame(pending);
    };
  }, [fallbackName]);
}
