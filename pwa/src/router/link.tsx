import type { ComponentChildren } from 'preact';
import { navigate, useLocation } from './router.ts';

type Props = {
  href: string;
  class?: string;
  'aria-label'?: string;
  children: ComponentChildren;
  /** Mark as current when the path starts with href (section links in the nav). */
  section?: boolean;
};

/**
 * An `<a>` that navigates in-app on a plain left click and behaves as a normal link
 * otherwise (new tab, copy link, middle click).
 */
export function Link({ href, section, children, ...rest }: Props) {
  const { path } = useLocation();
  const target = href.split(/[?#]/)[0]!;
  const current = section ? path === target || path.startsWith(`${target}/`) : path === target;
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a {...rest} href={href} onClick={onClick} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
