import type { DataQuery } from '../../core/policy/data-controls.ts';
import type { ContentAction } from './messages.ts';

/**
 * The question each action asks core's data controls, following the conventions of
 * core/policy/data-controls.ts. One function for the content scripts and the background,
 * so both sides always ask the same question.
 */
export function dataQuery(action: ContentAction, page: string, pasteSource?: string): DataQuery {
  switch (action) {
    case 'copy':
    case 'cut':
      // The copied text may reach any application; rules aimed at other pages wait for paste.
      return { action, source: { url: page }, destination: { os_clipboard: true } };
    case 'paste':
      return {
        action,
        source: pasteSource ? { url: pasteSource } : { os_clipboard: true },
        destination: { url: page },
      };
    case 'print':
      return { action, source: { url: page } };
    case 'upload':
      return { action, destination: { url: page } };
  }
}
