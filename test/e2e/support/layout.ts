/** Layout checks the browser tests share: what sticks out of a phone's screen. */
import type { Page } from 'playwright-core';

/**
 * What sticks out to the right of the page (a page wider than the screen scrolls sideways): the page's width and the
 * first elements past the edge; empty when the page fits.
 */
export async function overflow(page: Page): Promise<string[]> {
  // a string: evaluated in the page, where the DOM is (the project's types have no DOM)
  return page.evaluate<string[]>(`(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const out = ['page ' + root.scrollWidth + 'px wide on a ' + root.clientWidth + 'px screen'];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1) out.push(el.tagName.toLowerCase() + '.' + el.className + ' (' + Math.round(r.right) + 'px)');
      if (out.length > 8) break;
    }
    return out;
  })()`);
}
